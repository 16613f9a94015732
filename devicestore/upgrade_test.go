package devicestore

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// The v2 fixture is a store written by the schema version 2 code (the
// last with the entry document in the revisions rows), kept in testdata
// so that every later version is tested upgrading a real v2 file. It was
// made by TestWriteV2Fixture (run once, with SAFEGUARD_WRITE_V2_FIXTURE=1,
// on the version 2 code), which also wrote testdata/store-v2.snapshot:
// what that code read back from the file (snapshotStore). Never
// regenerate either after version 3 shipped.
const (
	v2Fixture  = "testdata/store-v2.db"
	v2Snapshot = "testdata/store-v2.snapshot"
	v2Officer  = "PC0077"
	v2PIN      = "417350"
)

func TestWriteV2Fixture(t *testing.T) {
	if os.Getenv("SAFEGUARD_WRITE_V2_FIXTURE") != "1" {
		t.Skip("set SAFEGUARD_WRITE_V2_FIXTURE=1 to rewrite " + v2Fixture)
	}
	if SchemaVersion != 2 {
		t.Fatalf("the v2 fixture must be written by the version 2 code (this is %d)", SchemaVersion)
	}
	c := newClock()
	dir := t.TempDir()
	path := filepath.Join(dir, "v2.db")
	s := openTest(t, path, c)
	must(t, s.EnrolOfficer(v2Officer, "PC Fixture Two", v2PIN))
	entry := func(title string, n int) string {
		e := mustEntry(t, s)
		must(t, s.SetTitle(e.ID, title))
		must(t, s.SetAnswer(e.ID, "", "", "incident_ref", forms.Answer{Value: fmt.Sprintf("CAD-V2-%04d", n)}))
		for k := 0; k < 1+n%4; k++ {
			child, err := s.AddInstance(e.ID, "child")
			must(t, err)
			must(t, s.SetAnswer(e.ID, "child", child, "name", forms.Answer{Value: fmt.Sprintf("Child %d.%d", n, k)}))
			must(t, s.SetAnswer(e.ID, "child", child, "words", forms.Answer{Value: strings.Repeat("said something worrying; ", 10+n)}))
		}
		c.Advance(time.Minute)
		return e.ID
	}
	submit := func(id string, grade forms.Level, immediate bool) {
		_, err := s.Submit(id, grade, immediate)
		must(t, err)
		c.Advance(time.Minute)
	}
	n := 0
	next := func(title string) string { n++; return entry(title, n) }

	d := next("draft with a photo")
	_, err := s.PutAttachment(d, strings.NewReader("v2 photo bytes"), "image/jpeg", "v2.jpg")
	must(t, err)
	next("plain draft")
	submit(next("queued immediate"), forms.LevelImmediate, true)
	for i := 0; i < 3; i++ {
		submit(next("queued standard"), forms.LevelStandard, false)
	}
	tr, err := s.NewEntry(testChecklist, true)
	must(t, err)
	must(t, s.SetTitle(tr.ID, "training queued"))
	must(t, s.SetAnswer(tr.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-V2-TRAIN"}))
	submit(tr.ID, forms.LevelMedium, false)

	// Sent and answered in several ways.
	var ids []string
	for _, title := range []string{"sent, no answer yet", "accepted", "approved", "returned", "rejected for good", "rejected for now", "approved and purged"} {
		id := next(title)
		submit(id, forms.LevelHigh, false)
		ids = append(ids, id)
	}
	items, err := s.NextBatch(c.Now().Add(time.Hour), 100, 0)
	must(t, err)
	if len(items) != 12 {
		t.Fatalf("handed out %d", len(items))
	}
	acks := []Ack{
		{EntryID: ids[1], Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-V2-1"},
		{EntryID: ids[2], Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-V2-2"},
		{EntryID: ids[3], Revision: 1, Outcome: OutcomeDuplicate, Receipt: "SG-V2-3"},
		{EntryID: ids[4], Revision: 1, Outcome: OutcomeRejected, Permanent: true, Reason: "checklist withdrawn"},
		{EntryID: ids[5], Revision: 1, Outcome: OutcomeRejected, Reason: "server busy"},
		{EntryID: ids[6], Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-V2-6"},
	}
	must(t, s.Acknowledge(acks))
	// The rest of the batch goes back to the queue (the link dropped).
	for _, it := range items {
		if !strings.Contains(strings.Join(ids, " "), it.EntryID) {
			must(t, s.Defer(it.EntryID, it.Revision, "no signal", c.Now()))
		}
	}
	must(t, s.ApplyChanges("v2-cursor-1", []Change{
		{Kind: ChangeDecision, EntryID: ids[3], Revision: 1, Decision: DecisionReturned, Reason: "add the school",
			Comments: []Comment{{Path: "incident_ref", Text: "wrong reference"}}},
		{Kind: ChangeDecision, EntryID: ids[6], Revision: 1, Decision: DecisionApproved},
		{Kind: ChangeAlert, AlertID: "a1", Level: forms.LevelHigh, Text: "check the address"},
	}))
	// The returned entry is corrected and submitted again: two frozen
	// revisions.
	must(t, s.SetAnswer(ids[3], "", "", "incident_ref", forms.Answer{Value: "CAD-V2-FIXED"}))
	submit(ids[3], forms.LevelHigh, false)
	// Only the purge candidate was decided long enough ago.
	c.Advance(DefaultRetention + time.Hour)
	if n, err := s.Purge(c.Now()); err != nil || n != 1 {
		t.Fatalf("purged %d (%v), want the one approved", n, err)
	}
	must(t, s.ApplyChanges("v2-cursor-2", []Change{{Kind: ChangeDecision, EntryID: ids[2], Revision: 1, Decision: DecisionApproved}}))
	must(t, s.Close())

	raw, err := sql.Open("sqlite", path)
	must(t, err)
	for _, stmt := range []string{`PRAGMA journal_mode = DELETE`, `VACUUM`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	raw.Close()
	b, err := os.ReadFile(path)
	must(t, err)
	must(t, os.WriteFile(v2Fixture, b, 0o644))
	must(t, os.RemoveAll(v2Fixture+"-attachments"))
	must(t, os.CopyFS(v2Fixture+"-attachments", os.DirFS(path+"-attachments")))

	snap := snapshotStore(t, copyFixtureFile(t, v2Fixture), newClock())
	must(t, os.WriteFile(v2Snapshot, []byte(strings.Join(snap, "\n")+"\n"), 0o644))
}

// copyFixtureFile copies a fixture (and its attachments) to a temporary
// folder.
func copyFixtureFile(t *testing.T, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	b, err := os.ReadFile(fixture)
	must(t, err)
	must(t, os.WriteFile(path, b, 0o600))
	must(t, os.CopyFS(path+"-attachments", os.DirFS(fixture+"-attachments")))
	return path
}

// snapshotStore opens the store at path (upgrading it), unlocks it as the
// v2 officer and lists, one line each, everything the schema change could
// lose: every entry's summary, every revision's bookkeeping (read from
// the revisions rows, which keep the same columns but the document) and
// the SHA-256 of the document the store gives back for it, the outbox,
// the backlog, the set-aside reasons, the cursor, the alerts and the
// audit head (before anything is opened: opening an entry is audited).
func snapshotStore(t *testing.T, path string, c *fakeClock) []string {
	t.Helper()
	s := openTest(t, path, c)
	defer s.Close()
	must(t, s.Unlock(v2Officer, v2PIN))
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	must(t, s.VerifyAudit())
	seq, head, err := s.AuditHead()
	must(t, err)
	add("audit head %d %s", seq, head)

	rows, err := s.db.Query(`SELECT entry_id, revision, state, created, grade, immediate, frozen, hash, size, receipt, acked, decided, note IS NOT NULL
		FROM revisions ORDER BY entry_id, revision`)
	must(t, err)
	type rev struct {
		id     string
		n      int
		frozen bool
		hash   string
	}
	var revs []rev
	for rows.Next() {
		var id, state string
		var n, grade, immediate int
		var created int64
		var frozen, size, acked, decided sql.NullInt64
		var hash, receipt sql.NullString
		var note bool
		must(t, rows.Scan(&id, &n, &state, &created, &grade, &immediate, &frozen, &hash, &size, &receipt, &acked, &decided, &note))
		add("revision %s %d state=%s created=%d grade=%d immediate=%d frozen=%v hash=%v size=%v receipt=%v acked=%v decided=%v note=%v",
			id, n, state, created, grade, immediate, frozen, hash, size, receipt, acked, decided, note)
		revs = append(revs, rev{id, n, frozen.Valid, hash.String})
	}
	must(t, rows.Err())
	rows.Close()

	rows, err = s.db.Query(`SELECT seq, entry_id, revision, priority, training, enqueued, attempts, next_attempt, last_error IS NOT NULL, set_aside FROM outbox ORDER BY seq`)
	must(t, err)
	for rows.Next() {
		var seq, priority, training, attempts int
		var id string
		var rv int
		var enq, next int64
		var lastErr bool
		var aside sql.NullInt64
		must(t, rows.Scan(&seq, &id, &rv, &priority, &training, &enq, &attempts, &next, &lastErr, &aside))
		add("outbox %d %s %d priority=%d training=%d enqueued=%d attempts=%d next=%d error=%v aside=%v", seq, id, rv, priority, training, enq, attempts, next, lastErr, aside)
	}
	must(t, rows.Err())
	rows.Close()

	list, err := s.ListEntries(Filter{})
	must(t, err)
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, m := range list {
		add("entry %+v", m)
	}
	b, err := s.Backlog()
	must(t, err)
	add("backlog %+v", b)
	aside, err := s.SetAside()
	must(t, err)
	for _, it := range aside {
		add("set aside %s %d %q", it.EntryID, it.Revision, it.LastError)
	}
	cur, err := s.Cursor()
	must(t, err)
	add("cursor %q", cur)
	alerts, err := s.Alerts(true)
	must(t, err)
	for _, a := range alerts {
		add("alert %s %d %q", a.ID, a.Level, a.Text)
	}
	for _, r := range revs {
		e, err := s.EntryRevision(r.id, r.n)
		switch {
		case errors.Is(err, ErrPurged):
			add("document %s %d purged", r.id, r.n)
			continue
		case err != nil:
			t.Fatalf("revision %s %d: %v", r.id, r.n, err)
		}
		doc, err := e.Encode()
		must(t, err)
		sum := sha256.Sum256(doc)
		add("document %s %d sha256=%s", r.id, r.n, hex.EncodeToString(sum[:]))
		if r.frozen && hex.EncodeToString(sum[:]) != r.hash {
			t.Errorf("revision %s %d: the document read back is not the one frozen", r.id, r.n)
		}
	}
	return out
}

// TestUpgradeFromV2 opens the v2 fixture with this code (upgrading it)
// and finds every entry and revision as the version 2 code read them:
// the same bookkeeping, the same documents byte for byte; the revisions
// waiting are sent with their documents, and the upgraded store carries
// on as a new one.
func TestUpgradeFromV2(t *testing.T) {
	want, err := os.ReadFile(v2Snapshot)
	must(t, err)
	c := newClock()
	path := copyFixtureFile(t, v2Fixture)
	got := snapshotStore(t, path, c)
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	if len(got) != len(wantLines) {
		t.Errorf("%d lines after upgrade, %d before", len(got), len(wantLines))
	}
	for i := 0; i < min(len(got), len(wantLines)); i++ {
		if got[i] != wantLines[i] {
			t.Errorf("after upgrade:\n  %s\nbefore:\n  %s", got[i], wantLines[i])
		}
	}
	s := openTest(t, path, c)
	var v int
	must(t, s.db.QueryRow(`PRAGMA user_version`).Scan(&v))
	if v != SchemaVersion {
		t.Fatalf("user_version after upgrade = %d, want %d", v, SchemaVersion)
	}
	var check string
	must(t, s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	if check != "ok" {
		t.Fatalf("integrity_check after upgrade: %s", check)
	}
	must(t, s.Unlock(v2Officer, v2PIN))
	// Everything waiting goes, each with the document it was frozen with.
	items, err := s.NextBatch(c.Now().Add(24*time.Hour), 100, 0)
	must(t, err)
	if len(items) != 8 {
		t.Fatalf("%d items waiting after upgrade, want 8 (4 queued, training, sent unanswered, rejected for now, resubmitted)", len(items))
	}
	var acks []Ack
	for i, it := range items {
		if sum := sha256.Sum256(it.Payload); hex.EncodeToString(sum[:]) != it.Hash {
			t.Errorf("item %s: payload does not match its hash", it.EntryID)
		}
		if _, err := forms.DecodeEntry(it.Payload); err != nil {
			t.Errorf("item %s: %v", it.EntryID, err)
		}
		acks = append(acks, Ack{EntryID: it.EntryID, Revision: it.Revision, Outcome: OutcomeAccepted, Receipt: fmt.Sprintf("SG-UP-%d", i)})
	}
	must(t, s.Acknowledge(acks))
	b, err := s.Backlog()
	must(t, err)
	if b.Entries != 0 || b.SetAside != 1 {
		t.Errorf("backlog after sending = %+v, want only the one set aside", b)
	}
	// New work: a draft submitted, sent and acknowledged.
	drafts, err := s.ListEntries(Filter{States: []State{StateDraft}})
	must(t, err)
	if len(drafts) != 2 {
		t.Fatalf("drafts after upgrade = %+v", drafts)
	}
	fr, err := s.Submit(drafts[0].ID, forms.LevelStandard, false)
	must(t, err)
	items, err = s.NextBatch(c.Now(), 10, 0)
	must(t, err)
	if len(items) != 1 || items[0].EntryID != fr.EntryID || items[0].Hash != fr.Hash {
		t.Fatalf("new submission after upgrade: %+v", items)
	}
	must(t, s.Acknowledge([]Ack{{EntryID: fr.EntryID, Revision: fr.Revision, Outcome: OutcomeAccepted, Receipt: "SG-UP-NEW"}}))
	must(t, s.VerifyAudit())
}
