package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/devicestore"
)

// TestSignInWaitInWords: a sign-in the central system refuses with a wait
// (429 Retry-After) says the wait in words on the sign-in screen.
func TestSignInWaitInWords(t *testing.T) {
	h := newHarness(t, uitest.StoreWith(t, devicestore.Options{Clock: uitest.Clock}))
	u := h.u
	u.Enrol.Code.SetText("K7QF-2M9X")
	test.Tap(u.Enrol.Enrol)
	h.wait("the sign-in screen", func() bool { return u.Login != nil })
	test.Type(u.Login.Username, "locked")
	test.Type(u.Login.Password, "whatever")
	test.Tap(u.Login.SignIn)
	h.wait("the refusal", func() bool { return u.Login.Message.Visible() })
	if got := u.Login.Message.Text; !strings.Contains(got, "Try again in about 2 minutes") {
		t.Errorf("message %q, want the wait in words", got)
	}
}

func TestWaitInWordsApp(t *testing.T) {
	if got := waitInWords(45_000_000_000); got != "45 seconds" {
		t.Errorf("45s: %q", got)
	}
}
