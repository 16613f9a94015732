package checklistui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// pageScroll is the check's scrolling page. A mouse-wheel notch moves to
// the next row of the page (a question, the title, the group buttons)
// rather than Fyne's 25 px, so one notch is always at least one question;
// a touch drag is Fyne's own, which follows the finger 1:1.
type pageScroll struct {
	container.Scroll
	f *Flow
}

func newPageScroll(f *Flow, content fyne.CanvasObject) *pageScroll {
	s := &pageScroll{f: f}
	s.Direction = container.ScrollVerticalOnly
	s.Content = content
	s.ExtendBaseWidget(s)
	return s
}

// ScrollContent is what the page scrolls, and ScrollInner the
// container.Scroll inside (Flow.Scroll), for tools that walk the screen.
func (s *pageScroll) ScrollContent() fyne.CanvasObject { return s.Content }

// ScrollInner: see ScrollContent.
func (s *pageScroll) ScrollInner() fyne.CanvasObject { return &s.Scroll }

// Scrolled moves one question per notch, down or up (one row on pages
// without questions).
func (s *pageScroll) Scrolled(ev *fyne.ScrollEvent) {
	dy := ev.Scrolled.DY
	if dy == 0 {
		s.Scroll.Scrolled(ev)
		return
	}
	off := s.Offset.Y
	target := off
	boxes := map[fyne.CanvasObject]bool{}
	for _, q := range s.f.Questions {
		boxes[q.box] = true
	}
	row := func(o fyne.CanvasObject) bool { return o.Visible() && (len(boxes) == 0 || boxes[o]) }
	if dy < 0 { // wheel down: the first question below the top
		for _, o := range s.f.Body.Objects {
			if row(o) && o.Position().Y > off+1 {
				target = o.Position().Y
				break
			}
		}
		if target == off {
			target = off - dy
		}
	} else { // wheel up: the last row above the top
		target = 0
		for _, o := range s.f.Body.Objects {
			if row(o) && o.Position().Y < off-1 {
				target = o.Position().Y
			}
		}
	}
	maxOff := s.Content.MinSize().Height - s.Size().Height
	target = max(0, min(target, maxOff))
	s.ScrollToOffset(fyne.NewPos(s.Offset.X, target))
}

// showNext brings the question after r into view and, for answers given
// with one tap, gives it the focus, so the officer can go straight on.
//
// Only after a tap: a typed answer is saved after a pause in typing, and
// moving the page then would move it under the officer's finger.
func (f *Flow) showNext(r *Question) {
	p := f.pages[f.cur]
	if p.kind != pageSection {
		return
	}
	switch r.Q.Kind {
	case "yesno", "single", "scale", "code", "datetime":
	default:
		return
	}
	var next *Question
	seen := false
	for qi := range p.section.Questions {
		q := f.Questions[p.section.Questions[qi].ID]
		if q == nil {
			continue
		}
		if seen && q.box.Visible() {
			next = q
			break
		}
		seen = seen || q == r
	}
	if next == nil {
		return
	}
	view := f.Scroll.Size().Height
	top, bottom := next.box.Position().Y, next.box.Position().Y+next.box.Size().Height
	if off := f.Scroll.Offset.Y; bottom > off+view {
		f.Scroll.ScrollToOffset(fyne.NewPos(0, min(top, bottom-view)))
	}
	if fo := next.input.Focus(); fo != nil && f.opts.Window != nil {
		f.opts.Window.Canvas().Focus(fo)
	}
}
