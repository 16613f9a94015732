package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/i18n"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestWelshScreens walks the officer's main screens in Welsh: set-up,
// sign-in, choosing a PIN, home, a checklist part, review and the PIN
// screen. No English text of the app's may show. The check is started on
// the shipped checklist 3.0.0 (English and Welsh), so its own texts show
// in Welsh too. The busiest screens are kept as Welsh golden images at
// 1280x800 and 800x1280.
func TestWelshScreens(t *testing.T) {
	cy := uitest.UseWelsh(t)
	h := newHarness(t, uitest.Store(t))
	u := h.u
	u.cfg.Start = forms.Ref{ID: "child-at-risk", Version: "3.0.0"}
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

// TestLanguageChoice: Display → Language → Cymraeg turns the home screen
// Welsh at once and is kept in the app's preferences, so the next start
// (i18n.Apply) speaks Welsh; "As the system" goes back to the locale
// (English here).
func TestLanguageChoice(t *testing.T) {
	h := newHarness(t, uitest.EnrolledStore(t))
	u := h.u
	t.Cleanup(func() { _ = i18n.Use("en") })
	if err := u.cfg.Store.Unlock(uitest.Officer, uitest.PIN); err != nil {
		t.Fatal(err)
	}
	u.ShowHome()
	if u.Home == nil || u.Home.Start.Text != "Start a check" {
		t.Fatalf("home not in English to begin with")
	}
	test.Tap(u.Home.Display)
	if u.Display == nil || u.Display.Language == nil {
		t.Fatal("no language choice in Display")
	}
	u.Display.Language.SetSelected("Cymraeg")
	u.Display.Dialog.Hide()
	if u.Home == nil || u.Home.Start.Text != "Dechrau gwiriad" {
		t.Errorf("home after choosing Cymraeg: %q", u.Home.Start.Text)
	}
	a := fyne.CurrentApp()
	if got := a.Preferences().String(i18n.PrefLanguage); got != "cy" {
		t.Errorf("kept choice %q, want cy", got)
	}
	// Free text written from now on is marked Welsh: a new entry records it.
	if e, err := h.store.NewEntry(uitest.Ref, false); err != nil || e.Language != "cy" {
		t.Errorf("an entry started after choosing Cymraeg: language %q, %v (want cy)", e.Language, err)
	}
	// The next start: English first (as a fresh process would be), then Apply.
	if err := i18n.Use("en"); err != nil {
		t.Fatal(err)
	}
	if err := i18n.Apply(a); err != nil || i18n.Current() != "cy" {
		t.Errorf("after Apply: %q, %v", i18n.Current(), err)
	}
	test.Tap(u.Home.Display)
	if got := u.Display.Language.Selected; got != "Cymraeg" {
		t.Errorf("Display shows %q as the choice", got)
	}
	u.Display.Language.SetSelected(lang.L("As the system"))
	u.Display.Dialog.Hide()
	if got := a.Preferences().String(i18n.PrefLanguage); got != "" || i18n.Current() != "en" {
		t.Errorf("after As the system: kept %q, speaking %q", got, i18n.Current())
	}
}
