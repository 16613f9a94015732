package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestSecretEntryEye: the eye button shows and hides the PIN and leaves
// the field focused, typing goes in, and Fyne's own revealer (the one that
// panicked) is never made.
func TestSecretEntryEye(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	e := newSecretEntry(w, "PIN")
	w.SetContent(e)
	test.Tap(e)
	if w.Canvas().Focused() != e {
		t.Fatalf("tapping the field focused %v", w.Canvas().Focused())
	}
	w.Canvas().Unfocus()
	test.Tap(e.Reveal)
	if e.Password {
		t.Fatal("the eye did not show the PIN")
	}
	if w.Canvas().Focused() != e {
		t.Fatalf("after the eye, focus is on %v", w.Canvas().Focused())
	}
	test.Type(e, "246810")
	if e.Text != "246810" {
		t.Fatalf("typed %q", e.Text)
	}
	test.Tap(e.Reveal)
	if !e.Password {
		t.Fatal("the eye did not hide the PIN again")
	}
	if e.ActionItem != e.Reveal {
		t.Fatalf("action item %T, want our eye button", e.ActionItem)
	}
	e.Disable()
	test.Tap(e.Reveal)
	if !e.Password {
		t.Fatal("a disabled field revealed its PIN")
	}
}
