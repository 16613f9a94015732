package forms_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// An entry written in Welsh keeps its language and each answer's through
// decoding and encoding, and the tags are part of the content hash.
func TestEntryLanguageRoundTrip(t *testing.T) {
	doc := `{"id":"e1","checklist":{"id":"c","version":"1.0.0"},"revision":1,"started":"2026-11-25T02:47:00Z",
		"language":"cy","answers":{"child_words":{"value":"Mae Dad yn gweiddi","lang":"cy"},
		"incident_address":{"value":"1 Stryd y Bont","lang":"en"},"triage_life":{"value":"no"}}}`
	e, err := forms.DecodeEntry([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if e.Language != "cy" || e.Answers["child_words"].Lang != "cy" {
		t.Fatalf("language lost: entry %q, answer %q", e.Language, e.Answers["child_words"].Lang)
	}
	if got := e.WrittenIn(e.Answers["incident_address"]); got != "en" {
		t.Errorf("answer's own tag: WrittenIn = %q, want en", got)
	}
	if got := e.WrittenIn(e.Answers["triage_life"]); got != "cy" {
		t.Errorf("no tag on the answer: WrittenIn = %q, want the entry's cy", got)
	}
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"language":"cy"`)) || !bytes.Contains(b, []byte(`"lang":"cy"`)) {
		t.Fatalf("encoding dropped the tags: %s", b)
	}
	again, err := forms.DecodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := forms.ContentHash(e)
	h2, _ := forms.ContentHash(again)
	if h1 != h2 {
		t.Errorf("hash changed over a round trip")
	}
	again.Language = "en"
	if h3, _ := forms.ContentHash(again); h3 == h1 {
		t.Errorf("the entry's language is not part of its content hash")
	}
}

// Old entries (no tags) decode as before, encode without the new members,
// so their content hash is unchanged, and read as "not stated".
func TestEntryWithoutLanguage(t *testing.T) {
	doc := `{"id":"e1","checklist":{"id":"c","version":"1.0.0"},"revision":1,"started":"2026-11-25T02:47:00Z","answers":{"x":{"value":"words"}}}`
	e, err := forms.DecodeEntry([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.WrittenIn(e.Answers["x"]); got != "" {
		t.Errorf("WrittenIn = %q, want \"\" (not stated)", got)
	}
	b, _ := e.Encode()
	if bytes.Contains(b, []byte("lang")) {
		t.Errorf("an old entry gained a language member: %s", b)
	}
}

func TestEntryBadLanguageTag(t *testing.T) {
	for _, c := range []struct{ doc, path string }{
		{`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-11-25T02:47:00Z","language":"Welsh","answers":{}}`, "language"},
		{`{"id":"e1","checklist":{"id":"c","version":"1"},"revision":1,"started":"2026-11-25T02:47:00Z","answers":{"q":{"value":"x","lang":"c y"}}}`, "answers.q.lang"},
	} {
		_, err := forms.DecodeEntry([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.path) {
			t.Errorf("want an error naming %s, got %v", c.path, err)
		}
	}
	for tag, want := range map[string]bool{"en": true, "cy": true, "en-GB": true, "cy-GB": true, "": false, "e": false, "EN": false, "welsh": false, "en-": false, "en-toolongsubtag": false} {
		if got := forms.ValidLanguageTag(tag); got != want {
			t.Errorf("ValidLanguageTag(%q) = %v, want %v", tag, got, want)
		}
	}
}
