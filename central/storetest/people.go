package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// testPeople: the person index's alerts and possible matches are stored
// once (an ingest run again adds nothing), listed by team, and decided.
func testPeople(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	ea := entry(officer, device, "a", forms.LevelMedium, t0.Add(24*time.Hour))
	eb := entry(officer, device, "b", forms.LevelMedium, t0.Add(24*time.Hour))
	alert := central.PersonAlert{ID: uuid.NewString(), EntryID: ea.ID, Team: "a", Kind: api.AlertRepeatAppearance, PersonID: uuid.NewString(),
		Entries: []string{uuid.NewString(), ea.ID}, Grade: forms.LevelMedium, Text: "repeat", At: t0}
	match := central.PossibleMatch{ID: uuid.NewString(), EntryID: ea.ID, Team: "a", RecordID: uuid.NewString(), PersonID: uuid.NewString(),
		MatchID: uuid.NewString(), Score: 0.9, Reasons: []string{"given:exact"}, State: api.MatchPending, Created: t0}
	update(t, s, func(tx central.Tx) error {
		for _, e := range []central.Entry{ea, eb} {
			if err := tx.CreateEntry(ctx, e); err != nil {
				return err
			}
		}
		for i := range 2 {
			a := alert
			if i == 1 {
				a.ID = uuid.NewString() // the same alert decided again
			}
			isNew, err := tx.CreatePersonAlert(ctx, a)
			if err != nil || isNew != (i == 0) {
				t.Errorf("alert %d: new %v, %v", i, isNew, err)
			}
			m := match
			m.ID = uuid.NewString()
			if i == 0 {
				m = match
			}
			isNew, err = tx.CreatePossibleMatch(ctx, m)
			if err != nil || isNew != (i == 0) {
				t.Errorf("match %d: new %v, %v", i, isNew, err)
			}
		}
		b := alert
		b.ID, b.EntryID, b.Team, b.At = uuid.NewString(), eb.ID, "b", t0.Add(time.Hour)
		_, err := tx.CreatePersonAlert(ctx, b)
		return err
	})
	err := s.View(ctx, func(tx central.Tx) error {
		got, err := tx.PersonAlerts(ctx, []string{"a"}, 10)
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].ID != alert.ID || len(got[0].Entries) != 2 || got[0].Grade != forms.LevelMedium || !got[0].At.Equal(t0) {
			t.Errorf("team a's alerts: %+v", got)
		}
		if both, err := tx.PersonAlerts(ctx, []string{"a", "b"}, 10); err != nil || len(both) != 2 || both[0].Team != "b" {
			t.Errorf("both teams' alerts, newest first: %v %+v", err, both)
		}
		if none, err := tx.PersonAlerts(ctx, nil, 10); err != nil || len(none) != 0 {
			t.Errorf("no teams: %v %+v", err, none)
		}
		ms, err := tx.PossibleMatches(ctx, []string{"a"}, api.MatchPending, 10)
		if err != nil || len(ms) != 1 || ms[0].Score != 0.9 || len(ms[0].Reasons) != 1 || !ms[0].DecidedAt.IsZero() {
			t.Errorf("pending matches: %v %+v", err, ms)
		}
		if ms, err := tx.PossibleMatches(ctx, []string{"b"}, "", 10); err != nil || len(ms) != 0 {
			t.Errorf("team b's matches: %v %+v", err, ms)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx central.Tx) error {
		m := match
		m.State, m.DecidedBy, m.DecidedAt, m.MergeID = api.MatchConfirmed, "sup", t0.Add(time.Minute), uuid.NewString()
		if err := tx.DecidePossibleMatch(ctx, m); err != nil {
			return err
		}
		got, err := tx.PossibleMatch(ctx, m.ID)
		if err != nil || got.State != api.MatchConfirmed || got.DecidedBy != "sup" || !got.DecidedAt.Equal(m.DecidedAt) || got.MergeID != m.MergeID {
			t.Errorf("decided: %v %+v", err, got)
		}
		if _, err := tx.PossibleMatch(ctx, "nope"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("missing match: %v", err)
		}
		m.ID = "nope"
		if err := tx.DecidePossibleMatch(ctx, m); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("deciding a missing match: %v", err)
		}
		return nil
	})
}

// testPeopleQueue: revisions queued for the person index are listed oldest
// first (the same revision once), at most limit, and removed when done; a
// rolled-back transaction queues nothing.
func testPeopleQueue(t *testing.T, s central.Store) {
	a := central.PendingPeople{EntryID: uuid.NewString(), Revision: 1, At: t0}
	b := central.PendingPeople{EntryID: a.EntryID, Revision: 2, At: t0.Add(time.Second)}
	c := central.PendingPeople{EntryID: uuid.NewString(), Revision: 1, At: t0.Add(2 * time.Second)}
	update(t, s, func(tx central.Tx) error {
		for _, p := range []central.PendingPeople{c, a, b, a} {
			if err := tx.QueuePeople(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err := s.Update(ctx, func(tx central.Tx) error {
		if err := tx.QueuePeople(ctx, central.PendingPeople{EntryID: uuid.NewString(), Revision: 1, At: t0}); err != nil {
			return err
		}
		return errors.New("roll back")
	}); err == nil {
		t.Fatal("the failing transaction committed")
	}
	pending := func(limit int) []central.PendingPeople {
		t.Helper()
		var out []central.PendingPeople
		update(t, s, func(tx central.Tx) (err error) {
			out, err = tx.PendingPeople(ctx, t0.Add(time.Hour), limit)
			return err
		})
		return out
	}
	if got := pending(10); !slices.Equal(got, []central.PendingPeople{a, b, c}) {
		t.Fatalf("queue: %+v, want %+v", got, []central.PendingPeople{a, b, c})
	}
	if got := pending(2); !slices.Equal(got, []central.PendingPeople{a, b}) {
		t.Fatalf("queue limited: %+v", got)
	}
	update(t, s, func(tx central.Tx) error { return tx.DonePeople(ctx, []central.PendingPeople{a, c}) })
	if got := pending(10); !slices.Equal(got, []central.PendingPeople{b}) {
		t.Fatalf("queue after done: %+v", got)
	}

	// A failed ingest stays, counted, and is not due until its next
	// attempt.
	later := t0.Add(2 * time.Hour)
	update(t, s, func(tx central.Tx) error { return tx.RetryPeople(ctx, b, later) })
	if got := pending(10); len(got) != 0 {
		t.Fatalf("retried revision due before its time: %+v", got)
	}
	var next time.Time
	var ok bool
	update(t, s, func(tx central.Tx) (err error) { next, ok, err = tx.NextPeopleAt(ctx); return err })
	if !ok || !next.Equal(later) {
		t.Fatalf("next attempt %v %v, want %v", next, ok, later)
	}
	var due []central.PendingPeople
	update(t, s, func(tx central.Tx) (err error) { due, err = tx.PendingPeople(ctx, later, 10); return err })
	if want := (central.PendingPeople{EntryID: b.EntryID, Revision: b.Revision, At: b.At, Attempts: 1}); len(due) != 1 || due[0] != want {
		t.Fatalf("due at its time: %+v, want %+v", due, want)
	}
	update(t, s, func(tx central.Tx) error { return tx.DonePeople(ctx, due) })
	update(t, s, func(tx central.Tx) (err error) { _, ok, err = tx.NextPeopleAt(ctx); return err })
	if ok {
		t.Fatal("empty queue has a next attempt")
	}
}
