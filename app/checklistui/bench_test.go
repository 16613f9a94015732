package checklistui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// fullEntry fills a real store with a big entry: 6 children and 4 adults,
// every visible question answered, everyone linked.
func fullEntry(tb testing.TB) (*Flow, fyne.Window) {
	a := test.NewTempApp(tb)
	a.Settings().SetTheme(theme.New(false, 1))
	store := uitest.EnrolledStore(tb)
	c := uitest.Checklist(tb)
	e, err := store.NewEntry(uitest.Ref, false)
	if err != nil {
		tb.Fatal(err)
	}
	for g, n := range map[string]int{"child": 6, "adult": 4} {
		for i := 0; i < n; i++ {
			if _, err := store.AddInstance(e.ID, g); err != nil {
				tb.Fatal(err)
			}
		}
	}
	e, err = store.Entry(e.ID)
	if err != nil {
		tb.Fatal(err)
	}
	for ci, ch := range e.Groups["child"] {
		for ai, ad := range e.Groups["adult"] {
			if ai == ci%4 {
				if err := store.AddRelationship(e.ID, forms.Relationship{From: ad.ID, To: ch.ID, Type: "parent"}); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	for pass := 0; pass < 6; pass++ {
		e, _ = store.Entry(e.ID)
		answerVisible(tb, store, c, e)
	}
	e, _ = store.Entry(e.ID)
	w := test.NewTempWindow(tb, widget.NewLabel(""))
	f, err := New(c, e, store, Options{Now: uitest.Clock, Window: w})
	if err != nil {
		tb.Fatal(err)
	}
	w.SetContent(f.Object())
	w.Resize(fyne.NewSize(1280, 800))
	return f, w
}

// answerVisible answers every visible, unanswered question.
func answerVisible(tb testing.TB, store Saver, c *forms.Checklist, e *forms.Entry) {
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		tb.Fatal(err)
	}
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
			v = "2026-11-25T22:30:00Z"
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
	}
}

// BenchmarkSwitchSection measures moving to the next part of a full entry
// (6 children, 4 adults): building the page's widgets and laying them out
// with the test driver.
func BenchmarkSwitchSection(b *testing.B) {
	f, w := fullEntry(b)
	n := len(f.pages)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.ShowPage(i % n)
		w.Content().Refresh()
		w.Canvas().Content().Resize(w.Canvas().Size())
	}
	b.ReportMetric(float64(n), "pages")
}

// BenchmarkAnswer measures one answer: save to the real store (its own
// committed transaction), evaluate and update the screen.
func BenchmarkAnswer(b *testing.B) {
	f, _ := fullEntry(b)
	f.ShowPage(0)
	r := f.Questions["incident_ref"]
	in := r.input.(*textInput)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.e.SetText(fmt.Sprintf("INC-%d", i))
	}
}

func TestFullEntryReady(t *testing.T) {
	f, w := fullEntry(t)
	if p := f.Res().Problems; len(p) > 0 {
		t.Fatalf("full entry has problems: %+v", p[0])
	}
	f.ShowPage(len(f.pages) - 1)
	if f.Review.Submit.Disabled() {
		t.Fatal("submit disabled on a full entry")
	}
	if bad := uitest.SmallTargets(w.Canvas().Content()); len(bad) > 0 {
		t.Errorf("small targets: %v", bad)
	}
	t.Logf("%d pages", len(f.pages))
}
