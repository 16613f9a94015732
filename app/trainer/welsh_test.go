package trainer_test

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
)

// TestWelshScreens walks the trainer's scenario library and a practice in
// Welsh: none of the app's English texts may show (scenario stories and the
// checklist's texts are English content, not the app's words).
func TestWelshScreens(t *testing.T) {
	cy := uitest.UseWelsh(t)
	h := newHarness(t, uitest.EnrolledStore(t), nil)
	u := h.u
	if u.Library == nil {
		t.Fatal("no library")
	}
	cy.Check(h.w, "library")
	sc := h.scenario("injury-baby-bruise")
	test.Tap(u.Library.Practise[sc.ID])
	if u.Practice == nil {
		t.Fatal("no practice screen")
	}
	cy.Check(h.w, "practice")
}
