package referral

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

var update = flag.Bool("update", false, "rewrite testdata/complete.json and docs/images/referral-page1.png")

// TestBuildComplete checks the complete example's referral holds every
// child, adult, relationship and reason, in words.
func TestBuildComplete(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	res := evaluate(t, c, e)
	d, err := Build(c, e, res, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatalf("the JSON does not read back: %v", err)
	}
	text := string(js)

	// Every child and adult, by name and id, in entry order.
	for group, got := range map[string][]string{"child": names(back.Children), "adult": adultNames(back.Adults)} {
		var want []string
		for _, inst := range e.Groups[group] {
			want = append(want, inst.Answers[group+"_name"].Value.(string))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s names = %q, want %q", group, got, want)
		}
	}
	// Every relationship, in words.
	if len(back.Relationships) != len(e.Relationships) {
		t.Fatalf("%d relationships, want %d", len(back.Relationships), len(e.Relationships))
	}
	for _, want := range []string{
		"Dana Fairweather is parent of Mia Fairweather",
		"Dana Fairweather is parent of Leo Holloway",
		"Craig Holloway is parent of Leo Holloway",
		"Craig Holloway is partner of the parent of Mia Fairweather",
	} {
		if !hasRelationship(back.Relationships, want) {
			t.Errorf("no relationship %q", want)
		}
	}
	// Every reason, once, under its grade, most serious first.
	n := 0
	prev := forms.LevelImmediate + 1
	for _, g := range back.Risks.ByGrade {
		if g.Grade >= prev {
			t.Errorf("grade %s after %s: not most serious first", g.Grade, prev)
		}
		prev = g.Grade
		n += len(g.Reasons)
	}
	if n != len(res.Reasons) || n == 0 {
		t.Errorf("%d reasons in the document, %d in the result", n, len(res.Reasons))
	}
	for _, r := range res.Reasons {
		found := false
		for _, g := range back.Risks.ByGrade {
			for _, got := range g.Reasons {
				if got.Rule == r.Rule && strings.HasSuffix(r.Text, got.Text) && g.Grade == r.Level {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("reason %s (%q) is missing", r.Rule, r.Text)
		}
	}
	// Labels, not codes.
	for _, want := range []string{
		"W1 White: English, Welsh, Scottish, Northern Irish or British",
		"M1 Mixed: White and Black Caribbean",
		"K SEN support (help at school, no EHC plan)",
		"SPLD Specific learning difficulty (for example dyslexia)",
		"Frightened; Very watchful, frozen",
		"Adequate: untidy but safe (2 on a scale of 1 to 4)",
		"12 Mar 2016 (aged 9 at the incident)",
		"Fri 14 Nov 2025 02:31 GMT",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the JSON lacks %q", want)
		}
	}
	mia := back.Children[0]
	if v := fieldValue(mia.Details, "child_ethnicity_self"); v == "W1" || !strings.HasPrefix(v, "W1 White") {
		t.Errorf("ethnicity printed as %q, want its label", v)
	}
	// The child's own words, verbatim, with time and who was there.
	wantWords := e.Groups["child"][0].Answers["child_words"].Value.(string)
	if mia.Words == nil || mia.Words.Text != wantWords {
		t.Fatalf("Mia's words = %+v, want %q verbatim", mia.Words, wantWords)
	}
	if mia.Words.Time == nil || !mia.Words.Time.Equal(time.Date(2025, 11, 14, 3, 2, 0, 0, time.UTC)) || mia.Words.Present == "" || mia.Words.Asked == "" {
		t.Errorf("Mia's words lack time, who was present or what was asked: %+v", mia.Words)
	}
	if back.Children[1].Words != nil {
		t.Errorf("Leo (pre-verbal) has words %+v", back.Children[1].Words)
	}
	if mia.AgeYears == nil || *mia.AgeYears != 9 {
		t.Errorf("Mia's age = %v, want 9", mia.AgeYears)
	}
	// Only questions shown and answered: Mia was spoken to alone, so "why
	// not alone" is hidden; Leo's is shown.
	if fieldValue(mia.SeenAndHeard, "child_not_alone_why") != "" {
		t.Error("a hidden question appears")
	}
	if fieldValue(back.Children[1].SeenAndHeard, "child_not_alone_why") == "" {
		t.Error("Leo's reason for not being spoken to alone is missing")
	}
	// Decisions.
	if back.Grade != forms.LevelHigh || back.Decisions.Supervisor.Change != "agreed" || back.Decisions.Officer.Grade != forms.LevelHigh {
		t.Errorf("decisions = %+v, grade %s", back.Decisions, back.Grade)
	}
	if back.Decisions.Supervisor.At == nil || back.Decisions.Supervisor.Name != "Sgt Zoë Ó Briain" || len(back.Decisions.History) != 1 {
		t.Errorf("supervisor decision = %+v", back.Decisions)
	}
	if !back.Training || back.Marking != Marking || back.Format != Format {
		t.Errorf("format %q, marking %q, training %v", back.Format, back.Marking, back.Training)
	}
	// Actions: the referral's time, ABE requested, flags.
	if st := step(back.Actions.Taken, "referral"); st == nil || !st.Done || st.Time == nil || !strings.Contains(st.Detail, "MASH-25-118842") {
		t.Errorf("referral step = %+v", st)
	}
	if st := step(back.Actions.Taken, "abe_interview"); st == nil || !st.Done {
		t.Errorf("ABE step = %+v", st)
	}
	if st := step(back.Actions.Taken, "flags"); st == nil || st.Status != "MARAC; Operation Encompass" {
		t.Errorf("flags step = %+v", st)
	}
	if len(back.Actions.Advised) != len(res.Actions) {
		t.Errorf("%d advised actions, the result has %d", len(back.Actions.Advised), len(res.Actions))
	}
}

// TestJSONGolden pins the JSON form: a change to it is a change to
// docs/referral-format.md (and, if a member is removed or renamed, to
// Format). Rewrite with go test ./referral -run TestJSONGolden -update.
func TestJSONGolden(t *testing.T) {
	js, err := completeDoc(t).JSON()
	if err != nil {
		t.Fatal(err)
	}
	again, err := completeDoc(t).JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, again) {
		t.Fatal("two builds of the same entry give different JSON")
	}
	golden := filepath.Join("testdata", "complete.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, js, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(js, want) {
		t.Errorf("the JSON differs from %s; if the change is meant, run with -update and update docs/referral-format.md", golden)
	}
}

// TestNotKnownAndHidden: a "Not known" answer prints with its reason; an
// answer to a question the officer never saw does not print at all.
func TestNotKnownAndHidden(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	mia := &e.Groups["child"][0]
	mia.Answers["child_ethnicity_self"] = forms.Answer{NotKnown: true, Reason: "Mother too distressed to ask"}
	mia.Answers["child_gp"] = forms.Answer{NotKnown: true}
	// Hidden: Mia was spoken to alone, so this is never shown.
	mia.Answers["child_not_alone_why"] = forms.Answer{Value: "HIDDEN ANSWER"}
	d, err := Build(c, e, evaluate(t, c, e), testMeta())
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldValue(d.Children[0].Details, "child_ethnicity_self"); got != "Not known — Mother too distressed to ask" {
		t.Errorf("ethnicity = %q", got)
	}
	if got := fieldValue(d.Children[0].Details, "child_gp"); got != "Not known — no reason given" {
		t.Errorf("GP = %q", got)
	}
	js, _ := d.JSON()
	if bytes.Contains(js, []byte("HIDDEN ANSWER")) {
		t.Error("an answer to a hidden question is in the referral")
	}
}

// TestPoliceProtection: the 72-hour limit is computed from the start and
// every step the sub-form records is shown.
func TestPoliceProtection(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	set := func(id string, v any) { e.Answers[id] = forms.Answer{Value: v} }
	set("pp_used", "yes")
	set("pp_start", "2025-11-14T03:15:00Z")
	set("pp_children", "Mia and Leo")
	set("pp_place", "Foster carer, address held by children's social care")
	set("pp_designated_officer", "yes")
	set("pp_designated_officer_name", "Insp Łukasz Wiśniewski")
	set("pp_la_informed", "yes")
	set("pp_child_told", "no")
	set("pp_parents_informed", "yes")
	d, err := Build(c, e, evaluate(t, c, e), testMeta())
	if err != nil {
		t.Fatal(err)
	}
	pp := d.Actions.PoliceProtection
	if pp == nil || pp.Started == nil || pp.MustEndBy == nil {
		t.Fatalf("police protection = %+v", pp)
	}
	if want := time.Date(2025, 11, 17, 3, 15, 0, 0, time.UTC); !pp.MustEndBy.Equal(want) {
		t.Errorf("must end by %s, want %s", pp.MustEndBy, want)
	}
	st := step(d.Actions.Taken, "police_protection")
	if st == nil || st.Status != "Used" || !strings.Contains(st.Detail, "must end by Mon 17 Nov 2025 03:15 GMT") || !strings.Contains(st.Detail, "child") {
		t.Errorf("police protection step = %+v", st)
	}
	if fieldValue(pp.Fields, "pp_designated_officer_name") != "Insp Łukasz Wiśniewski" {
		t.Errorf("police protection fields = %+v", pp.Fields)
	}
}

// TestSupervisorGrade: a supervisor who raises the grade is shown as
// raising it, and the document carries the raised grade.
func TestSupervisorGrade(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	m := testMeta()
	m.SupervisorGrade = forms.LevelImmediate
	d, err := Build(c, e, evaluate(t, c, e), m)
	if err != nil {
		t.Fatal(err)
	}
	if d.Grade != forms.LevelImmediate || d.Decisions.Supervisor.Change != "raised" || !d.Immediate || d.Decisions.Officer.Grade != forms.LevelHigh {
		t.Errorf("grade %s, change %q, immediate %v, officer %s", d.Grade, d.Decisions.Supervisor.Change, d.Immediate, d.Decisions.Officer.Grade)
	}
}

func TestBuildRefuses(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	res := evaluate(t, c, e)
	if _, err := Build(nil, e, res, Meta{}); !errors.Is(err, ErrMissing) {
		t.Errorf("nil checklist: %v", err)
	}
	if _, err := Build(c, nil, res, Meta{}); !errors.Is(err, ErrMissing) {
		t.Errorf("nil entry: %v", err)
	}
	if _, err := Build(c, e, nil, Meta{}); !errors.Is(err, ErrMissing) {
		t.Errorf("nil result: %v", err)
	}
	other := *e
	other.Checklist.Version = "9.9.9"
	if _, err := Build(c, &other, res, Meta{}); !errors.Is(err, ErrMismatch) {
		t.Errorf("other version: %v", err)
	}
}

func names(cs []Child) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func adultNames(as []Adult) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func hasRelationship(rs []Relationship, text string) bool {
	for _, r := range rs {
		if r.Text == text {
			return true
		}
	}
	return false
}

func fieldValue(fs []Field, q string) string {
	for _, f := range fs {
		if f.Question == q {
			return f.Value
		}
	}
	return ""
}

func step(ss []Step, id string) *Step {
	for i := range ss {
		if ss[i].ID == id {
			return &ss[i]
		}
	}
	return nil
}
