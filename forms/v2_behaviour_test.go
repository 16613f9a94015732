package forms_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/forms/formstest"
)

// v2High fills the domestic abuse shape with the DASH answers changed by
// dash (called with each question id) and returns the result.
func v2High(t *testing.T, dash func(i int) forms.Answer) *forms.Result {
	t.Helper()
	m := formstest.Map{Top: over(v2HighShape.Top, nil), Groups: v2HighShape.Groups}
	for i := 1; i <= forms.DASHQuestions; i++ {
		m.Top[fmt.Sprintf("dash_q%02d", i)] = dash(i)
	}
	e := v2New(2, 2)
	if _, err := formstest.Fill(v2Checklist(t), e, m.Get); err != nil {
		t.Fatal(err)
	}
	r := v2Eval(t, e)
	if !r.Ready {
		t.Fatalf("not ready:%s", v1Problems(r))
	}
	return r
}

func dashReason(t *testing.T, r *forms.Result) forms.Reason {
	t.Helper()
	for _, x := range r.Reasons {
		if x.Rule == "tool:dash2009" {
			return x
		}
	}
	t.Fatalf("no DASH reason in %v", v1ReasonIDs(r))
	return forms.Reason{}
}

func TestV2DASHNotKnownIsNotNo(t *testing.T) {
	nk := forms.Answer{NotKnown: true, Reason: "Victim too distressed to answer; suspect in the next room."}
	yesNo := func(yes, nkFrom int) func(int) forms.Answer {
		return func(i int) forms.Answer {
			switch {
			case i >= nkFrom:
				return nk
			case i <= yes:
				return forms.Answer{Value: "yes"}
			}
			return forms.Answer{Value: "no"}
		}
	}
	for _, tc := range []struct {
		name     string
		dash     func(int) forms.Answer
		level    forms.Level
		text     []string
		complete bool
	}{
		{"all not known", yesNo(0, 1), forms.LevelMedium, []string{"not assessed", "27 of 27 not known"}, false},
		{"5 yes, 22 not known", yesNo(5, 6), forms.LevelMedium, []string{"not fully assessed", "22 of 27 not known", "5 answered yes"}, false},
		{"14 yes, 13 not known", yesNo(14, 15), forms.LevelHigh, []string{"not fully assessed", "13 of 27 not known"}, false},
		{"20 no, 7 not known: cannot reach medium", yesNo(0, 21), forms.LevelStandard, []string{"not fully assessed", "7 of 27 not known"}, false},
		{"complete, none yes", yesNo(0, 99), forms.LevelStandard, []string{"0 of 27 answered yes, standard risk"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := v2High(t, tc.dash)
			d := dashReason(t, r)
			for _, s := range tc.text {
				if !strings.Contains(d.Text, s) {
					t.Errorf("DASH reason %q lacks %q", d.Text, s)
				}
			}
			if d.Level != tc.level {
				t.Errorf("DASH %s, want %s", d.Level, tc.level)
			}
			if !tc.complete && strings.Contains(d.Text, "standard risk") {
				t.Errorf("an incomplete DASH says %q", d.Text)
			}
			if got := v1HasAction(r, "complete_dash"); got == tc.complete {
				t.Errorf("complete_dash action %v with the DASH complete=%v", got, tc.complete)
			}
		})
	}
}

func reasonText(r *forms.Result) string {
	var b strings.Builder
	for _, x := range r.Reasons {
		b.WriteString(x.Text + "\n")
	}
	for _, a := range r.Actions {
		b.WriteString(a.Text + "\n")
	}
	return b.String()
}

func TestV2TravelTimingAndWording(t *testing.T) {
	fgm := func(date any) v2Case {
		return v2Case{top: map[string]any{"concerns_seen": []string{"fgm"}, "fgm_indicators": []string{"travel_planned"}, "fgm_travel_date": date}, child: map[string]any{"child_sex": "female"}}
	}
	fm := func(date any) v2Case {
		return v2Case{top: map[string]any{"concerns_seen": []string{"forced_marriage"}, "fm_indicators": []string{"travel_abroad"}, "fm_travel_date": date}, child: map[string]any{"child_sex": "female", "child_dob": v2Sixteen}}
	}
	nk := forms.Answer{NotKnown: true, Reason: "Mother says 'in the holidays'."}
	for _, tc := range []struct {
		name      string
		k         v2Case
		immediate bool
		never     []string // words no reason or action may use
	}{
		{"FGM trip in 6 days", fgm("2026-12-01"), true, []string{"marriage", "married"}},
		{"FGM trip in six weeks", fgm("2027-01-06"), false, []string{"marriage", "married"}},
		{"FGM trip, date not known", fgm(nk), true, []string{"marriage", "married"}},
		{"marriage trip in 5 days", fm("2026-11-30"), true, []string{"FGM"}},
		{"marriage trip in ten weeks", fm("2027-02-03"), false, []string{"FGM"}},
		{"marriage trip, date not known", fm(nk), true, []string{"FGM"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := v2Run(t, tc.k)
			if !r.Ready {
				t.Fatalf("not ready:%s", v1Problems(r))
			}
			if r.Immediate != tc.immediate || r.Computed < forms.LevelHigh {
				t.Errorf("immediate %v computed %s, want immediate %v and at least high; %v", r.Immediate, r.Computed, tc.immediate, v1ReasonIDs(r))
			}
			text := reasonText(r)
			for _, w := range tc.never {
				if strings.Contains(text, w) {
					t.Errorf("says %q on a case that is not about it:\n%s", w, text)
				}
			}
		})
	}
}

func TestV2OneReasonPerFact(t *testing.T) {
	c := v2Checklist(t)
	factOf := map[string]string{}
	for _, r := range c.Rules {
		factOf[r.ID] = r.Fact
	}
	for _, tc := range []struct {
		name     string
		k        v2Case
		fact     string
		aboutSam bool
		actions  []string
	}{
		{"sexual disclosure ticked three ways", v2Case{
			top:   map[string]any{"triage_now": []string{"sexual_disclosure"}, "concerns_seen": []string{"sexual"}, "sa_indicators": []string{"disclosure"}},
			child: map[string]any{"child_disclosed": "yes", "child_disclosure_type": []string{"sexual"}, "child_words": "He comes into my room at night and touches me."},
		}, "sexual_disclosure", true, []string{"record_first_account", "request_abe_interview", "refer_mash", "tell_supervisor_now"}},
		{"no capable carer, triage and child", v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_found_with": "incapable_carer"}}, "no_carer", true, []string{"arrange_safe_carer"}},
		{"missing high, triage and screen", v2Case{top: map[string]any{"triage_now": []string{"missing_high"}, "concerns_seen": []string{"missing"}, "missing_grade": "high"}}, "missing_high", false, []string{"follow_missing_procedure"}},
		{"known FGM, triage and screen", v2Case{top: map[string]any{"triage_now": []string{"fgm_known"}, "concerns_seen": []string{"fgm"}, "fgm_indicators": []string{"known_case"}}, child: map[string]any{"child_sex": "female"}}, "fgm_known", false, []string{"request_medical_exam"}},
		{"FGM travel, triage and screen", v2Case{top: map[string]any{"triage_now": []string{"fgm_travel_soon"}, "concerns_seen": []string{"fgm"}, "fgm_indicators": []string{"travel_planned"}, "fgm_travel_date": "2026-11-28"}, child: map[string]any{"child_sex": "female"}}, "fgm_travel", false, []string{"prevent_travel_fgm"}},
		{"domestic abuse call with children present", v2Case{top: map[string]any{"reason": "domestic_abuse", "concerns_seen": []string{"domestic"}, "da_child_present": "yes"}}, "domestic", false, []string{"notify_school_encompass", "refer_mash"}},
		{"drugs in reach of a toddler", v2Case{top: map[string]any{"home_hazards": []string{"drugs"}, "concerns_seen": []string{"neglect"}, "neg_safety": []string{"hazards_reach"}}, child: map[string]any{"child_dob": v2Toddler}}, "hazard", true, []string{"check_hazards"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := v2Run(t, tc.k)
			var got []forms.Reason
			for _, x := range r.Reasons {
				if factOf[x.Rule] == tc.fact {
					got = append(got, x)
				}
			}
			if len(got) != 1 {
				t.Fatalf("%d reasons for %s, want one: %+v", len(got), tc.fact, got)
			}
			if tc.aboutSam && !strings.HasPrefix(got[0].Text, "Sam Elm (Child 1): ") {
				t.Errorf("reason %q does not name the child", got[0].Text)
			}
			for _, a := range tc.actions {
				if !v1HasAction(r, a) {
					t.Errorf("action %s lost when reasons merged; actions %v", a, r.Actions)
				}
			}
		})
	}
}

func TestV2ProblemsNameTheChildOnce(t *testing.T) {
	c := v2Checklist(t)
	e := v2New(1, 1)
	m := formstest.Map{Top: v2StandardShape.Top, Groups: v2StandardShape.Groups}
	if _, err := formstest.Fill(c, e, m.Get); err != nil {
		t.Fatal(err)
	}
	delete(e.Groups["child"][0].Answers, "child_ethnicity_self")
	r := v2Eval(t, e)
	var eth []forms.Problem
	for _, p := range r.Problems {
		if strings.HasPrefix(p.Question, "child_ethnicity") {
			eth = append(eth, p)
		}
	}
	if len(eth) != 1 || eth[0].Question != "child_ethnicity_self" || !strings.HasPrefix(eth[0].Message, "Sam Elm (Child 1): ") {
		t.Fatalf("blank ethnicity: want one problem naming Sam, got %+v", eth)
	}
	// NS asks for the officer's observation, once.
	e.Groups["child"][0].Answers["child_ethnicity_self"] = forms.Answer{Value: "NS"}
	r = v2Eval(t, e)
	if len(r.Problems) != 1 || r.Problems[0].Question != "child_ethnicity_officer" {
		t.Fatalf("NS: want one problem for the officer-observed code, got %s", v1Problems(r))
	}
}

func TestV2OneWayToSayNotKnown(t *testing.T) {
	c := v2Checklist(t)
	for _, s := range c.Sections {
		for _, q := range s.Questions {
			if !q.NotKnown {
				continue
			}
			for _, o := range q.Options {
				if o.Value == "not_known" || o.Value == "unknown" || strings.Contains(strings.ToLower(o.Label.In("en")), "not known") {
					t.Errorf("%s allows “Not known” and has an option %q too", q.ID, o.Value)
				}
			}
		}
	}
	q, _, _ := c.Question("child_disability")
	if !q.NotKnown {
		t.Error("child_disability does not allow “Not known”")
	}
	if _, _, ok := c.Question("child_disability_unknown_why"); ok {
		t.Error("child_disability_unknown_why is a second way to say why disability is not known")
	}
}

func TestV2PersonIdentifiers(t *testing.T) {
	c := v2Checklist(t)
	for _, tc := range []struct {
		id, group, good, bad string
	}{
		{"child_nhs_number", "child", "943 476 5919", "94347659"},
		{"child_upn", "child", "A123456789012", "123"},
		{"adult_nhs_number", "adult", "9434765919", "NHS"},
		{"adult_pnc_id", "adult", "2019/0123456X", "20190123456"},
	} {
		q, s, ok := c.Question(tc.id)
		if !ok || s.Repeat != tc.group || q.Kind != forms.KindText || (q.Required != "" && q.Required != "never") {
			t.Errorf("%s: want an optional text question in the %s group, got %+v in %s", tc.id, tc.group, q, s.ID)
			continue
		}
		m := formstest.Map{Top: v2StandardShape.Top, Groups: map[string][]map[string]any{
			"child": {over(v2StandardShape.Groups["child"][0], nil)}, "adult": {over(v2StandardShape.Groups["adult"][0], nil)}}}
		e := v2New(1, 1)
		if _, err := formstest.Fill(c, e, m.Get); err != nil {
			t.Fatalf("%s %q: %v", tc.id, tc.good, err)
		}
		e.Groups[tc.group][0].Answers[tc.id] = forms.Answer{Value: tc.good}
		if r := v2Eval(t, e); !r.Ready {
			t.Errorf("%s %q refused:%s", tc.id, tc.good, v1Problems(r))
		}
		e.Groups[tc.group][0].Answers[tc.id] = forms.Answer{Value: tc.bad}
		r := v2Eval(t, e)
		if !slices.ContainsFunc(r.Problems, func(p forms.Problem) bool { return p.Question == tc.id && p.Code == forms.ProblemConstraint }) {
			t.Errorf("%s %q accepted:%s", tc.id, tc.bad, v1Problems(r))
		}
	}
}
