package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestAlertsOnHome: a message from the central system (pulled by sync)
// shows on the home screen until the officer marks it read.
func TestAlertsOnHome(t *testing.T) {
	store := uitest.EnrolledStore(t)
	h := newHarness(t, store)
	u := h.u
	test.Type(u.PIN.PIN, uitest.PIN)
	test.Tap(u.PIN.Unlock)
	h.wait("home", func() bool { return u.Home != nil })
	if len(u.Home.AlertOK) != 0 {
		t.Fatal("alerts on a new tablet")
	}
	text := "A child in your check CAD-1 has now appeared in 3 checks in 90 days. Consider a referral."
	if err := store.ApplyChanges("7", []devicestore.Change{{Kind: devicestore.ChangeAlert, AlertID: "seq-7", Level: forms.LevelMedium, Text: text, At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	u.ShowHome() // as after a sync
	if len(u.Home.AlertOK) != 1 || !strings.Contains(labelsIn(u.Home.Alerts), "3 checks in 90 days") {
		t.Fatalf("alert not shown: %d", len(u.Home.AlertOK))
	}
	test.Tap(u.Home.AlertOK[0])
	if len(u.Home.AlertOK) != 0 {
		t.Fatal("alert still shown after OK")
	}
	list, err := store.Alerts(true)
	if err != nil || len(list) != 1 || !list[0].Dismissed {
		t.Fatalf("alert not kept as read: %+v %v", list, err)
	}
}

// labelsIn joins the text of every label inside o.
func labelsIn(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}
