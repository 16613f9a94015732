package trainer

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// ScenarioDir is where the scenarios live in the assets file system.
const ScenarioDir = "scenarios"

// Scenario is one fictional case for training: a story, the facts an
// officer would find (as answers to the checklist), and what should be
// recognised. Every name, address and reference in it is made up.
type Scenario struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Topic is neglect, domestic abuse, sexual exploitation...
	Topic     string    `json:"topic"`
	Checklist forms.Ref `json:"checklist"`
	// Narrative is what the trainee is told: the call and what they see.
	Narrative string `json:"narrative"`
	// Children and Adults are how many people the facts describe.
	Children int `json:"children"`
	Adults   int `json:"adults"`
	// Facts are what an officer would find, each as a checklist answer.
	Facts []Fact `json:"facts"`
	// Links join adults to children (by index).
	Links []Link `json:"links,omitempty"`
	// Expected is what answering the facts must give: forms.Evaluate of
	// the facts yields exactly this grade and these rules (a test checks
	// it, so scenarios never drift from the checklist).
	Expected Expected `json:"expected"`
	// Teaching explains, by rule id, why the rule matters: shown when a
	// trainee misses it.
	Teaching map[string]string `json:"teaching,omitempty"`
}

// Fact is one thing the officer finds, as an answer.
type Fact struct {
	// Group and Person locate answers of repeating sections ("child", 0).
	Group    string `json:"group,omitempty"`
	Person   int    `json:"person,omitempty"`
	Question string `json:"question"`
	// Answer is a string, a number or a list of strings, as the question's
	// kind wants.
	Answer any `json:"answer"`
	// Finding is how the officer comes to know it, in the story's words.
	Finding string `json:"finding,omitempty"`
}

// Link is a relationship between an adult and a child, by index.
type Link struct {
	Adult int    `json:"adult"`
	Child int    `json:"child"`
	Type  string `json:"type"`
}

// Expected is what the facts should be recognised as.
type Expected struct {
	Grade string   `json:"grade"`
	Rules []string `json:"rules"`
	// Actions are the actions the expected rules ask for (checked too).
	Actions []string `json:"actions,omitempty"`
}

// Reference is the case's reference (the fact answering incident_ref),
// "" when it has none.
func (s *Scenario) Reference() string {
	for _, f := range s.Facts {
		if f.Question == referenceQuestion && f.Group == "" {
			if v, ok := f.Answer.(string); ok {
				return v
			}
		}
	}
	return ""
}

// Immediate reports whether the scenario is an immediate risk.
func (s *Scenario) Immediate() bool { return s.Expected.Grade == forms.LevelImmediate.String() }

// LoadScenarios reads every scenarios/*.json in fsys, sorted by title.
func LoadScenarios(fsys fs.FS) ([]*Scenario, error) {
	names, err := fs.Glob(fsys, path.Join(ScenarioDir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var s Scenario
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		if s.ID == "" || s.Title == "" || s.Narrative == "" || len(s.Facts) == 0 {
			return nil, fmt.Errorf("%s: a scenario needs an id, a title, a narrative and facts", n)
		}
		out = append(out, &s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Title < out[j].Title })
	return out, nil
}

// Entry builds the entry an officer who recorded exactly the facts would
// make (training, with fresh ids).
func (s *Scenario) Entry() *forms.Entry {
	e := &forms.Entry{ID: uuid.NewString(), Checklist: s.Checklist, Revision: 1, Training: true,
		Answers: map[string]forms.Answer{}, Groups: map[string][]forms.Instance{}}
	for i := 0; i < s.Children; i++ {
		e.Groups["child"] = append(e.Groups["child"], forms.Instance{ID: uuid.NewString(), Answers: map[string]forms.Answer{}})
	}
	for i := 0; i < s.Adults; i++ {
		e.Groups["adult"] = append(e.Groups["adult"], forms.Instance{ID: uuid.NewString(), Answers: map[string]forms.Answer{}})
	}
	for _, f := range s.Facts {
		a := forms.Answer{Value: f.Value()}
		if f.Group == "" {
			e.Answers[f.Question] = a
			continue
		}
		if list := e.Groups[f.Group]; f.Person < len(list) {
			list[f.Person].Answers[f.Question] = a
		}
	}
	for _, l := range s.Links {
		if l.Adult < s.Adults && l.Child < s.Children {
			e.Relationships = append(e.Relationships, forms.Relationship{From: e.Groups["adult"][l.Adult].ID, To: e.Groups["child"][l.Child].ID, Type: l.Type})
		}
	}
	return e
}

// Value is the fact's answer in the form forms.Answer holds.
func (f Fact) Value() any {
	switch v := f.Answer.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return f.Answer
}

// Text is the fact's answer as typed or chosen on screen (the form
// checklistui.Question.Enter takes): a list comma-separated, a number in
// decimal, a date as day/month/year, a time as day/month/year 24-hour in
// the force's time zone.
func (f Fact) Text(q *forms.Question) string {
	switch v := f.Value().(type) {
	case []string:
		return strings.Join(v, ",")
	case float64:
		return fmt.Sprintf("%g", v)
	case string:
		if q != nil && (q.Kind == forms.KindDate || q.Kind == forms.KindDateTime) {
			// As the officer types it: day/month/year, 24-hour, in the
			// force's time zone (ISO only on the wire).
			return theme.WireText(v)
		}
		return v
	}
	return fmt.Sprint(f.Answer)
}

// FiredRules is the sorted, de-duplicated rule ids of a result.
func FiredRules(res *forms.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range res.Reasons {
		if !seen[r.Rule] {
			seen[r.Rule] = true
			out = append(out, r.Rule)
		}
	}
	sort.Strings(out)
	return out
}
