package devicestore

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

func TestImportDrafts(t *testing.T) {
	s, _, _ := newTestStore(t)
	drafts := SyntheticDrafts(3, testChecklist)
	drafts[1].Entry.Training = true
	must(t, s.ImportDrafts(drafts))
	for _, d := range drafts {
		got, err := s.Entry(d.Entry.ID)
		must(t, err)
		want := *d.Entry
		want.Officer, want.Started = testOfficer, got.Started
		if encode(t, got) != encode(t, &want) {
			t.Errorf("imported entry reads back different:\n got %s\nwant %s", encode(t, got), encode(t, &want))
		}
	}
	list, err := s.ListEntries(Filter{})
	must(t, err)
	if len(list) != 3 || list[0].Title == "" {
		t.Fatalf("list = %+v", list)
	}
	// All or nothing: a duplicate id fails the whole import.
	more := SyntheticDrafts(2, testChecklist)
	more[1] = drafts[0]
	if err := s.ImportDrafts(more); err == nil {
		t.Fatal("duplicate id imported")
	}
	if _, err := s.Entry(more[0].Entry.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("partial import left %v", err)
	}
	bad := SyntheticDrafts(1, testChecklist)
	bad[0].Entry.Relationships = append(bad[0].Entry.Relationships, forms.Relationship{From: "ghost", To: "ghost2", Type: "parent"})
	if err := s.ImportDrafts(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid entry: %v", err)
	}
}

func TestRelationshipEdits(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	child, adult := fillEntry(t, s, e.ID)
	r := forms.Relationship{From: adult, To: child, Type: "parent"}
	must(t, s.AddRelationship(e.ID, r)) // already there: no-op
	must(t, s.AddRelationship(e.ID, forms.Relationship{From: adult, To: child, Type: "household-member"}))
	must(t, s.RemoveRelationship(e.ID, r))
	got, err := s.Entry(e.ID)
	must(t, err)
	if len(got.Relationships) != 1 || got.Relationships[0].Type != "household-member" {
		t.Fatalf("relationships = %+v", got.Relationships)
	}
	if err := s.AddRelationship(e.ID, forms.Relationship{From: adult, To: "ghost", Type: "parent"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("link to unknown person: %v", err)
	}
}

func TestRemovedAttachmentCollected(t *testing.T) {
	s, c, path := newTestStore(t)
	e := mustEntry(t, s)
	att, err := s.PutAttachment(e.ID, strings.NewReader("temporary photo"), "image/jpeg", "t.jpg")
	must(t, err)
	must(t, s.RemoveAttachment(e.ID, att.SHA256))
	got, err := s.Entry(e.ID)
	must(t, err)
	if len(got.Attachments) != 0 {
		t.Fatalf("attachments = %+v", got.Attachments)
	}
	_, err = s.Purge(c.Now())
	must(t, err)
	if files, _ := filepath.Glob(filepath.Join(path+"-attachments", "*")); len(files) != 0 {
		t.Fatalf("unlisted attachment kept: %v", files)
	}
	if _, err := s.OpenAttachment(att.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open collected attachment: %v", err)
	}
}

func TestRejectedUploadSetAside(t *testing.T) {
	s, c, _ := newTestStore(t)
	e := mustEntry(t, s)
	a1, err := s.PutAttachment(e.ID, strings.NewReader("one"), "image/jpeg", "1.jpg")
	must(t, err)
	a2, err := s.PutAttachment(e.ID, strings.NewReader("two"), "image/jpeg", "2.jpg")
	must(t, err)
	_, err = s.Submit(e.ID, forms.LevelStandard, false)
	must(t, err)
	must(t, s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-1"}}))
	must(t, s.RejectUpload(a1.SHA256, "larger than the server accepts"))
	ups, err := s.PendingUploads(c.Now(), 0)
	must(t, err)
	if len(ups) != 1 || ups[0].SHA256 != a2.SHA256 {
		t.Fatalf("pending after a rejected upload = %+v", ups)
	}
	if err := s.MarkUploaded(strings.Repeat("0", 64)); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown attachment: %v", err)
	}
}

func TestExplicitWipe(t *testing.T) {
	s, _, path := newTestStore(t)
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	_, err := s.Submit(e.ID, forms.LevelHigh, false)
	must(t, err)
	must(t, s.Wipe("device reported lost"))
	if !s.Locked() || !s.Wiped() {
		t.Fatal("store usable after wipe")
	}
	for name, err := range map[string]error{
		"unlock":  s.Unlock(testOfficer, testPIN),
		"ack":     s.Acknowledge(nil),
		"changes": s.ApplyChanges("x", nil),
		"defer":   s.Defer(e.ID, 1, "x", time.Now()),
	} {
		if !errors.Is(err, ErrWiped) {
			t.Errorf("%s after wipe: %v, want ErrWiped", name, err)
		}
	}
	if _, err := s.Purge(time.Now()); !errors.Is(err, ErrWiped) {
		t.Errorf("purge after wipe: %v", err)
	}
	recs, err := s.AuditTrail(0, 0)
	must(t, err)
	if last := recs[len(recs)-1]; last.Action != AuditWipe || last.Detail != "device reported lost" {
		t.Errorf("last audit record = %+v", last)
	}
	must(t, s.Close())
	if hits := findInFiles(t, storeFiles(t, path), []byte("Zanzibarella")); len(hits) > 0 {
		t.Errorf("content after wipe in %v", hits)
	}
}

func TestErrorMessagesArePlain(t *testing.T) {
	for _, c := range []struct {
		err  error
		is   error
		want string
	}{
		{&PINError{Remaining: 3}, ErrWrongPIN, "3 more wrong PIN(s) will wipe this device"},
		{&PINError{Remaining: 4, RetryAfter: 30 * time.Second}, ErrWrongPIN, "try again in 30s"},
		{&LockoutError{RetryAfter: 90 * time.Second}, ErrLockedOut, "try again in 1m30s"},
	} {
		if !errors.Is(c.err, c.is) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%v: want %q and errors.Is %v", c.err, c.want, c.is)
		}
	}
}

func TestCommitProbe(t *testing.T) {
	p, err := OpenCommitProbe(filepath.Join(t.TempDir(), "probe.db"))
	must(t, err)
	defer p.Close()
	for i := 0; i < 3; i++ {
		must(t, p.Commit())
	}
}

func TestSecondOpenOfSameFileRefused(t *testing.T) {
	s, c, path := newTestStore(t)
	_ = s
	o := testOptions(c)
	done := make(chan error, 1)
	go func() {
		s2, err := Open(path, o)
		if err == nil {
			s2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("second Open of an open store: %v, want ErrInUse", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second Open hung")
	}
}

func TestChangesBeforeEnrolment(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "d.db"), newClock())
	err := s.ApplyChanges("c", []Change{{Kind: ChangeAlert, AlertID: "1", Text: "hello"}})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("alert before any officer enrolled: %v", err)
	}
}
