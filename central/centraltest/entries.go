package centraltest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// NewEntry returns a ready entry of the test checklist by officer, with the
// given number of children (at least 1), graded standard.
func NewEntry(officer string, children int) *forms.Entry {
	if children < 1 {
		children = 1
	}
	e := &forms.Entry{
		ID:        uuid.NewString(),
		Checklist: TestChecklist,
		Revision:  1,
		Started:   time.Date(2026, 3, 1, 21, 30, 0, 0, time.UTC),
		Officer:   officer,
		Answers: map[string]forms.Answer{
			"incident_ref": {Value: "INC-" + uuid.NewString()[:8]},
			"reason":       {Value: "welfare"},
			"triage_life":  {Value: "no"},
		},
		Groups: map[string][]forms.Instance{},
	}
	for i := 0; i < children; i++ {
		e.Groups["child"] = append(e.Groups["child"], forms.Instance{
			ID: uuid.NewString(),
			Answers: map[string]forms.Answer{
				"child_name":  {Value: fmt.Sprintf("Child %d", i+1)},
				"child_age":   {Value: float64(3 + i%14)},
				"child_seen":  {Value: "yes"},
				"child_words": {Value: "I want my nan."},
			},
		})
	}
	return e
}

// Immediate makes the entry an immediate risk.
func Immediate(e *forms.Entry) *forms.Entry {
	e.Answers["triage_life"] = forms.Answer{Value: "yes"}
	return e
}

// NotSeen makes the entry high risk (a child not seen).
func NotSeen(e *forms.Entry) *forms.Entry {
	e.Groups["child"][0].Answers["child_seen"] = forms.Answer{Value: "no"}
	return e
}

// Photo adds an attachment with the given content to the entry and returns
// its SHA-256.
func Photo(e *forms.Entry, content []byte) string {
	sum := sha256.Sum256(content)
	d := hex.EncodeToString(sum[:])
	e.Attachments = append(e.Attachments, forms.Attachment{SHA256: d, Size: int64(len(content)), Type: "image/jpeg", Name: "photo.jpg"})
	list, _ := e.Answers["photos"].Value.([]string)
	e.Answers["photos"] = forms.Answer{Value: append(list, d)}
	return d
}

// Revise returns a copy of e as its next revision.
func Revise(e *forms.Entry) *forms.Entry {
	b, err := e.Encode()
	if err != nil {
		panic(err)
	}
	n, err := forms.DecodeEntry(b)
	if err != nil {
		panic(err)
	}
	n.Revision++
	return n
}

// Item wraps an entry as a push item with its content hash. deviceGrade is
// the grade the device claims ("" for none).
func Item(e *forms.Entry, deviceGrade string) api.PushItem {
	b, err := e.Encode()
	if err != nil {
		panic(err)
	}
	h, err := forms.ContentHash(e)
	if err != nil {
		panic(err)
	}
	return api.PushItem{EntryID: e.ID, Revision: e.Revision, ContentHash: h, DeviceGrade: deviceGrade, Entry: json.RawMessage(b)}
}

// Example returns the project's example entry of the published
// child-at-risk checklist (assets/examples/complete-entry.json) as a live
// entry by officer, with a fresh id. It fails the test when the example or
// its checklist is not available.
func Example(t testing.TB, officer string) *forms.Entry {
	t.Helper()
	b, err := fs.ReadFile(assets.FS, "examples/complete-entry.json")
	if err != nil {
		t.Fatalf("example entry: %v", err)
	}
	e, err := forms.DecodeEntry(b)
	if err != nil {
		t.Fatalf("example entry: %v", err)
	}
	e.ID, e.Officer, e.Training, e.Revision = uuid.NewString(), officer, false, 1
	return e
}
