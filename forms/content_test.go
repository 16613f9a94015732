package forms_test

// Tests of the published content of child-at-risk v1: every rule fires
// from a realistic, ready entry (and stays quiet on a near miss), every
// mandatory question is really mandatory wherever it is shown, and the
// triage, DASH and child demographic questions behave as the guidance
// promises. The checklist is frozen; a failure here is a finding about the
// content (or the engine), never a reason to edit the file.

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

var v1Ref = forms.Ref{ID: "child-at-risk", Version: "1.0.0"}

// The people of assets/examples/complete-entry.json, in entry order.
const (
	v1Mia   = "a1d7e3c2-5f60-4b8a-9c3d-2e4f6a8b0c11" // child 1: girl, 9 (2016-03-12)
	v1Leo   = "b2e8f4d3-6a71-4c9b-8d4e-3f5a7b9c1d22" // child 2: boy, 2 (2023-06-02), preverbal
	v1Dana  = "c3f9a5e4-7b82-4dac-9e5f-4a6b8c0d2e33" // adult 1: parent
	v1Craig = "d4a0b6f5-8c93-4ebd-8f6a-5b7c9d1e3f44" // adult 2: suspect
)

// The incident in the examples is at 2025-11-14T02:31:00Z; the dates of
// birth below are chosen against it.

var v1Load = sync.OnceValues(func() (*forms.Checklist, error) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		return nil, err
	}
	c, ok := reg.Get(v1Ref)
	if !ok {
		return nil, fmt.Errorf("registry has no %s (it holds %v)", v1Ref, reg.Refs())
	}
	return c, nil
})

// v1Checklist is the published checklist, loaded through the registry so
// that its pinned hash is checked too.
func v1Checklist(t testing.TB) *forms.Checklist {
	t.Helper()
	c, err := v1Load()
	if err != nil {
		t.Fatalf("load %s: %v", v1Ref, err)
	}
	return c
}

// v1Example decodes one of the example entries afresh (callers mutate it).
func v1Example(t testing.TB, name string) *forms.Entry {
	t.Helper()
	b, err := fs.ReadFile(assets.FS, "examples/"+name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := forms.DecodeEntry(b)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return e
}

// v1Complete is the complete example, checked to hold the people the
// tests name.
func v1Complete(t testing.TB) *forms.Entry {
	t.Helper()
	e := v1Example(t, "complete-entry.json")
	kids, adults := e.Groups["child"], e.Groups["adult"]
	if len(kids) != 2 || kids[0].ID != v1Mia || kids[1].ID != v1Leo ||
		len(adults) != 2 || adults[0].ID != v1Dana || adults[1].ID != v1Craig {
		t.Fatalf("complete example no longer holds Mia, Leo, Dana and Craig in that order")
	}
	return e
}

// v1Neutral is the complete example with every risky answer taken out: a
// welfare check, two children seen and cared for, nothing disclosed, no
// concerns, no domestic abuse (so no DASH). It is ready, no rule fires and
// the computed grade is standard (TestEveryRuleFires/neutral_base).
func v1Neutral(t testing.TB) *forms.Entry {
	t.Helper()
	e := v1Complete(t)
	a := e.Answers
	a["reason"] = v("welfare_check")
	a["triage_suspect_children"] = v("no")
	a["home_carers_intoxicated"] = v("no")
	a["da_concern"] = v("no")
	a["abe_needed"] = v("no")
	for id := range a {
		if strings.HasPrefix(id, "dash_") || strings.HasPrefix(id, "da_") && id != "da_concern" {
			delete(a, id)
		}
	}
	delete(a, "abe_interviewer_requested")
	delete(a, "flags")
	mia := e.Groups["child"][0].Answers
	mia["child_disclosed"] = v("no")
	for _, id := range []string{"child_disclosure_type", "child_words", "child_words_time", "child_words_present", "child_words_asked"} {
		delete(mia, id)
	}
	craig := e.Groups["adult"][1].Answers
	craig["adult_intoxicated"] = v("no")
	craig["adult_children_elsewhere"] = v("no")
	delete(craig, "adult_children_elsewhere_details")
	e.Grading = nil
	return e
}

type v1Mut = func(e *forms.Entry)

func v1Notknown(reason string) forms.Answer { return forms.Answer{NotKnown: true, Reason: reason} }

func v1Put(m map[string]forms.Answer, kv []any) {
	if len(kv)%2 != 0 {
		panic("v1Put: odd number of arguments")
	}
	for i := 0; i < len(kv); i += 2 {
		a, ok := kv[i+1].(forms.Answer)
		if !ok {
			a = v(kv[i+1])
		}
		m[kv[i].(string)] = a
	}
}

// v1Top sets top-level answers: v1Top("id", value, "id2", value2...). A
// value that is a forms.Answer is used as it is.
func v1Top(kv ...any) v1Mut { return func(e *forms.Entry) { v1Put(e.Answers, kv) } }

// v1Child sets answers of the i-th child.
func v1Child(i int, kv ...any) v1Mut {
	return func(e *forms.Entry) { v1Put(e.Groups["child"][i].Answers, kv) }
}

// v1Adult sets answers of the i-th adult.
func v1Adult(i int, kv ...any) v1Mut {
	return func(e *forms.Entry) { v1Put(e.Groups["adult"][i].Answers, kv) }
}

func v1Do(ms ...v1Mut) v1Mut {
	return func(e *forms.Entry) {
		for _, m := range ms {
			m(e)
		}
	}
}

// v1Dash answers the 27 DASH questions: the first yes of them "yes", the
// rest "no".
func v1Dash(e *forms.Entry, yes int) {
	for i := 1; i <= forms.DASHQuestions; i++ {
		ans := "no"
		if i <= yes {
			ans = "yes"
		}
		e.Answers[fmt.Sprintf("dash_q%02d", i)] = v(ans)
	}
}

// v1Screen raises one concern screen (pa, ea, sa, da, cse, cce, ol, fgm,
// fm, rad, missing, tr) with the given indicators and answers whatever
// else that screen then requires, keeping to the mildest answers.
func v1Screen(prefix string, indicators ...string) v1Mut {
	return func(e *forms.Entry) {
		a := e.Answers
		a[prefix+"_concern"] = v("yes")
		a[prefix+"_indicators"] = v(indicators)
		a[prefix+"_children"] = v("Mia Fairweather")
		switch prefix {
		case "da":
			a["da_child_present"] = v("no")
			v1Dash(e, 0) // da_concern opens DASH
		case "ol":
			a["ol_apps"] = v("Snapchat: mia.f2016; other party 'jaydenxx'")
			a["ol_device_seized"] = v("no")
		case "missing":
			a["missing_grade"] = v("medium")
			a["missing_returned"] = v("yes")
		case "tr":
			a["tr_nrm"] = v("to_do")
		}
	}
}

// v1Disclosure records that the i-th child said they were harmed.
func v1Disclosure(i int, types ...string) v1Mut {
	return v1Child(i,
		"child_disclosed", "yes",
		"child_disclosure_type", types,
		"child_words", `"He hurt me. Don't tell him I said."`,
		"child_words_time", "2025-11-14T03:02:00Z",
		"child_words_present", "PC 4471 only",
		"child_words_asked", "Nothing: the child spoke first.",
	)
}

func v1Injured(i int) v1Mut {
	return v1Child(i, "child_injuries", "yes", "child_injury_desc", "Fresh 2 cm bruise on the left cheek; mother says he fell against the cot.")
}

var v1PoliceProtection = v1Top(
	"pp_used", "yes",
	"pp_start", "2025-11-14T03:30:00Z",
	"pp_children", "Leo Holloway",
	"pp_place", "Emergency foster placement arranged by the out-of-hours social worker",
	"pp_designated_officer", "yes",
	"pp_designated_officer_name", "Insp. R. Shah",
	"pp_la_informed", "yes",
	"pp_child_told", "no",
	"pp_parents_informed", "yes",
)

func v1Fired(r *forms.Result, rule string) []forms.Reason {
	var out []forms.Reason
	for _, x := range r.Reasons {
		if x.Rule == rule {
			out = append(out, x)
		}
	}
	return out
}

func v1HasAction(r *forms.Result, id string) bool {
	return slices.ContainsFunc(r.Actions, func(a forms.Action) bool { return a.ID == id })
}

func v1Problems(r *forms.Result) string {
	var b strings.Builder
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\n\t%s %s: %s", p.Path(), p.Code, p.Message)
	}
	return b.String()
}

func v1ReasonIDs(r *forms.Result) []string {
	ids := []string{}
	for _, x := range r.Reasons {
		ids = append(ids, x.Rule)
	}
	slices.Sort(ids)
	return ids
}

// v1RuleCase makes one rule fire (fire) and, on a near miss, not fire
// (quiet). Both mutate v1Neutral and must leave it ready: a rule that can
// only fire from an entry that cannot be submitted is a content bug.
type v1RuleCase struct {
	name  string      // subtest name; the rule id when empty
	rule  string      // rule id
	level forms.Level // the level the rule is published with
	inst  string      // for an `each` rule: the instance it must fire for
	also  []string    // other rules (or "tool:...") the mutation must fire too; nothing else may fire
	fire  v1Mut
	quiet v1Mut
}

func v1RuleCases() []v1RuleCase {
	const (
		std  = forms.LevelStandard
		med  = forms.LevelMedium
		high = forms.LevelHigh
		imm  = forms.LevelImmediate
	)
	dash := "tool:dash2009"
	return []v1RuleCase{
		// Triage: each "yes" is an immediate risk on its own.
		{rule: "rule_triage_life", level: imm, fire: v1Top("triage_life", "yes"), quiet: v1Top("triage_life", "no")},
		{rule: "rule_triage_medical", level: imm, fire: v1Top("triage_medical", "yes"), quiet: v1Top("triage_medical", "no")},
		{rule: "rule_triage_s46", level: imm, fire: v1Top("triage_s46", "yes"), quiet: v1Top("triage_s46", "no")},
		{rule: "rule_triage_no_carer", level: imm, fire: v1Top("triage_no_carer", "yes"), quiet: v1Top("triage_no_carer", "no")},
		{rule: "rule_triage_sexual", level: imm, fire: v1Top("triage_sexual_disclosure", "yes"), quiet: v1Top("triage_sexual_disclosure", "no")},
		{rule: "rule_triage_fgm", level: imm, fire: v1Top("triage_fgm_known", "yes"), quiet: v1Top("triage_fgm_known", "no")},
		{rule: "rule_triage_travel", level: imm, fire: v1Top("triage_travel", "yes"), quiet: v1Top("triage_travel", "no")},
		{rule: "rule_triage_trafficking", level: imm, fire: v1Top("triage_trafficking", "yes"), quiet: v1Top("triage_trafficking", "no")},
		{rule: "rule_triage_missing", level: imm, fire: v1Top("triage_missing_high", "yes"), quiet: v1Top("triage_missing_high", "no")},
		{name: "rule_other_children/household", rule: "rule_other_children", level: std,
			fire:  v1Top("triage_other_children", "yes"),
			quiet: v1Top("triage_other_children", "no", "triage_suspect_children", "no")},
		{name: "rule_other_children/suspect_household", rule: "rule_other_children", level: std,
			fire: v1Top("triage_suspect_children", "yes"),
			// "Not known" reads as blank: it does not ask for the checks.
			quiet: v1Top("triage_other_children", v1Notknown("Mother too distressed to say"), "triage_suspect_children", v1Notknown("Suspect refused to speak"))},

		// Each child.
		{name: "rule_baby_injured/by_dob", rule: "rule_baby_injured", level: imm, inst: v1Leo, also: []string{"rule_child_injured"},
			fire: v1Do(v1Child(1, "child_dob", "2025-03-01"), v1Injured(1)),
			// one year old to the day: no longer a baby under one.
			quiet: v1Do(v1Child(1, "child_dob", "2024-11-14"), v1Injured(1))},
		{name: "rule_baby_injured/by_estimate", rule: "rule_baby_injured", level: imm, inst: v1Leo, also: []string{"rule_child_injured"},
			fire:  v1Do(v1Child(1, "child_dob", v1Notknown("Mother would not say"), "child_age_est", 0.5), v1Injured(1)),
			quiet: v1Do(v1Child(1, "child_dob", v1Notknown("Mother would not say"), "child_age_est", 1.0), v1Injured(1))},
		{rule: "rule_child_not_seen", level: high, inst: v1Leo,
			fire:  v1Child(1, "child_seen", "no", "child_not_seen_why", "Mother said he was asleep at his grandmother's; not checked."),
			quiet: v1Child(1, "child_seen", "yes")},
		{rule: "rule_child_no_carer", level: imm, inst: v1Leo,
			fire:  v1Child(1, "child_carer_present", "no"),
			quiet: v1Child(1, "child_carer_present", "yes")},
		{rule: "rule_child_sexual_disclosure", level: imm, inst: v1Mia, also: []string{"rule_child_disclosure"},
			fire:  v1Disclosure(0, "sexual"),
			quiet: v1Disclosure(0, "physical", "emotional")},
		{rule: "rule_child_disclosure", level: high, inst: v1Mia,
			fire:  v1Disclosure(0, "domestic_abuse"),
			quiet: v1Child(0, "child_disclosed", "no")},
		{rule: "rule_child_injured", level: med, inst: v1Mia,
			fire:  v1Injured(0),
			quiet: v1Child(0, "child_injuries", "no")},
		{name: "rule_child_pregnant_under16/by_dob", rule: "rule_child_pregnant_under16", level: high, inst: v1Mia,
			fire: v1Child(0, "child_dob", "2011-05-01", "child_pregnant", "yes"),
			// sixteen on the day of the incident
			quiet: v1Child(0, "child_dob", "2009-11-14", "child_pregnant", "yes")},
		{name: "rule_child_pregnant_under16/by_estimate", rule: "rule_child_pregnant_under16", level: high, inst: v1Mia,
			fire:  v1Child(0, "child_dob", v1Notknown("No documents"), "child_age_est", 15.0, "child_pregnant", "yes"),
			quiet: v1Child(0, "child_dob", v1Notknown("No documents"), "child_age_est", 15.0, "child_pregnant", "no")},
		{name: "rule_child_not_in_education/nine", rule: "rule_child_not_in_education", level: med, inst: v1Mia,
			fire: v1Child(0, "child_education", "not_in_education"),
			// Leo is two
			quiet: v1Child(1, "child_education", "not_in_education")},
		{name: "rule_child_not_in_education/five_today", rule: "rule_child_not_in_education", level: med, inst: v1Leo,
			fire:  v1Child(1, "child_dob", "2020-11-14", "child_education", "not_in_education"),
			quiet: v1Child(1, "child_dob", "2020-11-15", "child_education", "not_in_education")},

		// Each adult.
		{rule: "rule_suspect_children_elsewhere", level: med, inst: v1Craig,
			fire: v1Adult(1, "adult_children_elsewhere", "yes", "adult_children_elsewhere_details", "Son Kai Holloway, about 6, 9 Elm Court, Millford"),
			// asked only about a suspect: Dana's answer is hidden
			quiet: v1Adult(0, "adult_children_elsewhere", "yes", "adult_children_elsewhere_details", "Daughter with her father")},

		// Home.
		{rule: "rule_home_very_poor", level: high,
			fire:  v1Top("home_condition", 4.0),
			quiet: v1Top("home_condition", 3.0)},
		{rule: "rule_home_poor", level: med,
			fire: v1Top("home_condition", 3.0),
			// the condition of a home is not asked when the children were found elsewhere
			quiet: v1Top("home_condition", 3.0, "home_found_where", "public_place", "home_found_details", "Bus shelter on Larch Road")},
		{rule: "rule_needs_not_met", level: high,
			fire:  v1Top("home_needs_met", "no", "home_needs_text", "No food in the flat, baby in a soiled nappy, no heating."),
			quiet: v1Top("home_needs_met", "partly", "home_needs_text", "Clothes dirty; food in the fridge.")},
		{rule: "rule_carers_intoxicated", level: med,
			fire: v1Top("home_carers_intoxicated", "yes"),
			// the suspect (not a carer tonight) drunk does not count
			quiet: v1Do(v1Top("home_carers_intoxicated", "no"), v1Adult(1, "adult_intoxicated", "yes"))},
		{rule: "rule_carer_adult_intoxicated", level: med, inst: v1Dana,
			fire: v1Adult(0, "adult_intoxicated", "yes"),
			// the suspect is not a carer
			quiet: v1Adult(1, "adult_intoxicated", "yes")},

		// Concern screens.
		{rule: "rule_physical", level: high, fire: v1Screen("pa", "unexplained_injury"), quiet: v1Top("pa_concern", "no")},
		{rule: "rule_emotional", level: med, fire: v1Screen("ea", "belittled"), quiet: v1Top("ea_concern", "no")},
		{rule: "rule_sexual", level: high, fire: v1Screen("sa", "sexual_behaviour"), quiet: v1Top("sa_concern", "no")},
		{rule: "rule_sexual_disclosure", level: imm, also: []string{"rule_sexual"},
			fire: v1Screen("sa", "disclosure"), quiet: v1Screen("sa", "images", "offender_contact")},
		{rule: "rule_domestic", level: med, also: []string{dash},
			fire: v1Screen("da", "heard"), quiet: v1Top("da_concern", "no")},
		{rule: "rule_domestic_child_present", level: med, also: []string{"rule_domestic", dash},
			fire:  v1Do(v1Screen("da", "heard"), v1Top("da_child_present", "yes", "da_encompass", "to_do")),
			quiet: v1Do(v1Screen("da", "heard"), v1Top("da_child_present", "no"))},
		{rule: "rule_cse", level: med, fire: v1Screen("cse", "gifts"), quiet: v1Top("cse_concern", "no")},
		{rule: "rule_cse_indicators", level: high, also: []string{"rule_cse"},
			fire: v1Screen("cse", "gifts", "older_partner", "lifts"), quiet: v1Screen("cse", "gifts", "older_partner")},
		{rule: "rule_cce", level: med, fire: v1Screen("cce", "cash"), quiet: v1Top("cce_concern", "no")},
		{name: "rule_cce_indicators/three", rule: "rule_cce_indicators", level: high, also: []string{"rule_cce"},
			fire: v1Screen("cce", "cash", "phones", "out_of_area"), quiet: v1Screen("cce", "cash", "phones")},
		{name: "rule_cce_indicators/weapons", rule: "rule_cce_indicators", level: high, also: []string{"rule_cce"},
			fire: v1Screen("cce", "weapons"), quiet: v1Screen("cce", "drugs")},
		{name: "rule_cce_indicators/cuckooing", rule: "rule_cce_indicators", level: high, also: []string{"rule_cce"},
			fire: v1Screen("cce", "home_taken_over"), quiet: v1Screen("cce", "older_associates", "debt")},
		{rule: "rule_online", level: med, fire: v1Screen("ol", "grooming"), quiet: v1Top("ol_concern", "no")},
		{name: "rule_sextortion/sextortion", rule: "rule_sextortion", level: high, also: []string{"rule_online"},
			fire: v1Screen("ol", "sextortion"), quiet: v1Screen("ol", "grooming", "unknown_adults", "live_streaming")},
		{name: "rule_sextortion/images", rule: "rule_sextortion", level: high, also: []string{"rule_online"},
			fire: v1Screen("ol", "images_shared"), quiet: v1Screen("ol", "secret_accounts")},
		{rule: "rule_fgm", level: high, fire: v1Screen("fgm", "family_history"), quiet: v1Top("fgm_concern", "no")},
		{rule: "rule_fgm_known", level: imm, also: []string{"rule_fgm"},
			fire: v1Screen("fgm", "known_case"), quiet: v1Screen("fgm", "family_history", "pain_or_change")},
		{rule: "rule_forced_marriage", level: high, fire: v1Screen("fm", "engagement"), quiet: v1Top("fm_concern", "no")},
		{name: "rule_forced_marriage_travel/marriage", rule: "rule_forced_marriage_travel", level: imm, also: []string{"rule_forced_marriage"},
			fire: v1Screen("fm", "travel_abroad"), quiet: v1Screen("fm", "engagement", "passport_taken")},
		{name: "rule_forced_marriage_travel/fgm", rule: "rule_forced_marriage_travel", level: imm, also: []string{"rule_fgm"},
			fire: v1Screen("fgm", "travel_planned"), quiet: v1Screen("fgm", "special_ceremony")},
		{rule: "rule_radicalisation", level: high, fire: v1Screen("rad", "material"), quiet: v1Top("rad_concern", "no")},
		{rule: "rule_missing", level: med, fire: v1Screen("missing", "first_time"), quiet: v1Top("missing_concern", "no")},
		{rule: "rule_missing_high", level: imm, also: []string{"rule_missing"},
			fire:  v1Do(v1Screen("missing", "repeat", "overnight"), v1Top("missing_grade", "high")),
			quiet: v1Do(v1Screen("missing", "repeat", "overnight"), v1Top("missing_grade", "medium"))},
		{rule: "rule_trafficking", level: high, fire: v1Screen("tr", "moved"), quiet: v1Top("tr_concern", "no")},

		// Actions taken.
		{rule: "rule_police_protection", level: imm, fire: v1PoliceProtection, quiet: v1Top("pp_used", "no")},
		{rule: "rule_referral_not_made", level: std,
			fire:  v1Top("referral_made", "no", "referral_not_why", "MASH phone line closed; PC 4471 to refer at 08:00."),
			quiet: v1Top("referral_made", "yes")},
		{rule: "rule_abe_not_requested", level: std,
			fire: v1Top("abe_needed", "yes", "abe_interviewer_requested", "no"),
			// a stale "no" is ignored once no interview is needed
			quiet: v1Top("abe_needed", "no", "abe_interviewer_requested", "no")},
	}
}

func TestEveryRuleFires(t *testing.T) {
	c := v1Checklist(t)
	rules := map[string]*forms.Rule{}
	for i := range c.Rules {
		rules[c.Rules[i].ID] = &c.Rules[i]
	}
	cases := v1RuleCases()

	t.Run("neutral_base", func(t *testing.T) {
		r := eval(t, c, v1Neutral(t))
		if !r.Ready {
			t.Fatalf("neutral base is not ready:%s", v1Problems(r))
		}
		if r.Computed != forms.LevelStandard || r.Grade != forms.LevelStandard || r.Immediate ||
			len(r.Reasons) != 0 || len(r.Actions) != 0 {
			t.Fatalf("neutral base: computed %s grade %s immediate %v reasons %v actions %v, want standard and nothing",
				r.Computed, r.Grade, r.Immediate, v1ReasonIDs(r), r.Actions)
		}
	})

	t.Run("covers_every_rule", func(t *testing.T) {
		if len(c.Rules) != 47 {
			t.Errorf("child-at-risk v1 has %d rules, the table was written for 47", len(c.Rules))
		}
		tested := map[string]bool{}
		for _, tc := range cases {
			tested[tc.rule] = true
			if rules[tc.rule] == nil {
				t.Errorf("table tests %q, which is not a rule of %s", tc.rule, v1Ref)
			}
		}
		for _, r := range c.Rules {
			if !tested[r.ID] {
				t.Errorf("rule %s (%s, when %s) has no case in v1RuleCases", r.ID, r.Level, r.When)
			}
		}
	})

	for _, tc := range cases {
		name := tc.name
		if name == "" {
			name = tc.rule
		}
		t.Run(name, func(t *testing.T) {
			rule := rules[tc.rule]
			if rule == nil {
				t.Fatalf("no rule %s", tc.rule)
			}
			if rule.Level != tc.level {
				t.Errorf("rule %s is published at %s, the table says %s", rule.ID, rule.Level, tc.level)
			}
			if (rule.Each != "") != (tc.inst != "") {
				t.Fatalf("rule %s each=%q but case instance=%q", rule.ID, rule.Each, tc.inst)
			}
			if tc.fire == nil || tc.quiet == nil {
				t.Fatal("every case needs a fire and a quiet mutation")
			}

			t.Run("fires", func(t *testing.T) {
				e := v1Neutral(t)
				tc.fire(e)
				r := eval(t, c, e)
				if !r.Ready {
					t.Errorf("entry that fires %s is not ready:%s", rule.ID, v1Problems(r))
				}
				got := v1Fired(r, rule.ID)
				if len(got) != 1 {
					t.Fatalf("%s fired %d times, want once; reasons %v", rule.ID, len(got), v1ReasonIDs(r))
				}
				if got[0].Group != rule.Each || got[0].Instance != tc.inst {
					t.Errorf("%s fired for %s[%s], want %s[%s]", rule.ID, got[0].Group, got[0].Instance, rule.Each, tc.inst)
				}
				if got[0].Level != tc.level || got[0].Text == "" {
					t.Errorf("reason %+v, want level %s and a text", got[0], tc.level)
				}
				want := append([]string{rule.ID}, tc.also...)
				slices.Sort(want)
				if ids := v1ReasonIDs(r); !slices.Equal(ids, want) {
					t.Errorf("fired %v, want exactly %v", ids, want)
				}
				if r.Computed < tc.level {
					t.Errorf("computed %s, below the rule's %s", r.Computed, tc.level)
				}
				nothingAbove := true
				for _, x := range r.Reasons {
					if x.Rule != rule.ID && x.Level > tc.level {
						nothingAbove = false
					}
				}
				if nothingAbove && r.Computed != tc.level {
					t.Errorf("computed %s, want the rule's own %s (nothing higher fired)", r.Computed, tc.level)
				}
				if r.Grade != r.Computed {
					t.Errorf("grade %s differs from computed %s with no officer grading", r.Grade, r.Computed)
				}
				if r.Immediate != (r.Computed == forms.LevelImmediate) {
					t.Errorf("immediate = %v with computed %s", r.Immediate, r.Computed)
				}
				if len(rule.Actions) == 0 {
					t.Errorf("rule %s asks for no action", rule.ID)
				}
				for _, a := range rule.Actions {
					if !v1HasAction(r, a) {
						t.Errorf("action %s of %s missing from %v", a, rule.ID, r.Actions)
					}
				}
				for _, a := range r.Actions {
					if a.Text == "" {
						t.Errorf("action %s has no text", a.ID)
					}
				}
			})

			t.Run("quiet", func(t *testing.T) {
				e := v1Neutral(t)
				tc.quiet(e)
				r := eval(t, c, e)
				if !r.Ready {
					t.Errorf("near-miss entry is not ready:%s", v1Problems(r))
				}
				if got := v1Fired(r, rule.ID); len(got) != 0 {
					t.Errorf("%s fired on a near miss: %+v", rule.ID, got)
				}
			})
		})
	}
}

// v1AnswersAt returns the answer map that holds the item.
func v1AnswersAt(t testing.TB, e *forms.Entry, it forms.Item) map[string]forms.Answer {
	t.Helper()
	if it.Instance == "" {
		return e.Answers
	}
	inst, ok := e.Instance(it.Group, it.Instance)
	if !ok {
		t.Fatalf("entry has no %s %s", it.Group, it.Instance)
	}
	return inst.Answers
}

func v1HasProblemAt(r *forms.Result, it forms.Item, code forms.ProblemCode) bool {
	return slices.ContainsFunc(r.Problems, func(p forms.Problem) bool { return p.Item == it && p.Code == code })
}

// v1CheckMandatory blanks an always-required answer at one place (and,
// where allowed, answers it "Not known" with and without a reason).
func v1CheckMandatory(t *testing.T, c *forms.Checklist, mk func() *forms.Entry, it forms.Item, q *forms.Question) {
	t.Helper()
	e := mk()
	delete(v1AnswersAt(t, e, it), q.ID)
	r := eval(t, c, e)
	if r.Ready {
		t.Errorf("ready with %s blank", it.Path())
	}
	if !v1HasProblemAt(r, it, forms.ProblemRequired) {
		t.Errorf("no required problem at %+v:%s", it, v1Problems(r))
	}
	for _, p := range r.Problems {
		if p.Question == q.ID && p.Item != it {
			t.Errorf("blanking %s also reported %s %s", it.Path(), p.Path(), p.Code)
		}
	}

	e = mk()
	v1AnswersAt(t, e, it)[q.ID] = forms.Answer{NotKnown: true}
	r = eval(t, c, e)
	if r.Ready {
		t.Errorf("ready with %s \"Not known\" and no reason", it.Path())
	}
	want := forms.ProblemNotKnownForbidden
	if q.NotKnown {
		want = forms.ProblemNotKnownNoReason
	}
	if !v1HasProblemAt(r, it, want) {
		t.Errorf("\"Not known\" without a reason: no %s problem at %+v:%s", want, it, v1Problems(r))
	}

	e = mk()
	v1AnswersAt(t, e, it)[q.ID] = v1Notknown("Carer refused to say and the child was asleep")
	r = eval(t, c, e)
	atItem := slices.ContainsFunc(r.Problems, func(p forms.Problem) bool { return p.Item == it })
	switch {
	case q.NotKnown && atItem:
		t.Errorf("\"Not known\" with a reason is still a problem at %s:%s", it.Path(), v1Problems(r))
	case !q.NotKnown && !v1HasProblemAt(r, it, forms.ProblemNotKnownForbidden):
		t.Errorf("\"Not known\" accepted for %s, which does not allow it:%s", it.Path(), v1Problems(r))
	}
}

// v1Reveal are changes to the complete example that show the mandatory
// questions it hides (each alone still gives a ready entry).
func v1Reveal() []struct {
	name string
	mut  v1Mut
} {
	return []struct {
		name string
		mut  v1Mut
	}{
		{"reason_other", v1Top("reason", "other", "reason_other", "Neighbour heard a child screaming")},
		{"not_seen", v1Child(1, "child_seen", "no", "child_not_seen_why", "Asleep at his grandmother's")},
		{"disability", v1Do(
			v1Child(0, "child_disability", "yes", "child_disability_type", "learning", "child_interpreter", "intermediary", "child_interpreter_language", "Needs short, simple questions"),
			v1Child(1, "child_disability", "not_known", "child_disability_unknown_why", "Mother too distressed to answer"))},
		{"teenager", v1Child(0, "child_dob", "2011-05-01", "child_pregnant", "no", "child_education", "not_in_education")},
		{"injured", v1Injured(0)},
		{"needs", v1Top("home_needs_met", "partly", "home_needs_text", "Clothes dirty")},
		{"encompass_done", v1Top("da_encompass", "done", "da_encompass_time", "2025-11-14T08:05:00Z")},
		{"screens", v1Do(
			v1Screen("pa", "pattern"), v1Screen("ea", "sees_violence"), v1Screen("sa", "sexual_behaviour"),
			v1Screen("cse", "gifts"), v1Screen("cce", "cash"), v1Screen("ol", "grooming"),
			v1Top("ol_device_seized", "yes", "ol_device_steps", []string{"kept_on", "isolated"}, "ol_device_handlers", "PC 4471 at 03:10, then exhibits officer"),
			v1Screen("fgm", "family_history"), v1Screen("fm", "engagement"), v1Screen("rad", "material"),
			v1Screen("missing", "repeat"), v1Screen("tr", "moved"))},
		{"police_protection", v1Do(v1PoliceProtection,
			v1Top("pp_parents_informed", "no", "pp_parents_not_why", "Telling the mother now would alert the suspect"),
			func(e *forms.Entry) { e.Grading = nil })}, // the example's "high" would lower it
		{"referral_not_made", v1Top("referral_made", "no", "referral_not_why", "MASH closed; refer at 08:00")},
	}
}

func TestEveryMandatoryQuestion(t *testing.T) {
	c := v1Checklist(t)
	complete := func() *forms.Entry { return v1Complete(t) }
	r0 := eval(t, c, complete())
	if !r0.Ready {
		t.Fatalf("complete example is not ready:%s", v1Problems(r0))
	}
	question := func(id string) *forms.Question {
		q, _, ok := c.Question(id)
		if !ok {
			t.Fatalf("visible question %s is not in the checklist", id)
		}
		return q
	}

	covered := map[string]bool{}
	places := 0
	for _, it := range r0.Visible {
		q := question(it.Question)
		if q.Required != "always" {
			continue
		}
		covered[q.ID] = true
		places++
		t.Run(it.Path(), func(t *testing.T) { v1CheckMandatory(t, c, complete, it, q) })
	}

	inExample := places

	// Mandatory questions the complete example does not show, each at the
	// first place a revealing change shows it.
	for _, x := range v1Reveal() {
		mk := func() *forms.Entry { e := complete(); x.mut(e); return e }
		r := eval(t, c, mk())
		if !r.Ready {
			t.Errorf("reveal %s: not ready:%s", x.name, v1Problems(r))
			continue
		}
		for _, it := range r.Visible {
			q := question(it.Question)
			if q.Required != "always" || covered[q.ID] {
				continue
			}
			covered[q.ID] = true
			places++
			t.Run(x.name+"/"+it.Path(), func(t *testing.T) { v1CheckMandatory(t, c, mk, it, q) })
		}
	}
	for _, s := range c.Sections {
		for _, q := range s.Questions {
			if q.Required == "always" && !covered[q.ID] {
				t.Errorf("mandatory question %s (section %s) was never shown, so never tested", q.ID, s.ID)
			}
		}
	}
	t.Logf("%d mandatory questions tested at %d places: %d in the complete example, %d more shown by v1Reveal",
		len(covered), places, inExample, places-inExample)

	// Questions required by an expression.
	type exprCase struct {
		name     string
		item     forms.Item
		mut      v1Mut
		required bool // the expression makes it required, and it is blank
	}
	mia := func(sec, q string) forms.Item {
		return forms.Item{Section: sec, Question: q, Group: "child", Instance: v1Mia}
	}
	leo := func(sec, q string) forms.Item {
		return forms.Item{Section: sec, Question: q, Group: "child", Instance: v1Leo}
	}
	drop := func(i int, id string) v1Mut {
		return func(e *forms.Entry) { delete(e.Groups["child"][i].Answers, id) }
	}
	exprCases := []exprCase{
		{"age estimate needed when the date of birth is not known", mia("child_details", "child_age_est"),
			v1Child(0, "child_dob", v1Notknown("Mother would not say")), true},
		{"age estimate given", mia("child_details", "child_age_est"),
			v1Child(0, "child_dob", v1Notknown("Mother would not say"), "child_age_est", 9.0), false},
		{"officer's ethnicity needed when NS", leo("child_details", "child_ethnicity_officer"),
			v1Child(1, "child_ethnicity_self", "NS"), true},
		{"officer's ethnicity needed when self-defined is not known", leo("child_details", "child_ethnicity_officer"),
			v1Child(1, "child_ethnicity_self", v1Notknown("Mother would not say")), true},
		{"officer's ethnicity given with NS", leo("child_details", "child_ethnicity_officer"),
			v1Child(1, "child_ethnicity_self", "NS", "child_ethnicity_officer", "IC1"), false},
		{"officer's ethnicity not needed when self-defined", leo("child_details", "child_ethnicity_officer"),
			v1Do(), false},
		{"child's words needed after a disclosure", mia("seen_heard", "child_words"),
			drop(0, "child_words"), true},
		{"no words needed without a disclosure", leo("seen_heard", "child_words"),
			v1Do(), false},
	}
	byExpr := map[string]bool{}
	for _, tc := range exprCases {
		t.Run("expr/"+tc.name, func(t *testing.T) {
			e := complete()
			tc.mut(e)
			if a, ok := v1AnswersAt(t, e, tc.item)[tc.item.Question]; tc.required && ok && !a.IsBlank() {
				t.Fatalf("case leaves %s answered", tc.item.Path())
			}
			r := eval(t, c, e)
			has := v1HasProblemAt(r, tc.item, forms.ProblemRequired)
			if tc.required {
				byExpr[tc.item.Question] = true
				if r.Ready || !has {
					t.Errorf("ready=%v, want a required problem at %s:%s", r.Ready, tc.item.Path(), v1Problems(r))
				}
			} else if !r.Ready || has {
				t.Errorf("ready=%v, want ready with nothing at %s:%s", r.Ready, tc.item.Path(), v1Problems(r))
			}
		})
	}
	for _, s := range c.Sections {
		for _, q := range s.Questions {
			switch q.Required {
			case "", "never", "always":
			default:
				if !byExpr[q.ID] {
					t.Errorf("question %s is required when %q, but no case makes it required", q.ID, q.Required)
				}
			}
		}
	}
}

// The inspection found self-defined ethnicity blank in 12 and disability
// or SEN blank in 20 of 48 files. None of them may be left blank, for any
// child.
func TestChildDemographicsNeverSilent(t *testing.T) {
	c := v1Checklist(t)
	ids := []string{"child_ethnicity_self", "child_disability", "child_sen"}
	for _, id := range ids {
		q, s, ok := c.Question(id)
		if !ok || s.ID != "child_details" || s.Repeat != "child" {
			t.Fatalf("%s is not a question of the repeating child_details section", id)
		}
		if q.Required != "always" || q.Relevant != "" || s.Relevant != "" {
			t.Errorf("%s: required %q, relevant %q, section relevant %q; want always asked, always required", id, q.Required, q.Relevant, s.Relevant)
		}
	}
	blanks := []struct {
		name string
		ans  *forms.Answer // nil: answer removed
		code forms.ProblemCode
	}{
		{"removed", nil, forms.ProblemRequired},
		{"empty", &forms.Answer{Value: ""}, forms.ProblemRequired},
		{"not_known_without_reason", &forms.Answer{NotKnown: true, Reason: "  "}, forms.ProblemNotKnownNoReason},
	}
	kids := v1Complete(t).Groups["child"]
	for ci, kid := range kids {
		for _, id := range ids {
			for _, b := range blanks {
				t.Run(fmt.Sprintf("child%d/%s/%s", ci+1, id, b.name), func(t *testing.T) {
					e := v1Complete(t)
					ans := e.Groups["child"][ci].Answers
					if ans[id].IsBlank() {
						t.Fatalf("complete example leaves %s blank for child %d", id, ci+1)
					}
					if b.ans == nil {
						delete(ans, id)
					} else {
						ans[id] = *b.ans
					}
					r := eval(t, c, e)
					if r.Ready {
						t.Fatalf("ready with child %d's %s %s", ci+1, id, b.name)
					}
					it := forms.Item{Section: "child_details", Question: id, Group: "child", Instance: kid.ID}
					if !v1HasProblemAt(r, it, b.code) {
						t.Errorf("no %s problem at %s:%s", b.code, it.Path(), v1Problems(r))
					}
					for _, p := range r.Problems {
						if p.Item == it && !strings.Contains(p.Message, fmt.Sprintf("(Child %d): ", ci+1)) {
							t.Errorf("problem does not name the child: %q", p.Message)
						}
					}
				})
			}
		}
	}
	t.Run("all_three_for_every_child", func(t *testing.T) {
		e := v1Complete(t)
		for i := range e.Groups["child"] {
			for _, id := range ids {
				delete(e.Groups["child"][i].Answers, id)
			}
		}
		r := eval(t, c, e)
		n := 0
		for _, p := range r.Problems {
			if slices.Contains(ids, p.Question) && p.Code == forms.ProblemRequired {
				n++
			}
		}
		if r.Ready || n != len(ids)*len(kids) {
			t.Errorf("ready=%v with %d required demographic problems, want %d:%s", r.Ready, n, len(ids)*len(kids), v1Problems(r))
		}
	})
}

func TestDASHInV1(t *testing.T) {
	c := v1Checklist(t)
	const tool = "tool:dash2009"
	tests := []struct {
		name      string
		yes       int    // dash_q01..dash_qNN answered yes, the rest no
		judgement string // dash_judgement, "" for none
		extra     v1Mut
		want      forms.Level // the DASH reason's level; LevelNone: no DASH reason
		text      string      // in the reason's text
	}{
		{"none yes", 0, "", nil, forms.LevelStandard, "0 of 27 answered yes"},
		{"9 yes is standard", 9, "", nil, forms.LevelStandard, "9 of 27"},
		{"10 yes is medium", 10, "", nil, forms.LevelMedium, "10 of 27"},
		{"13 yes is medium", 13, "", nil, forms.LevelMedium, "13 of 27"},
		{"14 yes is high", 14, "", nil, forms.LevelHigh, "14 of 27"},
		{"27 yes is high", 27, "", nil, forms.LevelHigh, "27 of 27"},
		{"judgement raises standard to high", 5, "high", nil, forms.LevelHigh, "professional judgement"},
		{"judgement raises standard to medium", 9, "medium", nil, forms.LevelMedium, "professional judgement"},
		{"judgement raises medium to high", 12, "high", nil, forms.LevelHigh, "professional judgement"},
		{"judgement never lowers medium", 12, "standard", nil, forms.LevelMedium, "12 of 27"},
		{"judgement never lowers high", 14, "medium", nil, forms.LevelHigh, "14 of 27"},
		{"not known is not yes", 13, "", func(e *forms.Entry) {
			for i := 14; i <= forms.DASHQuestions; i++ {
				e.Answers[fmt.Sprintf("dash_q%02d", i)] = v1Notknown("Victim would not answer with the suspect's mother present")
			}
		}, forms.LevelMedium, "14 of 27 not known, 13 answered yes"},
		{"opened by da_concern on another call", 14, "", v1Do(v1Top("reason", "crime"), v1Screen("da", "heard"), func(e *forms.Entry) { v1Dash(e, 14) }),
			forms.LevelHigh, "14 of 27"},
		{"hidden when no domestic abuse", 27, "high", v1Top("reason", "welfare_check"), forms.LevelNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := v1Neutral(t)
			e.Answers["reason"] = v("domestic_abuse")
			v1Dash(e, tc.yes)
			if tc.judgement != "" {
				e.Answers["dash_judgement"] = v(tc.judgement)
			}
			if tc.extra != nil {
				tc.extra(e)
			}
			r := eval(t, c, e)
			if !r.Ready {
				t.Fatalf("not ready:%s", v1Problems(r))
			}
			got := v1Fired(r, tool)
			if tc.want == forms.LevelNone {
				if len(got) != 0 || r.Computed != forms.LevelStandard || v1HasAction(r, "refer_marac") {
					t.Fatalf("DASH graded while hidden: %+v computed %s", got, r.Computed)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("DASH reasons %+v, want one", got)
			}
			if got[0].Level != tc.want || !strings.Contains(got[0].Text, tc.text) {
				t.Errorf("DASH %s %q, want %s with %q", got[0].Level, got[0].Text, tc.want, tc.text)
			}
			if r.Computed < tc.want {
				t.Errorf("computed %s below DASH %s", r.Computed, tc.want)
			}
			if len(r.Reasons) == 1 && r.Computed != tc.want {
				t.Errorf("computed %s, want %s from DASH alone", r.Computed, tc.want)
			}
			if marac := v1HasAction(r, "refer_marac"); marac != (tc.want >= forms.LevelHigh) {
				t.Errorf("refer_marac action = %v at DASH %s; actions %v", marac, tc.want, r.Actions)
			}
		})
	}
	t.Run("every DASH question required", func(t *testing.T) {
		e := v1Neutral(t)
		e.Answers["reason"] = v("domestic_abuse")
		r := eval(t, c, e)
		n := 0
		for i := 1; i <= forms.DASHQuestions; i++ {
			if v1HasProblemAt(r, forms.Item{Section: "dash", Question: fmt.Sprintf("dash_q%02d", i)}, forms.ProblemRequired) {
				n++
			}
		}
		if r.Ready || n != forms.DASHQuestions {
			t.Errorf("ready=%v with %d of %d DASH questions reported blank", r.Ready, n, forms.DASHQuestions)
		}
	})
}

func TestImmediateTriage(t *testing.T) {
	c := v1Checklist(t)
	triage, ok := c.Section("triage")
	if !ok {
		t.Fatal("no triage section")
	}
	for _, s := range c.Sections {
		for _, q := range s.Questions {
			if q.Immediate && s.ID != "triage" {
				t.Errorf("%s is marked immediate outside triage (section %s): add it to this test", q.ID, s.ID)
			}
		}
	}
	n := 0
	for _, q := range triage.Questions {
		t.Run(q.ID, func(t *testing.T) {
			if q.Kind != forms.KindYesNo {
				t.Fatalf("triage question %s is %s, want yesno", q.ID, q.Kind)
			}
			e := v1Neutral(t)
			e.Answers[q.ID] = v("yes")
			r := eval(t, c, e)
			if !r.Ready {
				t.Errorf("not ready:%s", v1Problems(r))
			}
			if !q.Immediate {
				if r.Immediate || r.Grade == forms.LevelImmediate {
					t.Errorf("%s is not marked immediate, but yes made the entry immediate", q.ID)
				}
				return
			}
			if !r.Immediate || r.Grade != forms.LevelImmediate || r.Computed != forms.LevelImmediate {
				t.Errorf("yes to %s: immediate=%v grade %s computed %s, want immediate", q.ID, r.Immediate, r.Grade, r.Computed)
			}
			if len(r.Reasons) == 0 || r.Reasons[0].Level != forms.LevelImmediate || r.Reasons[0].Text == "" {
				t.Errorf("no immediate reason shown: %+v", r.Reasons)
			}
			// The section intro says: tell your supervisor before you go on.
			if !v1HasAction(r, "tell_supervisor_now") {
				t.Errorf("yes to %s does not ask to tell the supervisor now: %v", q.ID, r.Actions)
			}
		})
		if q.Immediate {
			n++
		}
	}
	if n != 9 {
		t.Errorf("%d immediate triage questions, want the 9 of v1", n)
	}
	t.Run("officer cannot quietly lower", func(t *testing.T) {
		e := v1Neutral(t)
		e.Answers["triage_life"] = v("yes")
		e.Grading = &forms.Grading{Level: forms.LevelStandard}
		r := eval(t, c, e)
		if r.Ready || !r.Immediate {
			t.Errorf("lowered without a reason: ready=%v immediate=%v", r.Ready, r.Immediate)
		}
	})
}
