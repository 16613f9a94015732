package devicestore

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

func TestReturnedEntryBecomesNewRevision(t *testing.T) {
	s, c, _ := newTestStore(t)
	e := mustEntry(t, s)
	child, _ := fillEntry(t, s, e.ID)
	fr, err := s.Submit(e.ID, forms.LevelHigh, false)
	must(t, err)
	rev1, err := s.Entry(e.ID)
	must(t, err)
	must(t, s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2025-000007"}}))

	// The decision arrives while the store is locked.
	s.Lock()
	cm := []Comment{{Path: "child[" + child + "].dob", Text: "Zanzibarella's date of birth does not match PNC"}, {Text: "please link the second adult"}}
	must(t, s.ApplyChanges("cursor-1", []Change{{Kind: ChangeDecision, EntryID: e.ID, Revision: 1, Decision: DecisionReturned,
		Reason: "incomplete", Comments: cm, Grade: forms.LevelImmediate}}))
	// Applying the same page again changes nothing.
	must(t, s.ApplyChanges("cursor-1", []Change{{Kind: ChangeDecision, EntryID: e.ID, Revision: 1, Decision: DecisionReturned, Reason: "incomplete", Comments: cm}}))
	cur, err := s.Cursor()
	must(t, err)
	if cur != "cursor-1" {
		t.Errorf("cursor = %q", cur)
	}
	must(t, s.Unlock(testOfficer, testPIN))

	list, err := s.ListEntries(Filter{})
	must(t, err)
	if len(list) != 1 || list[0].State != StateReturned || list[0].Revision != 2 || list[0].Receipt != "SG-2025-000007" || list[0].Grade != forms.LevelImmediate {
		t.Fatalf("summary = %+v", list)
	}
	rev2, err := s.Entry(e.ID)
	must(t, err)
	if rev2.Revision != 2 {
		t.Fatalf("current revision = %d", rev2.Revision)
	}
	rev2.Revision = 1
	if encode(t, rev2) != encode(t, rev1) {
		t.Errorf("revision 2 does not copy revision 1:\n%s\n%s", encode(t, rev2), encode(t, rev1))
	}
	r, err := s.Review(e.ID, 0)
	must(t, err)
	if r.Revision != 1 || r.Decision != DecisionReturned || r.Reason != "incomplete" || len(r.Comments) != 2 || r.Comments[0] != cm[0] {
		t.Errorf("review = %+v", r)
	}

	// Amend and resubmit; revision 1 stays as it was.
	must(t, s.SetAnswer(e.ID, "child", child, "dob", forms.Answer{Value: "2016-04-14"}))
	old, err := s.EntryRevision(e.ID, 1)
	must(t, err)
	if encode(t, old) != encode(t, rev1) {
		t.Error("revision 1 changed")
	}
	fr2, err := s.Submit(e.ID, forms.LevelHigh, false)
	must(t, err)
	if fr2.Revision != 2 || fr2.Hash == fr.Hash {
		t.Errorf("second submission = %+v", fr2)
	}
	items, err := s.NextBatch(c.Now(), 10, 0)
	must(t, err)
	if len(items) != 1 || items[0].Revision != 2 {
		t.Fatalf("outbox = %+v", items)
	}
	got, err := forms.DecodeEntry(items[0].Payload)
	must(t, err)
	inst, _ := got.Instance("child", child)
	if got.Revision != 2 || inst.Answers["dob"].Value != "2016-04-14" {
		t.Errorf("resubmitted payload = %+v", got)
	}
}

func TestApprovedEntryPurgedAfterRetention(t *testing.T) {
	s, c, path := newTestStore(t)
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	must(t, s.SetTitle(e.ID, "Zanzibarella Quux"))
	_, err := s.Submit(e.ID, forms.LevelHigh, false)
	must(t, err)
	keep := mustEntry(t, s) // a draft is never purged
	must(t, s.SetAnswer(keep.ID, "", "", "q", forms.Answer{Value: "draft"}))

	// Decided but not acknowledged: not purged (only explicit acks count).
	must(t, s.ApplyChanges("c1", []Change{{Kind: ChangeDecision, EntryID: e.ID, Revision: 1, Decision: DecisionApproved}}))
	c.Advance(DefaultRetention + time.Hour)
	if n, err := s.Purge(c.Now()); err != nil || n != 0 {
		t.Fatalf("purge before ack: %d, %v", n, err)
	}
	must(t, s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeDuplicate, Receipt: "SG-9"}}))
	must(t, s.Unlock(testOfficer, testPIN)) // the idle lock struck while the clock moved on
	list, err := s.ListEntries(Filter{States: []State{StateApproved}})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("approved entries = %+v (a late ack must not undo the decision)", list)
	}
	// A photo still waiting for upload holds the entry back.
	if n, err := s.Purge(c.Now()); err != nil || n != 0 {
		t.Fatalf("purge with a pending upload: %d, %v", n, err)
	}
	ups, err := s.PendingUploads(c.Now(), 10)
	must(t, err)
	for _, u := range ups {
		must(t, s.MarkUploaded(u.SHA256))
	}
	n, err := s.Purge(c.Now())
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d, want 1", n)
	}
	if _, err := s.Entry(e.ID); !errors.Is(err, ErrPurged) {
		t.Fatalf("purged entry: %v", err)
	}
	list, err = s.ListEntries(Filter{})
	must(t, err)
	for _, m := range list {
		if m.ID == e.ID && (!m.Purged || m.State != StateApproved || m.Receipt != "SG-9" || m.Title != "") {
			t.Errorf("purged summary = %+v", m)
		}
	}
	if _, err := s.Entry(keep.ID); err != nil {
		t.Errorf("draft after purge: %v", err)
	}
	must(t, s.Close())
	if hits := findInFiles(t, storeFiles(t, path), []byte("PHOTO-BYTES")); len(hits) > 0 {
		t.Errorf("attachment plaintext in %v", hits)
	}
	if att, _ := filepath.Glob(filepath.Join(path+"-attachments", "*")); len(att) != 0 {
		t.Errorf("attachment files left after purge: %v", att)
	}
}

func TestRevocation(t *testing.T) {
	s, _, path := newTestStore(t)
	must(t, s.EnrolOfficer("PC2", "Second", "975310"))
	mine := mustEntry(t, s)
	must(t, s.SetAnswer(mine.ID, "", "", "q", forms.Answer{Value: "x"}))
	s.Lock()
	must(t, s.Unlock("PC2", "975310"))
	theirs := mustEntry(t, s)
	must(t, s.SetAnswer(theirs.ID, "", "", "q", forms.Answer{Value: "y"}))

	// PC2 is revoked while signed in: signed out, key gone, drafts wiped.
	must(t, s.ApplyChanges("c1", []Change{{Kind: ChangeRevocation, Officer: "PC2"}}))
	if !s.Locked() {
		t.Fatal("revoked officer still signed in")
	}
	if err := s.Unlock("PC2", "975310"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked officer unlock: %v", err)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	if _, err := s.Entry(theirs.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked officer's draft: %v", err)
	}
	if _, err := s.Entry(mine.ID); err != nil {
		t.Errorf("other officer's draft: %v", err)
	}
	// Revoking the device wipes the vault.
	must(t, s.ApplyChanges("c2", []Change{{Kind: ChangeRevocation, Reason: "device reported stolen"}}))
	if err := s.Unlock(testOfficer, testPIN); !errors.Is(err, ErrWiped) {
		t.Fatalf("unlock after device revocation: %v", err)
	}
	must(t, s.Close())
	if hits := findInFiles(t, storeFiles(t, path), []byte("PHOTO")); len(hits) > 0 {
		t.Errorf("content left in %v", hits)
	}
}

func TestAlerts(t *testing.T) {
	s, _, _ := newTestStore(t)
	s.Lock()
	must(t, s.ApplyChanges("c1", []Change{{Kind: ChangeAlert, AlertID: "41", Level: forms.LevelHigh, Text: "Grade raised to high for Zanzibarella"}}))
	must(t, s.ApplyChanges("c1", []Change{{Kind: ChangeAlert, AlertID: "41", Text: "again"}}))
	must(t, s.Unlock(testOfficer, testPIN))
	al, err := s.Alerts(false)
	must(t, err)
	if len(al) != 1 || al[0].Text != "Grade raised to high for Zanzibarella" || al[0].Level != forms.LevelHigh {
		t.Fatalf("alerts = %+v", al)
	}
	must(t, s.DismissAlert("41"))
	if al, _ := s.Alerts(false); len(al) != 0 {
		t.Fatalf("dismissed alert listed: %+v", al)
	}
	if err := s.ApplyChanges("c2", []Change{{Kind: "bogus"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown change: %v", err)
	}
	// A failed page leaves the cursor where it was.
	if cur, _ := s.Cursor(); cur != "c1" {
		t.Errorf("cursor after failed page = %q", cur)
	}
}
