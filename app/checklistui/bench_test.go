package checklistui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// fullEntry opens a flow on a big, complete entry in a real store: 6
// children and 4 adults, every visible question answered, everyone linked.
func fullEntry(tb testing.TB) (*Flow, fyne.Window) {
	a := test.NewTempApp(tb)
	a.Settings().SetTheme(theme.New(false, 1))
	store := uitest.EnrolledStore(tb)
	c := uitest.Checklist(tb)
	e := uitest.Fill(tb, store, c, 6, 4)
	w := test.NewTempWindow(tb, widget.NewLabel(""))
	f, err := New(c, e, store, Options{Now: uitest.Clock, Window: w})
	if err != nil {
		tb.Fatal(err)
	}
	w.SetContent(f.Object())
	w.Resize(fyne.NewSize(1280, 800))
	return f, w
}

// BenchmarkSwitchSection measures moving to the next part of a full entry
// (6 children, 4 adults): building the page's widgets and laying them out
// with the test driver.
func BenchmarkSwitchSection(b *testing.B) {
	f, w := fullEntry(b)
	n := len(f.pages)
	relayout := func() {
		w.Content().Refresh()
		w.Canvas().Content().Resize(w.Canvas().Size())
	}
	// baseline: lay out the same part again, without switching (each
	// part in turn, put on screen outside the timing).
	b.Run("baseline", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			f.ShowPage(i % n)
			relayout()
			b.StartTimer()
			relayout()
		}
	})
	// switch: move to the next part of a full entry and lay it out, once
	// every part has been visited (parts are built once and kept).
	b.Run("switch", func(b *testing.B) {
		for i := 0; i < n; i++ {
			f.ShowPage(i)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.ShowPage(i % n)
			relayout()
		}
		b.ReportMetric(float64(n), "pages")
	})
	// switchonly: the switch itself (what the screen does on a tap of
	// Next), without the test driver's forced refresh of every widget.
	b.Run("switchonly", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f.ShowPage(i % n)
		}
	})
	// firstvisit: the first visit to a part, which builds its widgets.
	b.Run("firstvisit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f.built = nil
			f.ShowPage(i % n)
			relayout()
		}
	})
}

// BenchmarkAnswer measures one answer through the screen (save to the real
// store in its own committed transaction, evaluate, update the screen)
// against the same save made straight to the store, the baseline.
func BenchmarkAnswer(b *testing.B) {
	f, _ := fullEntry(b)
	f.ShowPage(0)
	r := f.Questions["incident_ref"]
	in := r.input.(*textInput)
	b.Run("baseline", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := f.s.SetAnswer(f.e.ID, "", "", "incident_ref", forms.Answer{Value: fmt.Sprintf("INC-B%d", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("screen", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			in.e.SetText(fmt.Sprintf("INC-%d", i))
		}
	})
}

// readYesNo shows the first part with a yes/no question whose answer the
// evaluation reads (tapping the other answer re-evaluates: forms.Incremental
// takes no shortcut) and returns the question, answered "no".
func readYesNo(tb testing.TB, f *Flow) *Question {
	for i, p := range f.pages {
		if p.kind != pageSection {
			continue
		}
		f.ShowPage(i)
		for qi := range p.section.Questions {
			r := f.Questions[p.section.Questions[qi].ID]
			if r == nil || r.Q.Kind != forms.KindYesNo || !r.built || !r.box.Visible() {
				continue
			}
			if a := f.answerOf(r); a.Value != "no" {
				continue // left as found
			}
			in := r.input.(*yesNoInput)
			test.Tap(in.yes)
			read := !f.inc.Unchanged
			test.Tap(in.no)
			if read && !f.inc.Unchanged {
				return r
			}
		}
	}
	tb.Fatal("no yes/no question the evaluation reads")
	return nil
}

func TestFullEntryReady(t *testing.T) {
	f, w := fullEntry(t)
	if p := f.Result().Problems; len(p) > 0 {
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

// TestGrading: the officer may raise the grade freely; lowering it needs
// a written reason before the entry can be submitted.
func TestGrading(t *testing.T) {
	f, _ := fullEntry(t)
	f.ShowPage(len(f.pages) - 1)
	rv := f.Review
	if !f.Result().Ready {
		t.Fatal("full entry not ready")
	}
	if computed := f.Result().Computed; computed >= forms.LevelImmediate {
		t.Fatalf("full entry computed %s; the test wants room to raise", computed)
	}
	rv.Grade.SetSelected("Immediate")
	if f.Result().Grade != forms.LevelImmediate || !f.Result().Ready {
		t.Fatalf("raise: grade %s ready %v", f.Result().Grade, f.Result().Ready)
	}
	if f.Entry().Grading == nil || f.Entry().Grading.Level != forms.LevelImmediate {
		t.Fatalf("raised grade not kept: %+v", f.Entry().Grading)
	}
	// Make the answers show immediate risk, then grade lower.
	for i, title := range f.Pages() {
		if title == "Immediate safety" {
			f.ShowPage(i)
		}
	}
	test.Tap(f.Questions["triage_life"].input.(*yesNoInput).yes)
	f.ShowPage(len(f.pages) - 1)
	rv = f.Review
	if f.Result().Computed != forms.LevelImmediate {
		t.Fatalf("computed %s", f.Result().Computed)
	}
	rv.Grade.SetSelected("High")
	if f.Result().Ready || !rv.LowerReason.Visible() || !rv.Submit.Disabled() {
		t.Fatalf("lowering without a reason: ready %v reason shown %v", f.Result().Ready, rv.LowerReason.Visible())
	}
	test.Type(rv.LowerReason, "Child now with grandmother, checked and sober; ambulance crew content.")
	if !f.Result().Ready || !f.Result().Lowered || f.Result().Grade != forms.LevelHigh {
		t.Fatalf("lowered with a reason: ready %v lowered %v grade %s", f.Result().Ready, f.Result().Lowered, f.Result().Grade)
	}
	if rv.Submit.Disabled() {
		t.Fatal("submit disabled after the reason was given")
	}
}

// BenchmarkPaired measures each figure and its baseline in turn within one
// loop (first visit, then laying the same part out again; an answer through
// the screen, then the same save straight to the store), so a shared,
// loaded machine slows both alike. It reports the median of each (ms) and
// their ratio, x-baseline.
func BenchmarkPaired(b *testing.B) {
	report := func(b *testing.B, got, base []time.Duration) {
		m := func(d []time.Duration) float64 {
			s := slices.Clone(d)
			slices.Sort(s)
			return float64(s[len(s)/2]) / float64(time.Millisecond)
		}
		b.ReportMetric(m(got), "ms")
		b.ReportMetric(m(base), "baseline-ms")
		b.ReportMetric(m(got)/m(base), "x-baseline")
	}
	b.Run("firstvisit", func(b *testing.B) {
		f, w := fullEntry(b)
		n := len(f.pages)
		relayout := func() {
			w.Content().Refresh()
			w.Canvas().Content().Resize(w.Canvas().Size())
		}
		var got, base []time.Duration
		for i := 0; i < b.N; i++ {
			f.built = nil
			t0 := time.Now()
			f.ShowPage(i % n)
			relayout()
			t1 := time.Now()
			relayout()
			t2 := time.Now()
			got, base = append(got, t1.Sub(t0)), append(base, t2.Sub(t1))
		}
		report(b, got, base)
	})
	// answerread: a yes/no answer the rules read (the first such on the
	// first part), tapped Yes and No in turn, so each answer re-evaluates
	// (an incident reference, above, is read by nothing and takes the
	// shortcut of forms.Incremental).
	b.Run("answerread", func(b *testing.B) {
		f, _ := fullEntry(b)
		r := readYesNo(b, f)
		b.Logf("%s on %q", r.Q.ID, f.pageTitle(f.pages[f.cur]))
		in := r.input.(*yesNoInput)
		var got, base []time.Duration
		for i := 0; i < b.N; i++ {
			btn, v := in.yes, "yes"
			if i%2 == 1 {
				btn, v = in.no, "no"
			}
			t0 := time.Now()
			test.Tap(btn)
			t1 := time.Now()
			if f.inc.Unchanged {
				b.Fatalf("%s: a yes/no the rules read took the shortcut", r.Q.ID)
			}
			if err := f.s.SetAnswer(f.e.ID, r.Group, r.Instance, r.Q.ID, forms.Answer{Value: v}); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			got, base = append(got, t1.Sub(t0)), append(base, t2.Sub(t1))
		}
		report(b, got, base)
	})
	b.Run("answer", func(b *testing.B) {
		f, _ := fullEntry(b)
		f.ShowPage(0)
		in := f.Questions["incident_ref"].input.(*textInput)
		var got, base []time.Duration
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			in.e.SetText(fmt.Sprintf("INC-%d", i))
			t1 := time.Now()
			if err := f.s.SetAnswer(f.e.ID, "", "", "incident_ref", forms.Answer{Value: fmt.Sprintf("INC-B%d", i)}); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			got, base = append(got, t1.Sub(t0)), append(base, t2.Sub(t1))
		}
		report(b, got, base)
	})
}
