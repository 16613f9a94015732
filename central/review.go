package central

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Namespace says which entries a reviewer works on: live entries
// (supervisors) or training entries (trainers). They never mix.
type Namespace bool

// Namespaces.
const (
	Live     Namespace = false
	Training Namespace = true
)

// reviewer checks p may review entries of the namespace and returns them.
func reviewer(p Principal, ns Namespace) (*User, error) {
	switch {
	case ns == Live && p.Is(RoleSupervisor):
	case ns == Training && p.Is(RoleTrainer):
	default:
		return nil, forbidden()
	}
	return p.User, nil
}

// visible loads an entry the reviewer may see: in the namespace and one of
// the reviewer's teams. Anything else is ENOTFOUND, so ids of other teams'
// entries cannot be probed.
func visible(ctx context.Context, tx Tx, u *User, ns Namespace, id string) (Entry, error) {
	ent, err := tx.Entry(ctx, id)
	if err != nil {
		return Entry{}, notFound(err, "no such entry")
	}
	if ent.Training != bool(ns) || !u.InTeam(ent.Team) {
		return Entry{}, Errorf(ENOTFOUND, "no such entry")
	}
	return ent, nil
}

// Queue lists entries awaiting review in the reviewer's teams, most serious
// first, then by deadline. With overdue set, only entries past deadline.
func (s *Service) Queue(ctx context.Context, p Principal, ns Namespace, overdue bool, limit int) (*api.QueueResponse, error) {
	u, err := reviewer(p, ns)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > DefaultQueueLimit {
		limit = DefaultQueueLimit
	}
	now := s.now()
	var all []Entry
	err = s.store.View(ctx, func(tx Tx) error {
		for _, team := range u.Teams {
			f := QueueFilter{Training: bool(ns), Team: team, Limit: limit}
			if overdue {
				f.OverdueAt = now
			}
			list, err := tx.Queue(ctx, f)
			if err != nil {
				return err
			}
			all = append(all, list...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	// Each team's list is already in order; merge them.
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Grade != all[j].Grade {
			return all[i].Grade > all[j].Grade
		}
		return all[i].Deadline.Before(all[j].Deadline)
	})
	if len(all) > limit {
		all = all[:limit]
	}
	resp := &api.QueueResponse{Items: make([]api.QueueItem, 0, len(all))}
	for _, e := range all {
		resp.Items = append(resp.Items, api.QueueItem{EntryID: e.ID, Revision: e.Revision, Receipt: e.Receipt, Grade: e.Grade.String(),
			Officer: e.Officer, Team: e.Team, Received: e.Received, Deadline: e.Deadline, Overdue: now.After(e.Deadline),
			Complete: e.Missing == 0, Training: e.Training})
	}
	return resp, s.auditRead(ctx, p, "queue.list", map[string]any{"training": bool(ns), "count": len(resp.Items)})
}

// Open returns an entry with its document (revision 0: the current one),
// its revisions with diffs, decisions and attachments. Every open is
// audited.
func (s *Service) Open(ctx context.Context, p Principal, ns Namespace, id string, revision int) (*api.EntryView, error) {
	u, err := reviewer(p, ns)
	if err != nil {
		return nil, err
	}
	var v *api.EntryView
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := visible(ctx, tx, u, ns, id)
		if err != nil {
			return err
		}
		if revision == 0 {
			revision = ent.Revision
		}
		rev, err := tx.Revision(ctx, id, revision)
		if err != nil {
			return notFound(err, "no such revision")
		}
		cur := rev
		if revision != ent.Revision {
			if cur, err = tx.Revision(ctx, id, ent.Revision); err != nil {
				return err
			}
		}
		revs, err := tx.Revisions(ctx, id)
		if err != nil {
			return err
		}
		decs, err := tx.Decisions(ctx, id)
		if err != nil {
			return err
		}
		atts, err := tx.Attachments(ctx, id)
		if err != nil {
			return err
		}
		now := s.now()
		v = &api.EntryView{EntryID: ent.ID, Training: ent.Training, Status: ent.Status, Grade: ent.Grade.String(),
			Computed: cur.Computed.String(), DeviceGrade: cur.DeviceGrade, GradeDisagrees: cur.Disagrees,
			Officer: ent.Officer, Team: ent.Team, Current: ent.Revision, Approved: ent.Approved, Received: ent.Received,
			Deadline: ent.Deadline, Overdue: ent.Status == api.EntryReceived && now.After(ent.Deadline), Complete: ent.Missing == 0,
			Revision: rev.Revision, Receipt: rev.Receipt, Entry: rev.Body,
			Revisions: make([]api.RevisionInfo, 0, len(revs)), Decisions: make([]api.DecisionInfo, 0, len(decs)),
			Attachments: make([]api.AttachmentStatus, 0, len(atts))}
		for _, r := range revs {
			d := r.Diff
			if d == nil {
				d = []api.DiffItem{}
			}
			v.Revisions = append(v.Revisions, api.RevisionInfo{Revision: r.Revision, Receipt: r.Receipt, ContentHash: r.ContentHash,
				Received: r.Received, Grade: r.Grade.String(), DeviceGrade: r.DeviceGrade, Diff: d})
		}
		for _, d := range decs {
			di := api.DecisionInfo{Kind: d.Kind, Revision: d.Revision, By: d.By, At: d.At, Reason: d.Reason, Comments: d.Comments}
			if d.Grade != forms.LevelNone {
				di.Grade = d.Grade.String()
			}
			v.Decisions = append(v.Decisions, di)
		}
		for _, a := range atts {
			v.Attachments = append(v.Attachments, wireAttachment(a))
		}
		if ns == Live && ent.Approved > 0 {
			d, err := tx.LatestDelivery(ctx, id)
			switch {
			case err == nil:
				v.Delivery = WireDelivery(d)
			case ErrorCode(err) != ENOTFOUND:
				return err
			}
		}
		return s.audit(ctx, tx, p, "entry.open", id, revision, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("open entry: %w", err)
	}
	return v, nil
}

// ReadAttachment copies a complete attachment of a visible entry to w.
// Every read is audited (before any byte is sent).
func (s *Service) ReadAttachment(ctx context.Context, p Principal, ns Namespace, id, digest string, w func(Attachment) io.Writer) error {
	u, err := reviewer(p, ns)
	if err != nil {
		return err
	}
	var a Attachment
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := visible(ctx, tx, u, ns, id)
		if err != nil {
			return err
		}
		if a, err = tx.Attachment(ctx, id, digest); err != nil {
			return notFound(err, "no such attachment")
		}
		if !a.Complete {
			return Errorf(ENOTFOUND, "the attachment has not fully arrived")
		}
		return s.audit(ctx, tx, p, "attachment.read", id, ent.Revision, map[string]any{"sha256": digest})
	})
	if err != nil {
		return fmt.Errorf("read attachment: %w", err)
	}
	out := w(a)
	return s.store.View(ctx, func(tx Tx) error {
		return tx.ReadChunks(ctx, id, digest, func(b []byte) error { _, err := out.Write(b); return err })
	})
}

// decide loads a visible entry for a decision on its current revision and
// checks nobody reviews their own entry.
func (s *Service) decide(ctx context.Context, tx Tx, u *User, ns Namespace, id string, revision int) (Entry, error) {
	ent, err := visible(ctx, tx, u, ns, id)
	if err != nil {
		return Entry{}, err
	}
	if ent.Officer == u.ID {
		return Entry{}, Errorf(EOWNENTRY, "nobody reviews their own entry: ask another supervisor")
	}
	if revision != ent.Revision {
		return Entry{}, Errorf(ECONFLICT, "revision %d is not the current revision (%d): open the entry again", revision, ent.Revision)
	}
	if ent.Status != api.EntryReceived {
		return Entry{}, Errorf(ECONFLICT, "revision %d is already %s", revision, ent.Status)
	}
	return ent, nil
}

func (s *Service) decisionResponse(e Entry) *api.DecisionResponse {
	return &api.DecisionResponse{EntryID: e.ID, Revision: e.Revision, Status: e.Status, Grade: e.Grade.String(), Deadline: e.Deadline}
}

// Approve approves the current revision. An approved revision is never
// changed; the officer may only amend it with a new revision.
func (s *Service) Approve(ctx context.Context, p Principal, ns Namespace, id string, req api.ApproveRequest) (*api.DecisionResponse, error) {
	u, err := reviewer(p, ns)
	if err != nil {
		return nil, err
	}
	var out *api.DecisionResponse
	queued := false
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := s.decide(ctx, tx, u, ns, id, req.Revision)
		if err != nil {
			return err
		}
		now := s.now()
		deadline := ent.Deadline
		history, err := tx.Decisions(ctx, id)
		if err != nil {
			return err
		}
		ent.Status, ent.Approved, ent.Updated = api.EntryApproved, ent.Revision, now
		if err := tx.UpdateEntry(ctx, ent); err != nil {
			return err
		}
		if err := tx.CreateDecision(ctx, Decision{EntryID: id, Revision: ent.Revision, Kind: DecisionApproved, By: u.ID, At: now,
			Deadline: deadline}); err != nil {
			return err
		}
		rev, err := tx.Revision(ctx, id, ent.Revision)
		if err != nil {
			return err
		}
		if _, err := tx.AppendChange(ctx, Change{Device: ent.Device, Body: api.Change{Kind: api.KindDecision, EntryID: id,
			Revision: ent.Revision, Receipt: rev.Receipt, Decision: api.DecisionApproved, Grade: ent.Grade.String(), At: now}}); err != nil {
			return err
		}
		out = s.decisionResponse(ent)
		if err := s.audit(ctx, tx, p, "entry.approve", id, ent.Revision, map[string]any{"receipt": rev.Receipt}); err != nil {
			return err
		}
		// A live approval puts the referral in the outbox in the same
		// transaction: approved and queued for the partner, or neither.
		// Training entries never reach it (invariant 10).
		if ns == Live && !ent.Training {
			if err := s.enqueueReferral(ctx, tx, p, ent, rev, u, now, history); err != nil {
				return err
			}
			queued = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	if queued {
		s.notifyQueued()
	}
	return out, nil
}

// Limits on a return's reasons.
const (
	maxComments    = 200
	maxCommentText = 4000
)

// Return sends the current revision back to the officer with reasons.
func (s *Service) Return(ctx context.Context, p Principal, ns Namespace, id string, req api.ReturnRequest) (*api.DecisionResponse, error) {
	u, err := reviewer(p, ns)
	if err != nil {
		return nil, err
	}
	req.Text = strings.TrimSpace(req.Text)
	if len(req.Comments) == 0 && req.Text == "" {
		return nil, Errorf(EINVALID, "say why the entry is returned: a comment on a question, or a general text")
	}
	if len(req.Comments) > maxComments || len(req.Text) > maxCommentText {
		return nil, Errorf(EINVALID, "too many or too long comments")
	}
	for i, c := range req.Comments {
		if strings.TrimSpace(c.Text) == "" || len(c.Text) > maxCommentText {
			return nil, Errorf(EINVALID, "comment %d needs a text of at most %d characters", i+1, maxCommentText)
		}
	}
	var out *api.DecisionResponse
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := s.decide(ctx, tx, u, ns, id, req.Revision)
		if err != nil {
			return err
		}
		if c, ok := s.registry.Get(ent.Checklist); ok {
			for i, cm := range req.Comments {
				if _, _, ok := c.Question(questionOf(cm.Question)); !ok {
					return Errorf(EINVALID, "comment %d names %q, which is not a question of %s", i+1, cm.Question, ent.Checklist)
				}
			}
		}
		now := s.now()
		ent.Status, ent.Updated = api.EntryReturned, now
		if err := tx.UpdateEntry(ctx, ent); err != nil {
			return err
		}
		if err := tx.CreateDecision(ctx, Decision{EntryID: id, Revision: ent.Revision, Kind: DecisionReturned, By: u.ID, At: now,
			Reason: req.Text, Comments: req.Comments, Deadline: ent.Deadline}); err != nil {
			return err
		}
		rev, err := tx.Revision(ctx, id, ent.Revision)
		if err != nil {
			return err
		}
		if _, err := tx.AppendChange(ctx, Change{Device: ent.Device, Body: api.Change{Kind: api.KindDecision, EntryID: id,
			Revision: ent.Revision, Receipt: rev.Receipt, Decision: api.DecisionReturned, Comments: req.Comments,
			Grade: ent.Grade.String(), Text: req.Text, At: now}}); err != nil {
			return err
		}
		out = s.decisionResponse(ent)
		return s.audit(ctx, tx, p, "entry.return", id, ent.Revision, map[string]any{"receipt": rev.Receipt, "comments": len(req.Comments)})
	})
	if err != nil {
		return nil, fmt.Errorf("return: %w", err)
	}
	return out, nil
}

// questionOf returns the question id of an item path ("q" or "g[i].q").
func questionOf(path string) string {
	if i := strings.LastIndex(path, "]."); i >= 0 {
		return path[i+2:]
	}
	return path
}

// SetGrade changes an entry's grade. Raising needs no reason; lowering needs
// one. An approved entry's grade is not changed. The officer's device is
// told.
func (s *Service) SetGrade(ctx context.Context, p Principal, ns Namespace, id string, req api.GradeRequest) (*api.DecisionResponse, error) {
	u, err := reviewer(p, ns)
	if err != nil {
		return nil, err
	}
	level, err := forms.ParseLevel(req.Grade)
	if err != nil || level == forms.LevelNone {
		return nil, Errorf(EINVALID, "grade must be standard, medium, high or immediate")
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if len(req.Reason) > maxCommentText {
		return nil, Errorf(EINVALID, "the reason is too long")
	}
	var out *api.DecisionResponse
	var body []byte // the current revision, for the person index
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := visible(ctx, tx, u, ns, id)
		switch {
		case err != nil:
			return err
		case ent.Officer == u.ID:
			return Errorf(EOWNENTRY, "nobody reviews their own entry: ask another supervisor")
		case ent.Status == api.EntryApproved:
			return Errorf(ECONFLICT, "an approved entry is never changed; the officer may amend it")
		}
		if s.cfg.People != nil && !ent.Training {
			rev, err := tx.Revision(ctx, id, ent.Revision)
			if err != nil {
				return err
			}
			body = rev.Body
		}
		if level < ent.Grade && req.Reason == "" {
			return Errorf(EINVALID, "lowering a grade needs a reason")
		}
		old := ent.Grade
		now := s.now()
		ent.Grade, ent.ReviewGrade, ent.Updated = level, level, now
		if ent.Status == api.EntryReceived {
			ent.Deadline = ent.Received.Add(s.Window(level))
		}
		if err := tx.UpdateEntry(ctx, ent); err != nil {
			return err
		}
		if err := tx.CreateDecision(ctx, Decision{EntryID: id, Revision: ent.Revision, Kind: DecisionGrade, By: u.ID, At: now,
			Grade: level, Reason: req.Reason}); err != nil {
			return err
		}
		verb := "raised"
		if level < old {
			verb = "lowered"
		}
		text := fmt.Sprintf("Grade %s from %s to %s by %s", verb, old, level, u.Name)
		if req.Reason != "" {
			text += ": " + req.Reason
		}
		if _, err := tx.AppendChange(ctx, Change{Device: ent.Device, Body: api.Change{Kind: api.KindAlert, EntryID: id,
			Revision: ent.Revision, Grade: level.String(), Text: text, At: now}}); err != nil {
			return err
		}
		out = s.decisionResponse(ent)
		return s.audit(ctx, tx, p, "entry.grade", id, ent.Revision, map[string]any{"from": old.String(), "to": level.String()})
	})
	if err != nil {
		return nil, fmt.Errorf("set grade: %w", err)
	}
	if body != nil {
		s.regradePeople(ctx, id, body, level)
	}
	return out, nil
}
