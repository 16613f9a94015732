package devicestore

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
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

// The upgrade kill test: a child process (the test binary again) opens a
// large version 2 store, which upgrades it, and is killed: once inside
// the upgrade's transaction just before its commit (every statement of
// the migration run, pages already spilled to the log), then at random
// moments (while the file is checked, mid-statement, mid-commit, after).
// After every kill the file must open as it was (version 2) or upgraded
// (version 3), never in between, with every revision's document intact;
// the store must then open, upgrade and work.

const envUpgradeChild = "SAFEGUARD_UPGRADE_CHILD"

// TestUpgradeChild is the child process; it does nothing in a normal run.
func TestUpgradeChild(t *testing.T) {
	path := os.Getenv(envUpgradeChild)
	if path == "" {
		t.Skip("child process of TestUpgradeKilled")
	}
	if os.Getenv("SAFEGUARD_UPGRADE_KILL_BEFORE_COMMIT") == "1" {
		beforeUpgradeCommit = func(v int) {
			if v == 3 {
				fmt.Println("committing")
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal arrives
			}
		}
	}
	fmt.Println("opening")
	s, err := Open(path, Options{KDF: testKDF, InsecureKDF: true, IdleLock: -1, Logger: quietLogger()})
	if err != nil {
		fmt.Println("err", err)
		os.Exit(3)
	}
	s.Close()
	fmt.Println("upgraded")
	os.Exit(0)
}

// bigV2Store copies the v2 fixture and adds copies copies of each entry
// and its revisions (under new ids, documents byte for byte), so the
// upgrade has thousands of documents to move.
func bigV2Store(t *testing.T, copies int) string {
	t.Helper()
	path := copyFixtureFile(t, v2Fixture)
	db, err := sql.Open("sqlite", path)
	must(t, err)
	defer db.Close()
	for table, key := range map[string]string{"entries": "id", "revisions": "entry_id"} {
		rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		must(t, err)
		var cols, sel []string
		for rows.Next() {
			var c string
			must(t, rows.Scan(&c))
			cols = append(cols, c)
			if c == key {
				c = c + " || '-copy-' || i"
			}
			sel = append(sel, c)
		}
		rows.Close()
		q := fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO %s(%s) SELECT %s FROM %s, n`, copies, table, strings.Join(cols, ", "), strings.Join(sel, ", "), table)
		_, err = db.Exec(q)
		must(t, err)
	}
	return path
}

// storedDocuments reads every stored document by revision, from wherever
// the file's schema version keeps it, and checks the file.
func storedDocuments(t *testing.T, path string) (version int, docs map[string]string) {
	t.Helper()
	db, err := sql.Open("sqlite", DSN(path, 0))
	must(t, err)
	defer db.Close()
	var check string
	must(t, db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	if check != "ok" {
		t.Fatalf("integrity_check: %s", check)
	}
	must(t, db.QueryRow(`PRAGMA user_version`).Scan(&version))
	q := `SELECT entry_id, revision, payload FROM payloads`
	switch version {
	case 2:
		q = `SELECT entry_id, revision, payload FROM revisions WHERE payload IS NOT NULL`
	case 3:
		var n int
		must(t, db.QueryRow(`SELECT count(*) FROM pragma_table_info('revisions') WHERE name = 'payload'`).Scan(&n))
		if n != 0 {
			t.Fatal("version 3 with the document column still in revisions")
		}
	default:
		t.Fatalf("schema version %d", version)
	}
	rows, err := db.Query(q)
	must(t, err)
	defer rows.Close()
	docs = map[string]string{}
	for rows.Next() {
		var id string
		var rev int
		var b []byte
		must(t, rows.Scan(&id, &rev, &b))
		sum := sha256.Sum256(b)
		docs[fmt.Sprintf("%s %d", id, rev)] = hex.EncodeToString(sum[:])
	}
	must(t, rows.Err())
	return version, docs
}

func runUpgradeChild(t *testing.T, path string, beforeCommit bool, killAfter time.Duration) (lines []string, killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpgradeChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envUpgradeChild+"="+path)
	if beforeCommit {
		cmd.Env = append(cmd.Env, "SAFEGUARD_UPGRADE_KILL_BEFORE_COMMIT=1")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	must(t, cmd.Start())
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	lines = strings.Fields(stdout.String())
	if !ws.Signaled() && !slices.Contains(lines, "upgraded") {
		t.Fatalf("child failed: %s\n%s", stdout.String(), stderr.String())
	}
	return lines, ws.Signaled()
}

// checkUpgradedWorks opens the store (upgrading it if the kill left
// version 2), and finds the fixture's documents as the version 2 code
// read them and the audit chain whole.
func checkUpgradedWorks(t *testing.T, path string, want map[string]string) {
	t.Helper()
	c := newClock()
	s := openTest(t, path, c)
	must(t, s.Unlock(v2Officer, v2PIN))
	for key, sum := range want {
		var id string
		var rev int
		fmt.Sscanf(key, "%s %d", &id, &rev)
		e, err := s.EntryRevision(id, rev)
		must(t, err)
		doc, err := e.Encode()
		must(t, err)
		if got := sha256.Sum256(doc); hex.EncodeToString(got[:]) != sum {
			t.Fatalf("revision %s: document differs after the upgrade", key)
		}
	}
	must(t, s.VerifyAudit())
	must(t, s.Close())
}

// fixtureDocuments is the v2 snapshot's documents: revision -> SHA-256
// of the document the version 2 code read back.
func fixtureDocuments(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(v2Snapshot)
	must(t, err)
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 4 && f[0] == "document" && strings.HasPrefix(f[3], "sha256=") {
			out[f[1]+" "+f[2]] = strings.TrimPrefix(f[3], "sha256=")
		}
	}
	if len(out) == 0 {
		t.Fatal("no documents in the snapshot")
	}
	return out
}

func TestUpgradeKilled(t *testing.T) {
	if os.Getenv(envUpgradeChild) != "" {
		t.Skip("in the child")
	}
	copies := 300
	if testing.Short() {
		copies = 60
	}
	template := bigV2Store(t, copies)
	v, original := storedDocuments(t, template)
	if v != 2 || len(original) < 1000 {
		t.Fatalf("big v2 store: version %d, %d documents", v, len(original))
	}
	fixture := fixtureDocuments(t)
	fresh := func() string {
		path := filepath.Join(t.TempDir(), "device.db")
		b, err := os.ReadFile(template)
		must(t, err)
		must(t, os.WriteFile(path, b, 0o600))
		must(t, os.MkdirAll(path+"-attachments", 0o700))
		return path
	}
	same := func(what string, got map[string]string) {
		t.Helper()
		if len(got) != len(original) {
			t.Fatalf("%s: %d documents, want %d", what, len(got), len(original))
		}
		for k, v := range original {
			if got[k] != v {
				t.Fatalf("%s: revision %s: document lost or changed", what, k)
			}
		}
	}

	// Killed inside the upgrade's transaction, just before its commit.
	path := fresh()
	lines, killed := runUpgradeChild(t, path, true, 0)
	if !killed || !slices.Contains(lines, "committing") {
		t.Fatalf("child was not killed before the commit: %v", lines)
	}
	v, docs := storedDocuments(t, path)
	if v != 2 {
		t.Fatalf("killed before the upgrade's commit: the file is at version %d, want 2 as it was", v)
	}
	same("killed before commit", docs)
	checkUpgradedWorks(t, path, fixture)
	v, docs = storedDocuments(t, path)
	if v != 3 {
		t.Fatalf("after reopening: version %d", v)
	}
	same("upgraded after the kill", docs)

	// Uninterrupted, timed, to choose the kill moments.
	path = fresh()
	start := time.Now()
	runUpgradeChild(t, path, false, 0)
	whole := time.Since(start)
	v, docs = storedDocuments(t, path)
	if v != 3 {
		t.Fatalf("upgraded: version %d", v)
	}
	same("upgraded", docs)

	// Killed at random moments.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	n := 12
	if testing.Short() {
		n = 4
	}
	left := map[int]int{}
	for i := 0; i < n; i++ {
		path := fresh()
		at := time.Duration(rng.Int64N(int64(whole) * 5 / 4))
		runUpgradeChild(t, path, false, at)
		v, docs := storedDocuments(t, path)
		left[v]++
		same(fmt.Sprintf("killed after %v (version %d)", at, v), docs)
		checkUpgradedWorks(t, path, fixture)
		_, docs = storedDocuments(t, path)
		same(fmt.Sprintf("reopened after a kill at %v", at), docs)
	}
	t.Logf("uninterrupted upgrade of %d documents (process included) %v; %d random kills left %d files at version 2, %d at version 3",
		len(original), whole.Round(time.Millisecond), n, left[2], left[3])
}
