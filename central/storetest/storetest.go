// Package storetest is the contract every central.Store must keep. Each
// backend's tests call Run with a function that opens a fresh, empty,
// migrated store, so SQLite and PostgreSQL are held to the same behaviour.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// Open returns a fresh, empty, migrated store, closed when the test ends.
type Open func(t *testing.T) central.Store

// Run runs the contract.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s central.Store)
	}{
		{"NotFound", testNotFound},
		{"UsersAndTeams", testUsers},
		{"RollbackOnError", testRollback},
		{"EntriesAndRevisions", testEntries},
		{"QueueOrder", testQueue},
		{"Counters", testCounters},
		{"Attachments", testAttachments},
		{"ChangesAddressing", testChanges},
		{"AuditChain", testAudit},
		{"ConcurrentWriters", testConcurrent},
		{"Checklists", testChecklists},
		{"DecisionDeadline", testDecisionDeadline},
		{"ListEntries", testListEntries},
		{"Deliveries", testDeliveries},
		{"DeliveryClaimsSerialised", testDeliveryClaims},
		{"Settings", testSettings},
		{"PersonIndexDecisions", testPeople},
		{"PersonIndexQueue", testPeopleQueue},
		{"BatchedWrites", testBatchedWrites},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

func update(t *testing.T, s central.Store, fn func(central.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// seed makes team a, team b, an officer in a and a device in a.
func seed(t *testing.T, s central.Store) (officer, device string) {
	t.Helper()
	officer, device = uuid.NewString(), uuid.NewString()
	update(t, s, func(tx central.Tx) error {
		for _, id := range []string{"a", "b"} {
			if err := tx.CreateTeam(ctx, central.Team{ID: id, Name: "Team " + id, Created: t0}); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, central.User{ID: officer, Username: "pc-" + officer[:8], Name: "PC", Role: central.RoleOfficer,
			Teams: []string{"a"}, PasswordHash: "x", Created: t0}); err != nil {
			return err
		}
		return tx.CreateDevice(ctx, central.Device{ID: device, Name: "tablet", Team: "a", CredentialHash: "h-" + device, Enrolled: t0})
	})
	return officer, device
}

func testNotFound(t *testing.T, s central.Store) {
	err := s.View(ctx, func(tx central.Tx) error {
		checks := []error{}
		_, err := tx.Team(ctx, "none")
		checks = append(checks, err)
		_, err = tx.UserByID(ctx, "none")
		checks = append(checks, err)
		_, err = tx.UserByUsername(ctx, "none")
		checks = append(checks, err)
		_, err = tx.SessionByHash(ctx, "none")
		checks = append(checks, err)
		_, err = tx.EnrolmentCode(ctx, "none")
		checks = append(checks, err)
		_, err = tx.DeviceByID(ctx, "none")
		checks = append(checks, err)
		_, err = tx.DeviceByCredential(ctx, "none")
		checks = append(checks, err)
		_, err = tx.Entry(ctx, "none")
		checks = append(checks, err)
		_, err = tx.Revision(ctx, "none", 1)
		checks = append(checks, err)
		_, err = tx.Attachment(ctx, "none", "none")
		checks = append(checks, err)
		for i, err := range checks {
			if central.ErrorCode(err) != central.ENOTFOUND {
				t.Errorf("lookup %d: %v, want ENOTFOUND", i, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testUsers(t *testing.T, s central.Store) {
	officer, _ := seed(t, s)
	update(t, s, func(tx central.Tx) error {
		u, err := tx.UserByID(ctx, officer)
		if err != nil {
			return err
		}
		if u.Role != central.RoleOfficer || len(u.Teams) != 1 || u.Teams[0] != "a" || !u.Created.Equal(t0) {
			t.Errorf("user %+v", u)
		}
		u.Teams, u.Disabled, u.PasswordHash = []string{"a", "b"}, true, "y"
		return tx.UpdateUser(ctx, u)
	})
	s.View(ctx, func(tx central.Tx) error {
		u, err := tx.UserByID(ctx, officer)
		if err != nil || !u.Disabled || len(u.Teams) != 2 || u.PasswordHash != "y" {
			t.Errorf("after update: %+v %v", u, err)
		}
		return nil
	})
	// A second user with the same username is refused by the database.
	err := s.Update(ctx, func(tx central.Tx) error {
		u, _ := tx.UserByID(ctx, officer)
		u.ID = uuid.NewString()
		return tx.CreateUser(ctx, u)
	})
	if err == nil {
		t.Error("duplicate username stored")
	}
	// ListUsers gives every user, by username, as UserByID does (teams
	// included, an empty list for none).
	admin := central.User{ID: uuid.NewString(), Username: "aa-admin", Name: "Admin", Role: central.RoleAdmin, PasswordHash: "z", Created: t0}
	update(t, s, func(tx central.Tx) error { return tx.CreateUser(ctx, admin) })
	s.View(ctx, func(tx central.Tx) error {
		all, err := tx.ListUsers(ctx)
		if err != nil || len(all) != 2 || all[0].Username != "aa-admin" || all[1].ID != officer {
			t.Fatalf("ListUsers: %+v %v", all, err)
		}
		for _, u := range all {
			one, err := tx.UserByID(ctx, u.ID)
			if err != nil || !reflect.DeepEqual(u, one) {
				t.Errorf("ListUsers gave %+v, UserByID %+v %v", u, one, err)
			}
		}
		if all[0].Teams == nil || len(all[0].Teams) != 0 || len(all[1].Teams) != 2 {
			t.Errorf("teams %q and %q", all[0].Teams, all[1].Teams)
		}
		return nil
	})
	// Sessions expire by the service's clock but are stored verbatim.
	update(t, s, func(tx central.Tx) error {
		return tx.CreateSession(ctx, central.Session{TokenHash: "th", UserID: officer, Created: t0, Expires: t0.Add(time.Hour)})
	})
	update(t, s, func(tx central.Tx) error {
		if err := tx.CreateSession(ctx, central.Session{TokenHash: "old", UserID: officer, Created: t0, Expires: t0.Add(-time.Second)}); err != nil {
			return err
		}
		return tx.DeleteExpiredSessions(ctx, t0)
	})
	update(t, s, func(tx central.Tx) error {
		if _, err := tx.SessionByHash(ctx, "old"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("expired session kept: %v", err)
		}
		se, err := tx.SessionByHash(ctx, "th")
		if err != nil || !se.Expires.Equal(t0.Add(time.Hour)) {
			t.Errorf("session %+v %v", se, err)
		}
		return tx.DeleteUserSessions(ctx, officer)
	})
	s.View(ctx, func(tx central.Tx) error {
		if _, err := tx.SessionByHash(ctx, "th"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("session not deleted: %v", err)
		}
		return nil
	})
	// Enrolment codes are used once.
	update(t, s, func(tx central.Tx) error {
		return tx.CreateEnrolmentCode(ctx, central.EnrolmentCode{CodeHash: "ch", Team: "a", CreatedBy: "x", Created: t0, Expires: t0.Add(time.Hour)})
	})
	update(t, s, func(tx central.Tx) error { return tx.UseEnrolmentCode(ctx, "ch", "dev1", t0) })
	if err := s.Update(ctx, func(tx central.Tx) error { return tx.UseEnrolmentCode(ctx, "ch", "dev2", t0) }); central.ErrorCode(err) != central.ECONFLICT {
		t.Errorf("second use: %v", err)
	}
}

func testRollback(t *testing.T, s central.Store) {
	boom := fmt.Errorf("boom")
	err := s.Update(ctx, func(tx central.Tx) error {
		if err := tx.CreateTeam(ctx, central.Team{ID: "gone", Name: "x", Created: t0}); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("got %v", err)
	}
	s.View(ctx, func(tx central.Tx) error {
		if _, err := tx.Team(ctx, "gone"); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("rolled-back team exists: %v", err)
		}
		return nil
	})
}

func entry(officer, device, team string, grade forms.Level, deadline time.Time) central.Entry {
	return central.Entry{ID: uuid.NewString(), Officer: officer, Team: team, Device: device,
		Checklist: forms.Ref{ID: "c", Version: "1.0.0"}, Revision: 1, Receipt: "SG-2026-" + uuid.NewString()[:6], Status: api.EntryReceived, Grade: grade,
		Received: t0, FirstReceived: t0, Deadline: deadline, Updated: t0}
}

func testEntries(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	e := entry(officer, device, "a", forms.LevelHigh, t0.Add(4*time.Hour))
	body := []byte(`{"id":"x","answers":{"q":{"value":"é \u0000 \" quote"}}}`)
	update(t, s, func(tx central.Tx) error {
		if err := tx.CreateEntry(ctx, e); err != nil {
			return err
		}
		return tx.CreateRevision(ctx, central.Revision{EntryID: e.ID, Revision: 1, ContentHash: "h1", Body: body, Receipt: "SG-2026-000001",
			Device: device, Officer: officer, Received: t0, Grade: forms.LevelHigh, Computed: forms.LevelMedium, DeviceGrade: "medium",
			Disagrees: true, Immediate: false, Diff: []api.DiffItem{{Path: "q", Change: "changed"}}})
	})
	s.View(ctx, func(tx central.Tx) error {
		m, err := tx.Entries(ctx, []string{e.ID, "none", e.ID})
		if err != nil || len(m) != 1 || m[e.ID] != e {
			t.Errorf("entries: %+v %v", m, err)
		}
		got, err := tx.Entry(ctx, e.ID)
		if err != nil || got != e {
			t.Errorf("entry round trip:\n got %+v\nwant %+v (%v)", got, e, err)
		}
		r, err := tx.Revision(ctx, e.ID, 1)
		if err != nil || !bytes.Equal(r.Body, body) || r.Grade != forms.LevelHigh || r.Computed != forms.LevelMedium || !r.Disagrees ||
			r.DeviceGrade != "medium" || len(r.Diff) != 1 || r.Receipt != "SG-2026-000001" {
			t.Errorf("revision round trip: %+v %v", r, err)
		}
		rs, err := tx.Revisions(ctx, e.ID)
		if err != nil || len(rs) != 1 || rs[0].Body != nil {
			t.Errorf("revisions: %+v %v", rs, err)
		}
		return nil
	})
	// The same revision twice is refused by the database (invariant 2).
	err := s.Update(ctx, func(tx central.Tx) error {
		return tx.CreateRevision(ctx, central.Revision{EntryID: e.ID, Revision: 1, ContentHash: "h2", Body: body, Receipt: "SG-2026-000002",
			Device: device, Officer: officer, Received: t0, Diff: []api.DiffItem{}})
	})
	if err == nil {
		t.Error("a second revision 1 was stored")
	}
	e.Status, e.Approved = api.EntryApproved, 1
	update(t, s, func(tx central.Tx) error { return tx.UpdateEntry(ctx, e) })
	s.View(ctx, func(tx central.Tx) error {
		got, _ := tx.Entry(ctx, e.ID)
		if got.Status != api.EntryApproved || got.Approved != 1 {
			t.Errorf("update: %+v", got)
		}
		return nil
	})
}

func testQueue(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	mk := func(team string, g forms.Level, dl time.Duration, status string, training bool) central.Entry {
		e := entry(officer, device, team, g, t0.Add(dl))
		e.Status, e.Training = status, training
		update(t, s, func(tx central.Tx) error { return tx.CreateEntry(ctx, e) })
		return e
	}
	std := mk("a", forms.LevelStandard, time.Hour, api.EntryReceived, false)
	hiLate := mk("a", forms.LevelHigh, 3*time.Hour, api.EntryReceived, false)
	hiSoon := mk("a", forms.LevelHigh, 2*time.Hour, api.EntryReceived, false)
	imm := mk("a", forms.LevelImmediate, 5*time.Hour, api.EntryReceived, false)
	mk("a", forms.LevelImmediate, 0, api.EntryApproved, false)
	mk("a", forms.LevelImmediate, 0, api.EntryReturned, false)
	mk("a", forms.LevelImmediate, 0, api.EntryReceived, true)
	mk("b", forms.LevelImmediate, 0, api.EntryReceived, false)
	s.View(ctx, func(tx central.Tx) error {
		q, err := tx.Queue(ctx, central.QueueFilter{Team: "a", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{imm.ID, hiSoon.ID, hiLate.ID, std.ID}
		if len(q) != len(want) {
			t.Fatalf("queue has %d, want %d", len(q), len(want))
		}
		for i := range want {
			if q[i].ID != want[i] {
				t.Errorf("queue[%d] = %s grade %v, want %s", i, q[i].ID, q[i].Grade, want[i])
			}
		}
		q, _ = tx.Queue(ctx, central.QueueFilter{Team: "a", Limit: 2})
		if len(q) != 2 {
			t.Errorf("limit: %d", len(q))
		}
		q, _ = tx.Queue(ctx, central.QueueFilter{Team: "a", Limit: 10, OverdueAt: t0.Add(150 * time.Minute)})
		if len(q) != 2 || q[0].ID != hiSoon.ID || q[1].ID != std.ID {
			t.Errorf("overdue: %+v", q)
		}
		q, _ = tx.Queue(ctx, central.QueueFilter{Team: "a", Training: true, Limit: 10})
		if len(q) != 1 || !q[0].Training {
			t.Errorf("training queue: %+v", q)
		}
		st, err := tx.QueueStats(ctx, t0.Add(150*time.Minute))
		if err != nil || st.Depth != 5 || st.Overdue != 3 || st.TrainingDepth != 1 {
			t.Errorf("stats %+v %v", st, err)
		}
		return nil
	})
}

func testCounters(t *testing.T, s central.Store) {
	for i := int64(1); i <= 3; i++ {
		update(t, s, func(tx central.Tx) error {
			n, err := tx.NextCounter(ctx, "receipt:SG-2026")
			if n != i {
				t.Errorf("counter = %d, want %d", n, i)
			}
			return err
		})
	}
	update(t, s, func(tx central.Tx) error {
		n, err := tx.NextCounter(ctx, "receipt:TR-2026")
		if n != 1 {
			t.Errorf("second counter = %d", n)
		}
		return err
	})
}

func testAttachments(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	e := entry(officer, device, "a", forms.LevelStandard, t0)
	a := central.Attachment{EntryID: e.ID, SHA256: "d1", Size: 10, MediaType: "image/jpeg"}
	update(t, s, func(tx central.Tx) error {
		if err := tx.CreateEntry(ctx, e); err != nil {
			return err
		}
		if err := tx.CreateAttachment(ctx, a); err != nil {
			return err
		}
		return tx.CreateAttachment(ctx, a) // again: ignored
	})
	update(t, s, func(tx central.Tx) error { return tx.AppendChunk(ctx, e.ID, "d1", 0, []byte("hello")) })
	update(t, s, func(tx central.Tx) error { return tx.AppendChunk(ctx, e.ID, "d1", 5, []byte{0, 1, 2, 0xff, 0}) })
	s.View(ctx, func(tx central.Tx) error {
		got, err := tx.Attachment(ctx, e.ID, "d1")
		if err != nil || got.Offset != 10 || got.Complete {
			t.Errorf("attachment %+v %v", got, err)
		}
		var all []byte
		tx.ReadChunks(ctx, e.ID, "d1", func(b []byte) error { all = append(all, b...); return nil })
		if !bytes.Equal(all, []byte{'h', 'e', 'l', 'l', 'o', 0, 1, 2, 0xff, 0}) {
			t.Errorf("chunks %q", all)
		}
		return nil
	})
	update(t, s, func(tx central.Tx) error { return tx.ResetAttachment(ctx, e.ID, "d1") })
	s.View(ctx, func(tx central.Tx) error {
		got, _ := tx.Attachment(ctx, e.ID, "d1")
		n := 0
		tx.ReadChunks(ctx, e.ID, "d1", func([]byte) error { n++; return nil })
		if got.Offset != 0 || n != 0 {
			t.Errorf("reset: %+v, %d chunks", got, n)
		}
		return nil
	})
	update(t, s, func(tx central.Tx) error { return tx.CompleteAttachment(ctx, e.ID, "d1") })
	s.View(ctx, func(tx central.Tx) error {
		list, err := tx.Attachments(ctx, e.ID)
		if err != nil || len(list) != 1 || !list[0].Complete {
			t.Errorf("list %+v %v", list, err)
		}
		return nil
	})
}

func testChanges(t *testing.T, s central.Store) {
	add := func(device, team, text string) int64 {
		var seq int64
		update(t, s, func(tx central.Tx) error {
			var err error
			seq, err = tx.AppendChange(ctx, central.Change{Device: device, Team: team, Body: api.Change{Kind: api.KindAlert, Text: text, At: t0}})
			return err
		})
		return seq
	}
	s1 := add("", "", "everyone")
	add("dev2", "", "other device")
	s3 := add("dev1", "", "mine")
	add("", "b", "team b")
	s5 := add("", "a", "team a")
	if !(s1 < s3 && s3 < s5) {
		t.Fatalf("sequence not increasing: %d %d %d", s1, s3, s5)
	}
	s.View(ctx, func(tx central.Tx) error {
		cs, err := tx.Changes(ctx, "dev1", "a", 0, 10)
		if err != nil || len(cs) != 3 || cs[0].Body.Text != "everyone" || cs[1].Body.Text != "mine" || cs[2].Body.Text != "team a" {
			t.Errorf("changes: %+v %v", cs, err)
		}
		cs, _ = tx.Changes(ctx, "dev1", "a", s3, 10)
		if len(cs) != 1 || cs[0].Seq != s5 {
			t.Errorf("after cursor: %+v", cs)
		}
		cs, _ = tx.Changes(ctx, "dev1", "a", 0, 1)
		if len(cs) != 1 {
			t.Errorf("limit: %+v", cs)
		}
		return nil
	})
}

func testAudit(t *testing.T, s central.Store) {
	prev := ""
	for i := int64(1); i <= 3; i++ {
		update(t, s, func(tx central.Tx) error {
			seq, head, err := tx.AuditHead(ctx)
			if err != nil || seq != i-1 || head != prev {
				t.Errorf("head %d %q %v", seq, head, err)
			}
			r := central.AuditRecord{Seq: i, At: t0, Actor: "user:x", Action: "entry.open", EntryID: "e", Revision: 1, Detail: `{"a":1}`, PrevHash: head}
			r.Hash = central.AuditHash(head, r)
			prev = r.Hash
			return tx.AppendAudit(ctx, r)
		})
	}
	s.View(ctx, func(tx central.Tx) error {
		n := int64(0)
		tx.ScanAudit(ctx, func(r central.AuditRecord) error {
			n++
			if r.Seq != n || central.AuditHash(r.PrevHash, r) != r.Hash || !r.At.Equal(t0) {
				t.Errorf("record %+v", r)
			}
			return nil
		})
		if n != 3 {
			t.Errorf("%d records", n)
		}
		return nil
	})
	// Append-only: the database refuses to change or remove a record.
	for _, q := range []string{"UPDATE audit SET actor = 'x'", "DELETE FROM audit"} {
		if err := s.Update(ctx, func(tx central.Tx) error { return execRaw(tx, q) }); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// execRaw runs SQL through the store's transaction (the contract tests own
// the schema; the service never does this).
func execRaw(tx central.Tx, q string) error {
	r, ok := tx.(interface {
		Exec(context.Context, string, ...any) error
	})
	if !ok {
		return fmt.Errorf("store has no raw exec")
	}
	return r.Exec(ctx, q)
}

// testConcurrent runs writers at once: every write lands, counters never
// repeat and the audit chain stays unbroken.
func testConcurrent(t *testing.T, s central.Store) {
	const writers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	seen := sync.Map{}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				errs <- s.Update(ctx, func(tx central.Tx) error {
					n, err := tx.NextCounter(ctx, "c")
					if err != nil {
						return err
					}
					if _, dup := seen.LoadOrStore(n, true); dup {
						return fmt.Errorf("counter %d handed out twice", n)
					}
					seq, head, err := tx.AuditHead(ctx)
					if err != nil {
						return err
					}
					r := central.AuditRecord{Seq: seq + 1, At: t0, Actor: "x", Action: "y", Detail: "{}", PrevHash: head}
					r.Hash = central.AuditHash(head, r)
					return tx.AppendAudit(ctx, r)
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.View(ctx, func(tx central.Tx) error {
		seq, _, _ := tx.AuditHead(ctx)
		if seq != writers*each {
			t.Errorf("audit head %d, want %d", seq, writers*each)
		}
		return nil
	})
}

func testChecklists(t *testing.T, s central.Store) {
	ref := forms.Ref{ID: "c", Version: "1.0.0"}
	for i, want := range []bool{true, false} {
		update(t, s, func(tx central.Tx) error {
			isNew, err := tx.MarkChecklist(ctx, ref, "h", t0)
			if isNew != want {
				t.Errorf("mark %d: new=%v", i, isNew)
			}
			return err
		})
	}
}
