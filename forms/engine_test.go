package forms_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

func loadMini(t testing.TB) *forms.Checklist {
	t.Helper()
	c, err := forms.Load(os.DirFS("testdata"), "mini.json")
	if err != nil {
		t.Fatalf("load mini: %v", err)
	}
	return c
}

const (
	kid1   = "11111111-1111-4111-8111-111111111111"
	kid2   = "22222222-2222-4222-8222-222222222222"
	adult1 = "33333333-3333-4333-8333-333333333333"
	photo1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

func v(x any) forms.Answer { return forms.Answer{Value: x} }

// readyMini is a complete, ready entry for the mini checklist with no risk.
func readyMini() *forms.Entry {
	return &forms.Entry{
		ID:        "00000000-0000-4000-8000-000000000001",
		Checklist: forms.Ref{ID: "mini", Version: "1.0.0"},
		Revision:  1,
		Started:   time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC),
		Answers: map[string]forms.Answer{
			"inc_time":            v("2026-11-25T03:00:00Z"),
			"reason":              v("other"),
			"reason_other":        v("Neighbour called"),
			"reason_other_detail": v("Shouting heard"),
			"life_risk":           v("no"),
		},
		Groups: map[string][]forms.Instance{
			"kid": {{ID: kid1, Answers: map[string]forms.Answer{
				"kid_name": v("Amy Example"), "kid_dob": v("2019-04-01"), "kid_eth": v("W1"), "kid_injured": v("no"),
			}}},
			"grown": {{ID: adult1, Answers: map[string]forms.Answer{"grown_name": v("Pat Example"), "grown_drunk": v("no")}}},
		},
		Relationships: []forms.Relationship{{From: adult1, To: kid1, Type: "parent"}},
	}
}

func eval(t *testing.T, c *forms.Checklist, e *forms.Entry) *forms.Result {
	t.Helper()
	r, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return r
}

func hasProblem(r *forms.Result, question string, code forms.ProblemCode) bool {
	for _, p := range r.Problems {
		if p.Question == question && p.Code == code {
			return true
		}
	}
	return false
}

func TestReadyEntry(t *testing.T) {
	c := loadMini(t)
	r := eval(t, c, readyMini())
	if !r.Ready {
		t.Fatalf("want ready, problems: %+v", r.Problems)
	}
	if r.Grade != forms.LevelStandard || r.Immediate || len(r.Reasons) != 0 {
		t.Fatalf("want standard with no reasons, got %s %+v", r.Grade, r.Reasons)
	}
	for _, s := range r.Sections {
		if s.Relevant && !s.Complete {
			t.Errorf("section %s/%s not complete: %+v", s.Section, s.Instance, s)
		}
	}
}

func TestMandatory(t *testing.T) {
	c := loadMini(t)
	tests := []struct {
		name     string
		mutate   func(e *forms.Entry)
		question string
		code     forms.ProblemCode
	}{
		{"blank top-level", func(e *forms.Entry) { delete(e.Answers, "life_risk") }, "life_risk", forms.ProblemRequired},
		{"empty string is blank", func(e *forms.Entry) { e.Answers["inc_time"] = v("") }, "inc_time", forms.ProblemRequired},
		{"child ethnicity missing", func(e *forms.Entry) { delete(e.Groups["kid"][0].Answers, "kid_eth") }, "kid_eth", forms.ProblemRequired},
		{"not known without reason", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_eth"] = forms.Answer{NotKnown: true}
		}, "kid_eth", forms.ProblemNotKnownNoReason},
		{"not known with blank reason", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_eth"] = forms.Answer{NotKnown: true, Reason: "   "}
		}, "kid_eth", forms.ProblemNotKnownNoReason},
		{"not known where not allowed", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_name"] = forms.Answer{NotKnown: true, Reason: "ran off"}
		}, "kid_name", forms.ProblemNotKnownForbidden},
		{"required by expression: NS needs observed", func(e *forms.Entry) { e.Groups["kid"][0].Answers["kid_eth"] = v("NS") }, "kid_ic", forms.ProblemRequired},
		{"required by expression: unknown dob needs age", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_dob"] = forms.Answer{NotKnown: true, Reason: "carer would not say"}
		}, "kid_age", forms.ProblemRequired},
		{"relevant chain", func(e *forms.Entry) { delete(e.Answers, "reason_other_detail") }, "reason_other_detail", forms.ProblemRequired},
		{"bad yes/no", func(e *forms.Entry) { e.Answers["life_risk"] = v("maybe") }, "life_risk", forms.ProblemInvalid},
		{"unknown option", func(e *forms.Entry) { e.Answers["reason"] = v("aliens") }, "reason", forms.ProblemInvalid},
		{"unknown code", func(e *forms.Entry) { e.Groups["kid"][0].Answers["kid_eth"] = v("ZZ") }, "kid_eth", forms.ProblemInvalid},
		{"bad date", func(e *forms.Entry) { e.Groups["kid"][0].Answers["kid_dob"] = v("01/04/2019") }, "kid_dob", forms.ProblemInvalid},
		{"bad datetime", func(e *forms.Entry) { e.Answers["inc_time"] = v("yesterday") }, "inc_time", forms.ProblemInvalid},
		{"number as text", func(e *forms.Entry) { e.Answers["rooms"] = v("three") }, "rooms", forms.ProblemInvalid},
		{"constraint", func(e *forms.Entry) { e.Answers["rooms"] = v(99.0) }, "rooms", forms.ProblemConstraint},
		{"scale out of range", func(e *forms.Entry) { e.Answers["condition"] = v(7.0) }, "condition", forms.ProblemInvalid},
		{"scale not whole", func(e *forms.Entry) { e.Answers["condition"] = v(2.5) }, "condition", forms.ProblemInvalid},
		{"multi unknown", func(e *forms.Entry) { e.Answers["hazards"] = v([]string{"drugs", "lions"}) }, "hazards", forms.ProblemInvalid},
		{"photo not attached", func(e *forms.Entry) { e.Answers["photos"] = v([]string{photo1}) }, "photos", forms.ProblemAttachment},
		{"unknown question", func(e *forms.Entry) { e.Answers["nope"] = v("x") }, "nope", forms.ProblemUnknownQuestion},
		{"group question at top", func(e *forms.Entry) { e.Answers["kid_name"] = v("x") }, "kid_name", forms.ProblemUnknownQuestion},
		{"no children", func(e *forms.Entry) { e.Groups["kid"] = nil; e.Relationships = nil }, "", forms.ProblemGroupCount},
		{"too many children", func(e *forms.Entry) {
			for i := 0; i < 3; i++ {
				e.Groups["kid"] = append(e.Groups["kid"], forms.Instance{ID: "k" + string(rune('a'+i)), Answers: e.Groups["kid"][0].Answers})
			}
		}, "", forms.ProblemGroupCount},
		{"child not linked", func(e *forms.Entry) { e.Relationships = nil }, "", forms.ProblemUnlinked},
		{"relationship wrong way", func(e *forms.Entry) {
			e.Relationships = append(e.Relationships, forms.Relationship{From: kid1, To: adult1, Type: "parent"})
		}, "", forms.ProblemRelationship},
		{"relationship unknown type", func(e *forms.Entry) { e.Relationships[0].Type = "cousin" }, "", forms.ProblemRelationship},
		{"lowered without reason", func(e *forms.Entry) {
			e.Answers["life_risk"] = v("yes")
			e.Grading = &forms.Grading{Level: forms.LevelStandard}
		}, "", forms.ProblemGrading},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := readyMini()
			tc.mutate(e)
			r := eval(t, c, e)
			if r.Ready {
				t.Fatalf("entry is ready; want a %s problem on %q", tc.code, tc.question)
			}
			if !hasProblem(r, tc.question, tc.code) {
				t.Fatalf("want %s on %q, got %+v", tc.code, tc.question, r.Problems)
			}
			for _, p := range r.Problems {
				if p.Message == "" {
					t.Errorf("problem without a message: %+v", p)
				}
			}
		})
	}
}

func TestAcceptedAnswers(t *testing.T) {
	c := loadMini(t)
	tests := []struct {
		name   string
		mutate func(e *forms.Entry)
	}{
		{"not known with reason", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_eth"] = forms.Answer{NotKnown: true, Reason: "carer declined to say"}
			e.Groups["kid"][0].Answers["kid_ic"] = v("IC1")
		}},
		{"alias code", func(e *forms.Entry) { e.Groups["kid"][0].Answers["kid_eth"] = v("O1") }},
		{"irrelevant answer ignored", func(e *forms.Entry) {
			e.Answers["reason"] = v("da")
			e.Answers["reason_other"] = v("left over")
		}},
		{"estimated age instead of dob", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_dob"] = forms.Answer{NotKnown: true, Reason: "no documents"}
			e.Groups["kid"][0].Answers["kid_age"] = v(4.0)
		}},
		{"every kind answered", func(e *forms.Entry) {
			e.Attachments = []forms.Attachment{{SHA256: photo1, Size: 10, Type: "image/jpeg"}}
			e.Answers["photos"] = v([]string{photo1})
			e.Answers["hazards"] = v([]string{"drugs"})
			e.Answers["rooms"] = v(3.0)
			e.Answers["condition"] = v(2.0)
			e.Answers["notes"] = v("line one\nline two")
		}},
		{"raised without reason", func(e *forms.Entry) { e.Grading = &forms.Grading{Level: forms.LevelHigh} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := readyMini()
			tc.mutate(e)
			r := eval(t, c, e)
			if !r.Ready {
				t.Fatalf("want ready, got %+v", r.Problems)
			}
		})
	}
}

func TestRiskRules(t *testing.T) {
	c := loadMini(t)
	tests := []struct {
		name      string
		mutate    func(e *forms.Entry)
		grade     forms.Level
		rules     []string
		actions   []string
		immediate bool
	}{
		{"none", func(e *forms.Entry) {}, forms.LevelStandard, nil, nil, false},
		{"life at risk", func(e *forms.Entry) { e.Answers["life_risk"] = v("yes") }, forms.LevelImmediate,
			[]string{"life"}, []string{"tell_supervisor", "police_protection"}, true},
		{"injured baby by dob", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_dob"] = v("2026-06-01")
			e.Groups["kid"][0].Answers["kid_injured"] = v("yes")
		}, forms.LevelHigh, []string{"baby_injured"}, []string{"see_doctor"}, false},
		{"injured baby by estimate", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_dob"] = forms.Answer{NotKnown: true, Reason: "unknown"}
			e.Groups["kid"][0].Answers["kid_age"] = v(0.5)
			e.Groups["kid"][0].Answers["kid_injured"] = v("yes")
		}, forms.LevelHigh, []string{"baby_injured"}, []string{"see_doctor"}, false},
		{"injured older child is no baby rule", func(e *forms.Entry) {
			e.Groups["kid"][0].Answers["kid_injured"] = v("yes")
		}, forms.LevelStandard, nil, nil, false},
		{"drunk carer", func(e *forms.Entry) { e.Groups["grown"][0].Answers["grown_drunk"] = v("yes") },
			forms.LevelMedium, []string{"drunk_carer"}, nil, false},
		{"weapons", func(e *forms.Entry) { e.Answers["hazards"] = v([]string{"weapons"}) },
			forms.LevelMedium, []string{"weapons"}, nil, false},
		{"highest wins, actions in order", func(e *forms.Entry) {
			e.Answers["hazards"] = v([]string{"weapons"})
			e.Answers["life_risk"] = v("yes")
			e.Groups["kid"][0].Answers["kid_dob"] = v("2026-06-01")
			e.Groups["kid"][0].Answers["kid_injured"] = v("yes")
		}, forms.LevelImmediate, []string{"life", "baby_injured", "weapons"}, []string{"tell_supervisor", "police_protection", "see_doctor"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := readyMini()
			tc.mutate(e)
			r := eval(t, c, e)
			if r.Grade != tc.grade || r.Computed != tc.grade {
				t.Errorf("grade %s computed %s, want %s", r.Grade, r.Computed, tc.grade)
			}
			if r.Immediate != tc.immediate {
				t.Errorf("immediate = %v, want %v", r.Immediate, tc.immediate)
			}
			var got []string
			for _, x := range r.Reasons {
				got = append(got, x.Rule)
				if x.Text == "" {
					t.Errorf("reason %s has no text", x.Rule)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.rules, ",") {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
			var acts []string
			for _, a := range r.Actions {
				acts = append(acts, a.ID)
				if a.Text == "" {
					t.Errorf("action %s has no text", a.ID)
				}
			}
			if strings.Join(acts, ",") != strings.Join(tc.actions, ",") {
				t.Errorf("actions %v, want %v", acts, tc.actions)
			}
		})
	}
}

func TestEachRuleNamesTheChild(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	second := forms.Instance{ID: kid2, Answers: map[string]forms.Answer{
		"kid_name": v("Bo Example"), "kid_dob": v("2026-05-01"), "kid_eth": v("W1"), "kid_injured": v("yes"),
	}}
	e.Groups["kid"] = append(e.Groups["kid"], second)
	e.Relationships = append(e.Relationships, forms.Relationship{From: adult1, To: kid2, Type: "parent"})
	r := eval(t, c, e)
	if len(r.Reasons) != 1 || r.Reasons[0].Instance != kid2 || !strings.HasPrefix(r.Reasons[0].Text, "Bo Example (Child 2):") {
		t.Fatalf("want one reason for child 2, got %+v", r.Reasons)
	}
}

func TestGrading(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	e.Answers["life_risk"] = v("yes")
	e.Grading = &forms.Grading{Level: forms.LevelHigh, Reason: "Child already taken to hospital by ambulance; risk now managed."}
	r := eval(t, c, e)
	if !r.Ready || r.Grade != forms.LevelHigh || r.Computed != forms.LevelImmediate || !r.Lowered || r.LoweredReason == "" {
		t.Fatalf("lowered with reason: got ready=%v grade=%s computed=%s lowered=%v %q", r.Ready, r.Grade, r.Computed, r.Lowered, r.LoweredReason)
	}
	if !r.Immediate {
		t.Error("immediate prompts must stay when the officer lowers the grade")
	}
	e.Grading.Reason = ""
	r = eval(t, c, e)
	if r.Ready || r.Grade != forms.LevelImmediate {
		t.Fatalf("lowered without reason must not pass and must keep the computed grade: ready=%v grade=%s", r.Ready, r.Grade)
	}
}

func TestDASH(t *testing.T) {
	c := loadMini(t)
	tests := []struct {
		yes       int
		judged    string
		want      forms.Level
		wantMARAC bool
	}{
		{0, "", forms.LevelStandard, false},
		{9, "", forms.LevelStandard, false},
		{10, "", forms.LevelMedium, false},
		{13, "", forms.LevelMedium, false},
		{14, "", forms.LevelHigh, true},
		{27, "", forms.LevelHigh, true},
		{3, "high", forms.LevelHigh, true},
		{15, "standard", forms.LevelHigh, true}, // judgement never lowers
	}
	for _, tc := range tests {
		e := readyMini()
		e.Answers["reason"] = v("da")
		delete(e.Answers, "reason_other")
		delete(e.Answers, "reason_other_detail")
		for i := 1; i <= forms.DASHQuestions; i++ {
			a := "no"
			if i <= tc.yes {
				a = "yes"
			}
			e.Answers[fmtDash(i)] = v(a)
		}
		if tc.judged != "" {
			e.Answers["dash_judgement"] = v(tc.judged)
		}
		r := eval(t, c, e)
		if r.Grade != tc.want {
			t.Errorf("%d yes, judged %q: grade %s, want %s (%+v)", tc.yes, tc.judged, r.Grade, tc.want, r.Reasons)
		}
		marac := false
		for _, a := range r.Actions {
			marac = marac || a.ID == "marac"
		}
		if marac != tc.wantMARAC {
			t.Errorf("%d yes: MARAC action %v, want %v", tc.yes, marac, tc.wantMARAC)
		}
	}
	// The tool reads nothing when its section is hidden.
	e := readyMini()
	for i := 1; i <= forms.DASHQuestions; i++ {
		e.Answers[fmtDash(i)] = v("yes")
	}
	if r := eval(t, c, e); r.Grade != forms.LevelStandard {
		t.Errorf("hidden DASH section graded %s", r.Grade)
	}
}

func fmtDash(i int) string { return "dash_q" + string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestWelsh(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	e.Answers["life_risk"] = v("yes")
	r, err := forms.Evaluate(c, e, forms.Options{Language: "cy"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reasons[0].Text != "Mae bywyd plentyn mewn perygl." {
		t.Errorf("reason not in Welsh: %q", r.Reasons[0].Text)
	}
	if r.Actions[0].Text != "Dywedwch wrth eich goruchwyliwr nawr" {
		t.Errorf("action not in Welsh: %q", r.Actions[0].Text)
	}
	if r.Actions[1].Text != "Consider police protection" {
		t.Errorf("missing Welsh must fall back to English: %q", r.Actions[1].Text)
	}
}

func TestWrongVersion(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	e.Checklist.Version = "2.0.0"
	if _, err := forms.Evaluate(c, e, forms.Options{}); !errors.Is(err, forms.ErrWrongChecklist) {
		t.Fatalf("want ErrWrongChecklist, got %v", err)
	}
	if _, err := forms.Evaluate(&forms.Checklist{}, e, forms.Options{}); !errors.Is(err, forms.ErrNotCompiled) {
		t.Fatalf("want ErrNotCompiled, got %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	e.Answers["life_risk"] = v("yes")
	e.Answers["hazards"] = v([]string{"weapons"})
	first := eval(t, c, e)
	for i := 0; i < 50; i++ {
		r := eval(t, c, e)
		if len(r.Reasons) != len(first.Reasons) || len(r.Visible) != len(first.Visible) || len(r.Problems) != len(first.Problems) {
			t.Fatal("evaluation is not deterministic")
		}
		for j := range r.Reasons {
			if r.Reasons[j] != first.Reasons[j] {
				t.Fatal("reason order is not deterministic")
			}
		}
	}
}

func TestVisibility(t *testing.T) {
	c := loadMini(t)
	e := readyMini()
	e.Answers["reason"] = v("da")
	delete(e.Answers, "reason_other")
	delete(e.Answers, "reason_other_detail")
	r := eval(t, c, e)
	vis := map[string]bool{}
	for _, it := range r.Visible {
		vis[it.Path()] = true
	}
	if vis["reason_other"] || vis["reason_other_detail"] {
		t.Error("reason_other should be hidden when the reason is domestic abuse")
	}
	if !vis["dash_q01"] {
		t.Error("DASH should show for domestic abuse")
	}
	if !vis["kid["+kid1+"].kid_name"] {
		t.Errorf("child questions should be visible per instance: %v", r.Visible)
	}
	if !r.Ready {
		t.Fatalf("hidden required questions must not block: %+v", r.Problems)
	}
}
