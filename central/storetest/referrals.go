package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// testDecisionDeadline: the deadline a decision was held to round-trips;
// a decision without one reads back as zero.
func testDecisionDeadline(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	e := entry(officer, device, "a", forms.LevelHigh, t0.Add(4*time.Hour))
	update(t, s, func(tx central.Tx) error {
		if err := tx.CreateEntry(ctx, e); err != nil {
			return err
		}
		if err := tx.CreateDecision(ctx, central.Decision{EntryID: e.ID, Revision: 1, Kind: central.DecisionReturned, By: officer,
			At: t0.Add(5 * time.Hour), Reason: "r", Deadline: e.Deadline}); err != nil {
			return err
		}
		return tx.CreateDecision(ctx, central.Decision{EntryID: e.ID, Revision: 1, Kind: central.DecisionGrade, By: officer, At: t0.Add(6 * time.Hour)})
	})
	s.View(ctx, func(tx central.Tx) error {
		ds, err := tx.Decisions(ctx, e.ID)
		if err != nil || len(ds) != 2 || !ds[0].Deadline.Equal(e.Deadline) || !ds[1].Deadline.IsZero() {
			t.Errorf("decisions: %+v %v", ds, err)
		}
		return nil
	})
}

// testListEntries: filters by namespace, teams, first submission and
// grade, ordered by first submission then id, paged by keyset.
func testListEntries(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	var all []central.Entry
	mk := func(team string, g forms.Level, first time.Duration, training bool) central.Entry {
		e := entry(officer, device, team, g, t0.Add(first+time.Hour))
		e.FirstReceived, e.Received, e.Training = t0.Add(first), t0.Add(first), training
		update(t, s, func(tx central.Tx) error { return tx.CreateEntry(ctx, e) })
		if !training {
			all = append(all, e)
		}
		return e
	}
	a1 := mk("a", forms.LevelHigh, 0, false)
	a2 := mk("a", forms.LevelStandard, time.Hour, false)
	b1 := mk("b", forms.LevelHigh, 2*time.Hour, false)
	tr := mk("a", forms.LevelHigh, 3*time.Hour, true)
	same1 := mk("b", forms.LevelMedium, 4*time.Hour, false)
	same2 := mk("b", forms.LevelMedium, 4*time.Hour, false)
	if same2.ID < same1.ID {
		same1, same2 = same2, same1
	}
	ids := func(es []central.Entry) []string {
		out := []string{}
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	check := func(name string, f central.EntryFilter, want ...central.Entry) {
		t.Helper()
		s.View(ctx, func(tx central.Tx) error {
			got, err := tx.ListEntries(ctx, f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(ids(want)) {
				t.Errorf("%s:\n got %v\nwant %v", name, ids(got), ids(want))
			}
			return nil
		})
	}
	check("all live", central.EntryFilter{}, a1, a2, b1, same1, same2)
	check("team a", central.EntryFilter{Teams: []string{"a"}}, a1, a2)
	check("teams a and b", central.EntryFilter{Teams: []string{"b", "a"}}, a1, a2, b1, same1, same2)
	check("no teams", central.EntryFilter{Teams: []string{}})
	check("from/to", central.EntryFilter{From: t0.Add(time.Hour), To: t0.Add(4 * time.Hour)}, a2, b1)
	check("grade", central.EntryFilter{Grade: forms.LevelHigh}, a1, b1)
	check("training", central.EntryFilter{Training: true, Grade: forms.LevelHigh}, tr)
	check("limit", central.EntryFilter{Limit: 2}, a1, a2)
	check("after", central.EntryFilter{AfterReceived: a2.FirstReceived, AfterID: a2.ID, Limit: 2}, b1, same1)
	check("after a tie", central.EntryFilter{AfterReceived: same1.FirstReceived, AfterID: same1.ID}, same2)
	s.View(ctx, func(tx central.Tx) error {
		got, err := tx.ListEntries(ctx, central.EntryFilter{})
		if err != nil || len(got) != len(all) || got[0] != a1 {
			t.Errorf("round trip: %+v %v", got, err)
		}
		return nil
	})
}

func delivery(e central.Entry, rev int, next time.Time) central.Delivery {
	return central.Delivery{ID: uuid.NewString(), EntryID: e.ID, Revision: rev, Receipt: fmt.Sprintf("%s/%d", e.Receipt, rev), Team: e.Team,
		Document: []byte(`{"format":"safeguard-referral/1","words":"é \" \u00e9 ` + uuid.NewString() + `"}`), State: central.DeliveryPending,
		NextAttempt: next, Created: t0, Updated: t0}
}

// testDeliveries: the outbox round-trips a delivery with its document,
// refuses a second delivery of one revision, hands out due deliveries
// earliest first, lists by state without documents, counts by state.
func testDeliveries(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	e := entry(officer, device, "a", forms.LevelHigh, t0)
	e2 := entry(officer, device, "b", forms.LevelHigh, t0)
	update(t, s, func(tx central.Tx) error {
		if err := tx.CreateEntry(ctx, e); err != nil {
			return err
		}
		return tx.CreateEntry(ctx, e2)
	})
	d1 := delivery(e, 1, t0.Add(2*time.Minute))
	d2 := delivery(e, 2, t0.Add(time.Minute))
	d3 := delivery(e2, 1, t0.Add(time.Hour))
	update(t, s, func(tx central.Tx) error {
		for _, d := range []central.Delivery{d1, d2, d3} {
			if err := tx.CreateDelivery(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err := s.Update(ctx, func(tx central.Tx) error { return tx.CreateDelivery(ctx, delivery(e, 1, t0)) }); err == nil {
		t.Error("a second delivery of one revision was stored")
	}
	s.View(ctx, func(tx central.Tx) error {
		got, err := tx.Delivery(ctx, d1.ID)
		if err != nil || !bytes.Equal(got.Document, d1.Document) || got.State != central.DeliveryPending || !got.NextAttempt.Equal(d1.NextAttempt) ||
			got.Delivered != nil || got.Receipt != d1.Receipt || got.Team != "a" || got.EntryID != e.ID || got.Revision != 1 {
			t.Errorf("delivery round trip: %+v %v", got, err)
		}
		latest, err := tx.LatestDelivery(ctx, e.ID)
		if err != nil || latest.ID != d2.ID || len(latest.Document) == 0 {
			t.Errorf("latest: %+v %v", latest, err)
		}
		if _, err := tx.LatestDelivery(ctx, "none"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("latest of none: %v", err)
		}
		if _, err := tx.Delivery(ctx, "none"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("delivery none: %v", err)
		}
		due, err := tx.DueDeliveries(ctx, t0.Add(5*time.Minute), 10)
		if err != nil || len(due) != 2 || due[0].ID != d2.ID || due[1].ID != d1.ID || len(due[0].Document) == 0 {
			t.Errorf("due: %+v %v", due, err)
		}
		if due, _ := tx.DueDeliveries(ctx, t0.Add(5*time.Minute), 1); len(due) != 1 {
			t.Errorf("due limit: %d", len(due))
		}
		return nil
	})
	at := t0.Add(3 * time.Minute)
	d2.State, d2.Attempts, d2.Updated, d2.Delivered, d2.LastStatus = central.DeliveryDelivered, 2, at, &at, 200
	d1.State, d1.Attempts, d1.Updated, d1.LastError, d1.LastStatus = central.DeliveryDead, 1, t0.Add(4*time.Minute), "partner refused: 400", 400
	update(t, s, func(tx central.Tx) error {
		if err := tx.UpdateDelivery(ctx, d2); err != nil {
			return err
		}
		return tx.UpdateDelivery(ctx, d1)
	})
	if err := s.Update(ctx, func(tx central.Tx) error { return tx.UpdateDelivery(ctx, central.Delivery{ID: "none"}) }); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("update of none: %v", err)
	}
	s.View(ctx, func(tx central.Tx) error {
		got, _ := tx.Delivery(ctx, d2.ID)
		if got.State != central.DeliveryDelivered || got.Delivered == nil || !got.Delivered.Equal(at) || got.Attempts != 2 || got.LastStatus != 200 {
			t.Errorf("delivered: %+v", got)
		}
		due, _ := tx.DueDeliveries(ctx, t0.Add(2*time.Hour), 10)
		if len(due) != 1 || due[0].ID != d3.ID {
			t.Errorf("due after delivery: %+v", due)
		}
		list, err := tx.ListDeliveries(ctx, central.DeliveryFilter{})
		if err != nil || len(list) != 3 || list[0].ID != d1.ID || list[1].ID != d2.ID || list[0].Document != nil {
			t.Errorf("list: %+v %v", list, err)
		}
		dead, _ := tx.ListDeliveries(ctx, central.DeliveryFilter{State: central.DeliveryDead})
		if len(dead) != 1 || dead[0].ID != d1.ID || dead[0].LastError != "partner refused: 400" {
			t.Errorf("dead: %+v", dead)
		}
		of, _ := tx.ListDeliveries(ctx, central.DeliveryFilter{EntryID: e2.ID, Limit: 5})
		if len(of) != 1 || of[0].ID != d3.ID {
			t.Errorf("of entry: %+v", of)
		}
		if l, _ := tx.ListDeliveries(ctx, central.DeliveryFilter{Limit: 1}); len(l) != 1 {
			t.Errorf("limit: %d", len(l))
		}
		st, err := tx.DeliveryStats(ctx)
		if err != nil || st.Pending != 1 || st.Dead != 1 || !st.OldestPending.Equal(t0) {
			t.Errorf("stats: %+v %v", st, err)
		}
		return nil
	})
	d3.State = central.DeliveryDelivered
	update(t, s, func(tx central.Tx) error { return tx.UpdateDelivery(ctx, d3) })
	s.View(ctx, func(tx central.Tx) error {
		if st, _ := tx.DeliveryStats(ctx); st.Pending != 0 || !st.OldestPending.IsZero() {
			t.Errorf("stats with none pending: %+v", st)
		}
		return nil
	})
}

// testDeliveryClaims: deliverers claiming due deliveries in concurrent
// Update transactions (take the due ones, push their next attempt on)
// never take one delivery twice.
func testDeliveryClaims(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	const n = 40
	update(t, s, func(tx central.Tx) error {
		for i := 0; i < n; i++ {
			e := entry(officer, device, "a", forms.LevelHigh, t0)
			if err := tx.CreateEntry(ctx, e); err != nil {
				return err
			}
			if err := tx.CreateDelivery(ctx, delivery(e, 1, t0)); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var got []central.Delivery
				err := s.Update(ctx, func(tx central.Tx) error {
					due, err := tx.DueDeliveries(ctx, t0, 3)
					if err != nil {
						return err
					}
					for _, d := range due {
						d.Attempts++
						d.NextAttempt = t0.Add(time.Hour)
						if err := tx.UpdateDelivery(ctx, d); err != nil {
							return err
						}
					}
					got = due
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, d := range got {
					claimed[d.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimed) != n {
		t.Errorf("%d deliveries claimed, want %d", len(claimed), n)
	}
	for id, k := range claimed {
		if k != 1 {
			t.Errorf("delivery %s claimed %d times", id, k)
		}
	}
}

// testSettings: a setting is set once; later initialisations return the
// first value.
func testSettings(t *testing.T, s central.Store) {
	s.View(ctx, func(tx central.Tx) error {
		if _, err := tx.Setting(ctx, "k"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("unset: %v", err)
		}
		return nil
	})
	var first, second string
	update(t, s, func(tx central.Tx) error {
		var err error
		first, err = tx.InitSetting(ctx, "k", "one")
		return err
	})
	update(t, s, func(tx central.Tx) error {
		var err error
		second, err = tx.InitSetting(ctx, "k", "two")
		return err
	})
	if first != "one" || second != "one" {
		t.Errorf("settings: %q %q", first, second)
	}
}
