package devicestore

import (
	"errors"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// An entry started while the app is in Welsh records "cy"; free text saved
// then is tagged with the language of the moment (the officer may switch
// mid-entry), an answer's own tag is kept, and all of it survives the
// draft rows, closing and reopening, and the frozen payload.
func TestLanguageRecordedOnEntryAndFreeText(t *testing.T) {
	s, c, path := newTestStore(t)
	must(t, s.SetLanguage("cy"))
	e := mustEntry(t, s)
	if e.Language != "cy" {
		t.Fatalf("new entry language = %q, want cy", e.Language)
	}
	child, err := s.AddInstance(e.ID, "child")
	must(t, err)
	must(t, s.SetAnswer(e.ID, "child", child, "child_words", forms.Answer{Value: "Dŵr ar y llawr, mae Dad yn gweiddi"}))
	must(t, s.SetAnswer(e.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-1", Lang: "en"}))
	must(t, s.SetAnswer(e.ID, "", "", "child_dob", forms.Answer{NotKnown: true, Reason: "Ni wyddai'r fam"}))
	must(t, s.SetAnswer(e.ID, "", "", "home_scale", forms.Answer{Value: 3}))
	must(t, s.SetLanguage("en"))
	must(t, s.SetAnswer(e.ID, "", "", "reason", forms.Answer{Value: "Neighbour called about shouting"}))

	check := func(stage string, got *forms.Entry) {
		t.Helper()
		if got.Language != "cy" {
			t.Errorf("%s: entry language = %q, want cy", stage, got.Language)
		}
		inst, _ := got.Instance("child", child)
		for _, w := range []struct {
			name, got, want string
		}{
			{"child_words", inst.Answers["child_words"].Lang, "cy"},
			{"incident_ref (own tag)", got.Answers["incident_ref"].Lang, "en"},
			{"child_dob reason", got.Answers["child_dob"].Lang, "cy"},
			{"home_scale (a number, no words)", got.Answers["home_scale"].Lang, ""},
			{"reason (written after switching to English)", got.Answers["reason"].Lang, "en"},
		} {
			if w.got != w.want {
				t.Errorf("%s: %s lang = %q, want %q", stage, w.name, w.got, w.want)
			}
		}
	}
	got, err := s.Entry(e.ID)
	must(t, err)
	check("draft", got)

	must(t, s.Close())
	s2 := openTest(t, path, c)
	must(t, s2.Unlock(testOfficer, testPIN))
	got, err = s2.Entry(e.ID)
	must(t, err)
	check("reopened", got)

	if _, err := s2.Submit(e.ID, forms.LevelHigh, false); err != nil {
		t.Fatal(err)
	}
	got, err = s2.Entry(e.ID)
	must(t, err)
	check("frozen payload", got)
}

// Without SetLanguage nothing is tagged (entries read as "not stated"),
// and a malformed tag is refused with nothing saved.
func TestLanguageNotStatedAndBadTag(t *testing.T) {
	s, _, _ := newTestStore(t)
	e := mustEntry(t, s)
	must(t, s.SetAnswer(e.ID, "", "", "reason", forms.Answer{Value: "words"}))
	got, err := s.Entry(e.ID)
	must(t, err)
	if got.Language != "" || got.Answers["reason"].Lang != "" {
		t.Errorf("untagged store tagged the entry: %q / %q", got.Language, got.Answers["reason"].Lang)
	}
	if err := s.SetLanguage("Cymraeg"); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetLanguage(Cymraeg) = %v, want ErrInvalid", err)
	}
	err = s.SetAnswer(e.ID, "", "", "reason", forms.Answer{Value: "other words", Lang: "c y"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "language tag") {
		t.Errorf("bad answer tag: %v, want ErrInvalid naming the tag", err)
	}
	got, _ = s.Entry(e.ID)
	if got.Answers["reason"].Value != "words" {
		t.Errorf("a refused answer replaced the saved one: %+v", got.Answers["reason"])
	}
}
