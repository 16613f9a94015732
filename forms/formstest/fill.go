// Package formstest drives forms.Evaluate the way an officer drives the
// app: answer the first thing the evaluation asks for, evaluate again,
// until the entry is ready. Tests use it to count the answers a check
// needs and to complete fictional cases with the mildest answers.
package formstest

import (
	"errors"
	"fmt"
	"slices"

	"github.com/safeguard-uk/safeguard/forms"
)

// MaxAnswers bounds one Fill: an entry that needs more is a content bug.
const MaxAnswers = 600

// Values gives the answer to a question by id; ok false means "use the
// default". group and index say whose page it is ("" at the top level).
type Values func(group string, index int, question string) (forms.Answer, bool)

// Map is Values from fixed maps: Top for the top level, Groups[group][i]
// for an instance.
type Map struct {
	Top    map[string]any
	Groups map[string][]map[string]any
}

// Get implements Values.
func (m Map) Get(group string, index int, question string) (forms.Answer, bool) {
	var src map[string]any
	if group == "" {
		src = m.Top
	} else if list := m.Groups[group]; index < len(list) {
		src = list[index]
	}
	x, ok := src[question]
	if !ok {
		return forms.Answer{}, false
	}
	if a, isAnswer := x.(forms.Answer); isAnswer {
		return a, true
	}
	return forms.Answer{Value: x}, true
}

// ErrStuck is returned when answering a problem does not clear it.
var ErrStuck = errors.New("formstest: the same problem came back after it was answered")

// Fill answers e's problems one at a time, first problem first, with
// values (else Mild), until Evaluate says it is ready. An unlinked person
// is linked to the first instance of the relationship's From group as
// "parent". It returns the number of answers (and links) given.
func Fill(c *forms.Checklist, e *forms.Entry, values Values) (int, error) {
	n := 0
	tried := map[string]int{}
	for n <= MaxAnswers {
		r, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			return n, err
		}
		if r.Ready {
			return n, nil
		}
		p := r.Problems[0]
		key := p.Path() + "|" + string(p.Code)
		tried[key]++
		if tried[key] > 2 {
			return n, fmt.Errorf("%w: %s %s: %s", ErrStuck, p.Path(), p.Code, p.Message)
		}
		switch {
		case p.Code == forms.ProblemUnlinked:
			rel := c.Relationships
			from := e.Groups[rel.From[0]]
			if len(from) == 0 {
				return n, fmt.Errorf("formstest: %s cannot be linked: no %s", p.Path(), rel.From[0])
			}
			e.Relationships = append(e.Relationships, forms.Relationship{From: from[0].ID, To: p.Instance, Type: "parent"})
		case p.Question == "":
			return n, fmt.Errorf("formstest: cannot answer %s: %s", p.Code, p.Message)
		default:
			q, _, ok := c.Question(p.Question)
			if !ok {
				return n, fmt.Errorf("formstest: %s is not a question", p.Question)
			}
			answers := e.Answers
			index := 0
			if p.Instance != "" {
				inst, ok := e.Instance(p.Group, p.Instance)
				if !ok {
					return n, fmt.Errorf("formstest: no instance %s", p.Path())
				}
				answers = inst.Answers
				index = slices.IndexFunc(e.Groups[p.Group], func(i forms.Instance) bool { return i.ID == p.Instance })
			}
			a, ok := values(p.Group, index, p.Question)
			if !ok || tried[key] > 1 {
				a = Mild(c, q)
			}
			answers[p.Question] = a
		}
		n++
	}
	return n, fmt.Errorf("formstest: more than %d answers", MaxAnswers)
}

// mildValues are the least alarming answers of questions whose first
// option is not.
var mildValues = map[string]any{
	"child_disability": "no",
	"missing_grade":    "medium",
	"child_dob":        "2019-04-01",
	"adult_dob":        "1990-01-01",
	"fgm_travel_date":  "2027-06-01",
	"fm_travel_date":   "2027-06-01",
	"child_age_est":    7.0,
	"adult_role":       "parent",
}

// Mild is the mildest answer to q: "no", "None of these", the first
// option, the lowest point of a scale, a neutral text.
func Mild(c *forms.Checklist, q *forms.Question) forms.Answer {
	if v, ok := mildValues[q.ID]; ok {
		return forms.Answer{Value: v}
	}
	has := func(v string) bool {
		return slices.ContainsFunc(q.Options, func(o forms.Option) bool { return o.Value == v })
	}
	switch q.Kind {
	case forms.KindYesNo:
		return forms.Answer{Value: "no"}
	case forms.KindSingle:
		return forms.Answer{Value: q.Options[0].Value}
	case forms.KindMulti:
		if has("none") {
			return forms.Answer{Value: []string{"none"}}
		}
		return forms.Answer{Value: []string{q.Options[0].Value}}
	case forms.KindCode:
		return forms.Answer{Value: c.CodeLists[q.CodeList].Codes[0].Value}
	case forms.KindNumber:
		return forms.Answer{Value: 1.0}
	case forms.KindDate:
		return forms.Answer{Value: "2020-01-01"}
	case forms.KindDateTime:
		return forms.Answer{Value: "2026-11-25T22:30:00Z"}
	case forms.KindScale:
		return forms.Answer{Value: float64(q.Scale.Min)}
	case forms.KindPhoto:
		return forms.Answer{Value: []string{}}
	}
	return forms.Answer{Value: "Recorded at the scene."}
}
