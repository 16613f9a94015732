package devicestore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// fillEntry writes a realistic draft: top-level answers, two people,
// a relationship, a grading and a photo.
func fillEntry(t testing.TB, s *Store, id string) (child, adult string) {
	t.Helper()
	must(t, s.SetAnswer(id, "", "", "incident_ref", forms.Answer{Value: "CAD-2025-1120-0042"}))
	must(t, s.SetAnswer(id, "", "", "triage_life", forms.Answer{Value: "yes"}))
	must(t, s.SetAnswer(id, "", "", "thrive", forms.Answer{NotKnown: true, Reason: "control room did not grade"}))
	must(t, s.SetAnswer(id, "", "", "demeanour", forms.Answer{Value: []string{"withdrawn", "tearful"}}))
	must(t, s.SetAnswer(id, "", "", "home_scale", forms.Answer{Value: 3}))
	var err error
	child, err = s.AddInstance(id, "child")
	must(t, err)
	adult, err = s.AddInstance(id, "adult")
	must(t, err)
	must(t, s.SetAnswer(id, "child", child, "name", forms.Answer{Value: "Zanzibarella Quux"}))
	must(t, s.SetAnswer(id, "child", child, "dob", forms.Answer{Value: "2016-03-14"}))
	must(t, s.SetAnswer(id, "child", child, "words", forms.Answer{Value: "he hit me with the belt buckle"}))
	must(t, s.SetAnswer(id, "adult", adult, "name", forms.Answer{Value: "Bartholomew Quux"}))
	must(t, s.AddRelationship(id, forms.Relationship{From: adult, To: child, Type: "parent"}))
	must(t, s.SetGrading(id, &forms.Grading{Level: forms.LevelHigh, Reason: "raised: officer judgement"}))
	att, err := s.PutAttachment(id, strings.NewReader("PHOTO-BYTES-bruise-on-left-arm"), "image/jpeg", "bruise.jpg")
	must(t, err)
	must(t, s.SetAnswer(id, "child", child, "injury_photos", forms.Answer{Value: []string{att.SHA256}}))
	return child, adult
}

func TestEntryRoundTripAndReopen(t *testing.T) {
	s, c, path := newTestStore(t)
	e := mustEntry(t, s)
	child, adult := fillEntry(t, s, e.ID)

	got, err := s.Entry(e.ID)
	must(t, err)
	if got.Revision != 1 || got.Officer != testOfficer || got.Checklist != testChecklist {
		t.Fatalf("entry header = %+v", got)
	}
	if v := got.Answers["home_scale"].Value; v != float64(3) {
		t.Errorf("number answer = %#v, want float64(3)", v)
	}
	if v, ok := got.Answers["demeanour"].Value.([]string); !ok || len(v) != 2 {
		t.Errorf("list answer = %#v", got.Answers["demeanour"].Value)
	}
	if a := got.Answers["thrive"]; !a.NotKnown || a.Reason == "" {
		t.Errorf("not-known answer = %+v", a)
	}
	inst, ok := got.Instance("child", child)
	if !ok || inst.Answers["name"].Value != "Zanzibarella Quux" {
		t.Fatalf("child instance = %+v", inst)
	}
	if len(got.Relationships) != 1 || got.Relationships[0].From != adult {
		t.Errorf("relationships = %+v", got.Relationships)
	}
	if got.Grading == nil || got.Grading.Level != forms.LevelHigh {
		t.Errorf("grading = %+v", got.Grading)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Name != "bruise.jpg" || got.Attachments[0].Size != int64(len("PHOTO-BYTES-bruise-on-left-arm")) {
		t.Errorf("attachments = %+v", got.Attachments)
	}
	// The reassembled entry is a valid entry document.
	b, err := got.Encode()
	must(t, err)
	if _, err := forms.DecodeEntry(b); err != nil {
		t.Fatalf("reassembled entry does not decode: %v", err)
	}
	want := string(b)

	// Clearing an answer removes it.
	must(t, s.SetAnswer(e.ID, "", "", "triage_life", forms.Answer{}))
	got2, err := s.Entry(e.ID)
	must(t, err)
	if _, ok := got2.Answers["triage_life"]; ok {
		t.Error("blank answer still present")
	}
	must(t, s.SetAnswer(e.ID, "", "", "triage_life", forms.Answer{Value: "yes"}))

	// Close, reopen, unlock: the same entry.
	must(t, s.Close())
	s2 := openTest(t, path, c)
	if !s2.Locked() {
		t.Fatal("reopened store is not locked")
	}
	if _, err := s2.Entry(e.ID); !errors.Is(err, ErrLocked) {
		t.Fatalf("Entry while locked: %v, want ErrLocked", err)
	}
	must(t, s2.Unlock(testOfficer, testPIN))
	got3, err := s2.Entry(e.ID)
	must(t, err)
	if encode(t, got3) != want {
		t.Errorf("after reopen:\n got %s\nwant %s", encode(t, got3), want)
	}
	must(t, s2.VerifyAudit())
}

func TestAnswerValidation(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	for name, err := range map[string]error{
		"no question":         s.SetAnswer(e.ID, "", "", "", forms.Answer{Value: "x"}),
		"group, no instance":  s.SetAnswer(e.ID, "child", "", "name", forms.Answer{Value: "x"}),
		"unsupported value":   s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: map[string]int{}}),
		"mixed list":          s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: []any{"a", 1}}),
		"unknown instance":    s.SetAnswer(e.ID, "child", "nobody", "name", forms.Answer{Value: "x"}),
		"unknown entry":       s.SetAnswer("no-such-entry", "", "", "q", forms.Answer{Value: "x"}),
		"self relationship":   s.SetRelationships(e.ID, []forms.Relationship{{From: "a", To: "a", Type: "parent"}}),
		"unknown person link": s.SetRelationships(e.ID, []forms.Relationship{{From: "a", To: "b", Type: "parent"}}),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := s.SetAnswer("no-such-entry", "", "", "q", forms.Answer{Value: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown entry: %v, want ErrNotFound", err)
	}
}

func TestRemoveInstanceDropsAnswersAndLinks(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	child, adult := fillEntry(t, s, e.ID)
	must(t, s.RemoveInstance(e.ID, "adult", adult))
	got, err := s.Entry(e.ID)
	must(t, err)
	if len(got.Groups["adult"]) != 0 || len(got.Relationships) != 0 {
		t.Fatalf("after removing the adult: groups %+v relationships %+v", got.Groups, got.Relationships)
	}
	if _, ok := got.Instance("child", child); !ok {
		t.Fatal("child removed too")
	}
}

func TestListEntries(t *testing.T) {
	s, c, _ := newTestStore(t)
	a := mustEntry(t, s)
	c.Advance(time.Minute)
	b, err := s.NewEntry(testChecklist, true)
	must(t, err)
	must(t, s.SetTitle(a.ID, "Zanzibarella Q., 12 Acacia Road"))
	c.Advance(time.Minute)
	must(t, s.SetAnswer(b.ID, "", "", "q", forms.Answer{Value: "x"}))
	_, err = s.Submit(b.ID, forms.LevelMedium, false)
	must(t, err)

	all, err := s.ListEntries(Filter{})
	must(t, err)
	if len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID {
		t.Fatalf("list order = %+v", all)
	}
	if all[1].Title != "Zanzibarella Q., 12 Acacia Road" || all[1].State != StateDraft {
		t.Errorf("summary a = %+v", all[1])
	}
	if all[0].State != StateQueued || all[0].Grade != forms.LevelMedium || !all[0].Training {
		t.Errorf("summary b = %+v", all[0])
	}
	drafts, err := s.ListEntries(Filter{States: []State{StateDraft}})
	must(t, err)
	if len(drafts) != 1 || drafts[0].ID != a.ID {
		t.Errorf("drafts = %+v", drafts)
	}
	live := false
	liveOnly, err := s.ListEntries(Filter{Training: &live})
	must(t, err)
	if len(liveOnly) != 1 || liveOnly[0].ID != a.ID {
		t.Errorf("live = %+v", liveOnly)
	}
}

func TestDiscardDraft(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	must(t, s.DiscardDraft(e.ID))
	if _, err := s.Entry(e.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("discarded entry: %v", err)
	}
	e2 := mustEntry(t, s)
	must(t, s.SetAnswer(e2.ID, "", "", "q", forms.Answer{Value: "x"}))
	_, err := s.Submit(e2.ID, forms.LevelStandard, false)
	must(t, err)
	if err := s.DiscardDraft(e2.ID); !errors.Is(err, ErrFrozen) {
		t.Fatalf("discard submitted: %v, want ErrFrozen", err)
	}
}

func TestAttachmentRoundTripSeekAndDedupe(t *testing.T) {
	s, _, path := newTestStore(t)
	e := mustEntry(t, s)
	content := bytes.Repeat([]byte("0123456789abcdef"), 3*attChunkSize/16+123) // several chunks, last partial
	att, err := s.PutAttachment(e.ID, bytes.NewReader(content), "image/png", "scene.png")
	must(t, err)
	sum := sha256.Sum256(content)
	if att.SHA256 != hex.EncodeToString(sum[:]) || att.Size != int64(len(content)) {
		t.Fatalf("attachment = %+v", att)
	}
	r, err := s.OpenAttachment(att.SHA256)
	must(t, err)
	got, err := io.ReadAll(r)
	must(t, err)
	if !bytes.Equal(got, content) {
		t.Fatal("attachment content differs")
	}
	for _, off := range []int64{0, 1, attChunkSize - 1, attChunkSize, 2*attChunkSize + 7, int64(len(content)) - 1} {
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(r)
		must(t, err)
		if !bytes.Equal(rest, content[off:]) {
			t.Fatalf("read from %d differs", off)
		}
	}
	must(t, r.Close())

	// Same content again: stored once.
	e2 := mustEntry(t, s)
	_, err = s.PutAttachment(e2.ID, bytes.NewReader(content), "image/png", "copy.png")
	must(t, err)
	files := storeFiles(t, path)
	n := 0
	for _, f := range files {
		if strings.Contains(f, "-attachments") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d attachment files, want 1", n)
	}
	// Empty attachment.
	empty, err := s.PutAttachment(e.ID, bytes.NewReader(nil), "text/plain", "empty.txt")
	must(t, err)
	r, err = s.OpenAttachment(empty.SHA256)
	must(t, err)
	b, err := io.ReadAll(r)
	must(t, err)
	r.Close()
	if len(b) != 0 {
		t.Fatalf("empty attachment read %d bytes", len(b))
	}
	// Locking stops an open reader.
	r, err = s.OpenAttachment(att.SHA256)
	must(t, err)
	s.Lock()
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, ErrLocked) {
		t.Fatalf("read after lock: %v, want ErrLocked", err)
	}
	r.Close()
}
