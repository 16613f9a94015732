package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
)

// TestBannerStaysAsLeftAcrossUnlock: the immediate-risk banner appears as
// one line, and a lock and unlock (which build the check's screen again)
// bring it back as the officer left it: collapsed, or open.
func TestBannerStaysAsLeftAcrossUnlock(t *testing.T) {
	h := newHarness(t, uitest.EnrolledStore(t))
	u := h.u
	unlock := func() {
		t.Helper()
		u.lockNow()
		if u.PIN == nil {
			t.Fatal("no PIN screen after locking")
		}
		test.Type(u.PIN.PIN, uitest.PIN)
		test.Tap(u.PIN.Unlock)
		h.wait("the check again", func() bool { return u.Flow != nil })
	}
	test.Type(u.PIN.PIN, uitest.PIN)
	test.Tap(u.PIN.Unlock)
	h.wait("home", func() bool { return u.Home != nil })
	test.Tap(u.Home.Start)
	for i, title := range u.Flow.Pages() {
		if title == "Immediate safety" {
			u.Flow.ShowPage(i)
		}
	}
	q := u.Flow.Questions["triage_no_carer"]
	if q == nil {
		t.Fatal("no triage_no_carer on the page")
	}
	test.Tap(q.Input().(*fyne.Container).Objects[0].(*widget.Button)) // Yes
	oneLine := func(when string) {
		t.Helper()
		b := u.Flow.Banner
		if !b.Visible() {
			t.Fatalf("%s: no immediate-risk banner", when)
		}
		if b.Expanded() {
			t.Errorf("%s: the banner is open; the officer left it as one line", when)
		}
		if hb, hw := b.Object().Size().Height, h.w.Canvas().Size().Height; hb > hw/8 {
			t.Errorf("%s: collapsed banner %.0f px tall in a %.0f px window", when, hb, hw)
		}
	}
	oneLine("after the Yes")
	unlock()
	oneLine("after a lock and unlock")
	test.Tap(u.Flow.Banner.Toggle)
	unlock()
	if !u.Flow.Banner.Expanded() {
		t.Error("the officer opened the banner; after the unlock it is closed")
	}
	test.Tap(u.Flow.Banner.Toggle)
	unlock()
	oneLine("closed again, after a second unlock")
}
