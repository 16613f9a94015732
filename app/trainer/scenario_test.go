package trainer_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/safeguard-uk/safeguard/app/trainer"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestScenariosMatchTheChecklist: answering each scenario's facts gives
// exactly its expected grade, rules and actions, every fact names a
// question of the checklist with a valid answer, and the library covers
// the topics training needs. Scenarios so never drift from the checklist.
func TestScenariosMatchTheChecklist(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	list, err := trainer.LoadScenarios(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 8 {
		t.Fatalf("%d scenarios, want at least 8", len(list))
	}
	topics := map[string]bool{}
	actual := map[string]any{}
	for _, s := range list {
		topics[s.Topic] = true
		c, ok := reg.Get(s.Checklist)
		if !ok {
			t.Errorf("%s: checklist %s not in assets", s.ID, s.Checklist)
			continue
		}
		for _, f := range s.Facts {
			if _, _, ok := c.Question(f.Question); !ok {
				t.Errorf("%s: fact names no question: %s", s.ID, f.Question)
			}
		}
		res, err := forms.Evaluate(c, s.Entry(), forms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			if p.Code == forms.ProblemInvalid || p.Code == forms.ProblemConstraint || p.Code == forms.ProblemUnknownQuestion || p.Code == forms.ProblemRelationship {
				t.Errorf("%s: %s: %s", s.ID, p.Path(), p.Message)
			}
		}
		rules := trainer.FiredRules(res)
		var actions []string
		for _, a := range res.Actions {
			actions = append(actions, a.ID)
		}
		sort.Strings(actions)
		want := append([]string(nil), s.Expected.Rules...)
		sort.Strings(want)
		wantActions := append([]string(nil), s.Expected.Actions...)
		sort.Strings(wantActions)
		if res.Grade.String() != s.Expected.Grade || !reflect.DeepEqual(rules, want) || !reflect.DeepEqual(actions, wantActions) {
			t.Errorf("%s: facts give grade %s, rules %v, actions %v; the scenario expects %s, %v, %v", s.ID, res.Grade, rules, actions, s.Expected.Grade, want, wantActions)
		}
		for r := range s.Teaching {
			found := false
			for _, x := range rules {
				found = found || x == r
			}
			if !found {
				t.Errorf("%s: teaching note for %s, which the facts do not fire", s.ID, r)
			}
		}
		actual[s.ID] = map[string]any{"grade": res.Grade.String(), "rules": rules, "actions": actions}
	}
	for _, topic := range []string{"neglect", "domestic abuse", "child sexual exploitation", "child criminal exploitation", "online", "FGM", "missing child", "unexplained injury"} {
		if !topics[topic] {
			t.Errorf("no scenario on %s", topic)
		}
	}
	if t.Failed() && os.Getenv("SCENARIO_ACTUAL") != "" {
		b, _ := json.MarshalIndent(actual, "", " ")
		_ = os.WriteFile(os.Getenv("SCENARIO_ACTUAL"), b, 0o644)
	}
}
