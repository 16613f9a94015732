package forms_test

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/forms/formstest"
)

// Dates of birth against the shapes' incident (25 Nov 2026).
const (
	v2Baby    = "2026-05-01" // 0
	v2Toddler = "2024-06-01" // 2
	v2Seven   = "2019-04-01" // 7
	v2Ten     = "2016-01-10" // 10
	v2Fourt   = "2012-03-03" // 14
	v2Sixteen = "2010-01-01" // 16
	v2Seventn = "2009-01-01" // 17
)

// v2Case is the standard shape with changes: top answers, the first
// child's and the first two adults' (a second adult is the suspect).
type v2Case struct {
	top           map[string]any
	child         map[string]any
	adult, adult2 map[string]any
}

func over(base, with map[string]any) map[string]any {
	out := maps.Clone(base)
	maps.Copy(out, with)
	return out
}

// v2Run fills the case until ready (mildest answers for whatever the
// changes opened) and evaluates it.
func v2Run(t *testing.T, k v2Case) (*forms.Entry, *forms.Result) {
	t.Helper()
	m := formstest.Map{Top: over(v2StandardShape.Top, k.top), Groups: map[string][]map[string]any{
		"child": {over(v2StandardShape.Groups["child"][0], k.child)},
		"adult": {over(v2StandardShape.Groups["adult"][0], k.adult)},
	}}
	adults := 1
	if k.adult2 != nil {
		adults = 2
		m.Groups["adult"] = append(m.Groups["adult"], over(map[string]any{"adult_name": "Lee Suspect", "adult_dob": "1985-01-01", "adult_role": "suspect", "adult_address": "Not known"}, k.adult2))
	}
	e := v2New(1, adults)
	if _, err := formstest.Fill(v2Checklist(t), e, m.Get); err != nil {
		t.Fatal(err)
	}
	return e, v2Eval(t, e)
}

func fired(r *forms.Result, rule string) bool {
	return slices.ContainsFunc(r.Reasons, func(x forms.Reason) bool { return x.Rule == rule })
}

func TestV2EveryRuleFiresAndStaysQuiet(t *testing.T) {
	c := v2Checklist(t)
	concern := func(tick string, kv ...any) map[string]any {
		m := map[string]any{"concerns_seen": []string{tick}}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	type tc struct {
		rule        string
		fire, quiet v2Case
	}
	cases := []tc{
		{"rule_other_children", v2Case{top: map[string]any{"other_children": []string{"household"}}}, v2Case{top: map[string]any{"other_children": []string{"unborn"}}}},
		{"rule_unborn_with_concern", v2Case{top: map[string]any{"other_children": []string{"unborn"}, "concerns_seen": []string{"emotional"}}}, v2Case{top: map[string]any{"other_children": []string{"unborn"}}}},
		{"rule_baby_injured", v2Case{child: map[string]any{"child_dob": v2Baby, "child_injuries": "yes"}}, v2Case{child: map[string]any{"child_dob": v2Toddler, "child_injuries": "yes"}}},
		{"rule_child_not_seen", v2Case{child: map[string]any{"child_seen": "no"}}, v2Case{}},
		{"rule_child_alone_young", v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_dob": v2Toddler, "child_found_with": "alone"}},
			v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_dob": v2Seven, "child_found_with": "alone"}}},
		{"rule_child_alone", v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_found_with": "alone"}},
			v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_dob": v2Sixteen, "child_found_with": "alone"}}},
		{"rule_child_no_carer", v2Case{top: map[string]any{"triage_now": []string{"no_carer"}}, child: map[string]any{"child_found_with": "incapable_carer"}},
			v2Case{top: map[string]any{"concerns_seen": []string{"neglect"}}, child: map[string]any{"child_found_with": "capable_carer"}}},
		{"rule_child_unsuitable_carer", v2Case{top: concern("neglect"), child: map[string]any{"child_found_with": "unsuitable_carer"}},
			v2Case{top: concern("neglect"), child: map[string]any{"child_dob": v2Fourt, "child_found_with": "unsuitable_carer"}}},
		{"rule_child_sexual_disclosure", v2Case{child: map[string]any{"child_disclosed": "yes", "child_disclosure_type": []string{"sexual"}}},
			v2Case{child: map[string]any{"child_disclosed": "yes", "child_disclosure_type": []string{"physical"}}}},
		{"rule_child_disclosure", v2Case{child: map[string]any{"child_disclosed": "yes", "child_disclosure_type": []string{"physical"}}}, v2Case{}},
		{"rule_child_injured", v2Case{child: map[string]any{"child_injuries": "yes"}}, v2Case{}},
		{"rule_child_injured_domestic", v2Case{top: map[string]any{"reason": "domestic_abuse"}, child: map[string]any{"child_injuries": "yes"}}, v2Case{child: map[string]any{"child_injuries": "yes"}}},
		{"rule_child_pregnant_under16", v2Case{child: map[string]any{"child_sex": "female", "child_dob": v2Fourt, "child_pregnant": "yes"}},
			v2Case{child: map[string]any{"child_sex": "female", "child_dob": v2Seventn, "child_pregnant": "yes"}}},
		{"rule_child_not_in_education", v2Case{child: map[string]any{"child_education": "not_in_education"}}, v2Case{child: map[string]any{"child_dob": "2022-06-01", "child_education": "not_in_education"}}},
		{"rule_hazard_young", v2Case{top: map[string]any{"home_hazards": []string{"drugs"}}, child: map[string]any{"child_dob": v2Toddler}},
			v2Case{top: map[string]any{"home_hazards": []string{"drugs"}}}},
		{"rule_neglect_alone_young", v2Case{top: concern("neglect", "neg_safety", []string{"left_alone"}), child: map[string]any{"child_dob": v2Toddler}},
			v2Case{top: concern("neglect", "neg_safety", []string{"left_alone"}), child: map[string]any{"child_dob": v2Ten}}},
		{"rule_neglect_baby_food", v2Case{top: concern("neglect", "neg_physical", []string{"food"}), child: map[string]any{"child_dob": v2Baby}},
			v2Case{top: concern("neglect", "neg_physical", []string{"food"}), child: map[string]any{"child_dob": v2Toddler}}},
		{"rule_hazards", v2Case{top: map[string]any{"home_hazards": []string{"sharps"}}}, v2Case{top: map[string]any{"home_hazards": []string{"dirt"}}}},
		{"rule_hazards_other", v2Case{top: map[string]any{"home_hazards": []string{"dirt"}}}, v2Case{}},
		{"rule_home_very_poor", v2Case{top: map[string]any{"home_condition": 4.0}}, v2Case{top: map[string]any{"home_condition": 3.0}}},
		{"rule_home_poor", v2Case{top: map[string]any{"home_condition": 3.0}}, v2Case{top: map[string]any{"home_condition": 2.0}}},
		{"rule_needs_not_met", v2Case{top: map[string]any{"home_needs_met": "no"}}, v2Case{top: map[string]any{"home_needs_met": "partly"}}},
		{"rule_needs_partly_repeat", v2Case{top: map[string]any{"home_needs_met": "partly", "home_needs_before": "yes"}}, v2Case{top: map[string]any{"home_needs_met": "partly", "home_needs_before": "no"}}},
		{"rule_needs_partly", v2Case{top: map[string]any{"home_needs_met": "partly", "home_needs_before": "no"}}, v2Case{}},
		{"rule_carer_adult_intoxicated", v2Case{adult: map[string]any{"adult_present": "present_intoxicated"}}, v2Case{adult: map[string]any{"adult_role": "associate", "adult_present": "present_intoxicated"}}},
		{"rule_suspect_children_elsewhere", v2Case{adult2: map[string]any{"adult_children_elsewhere": "yes"}}, v2Case{adult2: map[string]any{"adult_children_elsewhere": "no"}}},
		{"rule_neglect_before", v2Case{top: concern("neglect", "neg_before", "yes")}, v2Case{top: concern("neglect", "neg_before", "no")}},
		{"rule_neglect_areas", v2Case{top: concern("neglect", "neg_physical", []string{"hygiene"}, "neg_love", []string{"ignored"})}, v2Case{top: concern("neglect", "neg_physical", []string{"hygiene"})}},
		{"rule_neglect", v2Case{top: concern("neglect")}, v2Case{}},
		{"rule_neglect_health", v2Case{top: concern("neglect", "neg_physical", []string{"dental"})}, v2Case{top: concern("neglect", "neg_physical", []string{"hygiene"})}},
		{"rule_physical", v2Case{top: concern("physical")}, v2Case{top: concern("emotional")}},
		{"rule_emotional", v2Case{top: concern("emotional")}, v2Case{}},
		{"rule_sexual_disclosure", v2Case{top: concern("sexual", "sa_indicators", []string{"disclosure"})}, v2Case{top: concern("sexual", "sa_indicators", []string{"sexual_behaviour"})}},
		{"rule_sexual", v2Case{top: concern("sexual", "sa_indicators", []string{"sexual_behaviour"})}, v2Case{}},
		{"rule_domestic_child_present", v2Case{top: concern("domestic", "da_child_present", "yes")}, v2Case{top: concern("domestic", "da_child_present", "no")}},
		{"rule_domestic", v2Case{top: map[string]any{"reason": "domestic_abuse"}}, v2Case{}},
		{"rule_cse_indicators", v2Case{top: concern("cse", "cse_indicators", []string{"gifts", "older_partner", "lifts"})}, v2Case{top: concern("cse", "cse_indicators", []string{"gifts", "lifts"})}},
		{"rule_cse", v2Case{top: concern("cse", "cse_indicators", []string{"gifts"})}, v2Case{}},
		{"rule_cce_indicators", v2Case{top: concern("cce", "cce_indicators", []string{"weapons"})}, v2Case{top: concern("cce", "cce_indicators", []string{"phones"})}},
		{"rule_cce", v2Case{top: concern("cce", "cce_indicators", []string{"phones"})}, v2Case{}},
		{"rule_sextortion", v2Case{top: concern("online", "ol_indicators", []string{"sextortion"})}, v2Case{top: concern("online", "ol_indicators", []string{"gaming_contact"})}},
		{"rule_online", v2Case{top: concern("online", "ol_indicators", []string{"gaming_contact"})}, v2Case{}},
		{"rule_fgm_known", v2Case{top: concern("fgm", "fgm_indicators", []string{"known_case"})}, v2Case{top: concern("fgm", "fgm_indicators", []string{"family_history"})}},
		{"rule_fgm", v2Case{top: concern("fgm", "fgm_indicators", []string{"family_history"})}, v2Case{}},
		{"rule_fgm_travel_imminent", v2Case{top: concern("fgm", "fgm_indicators", []string{"travel_planned"}, "fgm_travel_date", "2026-12-01")},
			v2Case{top: concern("fgm", "fgm_indicators", []string{"travel_planned"}, "fgm_travel_date", "2027-01-10")}},
		{"rule_fgm_travel_planned", v2Case{top: concern("fgm", "fgm_indicators", []string{"travel_planned"}, "fgm_travel_date", "2027-01-10")},
			v2Case{top: concern("fgm", "fgm_indicators", []string{"travel_planned"}, "fgm_travel_date", "2026-12-01")}},
		{"rule_forced_marriage", v2Case{top: concern("forced_marriage", "fm_indicators", []string{"engagement"})}, v2Case{}},
		{"rule_forced_marriage_travel", v2Case{top: concern("forced_marriage", "fm_indicators", []string{"travel_abroad"}, "fm_travel_date", "2026-11-30")},
			v2Case{top: concern("forced_marriage", "fm_indicators", []string{"travel_abroad"}, "fm_travel_date", "2027-02-01")}},
		{"rule_forced_marriage_travel_planned", v2Case{top: concern("forced_marriage", "fm_indicators", []string{"travel_abroad"}, "fm_travel_date", "2027-02-01")},
			v2Case{top: concern("forced_marriage", "fm_indicators", []string{"travel_abroad"}, "fm_travel_date", "2026-11-30")}},
		{"rule_radicalisation", v2Case{top: concern("radicalisation")}, v2Case{}},
		{"rule_missing_high", v2Case{top: concern("missing", "missing_grade", "high")}, v2Case{top: concern("missing", "missing_grade", "medium")}},
		{"rule_missing_not_graded", v2Case{top: concern("missing", "missing_grade", "not_graded")}, v2Case{top: concern("missing", "missing_grade", "medium")}},
		{"rule_missing", v2Case{top: concern("missing", "missing_grade", "low")}, v2Case{}},
		{"rule_trafficking", v2Case{top: concern("trafficking")}, v2Case{}},
		{"rule_police_protection", v2Case{top: concern("emotional", "steps_done", []string{"police_protection"})}, v2Case{top: concern("emotional", "steps_done", []string{"referral"})}},
		{"rule_referral_not_made", v2Case{top: concern("emotional", "steps_done", []string{"strategy"})}, v2Case{top: concern("emotional", "steps_done", []string{"referral"})}},
		{"rule_abe_not_requested", v2Case{top: concern("sexual", "sa_indicators", []string{"sexual_behaviour"}, "abe_needed", "yes", "steps_done", []string{"referral"})},
			v2Case{top: concern("sexual", "sa_indicators", []string{"sexual_behaviour"}, "abe_needed", "yes", "steps_done", []string{"referral", "abe"})}},
	}
	for _, opt := range []string{"life", "medical", "s46", "no_carer", "sexual_disclosure", "fgm_known", "fgm_travel_soon", "fm_travel_soon", "trafficking", "missing_high"} {
		id := map[string]string{"life": "rule_triage_life", "medical": "rule_triage_medical", "s46": "rule_triage_s46", "no_carer": "rule_triage_no_carer",
			"sexual_disclosure": "rule_triage_sexual", "fgm_known": "rule_triage_fgm", "fgm_travel_soon": "rule_triage_fgm_travel", "fm_travel_soon": "rule_triage_fm_travel",
			"trafficking": "rule_triage_trafficking", "missing_high": "rule_triage_missing"}[opt]
		cases = append(cases, tc{id, v2Case{top: map[string]any{"triage_now": []string{opt}}}, v2Case{}})
	}
	tested := map[string]bool{}
	for _, k := range cases {
		t.Run(k.rule, func(t *testing.T) {
			tested[k.rule] = true
			_, r := v2Run(t, k.fire)
			if !fired(r, k.rule) {
				t.Errorf("did not fire; reasons %v", v1ReasonIDs(r))
			}
			_, q := v2Run(t, k.quiet)
			if fired(q, k.rule) {
				t.Errorf("fired on the near miss; reasons %v", v1ReasonIDs(q))
			}
		})
	}
	for _, r := range c.Rules {
		if !tested[r.ID] {
			t.Errorf("rule %s has no fire / near-miss case", r.ID)
		}
		if strings.TrimSpace(r.NotKnown.In("en")) == "" {
			t.Errorf("rule %s does not say what it does with a not-known answer", r.ID)
		}
	}
}

// TestV2NotKnownStatementsHold: a rule that says none of its answers can
// be "Not known" reads no question that allows it.
func TestV2NotKnownStatementsHold(t *testing.T) {
	c := v2Checklist(t)
	const none = "None of the answers it reads can be “Not known”."
	ident := regexp.MustCompile(`[a-z_][a-z_0-9]*`)
	for _, r := range c.Rules {
		if r.NotKnown.In("en") != none {
			continue
		}
		for _, id := range ident.FindAllString(r.When, -1) {
			if q, _, ok := c.Question(id); ok && q.NotKnown {
				t.Errorf("%s says no answer it reads can be not known, but reads %s, which can", r.ID, id)
			}
		}
	}
}
