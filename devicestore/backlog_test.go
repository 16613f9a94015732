package devicestore

import (
	"bytes"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

func TestBacklog(t *testing.T) {
	s, _, _ := newTestStore(t)
	b, err := s.Backlog()
	if err != nil || b != (Backlog{}) {
		t.Fatalf("empty store backlog %+v, %v", b, err)
	}
	e := mustEntry(t, s)
	photo := bytes.Repeat([]byte("x"), 5000)
	a, err := s.PutAttachment(e.ID, bytes.NewReader(photo), "image/jpeg", "p.jpg")
	if err != nil {
		t.Fatal(err)
	}
	fr, err := s.Submit(e.ID, forms.LevelHigh, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err = s.Backlog()
	if err != nil {
		t.Fatal(err)
	}
	if b.Entries != 1 || b.EntryBytes != fr.Size || b.Photos != 1 || b.PhotoBytes != int64(len(photo)) {
		t.Fatalf("backlog after submit: %+v (frozen size %d)", b, fr.Size)
	}
	if err := s.SetUploadOffset(a.SHA256, 2000); err != nil {
		t.Fatal(err)
	}
	if err := s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-1"}}); err != nil {
		t.Fatal(err)
	}
	s.Lock() // counting reads no content
	b, err = s.Backlog()
	if err != nil {
		t.Fatal(err)
	}
	if b.Entries != 0 || b.Photos != 1 || b.PhotoBytes != 3000 {
		t.Fatalf("backlog after ack and a partial upload: %+v", b)
	}
}
