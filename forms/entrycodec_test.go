package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// slowDecode is DecodeEntry as it was before the fast reader: encoding/json
// only.
func slowDecode(data []byte) (*Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var e Entry
	if err := dec.Decode(&e); err != nil {
		return nil, jsonDecodeError(err, len(data))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the entry")
	}
	if err := e.normalise(); err != nil {
		return nil, errNormalise{err}
	}
	return &e, nil
}

// errNormalise marks a problem normalise found: it reports the first in
// map order, so which one is chance when there are several.
type errNormalise struct{ error }

// checkCodec checks, for one document, that the fast reader accepts only
// what encoding/json accepts and reads it to the same entry, that
// DecodeEntry's answer is encoding/json's, and that the fast writer
// writes what json.Marshal writes.
func checkCodec(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := slowDecode(data)
	var fast Entry
	if decodeEntryFast(data, &fast) {
		if wantErr != nil {
			if err := fast.normalise(); err == nil {
				t.Fatalf("fast reader accepted what encoding/json refuses (%v):\n%s", wantErr, data)
			}
		} else {
			if err := fast.normalise(); err != nil {
				t.Fatalf("normalise refused the fast reading (%v) but not encoding/json's:\n%s", err, data)
			}
			if !reflect.DeepEqual(&fast, want) {
				t.Fatalf("fast reader read\n%#v\nencoding/json\n%#v\nfrom\n%s", &fast, want, data)
			}
		}
	}
	got, err := DecodeEntry(data)
	switch {
	case (err == nil) != (wantErr == nil):
		t.Fatalf("DecodeEntry = %v, encoding/json %v:\n%s", err, wantErr, data)
	case err != nil && !errors.As(wantErr, new(errNormalise)) && wantErr.Error() != "unexpected data after the entry" && err.Error() != wantErr.Error():
		t.Fatalf("DecodeEntry error %q, encoding/json %q", err, wantErr)
	case err == nil && !reflect.DeepEqual(got, want):
		t.Fatalf("DecodeEntry read\n%#v\nencoding/json\n%#v", got, want)
	}
	if want != nil {
		checkEncode(t, want)
	}
}

func checkEncode(t *testing.T, e *Entry) {
	t.Helper()
	want, wantErr := json.Marshal(e)
	got, ok := appendEntry(nil, e)
	if wantErr != nil {
		if ok {
			t.Fatalf("fast writer wrote what json.Marshal refuses (%v): %s", wantErr, got)
		}
		return
	}
	if ok && !bytes.Equal(got, want) {
		t.Fatalf("fast writer wrote\n%s\njson.Marshal\n%s", got, want)
	}
	enc, err := e.Encode()
	if err != nil || !bytes.Equal(enc, want) {
		t.Fatalf("Encode = %s, %v; json.Marshal %s", enc, err, want)
	}
}

var codecCases = []string{
	`{"id":"e1","checklist":{"id":"c","version":"1.0.0"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	` { "id" : "e1" , "checklist" : { "id" : "c" , "version" : "1" } , "revision" : 2 , "started" : "2026-03-01T21:30:00.5+01:00" , "answers" : { "a" : { "value" : [ "x" , "y" ] } } } `,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","officer":"o","training":true,
	  "answers":{"n":{"value":-1.5e-7},"b":{"value":true},"k":{"notKnown":true,"reason":"gone \u003c\u0026 \"q\" \n","lang":"cy"},"e":{"value":[]},"s":{"value":""}},
	  "groups":{"child":[{"id":"i1","answers":{"name":{"value":"Ŵyn \ud83d\ude00 \u2028"}}},{"id":"i2","answers":{}}],"adult":[]},
	  "relationships":[{"from":"i1","to":"i2","type":"sibling"}],
	  "attachments":[{"sha256":"` + strings.Repeat("ab", 32) + `","size":12,"type":"image/jpeg","name":"p.jpg"}],"language":"en"}`,
	// encoding/json's territory: each goes to it, and its answer stands.
	`{"ID":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	`{"id":"e1","id":"e2","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":1},"a":{"value":2}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1.0,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":null}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":{"x":1}}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":[1]}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":1e999}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{},"grading":{"level":"high","reason":"r"}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{},"extra":1}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{}} {}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"not a time","answers":{}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":99999999999999999999,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{},"groups":{"g":[{"id":"x","answers":{}},{"id":"x","answers":{}}]}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-03-01T21:30:00Z","answers":{"a":{"value":"bad \xff utf8"}}}`,
	`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":0,"started":"2026-03-01T21:30:00Z","answers":{}}`,
	`null`, `[]`, `{}`, ``, `{"id":`,
}

// TestEntryCodecMatchesEncodingJSON: on documents the fast reader handles
// and on ones it must leave to encoding/json, DecodeEntry answers as
// encoding/json does, and Encode writes json.Marshal's bytes.
func TestEntryCodecMatchesEncodingJSON(t *testing.T) {
	for _, c := range codecCases {
		checkCodec(t, []byte(c))
	}
	var e Entry
	if !decodeEntryFast([]byte(codecCases[2]), &e) {
		t.Error("the fast reader gave up on a plain document")
	}
}

// TestEntryCodecRandomEntries writes random entries (awkward strings,
// numbers at encoding/json's format boundaries, empty and nil lists and
// maps) with Encode and json.Marshal, and reads each back both ways.
func TestEntryCodecRandomEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 17))
	for i := 0; i < 3000; i++ {
		e := randomEntry(r)
		checkEncode(t, e)
		if b, err := json.Marshal(e); err == nil {
			checkCodec(t, b)
		}
	}
}

var awkward = []string{"", "plain", "<b>&amp;</b>", "quote \" back \\ slash /", "line\nfeed\ttab\r\b\f\x01\x1f",
	"\u2028\u2029", "Ŵyn ŷ", "😀", "bad \xff\xfe utf8", "\xed\xa0\x80", "\u007f"}

var floats = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -2.5e-300, math.MaxFloat64,
	math.SmallestNonzeroFloat64, math.Inf(1), math.NaN()}

func randomEntry(r *rand.Rand) *Entry {
	str := func() string { return awkward[r.IntN(len(awkward))] }
	answers := func() map[string]Answer {
		if r.IntN(10) == 0 {
			return nil
		}
		m := map[string]Answer{}
		for j := r.IntN(5); j > 0; j-- {
			var a Answer
			switch r.IntN(8) {
			case 0:
				a.Value = str()
			case 1:
				a.Value = floats[r.IntN(len(floats))]
			case 2:
				a.Value = r.IntN(2) == 0
			case 3:
				a.Value = []string{str(), str()}
			case 4:
				a.Value = []string{}
			case 5:
				a.Value = []string(nil)
			case 6:
				a.NotKnown, a.Reason = true, str()
			case 7:
				a.Value = 3 // not a decoded type: json.Marshal's
			}
			if r.IntN(3) == 0 {
				a.Lang = str()
			}
			m[str()+string(rune('a'+j))] = a
		}
		return m
	}
	e := &Entry{ID: str(), Checklist: Ref{ID: str(), Version: str()}, Revision: r.IntN(1 << 20), Officer: str(), Training: r.IntN(2) == 0,
		Started: time.Date(2026, 3, 1, 21, 30, 0, r.IntN(2)*123456789, time.FixedZone("", 60*r.IntN(1500))), Answers: answers(), Language: str()}
	if r.IntN(20) == 0 {
		e.Started = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // MarshalJSON refuses it
	}
	if r.IntN(2) == 0 {
		e.Groups = map[string][]Instance{}
		for j := r.IntN(3); j >= 0; j-- {
			var list []Instance
			for k := r.IntN(3); k > 0; k-- {
				list = append(list, Instance{ID: str(), Answers: answers()})
			}
			e.Groups[str()] = list
		}
	}
	if r.IntN(3) == 0 {
		e.Relationships = []Relationship{{From: str(), To: str(), Type: str()}}
	}
	if r.IntN(3) == 0 {
		e.Attachments = []Attachment{{SHA256: str(), Size: r.Int64N(1 << 40), Type: str(), Name: str()}}
	}
	if r.IntN(4) == 0 {
		e.Grading = &Grading{Level: Level(r.IntN(5)), Reason: str()}
	}
	return e
}

// FuzzEntryCodec checks DecodeEntry and Encode against encoding/json on
// any document.
func FuzzEntryCodec(f *testing.F) {
	for _, c := range codecCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCodec(t, data)
	})
}

// TestEntryCodecKnowsEveryField fails when a field is added to an entry
// (or its parts) or renamed: entrycodec.go must then learn it, or it
// would write entries without it (and their content hashes would change).
func TestEntryCodecKnowsEveryField(t *testing.T) {
	known := map[reflect.Type]string{
		reflect.TypeFor[Entry]():        "id checklist revision started officer,omitempty training,omitempty answers groups,omitempty relationships,omitempty attachments,omitempty grading,omitempty language,omitempty",
		reflect.TypeFor[Ref]():          "id version",
		reflect.TypeFor[Answer]():       "value,omitempty notKnown,omitempty reason,omitempty lang,omitempty",
		reflect.TypeFor[Instance]():     "id answers",
		reflect.TypeFor[Relationship](): "from to type",
		reflect.TypeFor[Attachment]():   "sha256 size type,omitempty name,omitempty",
		reflect.TypeFor[Grading]():      "level reason,omitempty",
	}
	for typ, want := range known {
		var tags []string
		for f := range typ.Fields() {
			tags = append(tags, f.Tag.Get("json"))
		}
		if got := strings.Join(tags, " "); got != want {
			t.Errorf("%s's fields are now %q; entrycodec.go knows %q: teach it the change", typ, got, want)
		}
	}
}
