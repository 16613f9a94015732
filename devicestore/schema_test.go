package devicestore

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// The v1 fixture is a store written at schema version 1, kept in
// testdata so that every later version is tested upgrading a real v1
// file. It was made by TestWriteV1Fixture (run once, with
// SAFEGUARD_WRITE_V1_FIXTURE=1): a store filled through the API, then
// taken back to the version 1 schema and checked against a database made
// by migration 0001 alone. Never regenerate it after version 2 shipped.
const (
	v1Fixture  = "testdata/store-v1.db"
	v1Officer  = "PC0042"
	v1PIN      = "802461"
	v1Draft    = "draft"    // SetTitle values, to find the entries
	v1Queued   = "queued"   // submitted, in the outbox
	v1Approved = "approved" // acknowledged and approved
)

func TestWriteV1Fixture(t *testing.T) {
	if os.Getenv("SAFEGUARD_WRITE_V1_FIXTURE") != "1" {
		t.Skip("set SAFEGUARD_WRITE_V1_FIXTURE=1 to rewrite " + v1Fixture)
	}
	c := newClock()
	dir := t.TempDir()
	path := filepath.Join(dir, "v1.db")
	s := openTest(t, path, c)
	must(t, s.EnrolOfficer(v1Officer, "PC Fixture", v1PIN))

	d := mustEntry(t, s)
	child, err := s.AddInstance(d.ID, "child")
	must(t, err)
	must(t, s.SetAnswer(d.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-V1-0001"}))
	must(t, s.SetAnswer(d.ID, "child", child, "name", forms.Answer{Value: "Fixture Child"}))
	must(t, s.SetAnswer(d.ID, "child", child, "age", forms.Answer{Value: 7}))
	_, err = s.PutAttachment(d.ID, strings.NewReader("v1 photo bytes"), "image/jpeg", "v1.jpg")
	must(t, err)

	q := mustEntry(t, s)
	must(t, s.SetAnswer(q.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-V1-0002"}))
	_, err = s.Submit(q.ID, forms.LevelImmediate, true)
	must(t, err)

	a := mustEntry(t, s)
	must(t, s.SetAnswer(a.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-V1-0003"}))
	_, err = s.Submit(a.ID, forms.LevelMedium, false)
	must(t, err)
	must(t, s.Acknowledge([]Ack{{EntryID: a.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-V1-3"}}))
	must(t, s.ApplyChanges("v1-cursor", []Change{{Kind: ChangeDecision, EntryID: a.ID, Revision: 1, Decision: DecisionApproved}}))
	must(t, s.Close())

	// Back to version 1: v2 added columns and indexes to entries. The
	// titles (a v2 column) are lost, so the entries are found by their
	// incident reference.
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	for _, stmt := range []string{
		`DROP INDEX entries_state_updated`, `DROP INDEX entries_updated`,
		`ALTER TABLE entries DROP COLUMN state`, `ALTER TABLE entries DROP COLUMN grade`,
		`ALTER TABLE entries DROP COLUMN immediate`, `ALTER TABLE entries DROP COLUMN title`,
		`PRAGMA user_version = 1`, `PRAGMA journal_mode = DELETE`, `VACUUM`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	raw.Close()

	// Its schema must be exactly what migration 0001 makes.
	ref := filepath.Join(dir, "ref.db")
	rdb, err := sql.Open("sqlite", ref)
	must(t, err)
	ms, err := loadMigrations()
	must(t, err)
	_, err = rdb.Exec(ms[0].sql)
	must(t, err)
	rdb.Close()
	if a, b := schemaOf(t, path), schemaOf(t, ref); !reflect.DeepEqual(a, b) {
		t.Fatalf("downgraded schema differs from version 1:\n%v\n%v", a, b)
	}
	b, err := os.ReadFile(path)
	must(t, err)
	must(t, os.MkdirAll("testdata", 0o755))
	must(t, os.WriteFile(v1Fixture, b, 0o644))
	must(t, os.RemoveAll(v1Fixture+"-attachments"))
	must(t, os.CopyFS(v1Fixture+"-attachments", os.DirFS(path+"-attachments")))
}

// schemaOf lists every table's columns and every index, comparably.
func schemaOf(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	must(t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	must(t, err)
	var objs [][3]string
	for rows.Next() {
		var o [3]string
		must(t, rows.Scan(&o[0], &o[1], &o[2]))
		objs = append(objs, o)
	}
	rows.Close()
	var out []string
	for _, o := range objs {
		out = append(out, strings.Join(o[:], " "))
		pragma := "table_xinfo"
		if o[0] == "index" {
			pragma = "index_xinfo"
		}
		cols, err := db.Query(fmt.Sprintf(`SELECT * FROM pragma_%s(?)`, pragma), o[1])
		must(t, err)
		names, _ := cols.Columns()
		for cols.Next() {
			vals := make([]any, len(names))
			ptrs := make([]any, len(names))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, cols.Scan(ptrs...))
			out = append(out, fmt.Sprintf("  %v", vals))
		}
		cols.Close()
	}
	return out
}

// copyFixture copies the v1 fixture (and its attachments) to a temporary
// folder.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	b, err := os.ReadFile(v1Fixture)
	must(t, err)
	must(t, os.WriteFile(path, b, 0o600))
	must(t, os.CopyFS(path+"-attachments", os.DirFS(v1Fixture+"-attachments")))
	return path
}

func TestUpgradeFromV1(t *testing.T) {
	path := copyFixture(t)
	c := newClock()
	s := openTest(t, path, c)
	var v int
	must(t, s.db.QueryRow(`PRAGMA user_version`).Scan(&v))
	if v != SchemaVersion {
		t.Fatalf("user_version after upgrade = %d, want %d", v, SchemaVersion)
	}
	must(t, s.Unlock(v1Officer, v1PIN))
	list, err := s.ListEntries(Filter{})
	must(t, err)
	if len(list) != 3 {
		t.Fatalf("entries after upgrade = %+v", list)
	}
	byRef := map[string]Summary{}
	for _, m := range list {
		e, err := s.Entry(m.ID)
		must(t, err)
		byRef[e.Answers["incident_ref"].Value.(string)] = m
	}
	d, q, a := byRef["CAD-V1-0001"], byRef["CAD-V1-0002"], byRef["CAD-V1-0003"]
	if d.State != StateDraft || q.State != StateQueued || q.Grade != forms.LevelImmediate || !q.Immediate ||
		a.State != StateApproved || a.Receipt != "SG-V1-3" || a.Grade != forms.LevelMedium {
		t.Fatalf("states after upgrade (v2 backfill): draft %+v\nqueued %+v\napproved %+v", d, q, a)
	}
	draft, err := s.Entry(d.ID)
	must(t, err)
	var child forms.Instance
	if len(draft.Groups["child"]) == 1 {
		child = draft.Groups["child"][0]
	}
	if child.Answers["name"].Value != "Fixture Child" || child.Answers["age"].Value != float64(7) || len(draft.Attachments) != 1 {
		t.Fatalf("draft after upgrade = %s", encode(t, draft))
	}
	r, err := s.OpenAttachment(draft.Attachments[0].SHA256)
	must(t, err)
	photo, err := io.ReadAll(r)
	must(t, err)
	r.Close()
	if string(photo) != "v1 photo bytes" {
		t.Fatalf("attachment after upgrade = %q", photo)
	}
	items, err := s.NextBatch(c.Now(), 10, 0)
	must(t, err)
	if len(items) != 1 || items[0].EntryID != q.ID || items[0].Priority != PriorityImmediate {
		t.Fatalf("outbox after upgrade = %+v", items)
	}
	if cur, _ := s.Cursor(); cur != "v1-cursor" {
		t.Errorf("cursor after upgrade = %q", cur)
	}
	must(t, s.VerifyAudit())
	// The upgraded store works as a new one does.
	must(t, s.SetAnswer(d.ID, "child", child.ID, "name", forms.Answer{Value: "Fixture Child Renamed"}))
	must(t, s.SetTitle(d.ID, "renamed"))
	must(t, s.Close())
	s = openTest(t, path, c)
	must(t, s.Unlock(v1Officer, v1PIN))
	drafts, err := s.ListEntries(Filter{States: []State{StateDraft}})
	must(t, err)
	if len(drafts) != 1 || drafts[0].Title != "renamed" {
		t.Fatalf("drafts after second open = %+v", drafts)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, c, path := newTestStore(t)
	must(t, s.Close())
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	_, err = raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion+1))
	must(t, err)
	raw.Close()
	_, err = Open(path, testOptions(c))
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "update the app") {
		t.Errorf("message %q does not say what to do", err)
	}
}

func TestDamagedOrForeignFileRefused(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	cases := map[string]func(path string){
		"random bytes": func(path string) {
			b := make([]byte, 8192)
			rand.Read(b)
			os.WriteFile(path, b, 0o600)
		},
		"text file": func(path string) { os.WriteFile(path, []byte("hello, I am not a database\n"), 0o600) },
		"another app's database": func(path string) {
			db, _ := sql.Open("sqlite", path)
			db.Exec(`CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)`)
			db.Close()
		},
		"truncated store": func(path string) {
			makeStore(t, path, c)
			b, _ := os.ReadFile(path)
			os.WriteFile(path, b[:len(b)/2+100], 0o600)
		},
		"damaged pages": func(path string) {
			makeStore(t, path, c)
			b, _ := os.ReadFile(path)
			// Scribble over every page but the first (the header stays
			// valid, so only the content check can tell).
			for off := 4096; off+64 < len(b); off += 4096 {
				copy(b[off:off+64], bytes.Repeat([]byte{0xA5}, 64))
			}
			os.WriteFile(path, b, 0o600)
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
			damage(path)
			s, err := Open(path, testOptions(c))
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v, want ErrCorrupt", err)
			}
		})
	}
}

// makeStore writes a closed store with some content at path.
func makeStore(t *testing.T, path string, c *fakeClock) {
	t.Helper()
	s, err := Open(path, testOptions(c))
	must(t, err)
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	for i := 0; i < 20; i++ {
		e := mustEntry(t, s)
		fillEntry(t, s, e.ID)
	}
	must(t, s.Close())
}
