package supervisor_test

import (
	"strings"
	"testing"
)

// TestFreeTextMarkedWithLanguage: an officer's tablet in Welsh records a
// check (the real device store tags the free text), the officer switches
// to English for one answer; the supervisor, reading in English, sees each
// free-text answer as written with the language it was written in, and
// no language beside codes.
func TestFreeTextMarkedWithLanguage(t *testing.T) {
	h := newHarness(t, false)
	u := h.u
	if err := h.dev.Store.SetLanguage("cy"); err != nil {
		t.Fatal(err)
	}
	id := h.dev.Check(h.c, "CAD-3001-25NOV", "Ŷwain Tŷ-Gwyn", false)
	h.dev.Set(id, "", 0, "incident_address", "Dŵr Cottage, Heol y Bont")
	if err := h.dev.Store.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	h.dev.Set(id, "", 0, "incident_ref", "CAD-3001-25NOV-A")
	h.dev.Submit(h.c, id)
	h.dev.Sync()

	h.signIn("sergeant1")
	h.row(id).OnTapped()
	h.wait("the check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	s := u.Entry
	for path, want := range map[string]string{
		"incident_address": "Written in Welsh",
		"incident_ref":     "Written in English",
	} {
		r := s.Answers[path]
		if r == nil {
			t.Fatalf("no row for %s", path)
		}
		if r.Written == nil || r.Written.Text != want {
			t.Errorf("%s: language label %v, want %q", path, r.Written, want)
		}
	}
	if r := s.Answers["incident_address"]; r.Value.Text != "Dŵr Cottage, Heol y Bont" {
		t.Errorf("the Welsh text is not shown as written: %q", r.Value.Text)
	}
	if r := s.Answers["triage_life"]; r == nil || r.Written != nil {
		t.Errorf("a yes/no answer (a code) carries a language label: %+v", r)
	}
	if !strings.Contains(s.Summary.Text, "Written in Welsh") {
		t.Errorf("the summary does not say the check was written in Welsh: %q", s.Summary.Text)
	}
}
