package forms_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// v2Scenario is the part of a training scenario (app/trainer.Scenario)
// this test reads.
type v2Scenario struct {
	ID        string    `json:"id"`
	Checklist forms.Ref `json:"checklist"`
	Children  int       `json:"children"`
	Adults    int       `json:"adults"`
	Facts     []struct {
		Group    string `json:"group"`
		Person   int    `json:"person"`
		Question string `json:"question"`
		Answer   any    `json:"answer"`
	} `json:"facts"`
	Links []struct {
		Adult, Child int
		Type         string
	} `json:"links"`
	Expected struct {
		Grade   forms.Level `json:"grade"`
		Rules   []string    `json:"rules"`
		Actions []string    `json:"actions"`
	} `json:"expected"`
}

// TestV2Scenarios: the training scenarios written for 2.0.0
// (forms/testdata/scenarios; the trainer's library loads child-at-risk
// 1.0.0 only, so they wait there for it) give exactly their expected
// grade, rules and actions, as the trainer's own test checks of its
// library.
func TestV2Scenarios(t *testing.T) {
	names, _ := filepath.Glob("testdata/scenarios/*.json")
	if len(names) == 0 {
		t.Fatal("no scenarios")
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var s v2Scenario
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if s.Checklist != v2Ref {
			t.Errorf("%s: made for %s", n, s.Checklist)
		}
		e := v2New(s.Children, s.Adults)
		for _, f := range s.Facts {
			a := forms.Answer{Value: f.Answer}
			if l, ok := f.Answer.([]any); ok {
				list := []string{}
				for _, x := range l {
					list = append(list, fmt.Sprint(x))
				}
				a.Value = list
			}
			if f.Group == "" {
				e.Answers[f.Question] = a
			} else {
				e.Groups[f.Group][f.Person].Answers[f.Question] = a
			}
		}
		for _, l := range s.Links {
			e.Relationships = append(e.Relationships, forms.Relationship{From: e.Groups["adult"][l.Adult].ID, To: e.Groups["child"][l.Child].ID, Type: l.Type})
		}
		r := v2Eval(t, e)
		for _, p := range r.Problems {
			if p.Code == forms.ProblemInvalid || p.Code == forms.ProblemConstraint || p.Code == forms.ProblemUnknownQuestion {
				t.Errorf("%s: %s: %s", s.ID, p.Path(), p.Message)
			}
		}
		rules := []string{}
		for _, x := range r.Reasons {
			if !slices.Contains(rules, x.Rule) {
				rules = append(rules, x.Rule)
			}
		}
		slices.Sort(rules)
		actions := []string{}
		for _, a := range r.Actions {
			actions = append(actions, a.ID)
		}
		slices.Sort(actions)
		if r.Computed != s.Expected.Grade || !slices.Equal(rules, s.Expected.Rules) || !slices.Equal(actions, s.Expected.Actions) {
			t.Errorf("%s: got %s %v %v, want %s %v %v", s.ID, r.Computed, rules, actions, s.Expected.Grade, s.Expected.Rules, s.Expected.Actions)
		}
	}
}
