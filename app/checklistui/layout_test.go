package checklistui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
)

// TestReviewFits: the review page of a fresh check with immediate risk (a
// long list of things to do, the reasons and the actions) is laid out
// within the window at each size the app runs at: nothing wider than the
// window, no "Go to" button under the scroll bar. A golden image of each
// size is kept.
func TestReviewFits(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}, {Width: 1920, Height: 1080}} {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			h := newHarness(t, size)
			h.gotoTitle("Immediate safety")
			h.yesNo("triage_no_carer", "yes")
			h.gotoTitle("Review and submit")
			r := h.f.Review
			if r == nil || len(r.GoTo) < 10 {
				t.Fatalf("review with %d things to do, want a long list", len(r.GoTo))
			}
			if len(r.RiskActions) == 0 {
				t.Fatal("the review page does not list the immediate-risk actions")
			}
			view := h.f.Scroll.Size()
			if min := h.f.Scroll.Content.MinSize(); min.Width > view.Width {
				t.Errorf("review %.0f px wide in a %.0f px view", min.Width, view.Width)
			}
			bar := fyne.CurrentApp().Settings().Theme().Size(fynetheme.SizeNameScrollBar)
			d := fyne.CurrentApp().Driver()
			left := d.AbsolutePositionForObject(h.f.Scroll).X
			for i, b := range r.GoTo {
				right := d.AbsolutePositionForObject(b).X + b.Size().Width - left
				if right > view.Width-bar {
					t.Errorf("Go to %d ends at %.0f px, under the scroll bar (view %.0f px, bar %.0f px)", i, right, view.Width, bar)
				}
			}
			for _, o := range []fyne.CanvasObject{h.f.Back, h.f.Next, h.f.ReviewIt, h.f.Jump, h.f.Banner.Toggle} {
				p := d.AbsolutePositionForObject(o)
				if p.X < 0 || p.X+o.Size().Width > size.Width+0.5 || p.Y+o.Size().Height > size.Height+0.5 {
					t.Errorf("%T at %v size %v outside the %v window", o, p, o.Size(), size)
				}
			}
			test.AssertImageMatches(t, fmt.Sprintf("review_long_%.0fx%.0f.png", size.Width, size.Height), h.w.Canvas().Capture())
		})
	}
}

// TestWheelAndNext: one wheel notch moves the page by at least one
// question, and after a yes/no answer the next question is in view and
// focused.
func TestWheelAndNext(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	h.gotoTitle("Immediate safety")
	f := h.f
	var ids []string
	for _, q := range f.pages[f.cur].section.Questions {
		if r := f.Questions[q.ID]; r != nil && r.box.Visible() {
			ids = append(ids, q.ID)
		}
	}
	first := f.Questions[ids[0]].box
	scroll := f.root.(*fyne.Container).Objects[0].(*pageScroll)
	scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -25)})
	if f.Scroll.Offset.Y != first.Position().Y {
		t.Errorf("the first notch scrolled to %.0f, not to the first question at %.0f", f.Scroll.Offset.Y, first.Position().Y)
	}
	before := f.Scroll.Offset.Y
	scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -25)})
	moved := f.Scroll.Offset.Y - before
	if moved < first.Size().Height {
		t.Errorf("one notch moved %.0f px; a question is %.0f px tall", moved, first.Size().Height)
	}
	scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, 25)})
	if f.Scroll.Offset.Y >= before+moved {
		t.Errorf("a notch up did not go back (offset %.0f)", f.Scroll.Offset.Y)
	}
	// Answer down the page: each next question comes into view.
	for i, id := range ids[:len(ids)-1] {
		h.yesNo(id, "no")
		next := f.Questions[ids[i+1]]
		top := next.box.Position().Y - f.Scroll.Offset.Y
		if top < -1 || top+next.box.Size().Height > f.Scroll.Size().Height+1 {
			t.Fatalf("after %s, the next question %s is at %.0f px of a %.0f px view", id, ids[i+1], top, f.Scroll.Size().Height)
		}
		if yn, ok := next.input.(*yesNoInput); ok && h.w.Canvas().Focused() != yn.Focus() {
			t.Fatalf("after %s, focus is on %v, not the next question", id, h.w.Canvas().Focused())
		}
	}
}
