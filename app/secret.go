package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SecretEntry is a password or PIN field with its own show/hide (eye)
// button. Fyne's own password entry (v2.7.1) finds its window through the
// driver's object-to-canvas cache, both to take focus when tapped
// (Entry.requestFocus) and in its eye button (passwordRevealer.Tapped,
// widget/entry_password.go:53, which dereferences the canvas unchecked).
// That cache is filled only as the window repaints and is cleaned on a
// timer, so an entry the cache does not hold yet, or no longer holds,
// took no focus and its eye button panicked with a nil pointer: the crash
// on the first "Choose your PIN". SecretEntry focuses through the window
// it lives in, which is always known.
type SecretEntry struct {
	widget.Entry
	// Reveal shows or hides what was typed.
	Reveal *widget.Button

	w fyne.Window
}

// newSecretEntry returns an empty secret field in window w.
func newSecretEntry(w fyne.Window, placeholder string) *SecretEntry {
	e := &SecretEntry{w: w}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.PlaceHolder = placeholder
	e.Reveal = widget.NewButtonWithIcon("", fynetheme.VisibilityOffIcon(), e.toggle)
	e.Reveal.Importance = widget.LowImportance
	e.ActionItem = e.Reveal // set before the renderer, so Fyne's revealer is never made
	e.ExtendBaseWidget(e)
	return e
}

// toggle shows or hides the text and gives the field the focus.
func (e *SecretEntry) toggle() {
	if e.Disabled() {
		return
	}
	e.Password = !e.Password
	if e.Password {
		e.Reveal.SetIcon(fynetheme.VisibilityOffIcon())
	} else {
		e.Reveal.SetIcon(fynetheme.VisibilityIcon())
	}
	e.Refresh()
	e.focus()
}

func (e *SecretEntry) focus() {
	if e.w != nil && !e.Disabled() {
		e.w.Canvas().Focus(e)
	}
}

// MouseDown focuses the field through its window, then lets the entry
// place the cursor.
func (e *SecretEntry) MouseDown(m *desktop.MouseEvent) {
	e.focus()
	e.Entry.MouseDown(m)
}

// Tapped focuses the field (touch screens send taps, not mouse downs).
func (e *SecretEntry) Tapped(ev *fyne.PointEvent) {
	e.focus()
	e.Entry.Tapped(ev)
}
