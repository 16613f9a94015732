package central

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Receipt prefixes: live entries and training entries are numbered apart.
const (
	ReceiptPrefix         = "SG"
	TrainingReceiptPrefix = "TR"
)

// maxReasons bounds the reasons reported for one rejected item.
const maxReasons = 50

// prepared is one push item after the checks that need no database.
type prepared struct {
	item    api.PushItem
	entry   *forms.Entry
	body    []byte
	hash    string
	result  *forms.Result
	stored  string          // body sealed for the store (RevisionSealer), "" when the store seals it
	outcome *api.PushResult // set when the item cannot even be identified: rejected
	// refusal is set when the entry is identified but not acceptable (not
	// ready, unknown checklist). It applies only if the revision is not
	// already stored: a revision stored before is acknowledged as a
	// duplicate whatever has changed since (a new checklist engine, a
	// disabled officer), so a device is never told to set aside what the
	// server holds.
	refusal *api.PushResult
}

func reject(it api.PushItem, permanent bool, reasons ...string) *api.PushResult {
	if len(reasons) > maxReasons {
		reasons = append(reasons[:maxReasons-1], fmt.Sprintf("and %d more problems", len(reasons)-maxReasons+1))
	}
	return &api.PushResult{EntryID: it.EntryID, Revision: it.Revision, Status: api.StatusRejected, Reasons: reasons, Permanent: permanent}
}

// prepare decodes and evaluates one item with the same forms package the
// device uses. It needs no database, so it runs outside the transaction.
func (s *Service) prepare(it api.PushItem) prepared {
	p := prepared{item: it}
	if len(it.Entry) == 0 {
		p.outcome = reject(it, true, "the item has no entry")
		return p
	}
	e, err := forms.DecodeEntry(it.Entry)
	if err != nil {
		p.outcome = reject(it, true, "the entry cannot be read: "+err.Error())
		return p
	}
	if e.ID != it.EntryID || e.Revision != it.Revision {
		p.outcome = reject(it, true, fmt.Sprintf("the item names entry %q revision %d but the entry is %q revision %d", it.EntryID, it.Revision, e.ID, e.Revision))
		return p
	}
	if _, err := uuid.Parse(e.ID); err != nil || len(e.ID) != 36 {
		p.outcome = reject(it, true, "the entry id is not a UUID")
		return p
	}
	body, err := e.Encode()
	if err != nil {
		p.outcome = reject(it, true, "the entry cannot be encoded: "+err.Error())
		return p
	}
	hash := bodyHash(body) // forms.ContentHash without encoding the entry again
	if !strings.EqualFold(hash, it.ContentHash) {
		p.outcome = reject(it, true, "the content hash does not match the entry (damaged in transit, or hashed differently)")
		return p
	}
	p.entry, p.body, p.hash = e, body, hash
	if e.Officer == "" {
		p.refusal = reject(it, true, "the entry names no officer")
		return p
	}
	c, ok := s.registry.Get(e.Checklist)
	if !ok {
		// The server may simply not have this version yet: retry later.
		p.refusal = reject(it, false, fmt.Sprintf("checklist %s is not known to the server", e.Checklist))
		return p
	}
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		p.refusal = reject(it, true, "the entry cannot be evaluated: "+err.Error())
		return p
	}
	if !res.Ready {
		reasons := make([]string, 0, len(res.Problems))
		for _, pr := range res.Problems {
			reasons = append(reasons, fmt.Sprintf("%s: %s (%s)", pr.Item.Path(), pr.Message, pr.Code))
		}
		if len(reasons) == 0 {
			reasons = append(reasons, "the entry is not ready to submit")
		}
		p.refusal = reject(it, true, reasons...)
		return p
	}
	p.result = res
	if rs, ok := s.store.(RevisionSealer); ok {
		// Sealed here, on every core, rather than under the write lock;
		// on failure the store seals it again and reports the error.
		if stored, err := rs.SealRevisionBody(e.ID, e.Revision, body); err == nil {
			p.stored = stored
		}
	}
	return p
}

// Push stores a batch of entry revisions sent by a device. Each item gets
// its own result; items that pass the checks are stored in one
// transaction with their audit records.
func (s *Service) Push(ctx context.Context, p Principal, req *api.PushRequest) (*api.PushResponse, error) {
	if p.Device == nil {
		return nil, forbidden()
	}
	if req.DeviceID != p.Device.ID {
		return nil, Errorf(EFORBIDDEN, "deviceId does not match the device credential")
	}
	if len(req.Items) == 0 {
		return nil, Errorf(EINVALID, "the batch has no items")
	}
	if len(req.Items) > s.cfg.MaxBatch {
		return nil, Errorf(ETOOLARGE, "the batch has %d items; at most %d are accepted", len(req.Items), s.cfg.MaxBatch)
	}
	items := make([]prepared, len(req.Items))
	s.prepareAll(req.Items, items)
	if err := s.checkBinding(ctx, p, items); err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	results := make([]api.PushResult, len(items))
	queued := false
	s.turns.RLock()
	err := s.store.Update(ctx, func(tx Tx) error {
		b := &batch{officers: map[string]*User{}}
		queued = false
		var ids []string
		for _, it := range items {
			if it.entry != nil {
				ids = append(ids, it.entry.ID)
			}
		}
		slices.Sort(ids)
		var err error
		if b.entries, err = tx.Entries(ctx, slices.Compact(ids)); err != nil {
			return err
		}
		for i := range items {
			r, err := s.store1(ctx, tx, p, &items[i], b)
			if err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
			results[i] = *r
			if r.Status == api.StatusAccepted && !items[i].entry.Training && s.cfg.People != nil {
				if err := tx.QueuePeople(ctx, PendingPeople{EntryID: items[i].entry.ID, Revision: items[i].entry.Revision,
					At: s.now()}); err != nil {
					return fmt.Errorf("item %d: %w", i, err)
				}
				queued = true
			}
		}
		return nil
	})
	s.turns.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	// The person index, after the commit: never part of the push.
	if queued {
		s.peopleQueued(ctx)
	}
	return &api.PushResponse{Results: results}, nil
}

// batch is what one push transaction has looked up: the entries of its
// items (kept current as items are stored) and their officers.
type batch struct {
	entries  map[string]Entry
	officers map[string]*User
}

// store1 decides and stores one prepared item inside the push transaction.
func (s *Service) store1(ctx context.Context, tx Tx, p Principal, it *prepared, b *batch) (*api.PushResult, error) {
	if it.outcome != nil {
		return it.outcome, nil
	}
	e, dev := it.entry, p.Device
	old, exists := b.entries[e.ID]
	// Already stored? Then acknowledge (duplicate) or refuse to overwrite
	// (conflict), before any other check.
	if exists && old.Team == dev.Team && old.Officer == e.Officer && old.Training == e.Training {
		if out, err := storedAnswer(ctx, tx, it); out != nil || err != nil {
			return out, err
		}
	}
	if it.refusal != nil {
		return it.refusal, nil
	}
	// The officer must be a real, active author of the device's team.
	off, ok := b.officers[e.Officer]
	if !ok {
		u, err := tx.UserByID(ctx, e.Officer)
		switch {
		case err == nil:
			off = &u
		case ErrorCode(err) != ENOTFOUND:
			return nil, err
		}
		b.officers[e.Officer] = off
	}
	if off == nil || !canAuthor(off) || !off.InTeam(dev.Team) {
		return reject(it.item, true, "the entry's officer is not an active officer of this device's team"), nil
	}
	now := s.now()
	if exists {
		switch {
		case old.Officer != e.Officer || old.Team != dev.Team:
			return reject(it.item, true, "this entry id belongs to another officer's entry"), nil
		case old.Training != e.Training:
			return reject(it.item, true, "an entry cannot move between training and live"), nil
		case old.Checklist != e.Checklist:
			return reject(it.item, true, fmt.Sprintf("the entry was made with checklist %s; a revision cannot change it", old.Checklist)), nil
		case e.Revision < old.Revision:
			return reject(it.item, true, fmt.Sprintf("revision %d is older than the stored revision %d", e.Revision, old.Revision)), nil
		}
	}

	// A new revision.
	receipt, err := nextReceipt(ctx, tx, e.Training, now)
	if err != nil {
		return nil, err
	}
	res := it.result
	devGrade := strings.TrimSpace(it.item.DeviceGrade)
	disagrees := devGrade != res.Grade.String()

	var diff []api.DiffItem
	if exists {
		if diff, err = diffFromStored(ctx, tx, e, old.Revision); err != nil {
			return nil, err
		}
	}
	rev := Revision{EntryID: e.ID, Revision: e.Revision, ContentHash: it.hash, Body: it.body, Receipt: receipt,
		Device: dev.ID, Officer: e.Officer, Received: now, Grade: res.Grade, Computed: res.Computed,
		DeviceGrade: devGrade, Disagrees: disagrees, Immediate: res.Immediate, Diff: diff, Stored: it.stored}

	// Attachments: record each the entry lists; the entry is complete when
	// every one of them has arrived.
	listed := make([]Attachment, 0, len(e.Attachments))
	for _, a := range e.Attachments {
		listed = append(listed, Attachment{EntryID: e.ID, SHA256: a.SHA256, Size: a.Size, MediaType: a.Type, Refused: a.Size > s.cfg.MaxAttachment})
	}
	var need []string
	if !exists {
		ent := s.newState(Entry{ID: e.ID, Training: e.Training, Officer: e.Officer, Team: dev.Team, Checklist: e.Checklist, FirstReceived: now}, e, res, dev, now, false)
		ent.Receipt = receipt
		ent.Missing = countIncomplete(e, listed)
		if err := tx.CreateEntry(ctx, ent); err != nil {
			return nil, err
		}
		b.entries[e.ID] = ent
		if err := tx.CreateRevision(ctx, rev); err != nil {
			return nil, err
		}
		for _, a := range listed {
			if err := tx.CreateAttachment(ctx, a); err != nil {
				return nil, err
			}
		}
		need = missing(e, listed)
	} else {
		if err := tx.CreateRevision(ctx, rev); err != nil {
			return nil, err
		}
		for _, a := range listed {
			if err := tx.CreateAttachment(ctx, a); err != nil {
				return nil, err
			}
		}
		att, err := tx.Attachments(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		need = missing(e, att)
		ent := s.newState(old, e, res, dev, now, true)
		ent.Receipt = receipt
		ent.Missing = countIncomplete(e, att)
		if err := tx.UpdateEntry(ctx, ent); err != nil {
			return nil, err
		}
		b.entries[e.ID] = ent
	}
	detail := receiveDetail(receipt, res.Grade.String(), res.Computed.String(), e.Training, it.hash, disagrees, devGrade, len(diff))
	if err := s.auditDetail(ctx, tx, p.Actor(), "entry.receive", e.ID, e.Revision, detail); err != nil {
		return nil, err
	}
	if disagrees {
		s.log.Info("grade disagreement", "entry", e.ID, "revision", e.Revision, "server", res.Grade.String(), "device", devGrade)
	}
	return &api.PushResult{EntryID: e.ID, Revision: e.Revision, Status: api.StatusAccepted, Receipt: receipt,
		Grade: res.Grade.String(), Missing: need}, nil
}

// storedAnswer answers a revision the store already holds: duplicate
// (the same content: acknowledged again) or conflict (different content
// under the same number). nil, nil when the revision is not stored.
func storedAnswer(ctx context.Context, tx Tx, it *prepared) (*api.PushResult, error) {
	e := it.entry
	rev, err := tx.Revision(ctx, e.ID, e.Revision)
	switch {
	case err == nil && rev.ContentHash == it.hash:
		att, err := tx.Attachments(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		return &api.PushResult{EntryID: e.ID, Revision: e.Revision, Status: api.StatusDuplicate, Receipt: rev.Receipt,
			Grade: rev.Grade.String(), Missing: missing(e, att)}, nil
	case err == nil:
		return &api.PushResult{EntryID: e.ID, Revision: e.Revision, Status: api.StatusConflict, Permanent: true,
			Reasons: []string{fmt.Sprintf("revision %d was already received with different content (receipt %s); send the change as a new revision", e.Revision, rev.Receipt)}}, nil
	case ErrorCode(err) != ENOTFOUND:
		return nil, err
	}
	return nil, nil
}

// nextReceipt numbers a new revision's receipt: PREFIX-YEAR-NNNNNN, from
// the year's counter (training entries have their own prefix).
func nextReceipt(ctx context.Context, tx Tx, training bool, now time.Time) (string, error) {
	prefix := ReceiptPrefix
	if training {
		prefix = TrainingReceiptPrefix
	}
	year := now.Format("2006")
	n, err := tx.NextCounter(ctx, "receipt:"+prefix+"-"+year)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%s-%06d", prefix, year, n), nil
}

// diffFromStored is what e changes from the stored revision prev.
func diffFromStored(ctx context.Context, tx Tx, e *forms.Entry, prev int) ([]api.DiffItem, error) {
	stored, err := tx.Revision(ctx, e.ID, prev)
	if err != nil {
		return nil, err
	}
	pe, err := forms.DecodeEntry(stored.Body)
	if err != nil {
		return nil, fmt.Errorf("stored revision %d of %s: %w", stored.Revision, e.ID, err)
	}
	return Diff(pe, e), nil
}

// newState returns the entry's review state after a new revision arrives.
func (s *Service) newState(ent Entry, e *forms.Entry, res *forms.Result, dev *Device, now time.Time, exists bool) Entry {
	grade := res.Grade
	if ent.ReviewGrade > grade { // a reviewer's raise stands over later revisions
		grade = ent.ReviewGrade
	}
	deadline := now.Add(s.Window(grade))
	if exists && ent.Status == api.EntryReceived && ent.Deadline.Before(deadline) {
		deadline = ent.Deadline // a revision sent before review does not push the deadline back
	}
	ent.Revision = e.Revision
	ent.Device = dev.ID
	ent.Status = api.EntryReceived
	ent.Grade = grade
	ent.Received = now
	ent.Deadline = deadline
	ent.Updated = now
	return ent
}

// missing lists the digests the entry lists whose upload is not complete
// (refused ones excluded: they will never be accepted).
func missing(e *forms.Entry, att []Attachment) []string {
	var out []string
	for _, a := range e.Attachments {
		i := slices.IndexFunc(att, func(x Attachment) bool { return x.SHA256 == a.SHA256 })
		if i < 0 || (!att[i].Complete && !att[i].Refused) {
			if !slices.Contains(out, a.SHA256) {
				out = append(out, a.SHA256)
			}
		}
	}
	return out
}

// countIncomplete counts the listed attachments that are not complete,
// refused ones included.
func countIncomplete(e *forms.Entry, att []Attachment) int {
	seen := map[string]bool{}
	n := 0
	for _, a := range e.Attachments {
		if seen[a.SHA256] {
			continue
		}
		seen[a.SHA256] = true
		i := slices.IndexFunc(att, func(x Attachment) bool { return x.SHA256 == a.SHA256 })
		if i < 0 || !att[i].Complete {
			n++
		}
	}
	return n
}
