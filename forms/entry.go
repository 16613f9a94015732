package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxEntryBytes bounds the size of an entry document accepted by
// DecodeEntry. A real entry with many people is tens of kilobytes; photos
// travel separately.
const MaxEntryBytes = 4 << 20

// Entry is one officer's record of one incident, made with one version of
// one checklist. It is the unit that is saved, frozen, synced and reviewed.
// The JSON form is documented in docs/entry-format.md.
type Entry struct {
	// ID is a UUID made on the device when the entry is started.
	ID string `json:"id"`
	// Checklist is the checklist version the entry was made with; it is
	// always evaluated with that version.
	Checklist Ref `json:"checklist"`
	// Revision counts from 1; a returned entry is amended as a new revision.
	Revision int `json:"revision"`
	// Started is when the officer began the entry (device clock; for display
	// only, never for ordering).
	Started time.Time `json:"started"`
	// Officer is the id of the officer who made the entry.
	Officer string `json:"officer,omitempty"`
	// Training marks an entry made in training mode: it never reaches the
	// live referral queue.
	Training bool `json:"training,omitempty"`
	// Answers to questions of sections that do not repeat, by question id.
	Answers map[string]Answer `json:"answers"`
	// Groups holds the instances of each repeat group (children, adults).
	Groups map[string][]Instance `json:"groups,omitempty"`
	// Relationships link instances of the entry's groups.
	Relationships []Relationship `json:"relationships,omitempty"`
	// Attachments lists the photos the answers refer to.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Grading is the officer's own view of the grade.
	Grading *Grading `json:"grading,omitempty"`
	// Language is the BCP 47 tag of the language the app was in when the
	// entry was started ("en", "cy"): the language its free text is
	// written in unless an answer says otherwise (Answer.Lang). Empty in
	// entries made before languages were recorded: "not stated", read as
	// English (see WrittenIn).
	Language string `json:"language,omitempty"`
}

// Answer is the answer to one question: a value, or an explicit "Not
// known" with the reason it is not known.
type Answer struct {
	// Value is a string, number or list of strings depending on the
	// question's kind; nil when unanswered or not known.
	Value    any    `json:"value,omitempty"`
	NotKnown bool   `json:"notKnown,omitempty"`
	Reason   string `json:"reason,omitempty"`
	// Lang is the BCP 47 tag of the language the answer's free text (a
	// text value, or the reason) was written in: the app's language when
	// it was saved. Empty: the entry's Language. Codes and option values
	// are language-neutral and need no tag.
	Lang string `json:"lang,omitempty"`
}

// WrittenIn returns the language an answer's free text was written in:
// the answer's own tag, else the entry's, else "" (not stated; entries
// made before languages were recorded, which were all written in
// English).
func (e *Entry) WrittenIn(a Answer) string {
	if a.Lang != "" {
		return a.Lang
	}
	return e.Language
}

// ValidLanguageTag reports whether s has the shape of a BCP 47 language
// tag as entries carry them: a primary subtag of 2 or 3 lower-case
// letters ("en", "cy"), optionally followed by subtags of 1 to 8 letters
// or digits ("en-GB"). It does not check the tag is registered.
func ValidLanguageTag(s string) bool {
	parts := strings.Split(s, "-")
	if n := len(parts[0]); n < 2 || n > 3 {
		return false
	}
	for _, c := range parts[0] {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 8 {
			return false
		}
		for _, c := range p {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				return false
			}
		}
	}
	return true
}

// IsBlank reports whether the answer says nothing: no value and no "Not
// known".
func (a Answer) IsBlank() bool {
	if a.NotKnown {
		return false
	}
	switch v := a.Value.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []string:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}

// Instance is one member of a repeat group: one child, one adult.
type Instance struct {
	// ID is a UUID made when the instance is added; relationships and the
	// person index refer to it.
	ID      string            `json:"id"`
	Answers map[string]Answer `json:"answers"`
}

// Relationship is a typed, directed link between two instances of one
// entry: From is Type of To ("adult-1 is parent of child-1").
type Relationship struct {
	From string `json:"from"`
	To   string `json:"to"`
	Type string `json:"type"`
}

// Attachment describes a photo or file referred to by a photo answer.
// Content travels separately and is checked against SHA256.
type Attachment struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Type   string `json:"type,omitempty"` // media type, e.g. image/jpeg
	Name   string `json:"name,omitempty"`
}

// Grading is the officer's grade. Raising the computed grade needs no
// reason; lowering it needs one, and the reason is kept.
type Grading struct {
	Level  Level  `json:"level"`
	Reason string `json:"reason,omitempty"`
}

// Instance returns the instance of the group with the given id.
func (e *Entry) Instance(group, id string) (*Instance, bool) {
	for i := range e.Groups[group] {
		if e.Groups[group][i].ID == id {
			return &e.Groups[group][i], true
		}
	}
	return nil, false
}

// DecodeError is a malformed entry document, with the place it went wrong.
type DecodeError struct {
	// Offset is the byte offset in the input (0 when unknown).
	Offset int64
	// Path names the field, e.g. "answers.incident_ref.notKnown".
	Path string
	Err  error
}

func (e *DecodeError) Error() string {
	switch {
	case e.Path != "" && e.Offset > 0:
		return fmt.Sprintf("entry: %s (byte %d): %v", e.Path, e.Offset, e.Err)
	case e.Path != "":
		return fmt.Sprintf("entry: %s: %v", e.Path, e.Err)
	case e.Offset > 0:
		return fmt.Sprintf("entry: byte %d: %v", e.Offset, e.Err)
	}
	return "entry: " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeEntry reads an entry document. It checks the document's shape
// (JSON syntax, known fields, types, ids present) but not its answers
// against a checklist: that is Evaluate's job. Values are normalised: lists
// become []string, numbers float64.
func DecodeEntry(data []byte) (*Entry, error) {
	if len(data) > MaxEntryBytes {
		return nil, &DecodeError{Err: fmt.Errorf("document is %d bytes, more than the %d allowed", len(data), MaxEntryBytes)}
	}
	var e Entry
	if decodeEntryFast(data, &e) {
		if err := e.normalise(); err != nil {
			return nil, err
		}
		return &e, nil
	}
	e = Entry{} // what the fast reader filled in before it gave up
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, jsonDecodeError(err, len(data))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &DecodeError{Offset: dec.InputOffset(), Err: errors.New("unexpected data after the entry")}
	}
	if err := e.normalise(); err != nil {
		return nil, err
	}
	return &e, nil
}

func jsonDecodeError(err error, size int) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &DecodeError{Offset: se.Offset, Err: fmt.Errorf("not valid JSON: %w", err)}
	case errors.As(err, &te):
		return &DecodeError{Offset: te.Offset, Path: te.Field, Err: fmt.Errorf("want %s, found %s", te.Type, te.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &DecodeError{Offset: int64(size), Err: errors.New("the document ends early (cut off?)")}
	case errors.Is(err, io.EOF):
		return &DecodeError{Err: errors.New("empty document")}
	}
	return &DecodeError{Err: err}
}

func (e *Entry) normalise() error {
	if e.ID == "" {
		return &DecodeError{Path: "id", Err: errors.New("missing")}
	}
	if e.Checklist.ID == "" || e.Checklist.Version == "" {
		return &DecodeError{Path: "checklist", Err: errors.New("id and version are required")}
	}
	if e.Revision < 1 {
		return &DecodeError{Path: "revision", Err: fmt.Errorf("must be 1 or more, found %d", e.Revision)}
	}
	if e.Language != "" && !ValidLanguageTag(e.Language) {
		return &DecodeError{Path: "language", Err: fmt.Errorf("%q is not a language tag (\"en\", \"cy\")", e.Language)}
	}
	if e.Answers == nil {
		e.Answers = map[string]Answer{}
	}
	if err := normaliseAnswers("answers", e.Answers); err != nil {
		return err
	}
	seen := map[string]bool{}
	for g, list := range e.Groups {
		for i := range list {
			inst := &list[i]
			p := fmt.Sprintf("groups.%s[%d]", g, i)
			if inst.ID == "" {
				return &DecodeError{Path: p + ".id", Err: errors.New("missing")}
			}
			if seen[inst.ID] {
				return &DecodeError{Path: p + ".id", Err: fmt.Errorf("%q is used twice", inst.ID)}
			}
			seen[inst.ID] = true
			if inst.Answers == nil {
				inst.Answers = map[string]Answer{}
			}
			if err := normaliseAnswers(p+".answers", inst.Answers); err != nil {
				return err
			}
		}
	}
	for i, r := range e.Relationships {
		p := fmt.Sprintf("relationships[%d]", i)
		if r.From == "" || r.To == "" || r.Type == "" {
			return &DecodeError{Path: p, Err: errors.New("from, to and type are required")}
		}
		if !seen[r.From] || !seen[r.To] {
			return &DecodeError{Path: p, Err: fmt.Errorf("links %q to %q, but the entry has no such person", r.From, r.To)}
		}
		if r.From == r.To {
			return &DecodeError{Path: p, Err: errors.New("a person cannot be linked to themselves")}
		}
	}
	for i, a := range e.Attachments {
		if !isSHA256Hex(a.SHA256) {
			return &DecodeError{Path: fmt.Sprintf("attachments[%d].sha256", i), Err: fmt.Errorf("%q is not a SHA-256 hex digest", a.SHA256)}
		}
		if a.Size < 0 {
			return &DecodeError{Path: fmt.Sprintf("attachments[%d].size", i), Err: errors.New("negative size")}
		}
	}
	return nil
}

func normaliseAnswers(path string, m map[string]Answer) error {
	for id, a := range m {
		switch v := a.Value.(type) {
		case nil, string, float64, bool:
		case []any:
			list := make([]string, 0, len(v))
			for i, x := range v {
				s, ok := x.(string)
				if !ok {
					return &DecodeError{Path: fmt.Sprintf("%s.%s.value[%d]", path, id, i), Err: errors.New("list items must be strings")}
				}
				list = append(list, s)
			}
			a.Value = list
		case []string:
		default:
			return &DecodeError{Path: path + "." + id + ".value", Err: fmt.Errorf("unsupported value of type %T", v)}
		}
		if a.Lang != "" && !ValidLanguageTag(a.Lang) {
			return &DecodeError{Path: path + "." + id + ".lang", Err: fmt.Errorf("%q is not a language tag (\"en\", \"cy\")", a.Lang)}
		}
		if a.NotKnown && a.Value != nil {
			return &DecodeError{Path: path + "." + id, Err: errors.New("an answer cannot have both a value and \"Not known\"")}
		}
		m[id] = a
	}
	return nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Encode writes the entry as compact JSON. Maps are written with sorted
// keys, so equal entries encode to equal bytes (the basis of content hashes).
func (e *Entry) Encode() ([]byte, error) {
	if b, ok := appendEntry(make([]byte, 0, 2048), e); ok {
		return b, nil
	}
	return json.Marshal(e)
}
