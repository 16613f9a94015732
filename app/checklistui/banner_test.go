package checklistui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestBannerLaysOutFrame: the banner showing, opening, closing and hiding
// after answers lays out the window's frame without a refresh of the page:
// the page's viewport ends where the banner starts, gives the room back
// when it hides, and the banner's button is as wide as its text each time.
func TestBannerLaysOutFrame(t *testing.T) {
	f, _ := fullEntry(t)
	for i, title := range f.Pages() {
		if title == "Immediate safety" {
			f.ShowPage(i)
		}
	}
	in := f.Questions["triage_life"].input.(*yesNoInput)
	test.Tap(in.no)
	if f.Banner.Visible() {
		t.Fatal("banner shown on a full entry with no immediate risk")
	}
	d := fyne.CurrentApp().Driver()
	bottom := func() float32 { return d.AbsolutePositionForObject(f.Scroll).Y + f.Scroll.Size().Height }
	full := bottom()
	fits := func(when string) {
		t.Helper()
		if got, want := f.Banner.Toggle.Size().Width, f.Banner.Toggle.MinSize().Width; got < want-0.5 || got > want+0.5 {
			t.Errorf("%s: the banner's button is %.0f px wide, its text wants %.0f", when, got, want)
		}
		if b, top := bottom(), d.AbsolutePositionForObject(f.Banner.Object()).Y; b > top+0.5 {
			t.Errorf("%s: the page ends at %.0f, under the banner starting at %.0f", when, b, top)
		}
	}
	test.Tap(in.yes)
	if !f.Banner.Visible() {
		t.Fatal("banner not shown after a Yes to triage_life")
	}
	if bottom() >= full {
		t.Errorf("the page's viewport did not shrink for the banner (%.0f, was %.0f)", bottom(), full)
	}
	fits("shown")
	test.Tap(f.Banner.Toggle)
	fits("opened")
	test.Tap(f.Banner.Toggle)
	fits("closed")
	test.Tap(in.no)
	if f.Banner.Visible() {
		t.Fatal("banner still shown after No")
	}
	if got := bottom(); got != full {
		t.Errorf("the page's viewport ends at %.0f after the banner hid, was %.0f", got, full)
	}
	test.Tap(in.yes) // shown again with the same reasons: not rebuilt
	fits("shown again")

}
