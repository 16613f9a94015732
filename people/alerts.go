package people

import (
	"cmp"
	"slices"

	"github.com/google/uuid"
)

// AlertKind names an alert about a person.
type AlertKind string

// Alert kinds.
const (
	// AlertRepeat: a child keeps appearing in lower-risk entries (each one
	// alone below high, together a pattern).
	AlertRepeat AlertKind = "repeat_appearance"
	// AlertLinkedImmediate: a child is linked to someone who appears in an
	// immediate-risk entry the child is not part of.
	AlertLinkedImmediate AlertKind = "linked_to_immediate"
)

// Alert is raised for a supervisor (and the officer, on the next sync).
type Alert struct {
	Kind     AlertKind `json:"kind"`
	PersonID uuid.UUID `json:"personId"`
	// Entries are the entries behind the alert, oldest first.
	Entries []uuid.UUID `json:"entries"`
	// Related is, for AlertLinkedImmediate, the person in the immediate
	// entries, and Relation how they are linked to the child.
	Related  uuid.UUID `json:"related,omitzero"`
	Relation RelType   `json:"relation,omitempty"`
}

// AlertRules are the thresholds of the alerts.
type AlertRules struct {
	// RepeatCount entries below high within RepeatWindowDays days (the
	// first to the last, inclusive) make a repeat appearance.
	RepeatCount      int
	RepeatWindowDays int
	// ImmediateLookbackDays limits how old an immediate-risk entry may be
	// to raise AlertLinkedImmediate; 0 means any age.
	ImmediateLookbackDays int
}

// DefaultAlertRules: a third lower-risk entry within three months; an
// immediate-risk entry of a linked person at any time.
var DefaultAlertRules = AlertRules{RepeatCount: 3, RepeatWindowDays: 90}

// lowerRisk reports whether an entry's grade is below high (and graded).
func lowerRisk(g Grade) bool { r := g.Rank(); return r >= 1 && r < GradeHigh.Rank() }

// Repeat decides the repeat-appearance alert for a person's history as of
// day at (later entries are ignored): it is raised when at least
// RepeatCount distinct entries graded below high fall within the
// RepeatWindowDays days ending at, the latest of them on day at. The
// alert lists those entries.
func (r AlertRules) Repeat(person uuid.UUID, history []Appearance, at Date) (Alert, bool) {
	var in []Appearance
	seen := map[uuid.UUID]bool{}
	latest := false
	for _, a := range history {
		if !lowerRisk(a.Grade) || seen[a.EntryID] {
			continue
		}
		age := at.Days() - a.Date.Days()
		if age < 0 || age > r.RepeatWindowDays {
			continue
		}
		seen[a.EntryID] = true
		in = append(in, a)
		if age == 0 {
			latest = true
		}
	}
	if len(in) < r.RepeatCount || !latest {
		return Alert{}, false
	}
	return Alert{Kind: AlertRepeat, PersonID: person, Entries: entryIDs(in)}, true
}

// Related is a person linked to another, with their history.
type Related struct {
	PersonID uuid.UUID
	Relation RelType
	History  []Appearance
}

// LinkedImmediate decides the linked-to-immediate-risk alerts for a
// person (a child) as of day at: one alert per linked person who appears
// in an entry graded immediate that the child is not in (within
// ImmediateLookbackDays when set; later entries are ignored).
func (r AlertRules) LinkedImmediate(person uuid.UUID, history []Appearance, related []Related, at Date) []Alert {
	own := map[uuid.UUID]bool{}
	for _, a := range history {
		own[a.EntryID] = true
	}
	var out []Alert
	done := map[uuid.UUID]int{}
	for _, rel := range related {
		if rel.PersonID == person {
			continue
		}
		var hits []Appearance
		for _, a := range rel.History {
			if a.Grade != GradeImmediate || own[a.EntryID] {
				continue
			}
			age := at.Days() - a.Date.Days()
			if age < 0 || (r.ImmediateLookbackDays > 0 && age > r.ImmediateLookbackDays) {
				continue
			}
			hits = append(hits, a)
		}
		if len(hits) == 0 {
			continue
		}
		if i, ok := done[rel.PersonID]; ok {
			// Linked twice (parent and household member): one alert.
			out[i].Entries = mergeIDs(out[i].Entries, entryIDs(hits))
			continue
		}
		done[rel.PersonID] = len(out)
		out = append(out, Alert{Kind: AlertLinkedImmediate, PersonID: person,
			Entries: entryIDs(hits), Related: rel.PersonID, Relation: rel.Relation})
	}
	return out
}

// entryIDs returns the distinct entry ids, oldest entry first.
func entryIDs(as []Appearance) []uuid.UUID {
	s := slices.Clone(as)
	slices.SortStableFunc(s, func(a, b Appearance) int {
		if c := cmp.Compare(a.Date.Days(), b.Date.Days()); c != 0 {
			return c
		}
		return cmpUUID(a.EntryID, b.EntryID)
	})
	var out []uuid.UUID
	for _, a := range s {
		if !slices.Contains(out, a.EntryID) {
			out = append(out, a.EntryID)
		}
	}
	return out
}

func mergeIDs(a, b []uuid.UUID) []uuid.UUID {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}
