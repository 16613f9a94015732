package forms_test

// Tests of child-at-risk 2.0.0: the answers a check needs (issue 12), the
// neglect screen, not-known handling, travel timing, one reason per fact
// and the person-index identifiers (issue 13).

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/forms/formstest"
)

var v2Ref = forms.Ref{ID: "child-at-risk", Version: "2.0.0"}

var v2Load = sync.OnceValues(func() (*forms.Checklist, error) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		return nil, err
	}
	c, ok := reg.Get(v2Ref)
	if !ok {
		return nil, fmt.Errorf("registry has no %s", v2Ref)
	}
	// New checks start on 3.3.0, 3.2.0 renumbered (TestV33IsV32WithNewPhrases),
	// itself 3.1.0 renumbered, itself 3.0.0
	// (2.0.0 with Welsh texts) renumbered (TestV3IsV2WithWelsh,
	// TestV31IsV3WithNewPhrases, TestV32IsV31WithNewPhrases), so what is
	// tested here holds for all five.
	return c, nil
})

func v2Checklist(t testing.TB) *forms.Checklist {
	t.Helper()
	c, err := v2Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// v2New is an empty entry with the given people (ids child-N, adult-N).
func v2New(children, adults int) *forms.Entry {
	e := &forms.Entry{ID: "0b8f3c52-0d1e-4a57-9a43-9f1c5a3e7d20", Checklist: v2Ref, Revision: 1,
		Answers: map[string]forms.Answer{}, Groups: map[string][]forms.Instance{}}
	for i := 0; i < children; i++ {
		e.Groups["child"] = append(e.Groups["child"], forms.Instance{ID: fmt.Sprintf("c0000000-0000-4000-8000-%012d", i+1), Answers: map[string]forms.Answer{}})
	}
	for i := 0; i < adults; i++ {
		e.Groups["adult"] = append(e.Groups["adult"], forms.Instance{ID: fmt.Sprintf("a0000000-0000-4000-8000-%012d", i+1), Answers: map[string]forms.Answer{}})
	}
	return e
}

func v2Eval(t testing.TB, e *forms.Entry) *forms.Result {
	t.Helper()
	r, err := forms.Evaluate(v2Checklist(t), e, forms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The two shapes of issue 12.
var (
	// A welfare check: one boy of seven at home with his mother, nothing
	// of concern.
	v2StandardShape = formstest.Map{
		Top: map[string]any{
			"incident_ref": "WC-2026-0001", "incident_time": "2026-11-25T19:10:00Z", "incident_address": "4 Elm Row, Testtown",
			"reason": "welfare_check", "triage_now": []string{"none"}, "other_children": []string{"none"}, "concerns_seen": []string{"none"},
			"home_found_where": "own_home", "home_condition": 1.0, "home_hazards": []string{"none"}, "home_needs_met": "yes",
		},
		Groups: map[string][]map[string]any{
			"child": {{"child_name": "Sam Elm", "child_dob": "2019-04-01", "child_sex": "male", "child_ethnicity_self": "W1",
				"child_disability": "no", "child_sen": "N", "child_language": "English", "child_education": "school",
				"child_seen": "yes", "child_alone": "yes", "child_disclosed": "no", "child_demeanour": []string{"calm"}, "child_injuries": "no"}},
			"adult": {{"adult_name": "Jo Elm", "adult_dob": "1990-02-03", "adult_role": "parent", "adult_address": "4 Elm Row, Testtown", "adult_present": "present"}},
		},
	}
	// Domestic abuse: a girl of nine and a boy of two, their mother and
	// her partner (the suspect), DASH answered in full (16 yes).
	v2HighShape = formstest.Map{
		Top: map[string]any{
			"incident_ref": "DA-2026-0002", "incident_time": "2026-11-25T23:40:00Z", "incident_address": "12 Ash Close, Testtown",
			"reason": "domestic_abuse", "triage_now": []string{"none"}, "other_children": []string{"none"}, "concerns_seen": []string{"domestic"},
			"da_indicators": []string{"heard", "previous"}, "da_children": "Both", "da_child_present": "yes", "da_encompass": "to_do",
			"home_found_where": "own_home", "home_condition": 2.0, "home_hazards": []string{"none"}, "home_needs_met": "yes",
			"home_aftercare": "Mother, Kim Ash", "home_aftercare_checks": "PNC and local checks on Kim: nothing of note.",
			"steps_done": []string{"referral"}, "referral_time": "2026-11-26T00:30:00Z",
		},
		Groups: map[string][]map[string]any{
			"child": {
				{"child_name": "Lily Ash", "child_dob": "2017-05-01", "child_sex": "female", "child_ethnicity_self": "W1", "child_disability": "no",
					"child_sen": "N", "child_language": "English", "child_education": "school", "child_school": "Ash Primary",
					"child_seen": "yes", "child_alone": "yes", "child_disclosed": "no", "child_demeanour": []string{"frightened"}, "child_injuries": "no"},
				{"child_name": "Max Ash", "child_dob": "2024-03-01", "child_sex": "male", "child_ethnicity_self": "W1", "child_disability": "no",
					"child_sen": "N", "child_language": "English", "child_education": "under_school_age",
					"child_seen": "yes", "child_alone": "no", "child_not_alone_why": "Too young: seen with his mother.", "child_disclosed": "no",
					"child_demeanour": []string{"clingy"}, "child_injuries": "no", "child_preverbal": "yes", "child_observed_behaviour": "Clung to his mother, flinched at raised voices."},
			},
			"adult": {
				{"adult_name": "Kim Ash", "adult_dob": "1992-07-07", "adult_role": "parent", "adult_address": "12 Ash Close, Testtown", "adult_present": "present", "adult_checks": []string{"pnc"}},
				{"adult_name": "Dean Wood", "adult_dob": "1988-09-09", "adult_role": "suspect", "adult_address": "Not known", "adult_present": "present_intoxicated",
					"adult_checks": []string{"pnc", "local_intel"}, "adult_children_elsewhere": "no"},
			},
		},
	}
)

func init() {
	for i := 1; i <= forms.DASHQuestions; i++ {
		ans := "no"
		if i <= 16 {
			ans = "yes"
		}
		v2HighShape.Top[fmt.Sprintf("dash_q%02d", i)] = ans
	}
}

// Answer bounds of issue 12.
const (
	v2MaxStandardAnswers = 30
	v2MaxHighAnswers     = 90
)

// TestAnswersToSubmit counts the answers each shape needs to become
// submittable, answering the first problem each time as the app shows
// it, and checks the finished entry grades as it should.
func TestAnswersToSubmit(t *testing.T) {
	c := v2Checklist(t)
	for _, tc := range []struct {
		name            string
		children, adult int
		shape           formstest.Map
		max             int
		grade           forms.Level
	}{
		{"standard: one child, one carer, nothing of concern", 1, 1, v2StandardShape, v2MaxStandardAnswers, forms.LevelStandard},
		{"high: two children, two adults, domestic abuse with DASH", 2, 2, v2HighShape, v2MaxHighAnswers, forms.LevelHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := v2New(tc.children, tc.adult)
			n, err := formstest.Fill(c, e, tc.shape.Get)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d answers", tc.name, n)
			if testing.Verbose() {
				ids := []string{}
				for id := range e.Answers {
					ids = append(ids, id)
				}
				for _, list := range e.Groups {
					for i, inst := range list {
						for id := range inst.Answers {
							ids = append(ids, fmt.Sprintf("%d.%s", i, id))
						}
					}
				}
				slices.Sort(ids)
				t.Logf("answered: %s; links %d", strings.Join(ids, " "), len(e.Relationships))
			}
			if n > tc.max {
				t.Errorf("%d answers to submit, want at most %d", n, tc.max)
			}
			r := v2Eval(t, e)
			if !r.Ready || r.Grade != tc.grade {
				t.Errorf("ready %v grade %s, want ready %s; reasons %+v", r.Ready, r.Grade, tc.grade, r.Reasons)
			}
			// Never a blank pass: every answer the driver gave was asked for,
			// so taking any one away leaves the entry not ready.
			for id := range e.Answers {
				e2 := v2Clone(e)
				delete(e2.Answers, id)
				if v2Eval(t, e2).Ready {
					t.Errorf("ready without %s", id)
				}
			}
			for g, list := range e.Groups {
				for i := range list {
					for id := range list[i].Answers {
						e2 := v2Clone(e)
						delete(e2.Groups[g][i].Answers, id)
						if v2Eval(t, e2).Ready {
							t.Errorf("ready without %s %d's %s", g, i+1, id)
						}
					}
				}
			}
		})
	}
}

func v2Clone(e *forms.Entry) *forms.Entry {
	b, err := e.Encode()
	if err != nil {
		panic(err)
	}
	out, err := forms.DecodeEntry(b)
	if err != nil {
		panic(err)
	}
	return out
}

// TestAnswersToSubmitV1 measures the standard shape on 1.0.0 with the same
// driver, for comparison (README): 2.0.0 must need fewer.
func TestAnswersToSubmitV1(t *testing.T) {
	e := v2New(1, 1)
	e.Checklist = v1Ref
	m := formstest.Map{Top: map[string]any{"reason": "welfare_check", "incident_time": "2026-11-25T19:10:00Z"},
		Groups: map[string][]map[string]any{
			"child": {{"child_dob": "2019-04-01", "child_sex": "male", "child_ethnicity_self": "W1", "child_sen": "N", "child_alone": "yes",
				"child_carer_present": "yes", "child_demeanour": []string{"calm"}}},
			"adult": {{"adult_checks": []string{"pnc"}}}}}
	n, err := formstest.Fill(v1Checklist(t), e, m.Get)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1.0.0 standard shape: %d answers", n)
	if n <= v2MaxStandardAnswers {
		t.Errorf("1.0.0 needs %d answers: the comparison in the README is stale", n)
	}
}
