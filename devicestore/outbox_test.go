package devicestore

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

func submitted(t testing.TB, s *Store, answer string, grade forms.Level, immediate bool) Frozen {
	t.Helper()
	e := mustEntry(t, s)
	must(t, s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: answer}))
	fr, err := s.Submit(e.ID, grade, immediate)
	must(t, err)
	return fr
}

func TestSubmitFreezes(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	before, err := s.Entry(e.ID)
	must(t, err)
	fr, err := s.Submit(e.ID, forms.LevelHigh, false)
	must(t, err)
	if fr.Revision != 1 || fr.Priority != int(forms.LevelHigh)*10 {
		t.Errorf("frozen = %+v", fr)
	}
	// The hash is the SHA-256 of the entry document, as forms encodes it.
	doc := encode(t, before)
	sum := sha256.Sum256([]byte(doc))
	if fr.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("hash %s is not the SHA-256 of the encoded entry", fr.Hash)
	}
	for name, err := range map[string]error{
		"answer":      s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "late"}),
		"instance":    func() error { _, err := s.AddInstance(e.ID, "child"); return err }(),
		"grading":     s.SetGrading(e.ID, nil),
		"attachment":  func() error { _, err := s.PutAttachment(e.ID, strings.NewReader("x"), "", ""); return err }(),
		"resubmit":    func() error { _, err := s.Submit(e.ID, forms.LevelHigh, false); return err }(),
		"links":       s.SetRelationships(e.ID, nil),
		"remove file": s.RemoveAttachment(e.ID, before.Attachments[0].SHA256),
	} {
		if !errors.Is(err, ErrFrozen) {
			t.Errorf("%s after submit: %v, want ErrFrozen", name, err)
		}
	}
	after, err := s.Entry(e.ID)
	must(t, err)
	if encode(t, after) != doc {
		t.Error("frozen entry reads back different")
	}
	items, err := s.NextBatch(time.Now().Add(time.Hour), 10, 0)
	must(t, err)
	if len(items) != 1 || string(items[0].Payload) != doc || items[0].Hash != fr.Hash {
		t.Fatalf("outbox = %+v", items)
	}
	// The server decodes the payload and hashes it again: it must agree.
	if h, err := forms.ContentHash(before); err != nil || h != fr.Hash {
		t.Errorf("forms.ContentHash = %s, %v; store says %s", h, err, fr.Hash)
	}
	decoded, err := forms.DecodeEntry(items[0].Payload)
	must(t, err)
	if h, _ := forms.ContentHash(decoded); h != fr.Hash {
		t.Errorf("hash of the decoded payload %s differs from the frozen hash %s", h, fr.Hash)
	}
}

func TestNextBatchOrderAndLimits(t *testing.T) {
	s, c, _ := newTestStore(t)
	std := submitted(t, s, "standard", forms.LevelStandard, false)
	c.Advance(time.Second)
	high := submitted(t, s, "high", forms.LevelHigh, false)
	c.Advance(time.Second)
	std2 := submitted(t, s, "standard 2", forms.LevelStandard, false)
	c.Advance(time.Second)
	imm := submitted(t, s, "immediate, submitted last", forms.LevelHigh, true)
	now := c.Now()

	items, err := s.NextBatch(now, 2, 0)
	must(t, err)
	if len(items) != 2 || items[0].EntryID != imm.EntryID || items[1].EntryID != high.EntryID {
		t.Fatalf("first batch = %v", ids(items))
	}
	if items[0].Attempts != 1 || items[0].Priority != PriorityImmediate || !items[0].Immediate {
		t.Errorf("item = %+v", items[0])
	}
	// Handed-out items are not handed out again during the lease.
	items2, err := s.NextBatch(now, 10, 0)
	must(t, err)
	if len(items2) != 2 || items2[0].EntryID != std.EntryID || items2[1].EntryID != std2.EntryID {
		t.Fatalf("second batch = %v", ids(items2))
	}
	sum, err := s.ListEntries(Filter{States: []State{StateSent}})
	must(t, err)
	if len(sum) != 4 {
		t.Errorf("%d entries sent, want 4", len(sum))
	}
	// Byte budget: always at least one item.
	must(t, s.Defer(std.EntryID, 1, "network unreachable", now))
	must(t, s.Defer(std2.EntryID, 1, "network unreachable", now))
	items3, err := s.NextBatch(now, 10, 1)
	must(t, err)
	if len(items3) != 1 || items3[0].EntryID != std.EntryID || items3[0].LastError != "network unreachable" {
		t.Fatalf("byte-limited batch = %+v", items3)
	}
	// Deferred into the future: not ready yet.
	must(t, s.Defer(std2.EntryID, 1, "server busy", now.Add(time.Minute)))
	if items, _ := s.NextBatch(now, 10, 0); len(items) != 0 {
		t.Fatalf("deferred item handed out early: %v", ids(items))
	}
	// After the lease everything unacknowledged comes back, priority first.
	items4, err := s.NextBatch(now.Add(time.Hour), 10, 0)
	must(t, err)
	if got := ids(items4); len(got) != 4 || got[0] != imm.EntryID {
		t.Fatalf("after lease = %v", got)
	}
}

func ids(items []OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.EntryID)
	}
	return out
}

func TestAcknowledgeOutcomes(t *testing.T) {
	s, c, _ := newTestStore(t)
	ok := submitted(t, s, "fine", forms.LevelStandard, false)
	dup := submitted(t, s, "dup", forms.LevelStandard, false)
	bad := submitted(t, s, "bad", forms.LevelHigh, false)
	conflict := submitted(t, s, "conflict", forms.LevelHigh, false)
	later := submitted(t, s, "later", forms.LevelMedium, false)
	now := c.Now()
	_, err := s.NextBatch(now, 10, 0)
	must(t, err)
	s.Lock() // acknowledgements arrive while the officer is away
	must(t, s.Acknowledge([]Ack{
		{EntryID: ok.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2025-000001"},
		{EntryID: dup.EntryID, Revision: 1, Outcome: OutcomeDuplicate, Receipt: "SG-2025-000002"},
		{EntryID: bad.EntryID, Revision: 1, Outcome: OutcomeRejected, Permanent: true, Reason: "checklist child-at-risk@1.0.0 was withdrawn"},
		{EntryID: conflict.EntryID, Revision: 1, Outcome: OutcomeConflict},
		{EntryID: later.EntryID, Revision: 1, Outcome: OutcomeRejected, Reason: "server is upgrading"},
		{EntryID: "unknown", Revision: 1, Outcome: OutcomeAccepted},
	}))
	// A repeated acknowledgement is harmless.
	must(t, s.Acknowledge([]Ack{{EntryID: ok.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2025-000001"}}))
	must(t, s.Unlock(testOfficer, testPIN))

	byID := map[string]Summary{}
	list, err := s.ListEntries(Filter{})
	must(t, err)
	for _, m := range list {
		byID[m.ID] = m
	}
	if m := byID[ok.EntryID]; m.State != StateAccepted || m.Receipt != "SG-2025-000001" {
		t.Errorf("accepted = %+v", m)
	}
	if m := byID[dup.EntryID]; m.State != StateAccepted || m.Receipt != "SG-2025-000002" {
		t.Errorf("duplicate = %+v", m)
	}
	if m := byID[bad.EntryID]; m.State != StateRejected || m.LastError != "checklist child-at-risk@1.0.0 was withdrawn" {
		t.Errorf("rejected = %+v", m)
	}
	if m := byID[conflict.EntryID]; m.State != StateRejected || !strings.Contains(m.LastError, "different content") {
		t.Errorf("conflict = %+v", m)
	}
	if m := byID[later.EntryID]; m.State != StateQueued || m.LastError != "server is upgrading" {
		t.Errorf("temporary rejection = %+v", m)
	}
	// The set-aside items never block the rest.
	fresh := submitted(t, s, "fresh", forms.LevelStandard, false)
	items, err := s.NextBatch(now.Add(24*time.Hour), 10, 0)
	must(t, err)
	if got := ids(items); len(got) != 2 || got[0] != later.EntryID || got[1] != fresh.EntryID {
		t.Fatalf("after set-aside, batch = %v (want the temporary rejection then the fresh entry)", got)
	}
	aside, err := s.SetAside()
	must(t, err)
	if len(aside) != 2 {
		t.Fatalf("set aside = %+v", aside)
	}
	// The frozen content stays on the device until acknowledged.
	e, err := s.Entry(bad.EntryID)
	must(t, err)
	if e.Answers["q"].Value != "bad" {
		t.Error("set-aside entry lost its content")
	}
	must(t, s.Requeue(bad.EntryID, 1))
	items, err = s.NextBatch(now.Add(48*time.Hour), 10, 0)
	must(t, err)
	if got := ids(items); len(got) != 3 || got[0] != bad.EntryID {
		t.Fatalf("after requeue = %v", got)
	}
}

// TestDamagedOutboxItemIsSetAside: a revision whose stored document is
// damaged, or gone, is set aside with the reason; the others are sent.
func TestDamagedOutboxItemIsSetAside(t *testing.T) {
	for name, damage := range map[string]string{
		"damaged": `UPDATE payloads SET payload = x'0102' WHERE entry_id = ?`,
		"missing": `DELETE FROM payloads WHERE entry_id = ?`,
	} {
		t.Run(name, func(t *testing.T) {
			s, c, path := newTestStore(t)
			a := submitted(t, s, "a", forms.LevelHigh, false)
			b := submitted(t, s, "b", forms.LevelStandard, false)
			must(t, s.Close())
			raw, err := sql.Open("sqlite", DSN(path, 0))
			must(t, err)
			res, err := raw.Exec(damage, a.EntryID)
			must(t, err)
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("%s: %d rows", damage, n)
			}
			raw.Close()
			s = openTest(t, path, c)
			must(t, s.Unlock(testOfficer, testPIN))
			items, err := s.NextBatch(c.Now(), 10, 0)
			must(t, err)
			if len(items) != 1 || items[0].EntryID != b.EntryID {
				t.Fatalf("batch = %v", ids(items))
			}
			aside, err := s.SetAside()
			must(t, err)
			if len(aside) != 1 || aside[0].EntryID != a.EntryID || !strings.Contains(aside[0].LastError, "damaged") {
				t.Fatalf("set aside = %+v", aside)
			}
		})
	}
}

func TestUploads(t *testing.T) {
	s, c, _ := newTestStore(t)
	e := mustEntry(t, s)
	content := bytes.Repeat([]byte("photo"), 40000)
	att, err := s.PutAttachment(e.ID, bytes.NewReader(content), "image/jpeg", "p.jpg")
	must(t, err)
	if ups, _ := s.PendingUploads(c.Now(), 10); len(ups) != 0 {
		t.Fatalf("draft attachment offered for upload: %+v", ups)
	}
	_, err = s.Submit(e.ID, forms.LevelStandard, false)
	must(t, err)
	if ups, _ := s.PendingUploads(c.Now(), 10); len(ups) != 0 {
		t.Fatalf("attachment offered before the server accepted the entry: %+v", ups)
	}
	must(t, s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-1"}}))
	ups, err := s.PendingUploads(c.Now(), 10)
	must(t, err)
	if len(ups) != 1 || ups[0].SHA256 != att.SHA256 || ups[0].Offset != 0 || ups[0].Size != int64(len(content)) ||
		ups[0].MediaType != "image/jpeg" || len(ups[0].EntryIDs) != 1 || ups[0].EntryIDs[0] != e.ID {
		t.Fatalf("pending = %+v", ups)
	}
	// Upload part, break, resume from the recorded offset.
	must(t, s.SetUploadOffset(att.SHA256, 70000))
	must(t, s.DeferUpload(att.SHA256, "connection lost", c.Now().Add(time.Minute)))
	if ups, _ := s.PendingUploads(c.Now(), 10); len(ups) != 0 {
		t.Fatal("deferred upload offered early")
	}
	ups, err = s.PendingUploads(c.Now().Add(time.Minute), 10)
	must(t, err)
	if len(ups) != 1 || ups[0].Offset != 70000 || ups[0].Attempts != 1 || ups[0].LastError != "connection lost" {
		t.Fatalf("resumed = %+v", ups)
	}
	r, err := s.OpenUpload(att.SHA256)
	must(t, err)
	_, err = r.Seek(ups[0].Offset, io.SeekStart)
	must(t, err)
	rest, err := io.ReadAll(r)
	must(t, err)
	r.Close()
	if !bytes.Equal(rest, content[70000:]) {
		t.Fatal("resumed upload reads wrong bytes")
	}
	if err := s.SetUploadOffset(att.SHA256, int64(len(content))+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("offset past the end: %v", err)
	}
	must(t, s.MarkUploaded(att.SHA256))
	if ups, _ := s.PendingUploads(c.Now().Add(time.Hour), 10); len(ups) != 0 {
		t.Fatalf("uploaded attachment still pending: %+v", ups)
	}
}

// TestAcknowledgeAndNext checks that acknowledging with the next batch's
// lease in one transaction does what Acknowledge then NextBatch do, and
// that a locked store still records the answers.
func TestAcknowledgeAndNext(t *testing.T) {
	s, c, _ := newTestStore(t)
	first := submitted(t, s, "first", forms.LevelStandard, false)
	second := submitted(t, s, "second", forms.LevelStandard, false)
	third := submitted(t, s, "third", forms.LevelStandard, false)
	now := c.Now()
	items, err := s.NextBatch(now, 1, 0)
	must(t, err)
	if got := ids(items); len(got) != 1 || got[0] != first.EntryID {
		t.Fatalf("first batch = %v", got)
	}
	items, err = s.AcknowledgeAndNext([]Ack{{EntryID: first.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2025-000001"}}, now, 1, 0)
	must(t, err)
	if got := ids(items); len(got) != 1 || got[0] != second.EntryID || items[0].Attempts != 1 || string(items[0].Payload) == "" {
		t.Fatalf("second batch = %+v", items)
	}
	s.Lock()
	items, err = s.AcknowledgeAndNext([]Ack{{EntryID: second.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2025-000002"}}, now, 1, 0)
	if !errors.Is(err, ErrLocked) || len(items) != 0 {
		t.Fatalf("locked: %v, %v (want ErrLocked and no batch)", items, err)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	byID := map[string]Summary{}
	list, err := s.ListEntries(Filter{})
	must(t, err)
	for _, m := range list {
		byID[m.ID] = m
	}
	if m := byID[first.EntryID]; m.State != StateAccepted || m.Receipt != "SG-2025-000001" {
		t.Errorf("first = %+v", m)
	}
	if m := byID[second.EntryID]; m.State != StateAccepted || m.Receipt != "SG-2025-000002" {
		t.Errorf("second (acknowledged while locked) = %+v", m)
	}
	if m := byID[third.EntryID]; m.State != StateQueued {
		t.Errorf("third = %+v", m)
	}
	// A failed acknowledgement leases nothing: both are one transaction.
	_, err = s.AcknowledgeAndNext([]Ack{{EntryID: third.EntryID, Revision: 1, Outcome: "bogus"}}, now, 1, 0)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("bogus outcome: %v", err)
	}
	items, err = s.NextBatch(now, 1, 0)
	must(t, err)
	if got := ids(items); len(got) != 1 || got[0] != third.EntryID {
		t.Fatalf("after the failed acknowledgement, batch = %v", got)
	}
}

// TestSyncBookkeepingNotDurableOfficerWritesAre: the sync engine's
// bookkeeping (lease, answers, deferral) commits without waiting for the
// disk; every officer's change after it waits again (synchronous FULL),
// which also makes the bookkeeping before it durable.
func TestSyncBookkeepingNotDurableOfficerWritesAre(t *testing.T) {
	s, c, _ := newTestStore(t)
	level := func() int {
		t.Helper()
		var v int
		must(t, s.db.QueryRow(`PRAGMA synchronous`).Scan(&v))
		return v
	}
	const normal, full = 1, 2
	if level() != full {
		t.Fatalf("synchronous %d after Open", level())
	}
	a := submitted(t, s, "a", forms.LevelStandard, false)
	b := submitted(t, s, "b", forms.LevelStandard, false)
	steps := []struct {
		name string
		do   func() error
		want int
	}{
		{"NextBatch", func() error { _, err := s.NextBatch(c.Now(), 1, 0); return err }, normal},
		{"SetAnswer", func() error {
			e := mustEntry(t, s)
			return s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "x"})
		}, full},
		{"Acknowledge", func() error {
			return s.Acknowledge([]Ack{{EntryID: a.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-1"}})
		}, normal},
		{"Submit", func() error { submitted(t, s, "c", forms.LevelStandard, false); return nil }, full},
		{"Defer", func() error { return s.Defer(b.EntryID, 1, "no signal", c.Now()) }, normal},
		{"AcknowledgeAndNext", func() error {
			_, err := s.AcknowledgeAndNext([]Ack{{EntryID: b.EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2"}}, c.Now(), 5, 0)
			return err
		}, normal},
		{"SetTitle", func() error { return s.SetTitle(mustEntry(t, s).ID, "t") }, full},
	}
	for _, st := range steps {
		must(t, st.do())
		if got := level(); got != st.want {
			t.Fatalf("after %s: synchronous %d, want %d", st.name, got, st.want)
		}
	}
}
