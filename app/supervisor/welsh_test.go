package supervisor_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
)

// TestWelshScreens walks the supervisor's sign-in, queue and an entry in
// Welsh: none of the app's English texts may show (the checklist's own
// texts stay English: it declares no Welsh). The entry is kept as Welsh
// golden images at 1280x800 and 800x1280.
func TestWelshScreens(t *testing.T) {
	cy := uitest.UseWelsh(t)
	h := newHarness(t, false)
	u := h.u
	if u.Login == nil {
		t.Fatal("no sign-in screen")
	}
	cy.Check(h.w, "sign-in")
	first := h.submit("CAD-2211-25NOV", "Amy Test", false)
	h.srv.Clock.Advance(10 * time.Minute)
	h.signIn("sergeant1")
	cy.Check(h.w, "queue")
	test.Tap(h.row(first))
	h.wait("the check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	cy.Check(h.w, "entry")
	h.golden("cy_entry")
}
