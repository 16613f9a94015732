package uitest

import (
	"fmt"
	"testing"

	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// Fill makes a complete entry in store: children and adults, each child
// linked to an adult, and every question that becomes visible answered
// (yes/no questions "no", the first option, a date, "now"...). It returns
// the entry as stored.
func Fill(tb testing.TB, store *devicestore.Store, c *forms.Checklist, children, adults int) *forms.Entry {
	tb.Helper()
	e, err := store.NewEntry(Ref, false)
	if err != nil {
		tb.Fatal(err)
	}
	for g, n := range map[string]int{"child": children, "adult": adults} {
		for i := 0; i < n; i++ {
			if _, err := store.AddInstance(e.ID, g); err != nil {
				tb.Fatal(err)
			}
		}
	}
	e = reread(tb, store, e.ID)
	if adults > 0 {
		for ci, ch := range e.Groups["child"] {
			ad := e.Groups["adult"][ci%adults]
			if err := store.AddRelationship(e.ID, forms.Relationship{From: ad.ID, To: ch.ID, Type: "parent"}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for pass := 0; pass < 6; pass++ {
		e = reread(tb, store, e.ID)
		if answerVisible(tb, store, c, e) == 0 {
			break
		}
	}
	return reread(tb, store, e.ID)
}

func reread(tb testing.TB, store *devicestore.Store, id string) *forms.Entry {
	tb.Helper()
	e, err := store.Entry(id)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// answerVisible answers every visible, unanswered question and returns how
// many it answered.
func answerVisible(tb testing.TB, store *devicestore.Store, c *forms.Checklist, e *forms.Entry) int {
	tb.Helper()
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, it := range res.Visible {
		m := e.Answers
		if it.Instance != "" {
			inst, _ := e.Instance(it.Group, it.Instance)
			m = inst.Answers
		}
		if _, done := m[it.Question]; done {
			continue
		}
		q, _, _ := c.Question(it.Question)
		var v any
		switch q.Kind {
		case forms.KindYesNo:
			v = "no"
		case forms.KindSingle:
			v = q.Options[0].Value
		case forms.KindMulti:
			v = []string{q.Options[0].Value}
		case forms.KindCode:
			v = c.CodeLists[q.CodeList].Codes[0].Value
		case forms.KindDate:
			v = "2015-02-01"
		case forms.KindDateTime:
			v = Clock().Format("2006-01-02T15:04:05Z07:00")
		case forms.KindNumber:
			v = 5.0
		case forms.KindScale:
			v = float64(q.Scale.Min)
		case forms.KindPhoto:
			continue
		default:
			v = fmt.Sprintf("Answer to %s", q.ID)
		}
		if err := store.SetAnswer(e.ID, it.Group, it.Instance, it.Question, forms.Answer{Value: v}); err != nil {
			tb.Fatal(err)
		}
		n++
	}
	return n
}
