package central

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/fromentry"
)

// The person index (package people) beside the central store: every
// accepted live revision is ingested after its push commits; the alerts
// and possible matches the index decides are kept in the central store,
// where the supervisors' routes read them.

// PersonAlert is an alert the person index raised on an entry.
type PersonAlert struct {
	ID       string
	EntryID  string
	Team     string
	Kind     string
	PersonID string
	Related  string
	Relation string
	Entries  []string
	Grade    forms.Level
	Text     string // plain words, naming nobody
	At       time.Time
}

// PossibleMatch is a record stored as a new person (PersonID) that may be
// a person known before (MatchID), waiting for a supervisor.
type PossibleMatch struct {
	ID        string
	EntryID   string
	Team      string
	RecordID  string
	PersonID  string
	MatchID   string
	Score     float64
	Reasons   []string
	State     string // api.MatchPending, MatchConfirmed or MatchRejected
	Created   time.Time
	DecidedBy string
	DecidedAt time.Time
	MergeID   string
}

// ingestTimeout bounds the ingest of one batch of the person index's
// queue.
const ingestTimeout = 30 * time.Second

// peopleBatch is how many queued revisions one index transaction
// ingests: few enough that on SQLite (one writer for the file the store
// shares) a push waits at most a few entries' matching for the lock,
// enough that the commits do not dominate.
const peopleBatch = 10

// PendingPeople is a revision a push accepted that the person index has
// not ingested yet (the store's queue).
type PendingPeople struct {
	EntryID  string
	Revision int
	At       time.Time
	Attempts int // failed ingests so far
}

// peopleRetry is the wait before the next attempt at a queued revision
// whose ingest has failed attempts times: a minute, doubling, at most an
// hour. It is never dropped: an approved entry may have no next revision
// to repair it, and its people would then never be linked.
func peopleRetry(attempts int) time.Duration {
	return min(time.Minute<<min(attempts, 6), time.Hour)
}

// acceptedRevision is a live revision a push accepted, for the person
// index.
type acceptedRevision struct {
	entry *forms.Entry
	team  string
	grade forms.Level
}

// peopleQueued is called after a push queued revisions for the person
// index: it wakes RunPeople, or (without PeopleInBackground) drains the
// queue before the push replies. A failure is logged and never reaches
// the device: the queue keeps what was not done.
func (s *Service) peopleQueued(ctx context.Context) {
	if s.cfg.PeopleInBackground {
		select {
		case s.peopleKick <- struct{}{}:
		default:
		}
		return
	}
	if err := s.drainPeople(context.WithoutCancel(ctx)); err != nil {
		s.log.Warn("person index: ingest after a push failed; the queue keeps it", "err", err)
	}
}

// RunPeople ingests the person index's queue until ctx ends: what is left
// from before first, then what each push queues. Run one per server
// (several, on servers sharing a database, are safe: a revision
// ingested twice changes nothing). Without a person index
// it returns at once.
func (s *Service) RunPeople(ctx context.Context) {
	if s.cfg.People == nil {
		return
	}
	for {
		if err := s.drainPeople(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("person index: ingest failed; retried with the next push or within the hour", "err", err)
		}
		wait := time.Hour // with nothing queued, or the store unreadable
		if next, ok, err := s.nextPeopleAt(ctx); err == nil && ok {
			wait = max(next.Sub(s.now()), time.Second)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-s.peopleKick:
		case <-timer.C:
		}
		timer.Stop()
		if ctx.Err() != nil {
			return
		}
	}
}

// nextPeopleAt is when the earliest queued revision falls due.
func (s *Service) nextPeopleAt(ctx context.Context) (next time.Time, ok bool, err error) {
	err = s.store.View(ctx, func(tx Tx) error {
		next, ok, err = tx.NextPeopleAt(ctx)
		return err
	})
	return next, ok, err
}

// PeopleSettled ingests whatever the person index's queue holds and
// returns when it is empty (or on the first error): after it, the alerts
// and possible matches of every push that replied before the call are
// stored.
func (s *Service) PeopleSettled(ctx context.Context) error {
	if s.cfg.People == nil {
		return nil
	}
	return s.drainPeople(ctx)
}

// drainPeople ingests the queue, peopleBatch revisions at a time, until it
// is empty.
func (s *Service) drainPeople(ctx context.Context) error {
	s.peopleMu.Lock()
	defer s.peopleMu.Unlock()
	for {
		var pend, unreadable, superseded []PendingPeople
		var acc []acceptedRevision
		err := s.store.View(ctx, func(tx Tx) error {
			all, err := tx.PendingPeople(ctx, s.now(), peopleBatch)
			if err != nil {
				return err
			}
			pend, unreadable, superseded, acc = pend[:0], unreadable[:0], superseded[:0], acc[:0]
			for _, p := range all {
				a, newer, err := s.pendingRevision(ctx, tx, p)
				if newer {
					superseded = append(superseded, p)
					continue
				}
				if err != nil {
					s.log.Error("person index: queued revision unreadable; tried again later", "entry", p.EntryID,
						"revision", p.Revision, "attempts", p.Attempts+1, "err", err)
					unreadable = append(unreadable, p)
					continue
				}
				pend, acc = append(pend, p), append(acc, a)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("person index queue: %w", err)
		}
		if len(pend) == 0 && len(unreadable) == 0 && len(superseded) == 0 {
			return nil
		}
		s.turns.Lock() // a waiting push goes first
		err = s.ingestPeople(ctx, acc, pend, unreadable, superseded)
		s.turns.Unlock()
		if err != nil {
			return err
		}
	}
}

// pendingRevision loads a queued revision with its entry's team and grade.
// newer reports that the entry has a later revision: that one is queued
// too (or ingested already) and supersedes this one, which a late retry
// must not ingest over it.
func (s *Service) pendingRevision(ctx context.Context, tx Tx, p PendingPeople) (a acceptedRevision, newer bool, err error) {
	ent, err := tx.Entry(ctx, p.EntryID)
	if err != nil {
		return acceptedRevision{}, false, err
	}
	if ent.Revision > p.Revision {
		return acceptedRevision{}, true, nil
	}
	rev, err := tx.Revision(ctx, p.EntryID, p.Revision)
	if err != nil {
		return acceptedRevision{}, false, err
	}
	e, err := forms.DecodeEntry(rev.Body)
	if err != nil {
		return acceptedRevision{}, false, err
	}
	return acceptedRevision{entry: e, team: ent.Team, grade: ent.Grade}, false, nil
}

// ingestPeople runs the person index over accepted live revisions (one
// batch of the queue): all of them in one index transaction (one commit),
// then, in one store transaction, the alerts and possible matches they
// raised, with the batch removed from the queue. If that index
// transaction fails, each entry is ingested again in its own, so one bad
// entry does not hold back the others; an entry that still fails (and
// each of failed, queued revisions that could not be read) stays in the
// queue for a later attempt (peopleRetry); superseded revisions are taken
// off the queue unread. pend[i] is acc[i]'s queue row. An error means the
// store transaction failed: the queue keeps the batch.
func (s *Service) ingestPeople(ctx context.Context, acc []acceptedRevision, pend, failed, superseded []PendingPeople) error {
	ctx, cancel := context.WithTimeout(ctx, ingestTimeout)
	defer cancel()
	got := make([]ingestedEntry, len(acc))
	err := s.cfg.People.InTx(ctx, func(m *people.Matcher) error {
		for i, a := range acc {
			var err error
			if got[i], err = ingestEntry(ctx, m, a, s.cfg.AlertRules); err != nil {
				return fmt.Errorf("entry %s revision %d: %w", a.entry.ID, a.entry.Revision, err)
			}
		}
		return nil
	})
	if err != nil {
		s.log.Warn("person index: ingest of a batch failed; its entries are ingested one by one", "entries", len(acc), "err", err)
		for i, a := range acc {
			if got[i], err = ingestEntry(ctx, s.cfg.People, a, s.cfg.AlertRules); err != nil {
				s.log.Error("person index: ingest failed; tried again later",
					"entry", a.entry.ID, "revision", a.entry.Revision, "attempts", pend[i].Attempts+1, "err", err)
			}
		}
	}
	done, retry := slices.Clone(superseded), slices.Clone(failed)
	for i := range acc {
		if got[i].ok {
			done = append(done, pend[i])
		} else {
			retry = append(retry, pend[i])
		}
	}
	now := s.now()
	err = s.store.Update(ctx, func(tx Tx) error {
		for i, a := range acc {
			if got[i].raised() {
				if err := s.recordIngested(ctx, tx, a, got[i]); err != nil {
					return err
				}
			}
		}
		for _, p := range retry {
			if err := tx.RetryPeople(ctx, p, now.Add(peopleRetry(p.Attempts))); err != nil {
				return err
			}
		}
		return tx.DonePeople(ctx, done)
	})
	if err != nil {
		return fmt.Errorf("person index: storing alerts and possible matches: %w", err)
	}
	return nil
}

// ingestedEntry is what the person index decided on one accepted revision.
type ingestedEntry struct {
	ok  bool
	ep  people.EntryPeople
	got people.Ingested
}

// raised reports whether the ingest raised alerts or possible matches.
func (g ingestedEntry) raised() bool {
	return g.ok && (len(g.got.Alerts) > 0 ||
		slices.ContainsFunc(g.got.Decisions, func(d people.RecordDecision) bool { return d.Kind == people.Possible }))
}

func peopleGrade(l forms.Level) people.Grade {
	if l == forms.LevelNone {
		return people.GradeNone
	}
	return people.Grade(l.String())
}

// ingestEntry ingests one accepted revision's people through m.
func ingestEntry(ctx context.Context, m *people.Matcher, a acceptedRevision, rules people.AlertRules) (ingestedEntry, error) {
	ep, err := fromentry.Convert(a.entry, peopleGrade(a.grade))
	if err != nil {
		return ingestedEntry{}, err
	}
	got, err := m.Ingest(ctx, ep, rules)
	if err != nil {
		return ingestedEntry{}, err
	}
	return ingestedEntry{ok: true, ep: ep, got: got}, nil
}

// recordIngested stores the possible matches and alerts one entry's
// ingest raised (new ones audited; new alerts go to the team's changes).
func (s *Service) recordIngested(ctx context.Context, tx Tx, a acceptedRevision, g ingestedEntry) error {
	e, ep, got := a.entry, g.ep, g.got
	actor := System("people")
	now := s.now()
	for _, d := range got.Decisions {
		if d.Kind != people.Possible || d.Match == uuid.Nil || d.Person == uuid.Nil {
			continue
		}
		m := PossibleMatch{ID: uuid.NewSHA1(d.RecordID, d.Match[:]).String(), EntryID: e.ID, Team: a.team,
			RecordID: d.RecordID.String(), PersonID: d.Person.String(), MatchID: d.Match.String(), Score: d.Score,
			Reasons: d.Reasons, State: api.MatchPending, Created: now}
		if m.Reasons == nil {
			m.Reasons = []string{}
		}
		isNew, err := tx.CreatePossibleMatch(ctx, m)
		if err != nil {
			return err
		}
		if isNew {
			if err := s.audit(ctx, tx, actor, "person.possible_match", e.ID, e.Revision,
				map[string]any{"match": m.ID, "score": m.Score}); err != nil {
				return err
			}
		}
	}
	for _, al := range got.Alerts {
		pa := PersonAlert{EntryID: e.ID, Team: a.team, Kind: string(al.Kind), PersonID: al.PersonID.String(),
			Relation: string(al.Relation), Grade: a.grade, Text: alertText(al), At: now, Entries: []string{}}
		if al.Related != uuid.Nil {
			pa.Related = al.Related.String()
		}
		for _, id := range al.Entries {
			pa.Entries = append(pa.Entries, id.String())
		}
		pa.ID = uuid.NewSHA1(ep.Entry.ID, []byte(pa.Kind+"|"+pa.PersonID+"|"+pa.Related)).String()
		isNew, err := tx.CreatePersonAlert(ctx, pa)
		if err != nil {
			return err
		}
		if !isNew {
			continue
		}
		if _, err := tx.AppendChange(ctx, Change{Team: a.team, Body: api.Change{Kind: api.KindAlert, EntryID: e.ID,
			Revision: e.Revision, Grade: a.grade.String(), Text: pa.Text, At: now}}); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "person.alert", e.ID, e.Revision, map[string]any{"alert": pa.ID, "kind": pa.Kind}); err != nil {
			return err
		}
	}
	return nil
}

// regradePeople tells the person index an entry's new grade (a reviewer's
// change), after it commits; alerts count entries by their grade. A
// failure is logged: the entry's next revision sets it again.
func (s *Service) regradePeople(ctx context.Context, id string, body []byte, level forms.Level) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ingestTimeout)
	defer cancel()
	e, err := forms.DecodeEntry(body)
	if err == nil {
		var ep people.EntryPeople
		if ep, err = fromentry.Convert(e, peopleGrade(level)); err == nil {
			err = s.cfg.People.Index.SetEntry(ctx, ep.Entry)
		}
	}
	if err != nil {
		s.log.Warn("person index: regrade failed; it is set again with the entry's next revision", "entry", id, "err", err)
	}
}

// relationWords says a relationship type in plain words.
var relationWords = map[people.RelType]string{
	people.RelParent: "a parent", people.RelPRHolder: "a holder of parental responsibility", people.RelStepParent: "a step-parent",
	people.RelPartnerOfParent: "a parent's partner", people.RelSibling: "a brother or sister",
	people.RelHouseholdMember: "a member of the household", people.RelAssociate: "an associate", people.RelSuspect: "a suspect",
}

// alertText says an alert in plain words, without names.
func alertText(a people.Alert) string {
	switch a.Kind {
	case people.AlertRepeat:
		return fmt.Sprintf("Repeat appearance: a child in this entry has now appeared in %d lower-risk entries within three months. Together they may be a pattern: check the child's history.", len(a.Entries))
	case people.AlertLinkedImmediate:
		who := relationWords[a.Relation]
		if who == "" {
			who = "a person"
		}
		return fmt.Sprintf("Linked to immediate risk: a child in this entry is linked to someone (%s) who appears in %d immediate-risk entries the child is not part of. Check the family network.", who, len(a.Entries))
	}
	return "Person index alert: check the child's history."
}

func wirePersonAlert(a PersonAlert) api.PersonAlert {
	return api.PersonAlert{ID: a.ID, EntryID: a.EntryID, Team: a.Team, Kind: a.Kind, PersonID: a.PersonID, Related: a.Related,
		Relation: a.Relation, Entries: a.Entries, Grade: a.Grade.String(), Text: a.Text, At: a.At}
}

// DefaultAlertLimit is the most alerts one list returns.
const DefaultAlertLimit = 200

// PersonAlerts lists the person index's alerts on live entries of the
// supervisor's teams, newest first.
func (s *Service) PersonAlerts(ctx context.Context, p Principal, limit int) (*api.PersonAlertList, error) {
	u, err := reviewer(p, Live)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > DefaultAlertLimit {
		limit = DefaultAlertLimit
	}
	var list []PersonAlert
	err = s.store.View(ctx, func(tx Tx) error {
		list, err = tx.PersonAlerts(ctx, u.Teams, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("person alerts: %w", err)
	}
	out := &api.PersonAlertList{Alerts: make([]api.PersonAlert, 0, len(list))}
	for _, a := range list {
		out.Alerts = append(out.Alerts, wirePersonAlert(a))
	}
	return out, s.auditRead(ctx, p, "person.alerts.list", map[string]any{"count": len(out.Alerts)})
}

// errNoIndex is returned when the server runs without a person index.
func errNoIndex() error {
	return Errorf(EUNAVAILABLE, "the person index is not enabled on this server")
}

// NetworkDepth is how many links from an entry's people its network goes.
const NetworkDepth = 2

// Network returns the family network around a live entry's people, from
// the person index. Every read is audited.
func (s *Service) Network(ctx context.Context, p Principal, id string) (*api.Network, error) {
	u, err := reviewer(p, Live)
	if err != nil {
		return nil, err
	}
	var ent Entry
	var body []byte
	err = s.store.Update(ctx, func(tx Tx) error {
		if ent, err = visible(ctx, tx, u, Live, id); err != nil {
			return err
		}
		if s.cfg.People == nil {
			return errNoIndex()
		}
		rev, err := tx.Revision(ctx, id, ent.Revision)
		if err != nil {
			return err
		}
		body = rev.Body
		return s.audit(ctx, tx, p, "entry.network", id, ent.Revision, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	e, err := forms.DecodeEntry(body)
	if err != nil {
		return nil, fmt.Errorf("network: stored revision of %s: %w", id, err)
	}
	idx := s.cfg.People.Index
	ep, err := fromentry.Convert(e, peopleGrade(ent.Grade))
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	var start []uuid.UUID
	for _, r := range ep.Records {
		pid, err := idx.PersonOf(ctx, r.ID)
		if errors.Is(err, people.ErrNotFound) {
			continue // not ingested (yet): the next revision repairs it
		}
		if err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
		if !slices.Contains(start, pid) {
			start = append(start, pid)
		}
	}
	out := &api.Network{EntryID: id, People: []api.NetworkPerson{}, Links: []api.NetworkLink{}}
	if len(start) == 0 {
		return out, nil
	}
	net, err := people.BuildNetwork(ctx, idx, start, NetworkDepth, 0)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	out.Truncated = net.Truncated
	for _, n := range net.Nodes {
		np := api.NetworkPerson{ID: n.Person.ID.String(), Name: displayName(n.Person.Name), Roles: []string{},
			InEntry: n.Depth == 0, Depth: n.Depth, Entries: make([]api.NetworkAppearance, 0, len(n.History))}
		for i := len(n.History) - 1; i >= 0; i-- {
			if r := string(n.History[i].Role); r != "" && !slices.Contains(np.Roles, r) {
				np.Roles = append(np.Roles, r)
			}
		}
		for _, h := range n.History {
			np.Entries = append(np.Entries, api.NetworkAppearance{EntryID: h.EntryID.String(), Date: h.Date.String(),
				Grade: string(h.Grade), Role: string(h.Role)})
		}
		out.People = append(out.People, np)
	}
	for _, ed := range net.Edges {
		out.Links = append(out.Links, api.NetworkLink{From: ed.From.String(), To: ed.To.String(), Type: string(ed.Type), EntryID: ed.EntryID.String()})
	}
	return out, nil
}

func displayName(n people.Name) string {
	return strings.TrimSpace(n.Given + " " + n.Family)
}

// DefaultMatchLimit is the most possible matches one list returns.
const DefaultMatchLimit = 200

// PossibleMatches lists possible matches of the supervisor's teams in a
// state (pending when ""), oldest first, with the names and dates of
// birth to compare. Every list is audited (it shows names).
func (s *Service) PossibleMatches(ctx context.Context, p Principal, state string, limit int) (*api.PossibleMatchList, error) {
	u, err := reviewer(p, Live)
	if err != nil {
		return nil, err
	}
	switch state {
	case "":
		state = api.MatchPending
	case api.MatchPending, api.MatchConfirmed, api.MatchRejected:
	default:
		return nil, Errorf(EINVALID, "state must be pending, confirmed or rejected")
	}
	if limit <= 0 || limit > DefaultMatchLimit {
		limit = DefaultMatchLimit
	}
	var list []PossibleMatch
	err = s.store.Update(ctx, func(tx Tx) error {
		if list, err = tx.PossibleMatches(ctx, u.Teams, state, limit); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "person.matches.list", "", 0, map[string]any{"state": state, "count": len(list)})
	})
	if err != nil {
		return nil, fmt.Errorf("possible matches: %w", err)
	}
	out := &api.PossibleMatchList{Matches: make([]api.PossibleMatch, 0, len(list))}
	for _, m := range list {
		out.Matches = append(out.Matches, s.wireMatch(ctx, m))
	}
	return out, nil
}

// wireMatch returns a match for the wire, with the people's names and
// dates of birth when the index knows them.
func (s *Service) wireMatch(ctx context.Context, m PossibleMatch) api.PossibleMatch {
	w := api.PossibleMatch{ID: m.ID, EntryID: m.EntryID, Team: m.Team, Person: m.PersonID, Match: m.MatchID, Score: m.Score,
		Reasons: m.Reasons, State: m.State, Created: m.Created, DecidedBy: m.DecidedBy, MergeID: m.MergeID}
	if w.Reasons == nil {
		w.Reasons = []string{}
	}
	if !m.DecidedAt.IsZero() {
		t := m.DecidedAt
		w.DecidedAt = &t
	}
	if s.cfg.People == nil {
		return w
	}
	look := func(id string) (string, string) {
		pid, err := uuid.Parse(id)
		if err != nil {
			return "", ""
		}
		// The record's own person, even after a merge moved it: a
		// confirmed match shows the survivor.
		pr, err := s.cfg.People.Index.Person(ctx, pid)
		if err != nil {
			return "", ""
		}
		return displayName(pr.Name), pr.DOB.String()
	}
	w.PersonName, w.PersonDOB = look(m.PersonID)
	w.MatchName, w.MatchDOB = look(m.MatchID)
	return w
}

// DecideMatch confirms (the person index merges the new person into the
// known one) or rejects a pending possible match of the supervisor's
// teams. Both are audited; a merge is also audited by the index, and can
// be undone there (people.Index.Unmerge) with its merge id.
func (s *Service) DecideMatch(ctx context.Context, p Principal, id string, confirm bool, req api.MatchDecisionRequest) (*api.PossibleMatch, error) {
	u, err := reviewer(p, Live)
	if err != nil {
		return nil, err
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if len(req.Reason) > maxCommentText {
		return nil, Errorf(EINVALID, "the reason is too long")
	}
	load := func(tx Tx) (PossibleMatch, error) {
		m, err := tx.PossibleMatch(ctx, id)
		if err != nil {
			return m, notFound(err, "no such possible match")
		}
		if !u.InTeam(m.Team) {
			return m, Errorf(ENOTFOUND, "no such possible match")
		}
		if m.State != api.MatchPending {
			return m, Errorf(ECONFLICT, "the possible match is already %s", m.State)
		}
		return m, nil
	}
	var m PossibleMatch
	if err := s.store.View(ctx, func(tx Tx) error { m, err = load(tx); return err }); err != nil {
		return nil, fmt.Errorf("decide match: %w", err)
	}
	var merge people.AuditEvent
	if confirm {
		if s.cfg.People == nil {
			return nil, errNoIndex()
		}
		into, err1 := uuid.Parse(m.MatchID)
		from, err2 := uuid.Parse(m.PersonID)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("decide match %s: bad person ids", m.ID)
		}
		// The index is its own database (for SQLite, the same file):
		// merge outside the store transaction, then record it.
		merge, err = s.cfg.People.Index.Merge(ctx, into, from, p.Actor(), req.Reason)
		switch {
		case errors.Is(err, people.ErrNotFound), errors.Is(err, people.ErrConflict), errors.Is(err, people.ErrInvalid):
			return nil, Errorf(ECONFLICT, "the person index cannot merge them (already merged, or changed since)")
		case err != nil:
			return nil, fmt.Errorf("decide match: merge: %w", err)
		}
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		cur, err := load(tx)
		if err != nil {
			return err
		}
		m = cur
		m.DecidedBy, m.DecidedAt = u.ID, s.now()
		action, detail := "person.match.reject", map[string]any{"match": m.ID}
		if confirm {
			m.State, m.MergeID = api.MatchConfirmed, merge.MergeID.String()
			action = "person.merge"
			detail["mergeId"], detail["into"], detail["from"] = m.MergeID, m.MatchID, m.PersonID
		} else {
			m.State = api.MatchRejected
		}
		if err := tx.DecidePossibleMatch(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, action, m.EntryID, 0, detail)
	})
	if err != nil {
		if confirm {
			// Decided by someone else meanwhile: undo this merge.
			if _, uerr := s.cfg.People.Index.Unmerge(context.WithoutCancel(ctx), merge.MergeID, p.Actor(), "match decided meanwhile"); uerr != nil {
				s.log.Error("person index: merge recorded nowhere and not undone", "merge", merge.MergeID.String(), "err", uerr)
			}
		}
		return nil, fmt.Errorf("decide match: %w", err)
	}
	w := s.wireMatch(ctx, m)
	return &w, nil
}

// Unmerge undoes a merge in the person index (administrators only), by
// the merge id a confirmed match recorded. Audited as person.unmerge; the
// index audits it too.
func (s *Service) Unmerge(ctx context.Context, p Principal, mergeID string, req api.MatchDecisionRequest) (*api.UnmergeResponse, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	id, err := uuid.Parse(mergeID)
	if err != nil {
		return nil, Errorf(ENOTFOUND, "no such merge")
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if len(req.Reason) > maxCommentText {
		return nil, Errorf(EINVALID, "the reason is too long")
	}
	if s.cfg.People == nil {
		return nil, errNoIndex()
	}
	ev, err := s.cfg.People.Index.Unmerge(ctx, id, p.Actor(), req.Reason)
	switch {
	case errors.Is(err, people.ErrNotFound):
		return nil, Errorf(ENOTFOUND, "no such merge")
	case errors.Is(err, people.ErrConflict):
		return nil, Errorf(ECONFLICT, "the merge is undone already, or the person was merged again since (undo that first)")
	case err != nil:
		return nil, fmt.Errorf("unmerge: %w", err)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "person.unmerge", "", 0, map[string]any{"mergeId": mergeID, "into": ev.Into.String(),
			"from": ev.From.String(), "records": len(ev.Records)})
	})
	if err != nil {
		return nil, fmt.Errorf("unmerge: %w", err)
	}
	return &api.UnmergeResponse{MergeID: mergeID, Into: ev.Into.String(), From: ev.From.String(), Records: len(ev.Records)}, nil
}
