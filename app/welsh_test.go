package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
)

// TestWelshScreens walks the officer's main screens in Welsh: set-up,
// sign-in, choosing a PIN, home, a checklist part, review and the PIN
// screen. No English text of the app's may show; the shipped checklist
// declares no Welsh, so its own texts stay English. The busiest screens are
// kept as Welsh golden images at 1280x800 and 800x1280.
func TestWelshScreens(t *testing.T) {
	cy := uitest.UseWelsh(t)
	h := newHarness(t, uitest.Store(t))
	u := h.u
	if u.Enrol == nil {
		t.Fatal("no set-up screen")
	}
	cy.Check(h.w, "set-up")
	u.Enrol.Code.SetText("K7QF-2M9X")
	test.Tap(u.Enrol.Enrol)
	h.wait("sign-in", func() bool { return u.Login != nil })
	cy.Check(h.w, "sign-in")
	test.Type(u.Login.Username, "pc4411")
	test.Type(u.Login.Password, "correct horse")
	test.Tap(u.Login.SignIn)
	h.wait("the PIN form", func() bool { return u.Login != nil && u.Login.PIN != nil })
	cy.Check(h.w, "choose a PIN")
	u.Login.PIN.SetText(uitest.PIN)
	u.Login.Confirm.SetText(uitest.PIN)
	test.Tap(u.Login.SetPIN)
	h.wait("home", func() bool { return u.Home != nil })
	cy.Check(h.w, "home")
	h.golden("cy_home_empty")

	test.Tap(u.Home.Display)
	if u.Display == nil {
		t.Fatal("no display dialog")
	}
	cy.Check(h.w, "display")
	u.Display.Dialog.Hide()

	test.Tap(u.Home.Start)
	if u.Flow == nil {
		t.Fatal("no check after Start")
	}
	cy.Check(h.w, "a checklist part")
	h.golden("cy_flow_first")
	pages := u.Flow.Pages()
	u.Flow.ShowPage(len(pages) - 1)
	cy.Check(h.w, "review")
	h.golden("cy_review")

	u.cfg.Store.Lock()
	u.CheckLock()
	if u.PIN == nil {
		t.Fatal("no PIN screen after locking")
	}
	cy.Check(h.w, "PIN")
}
