package people

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Known is the decision for a record stored already (an amended entry
// sent again): its particulars are updated, it stays with its person.
const Known Kind = "known"

// EntryPeople is what one entry says about people: the entry, its people
// as records (Role RoleChild for children) and the relationships between
// them.
type EntryPeople struct {
	Entry         Entry
	Records       []Record
	Relationships []Relationship
}

// Ingested is the outcome of ingesting an entry's people.
type Ingested struct {
	// Decisions, in the order of the records.
	Decisions []RecordDecision `json:"decisions"`
	// Alerts for the children of the entry.
	Alerts []Alert `json:"alerts,omitempty"`
}

// RecordDecision is the decision for one record of an entry.
type RecordDecision struct {
	RecordID uuid.UUID `json:"recordId"`
	Decision
}

// WithRelatives returns copies of the records with Relatives filled from
// the relationships between them (records that have Relatives already
// keep them).
func WithRelatives(recs []Record, rels []Relationship) []Record {
	out := make([]Record, len(recs))
	copy(out, recs)
	at := map[uuid.UUID]int{}
	had := map[int]bool{}
	for i := range out {
		at[out[i].ID] = i
		had[i] = len(out[i].Relatives) > 0
	}
	for _, r := range rels {
		i, ok1 := at[r.From]
		j, ok2 := at[r.To]
		if !ok1 || !ok2 || i == j {
			continue
		}
		if !had[j] {
			out[j].Relatives = append(out[j].Relatives, Relative{Type: r.Type, Outgoing: true,
				Name: out[i].Name, DOB: out[i].DOB})
		}
		if !had[i] {
			out[i].Relatives = append(out[i].Relatives, Relative{Type: r.Type,
				Name: out[j].Name, DOB: out[j].DOB})
		}
	}
	return out
}

// Ingest matches and stores an entry's people (the central system calls it
// on each accepted revision): each record is resolved (sure: linked;
// possible and new: a new person, the possible match listed for a
// supervisor), never to a person already resolved for another record of
// the same entry; then the relationships are stored and the alerts for the
// entry's children decided.
//
// When the index is a Transactor the whole ingest is one transaction
// (one commit; a failed ingest leaves nothing behind). Ingest is
// idempotent either way: records and relationships already stored are
// updated, not duplicated, so a failed ingest is simply run again.
func (m *Matcher) Ingest(ctx context.Context, e EntryPeople, rules AlertRules) (Ingested, error) {
	var out Ingested
	if e.Entry.ID == uuid.Nil {
		return out, fmt.Errorf("ingest: entry without id: %w", ErrInvalid)
	}
	err := m.InTx(ctx, func(m *Matcher) error {
		var err error
		out, err = m.ingest(ctx, e, rules)
		return err
	})
	return out, err
}

// InTx runs fn with a Matcher whose index calls all run in one
// transaction when the index is a Transactor (committed if fn returns
// nil, else rolled back), or with m itself otherwise. Several entries
// ingested in one InTx commit once.
func (m *Matcher) InTx(ctx context.Context, fn func(*Matcher) error) error {
	t, ok := m.Index.(Transactor)
	if !ok {
		return fn(m)
	}
	return t.InTx(ctx, func(idx Index) error {
		bound := *m
		bound.Index = idx
		return fn(&bound)
	})
}

func (m *Matcher) ingest(ctx context.Context, e EntryPeople, rules AlertRules) (Ingested, error) {
	var out Ingested
	if err := m.Index.SetEntry(ctx, e.Entry); err != nil {
		return out, fmt.Errorf("ingest: %w", err)
	}
	recs := WithRelatives(e.Records, e.Relationships)
	var used []uuid.UUID
	for _, rec := range recs {
		rec.EntryID = e.Entry.ID
		if rec.Seen.IsZero() {
			rec.Seen = e.Entry.Date
		}
		var d Decision
		pid, err := m.Index.PersonOf(ctx, rec.ID)
		switch {
		case err == nil:
			if err := m.Index.Update(ctx, rec); err != nil {
				return out, fmt.Errorf("ingest: %w", err)
			}
			d = Decision{Kind: Known, Match: pid, Person: pid, Score: 1}
		case errors.Is(err, ErrNotFound):
			d, err = m.Resolve(ctx, rec, used...)
			if err != nil {
				return out, fmt.Errorf("ingest: %w", err)
			}
		default:
			return out, fmt.Errorf("ingest: %w", err)
		}
		used = append(used, d.Person)
		out.Decisions = append(out.Decisions, RecordDecision{RecordID: rec.ID, Decision: d})
	}
	for _, r := range e.Relationships {
		if r.EntryID == uuid.Nil {
			r.EntryID = e.Entry.ID
		}
		if err := m.Index.Relate(ctx, r); err != nil {
			return out, fmt.Errorf("ingest: %w", err)
		}
	}
	for i, rec := range recs {
		if rec.Role != RoleChild {
			continue
		}
		alerts, err := ChildAlerts(ctx, m.Index, out.Decisions[i].Person, e.Entry.Date, rules)
		if err != nil {
			return out, fmt.Errorf("ingest: %w", err)
		}
		out.Alerts = append(out.Alerts, alerts...)
	}
	return out, nil
}

// ChildAlerts decides a child's alerts as of day at from the index: the
// repeat appearance and, for each person linked to the child, the
// immediate-risk entries they appear in.
func ChildAlerts(ctx context.Context, idx Index, child uuid.UUID, at Date, rules AlertRules) ([]Alert, error) {
	hist, err := idx.History(ctx, child)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	var out []Alert
	if a, ok := rules.Repeat(child, hist, at); ok {
		out = append(out, a)
	}
	edges, err := idx.Edges(ctx, []uuid.UUID{child})
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	var related []Related
	for _, e := range edges {
		other := e.From
		if other == child {
			other = e.To
		}
		if other == child {
			continue
		}
		h, err := idx.History(ctx, other)
		if err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		related = append(related, Related{PersonID: other, Relation: e.Type, History: h})
	}
	return append(out, rules.LinkedImmediate(child, hist, related, at)...), nil
}
