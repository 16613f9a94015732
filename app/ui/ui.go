// Package ui holds what the officer's, supervisor's and trainer's screens
// share beyond the theme: an error said in the app's language (Words), the
// small label helpers, and answers and grades in words.
package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	_ "github.com/safeguard-uk/safeguard/app/i18n" // the translations
	"github.com/safeguard-uk/safeguard/devicestore"
)

// Worded is an error that says itself in the app's language (the
// supervisor client's errors).
type Worded interface{ Words() string }

// UserMessager is an error that carries a message for the user in English,
// the key of its translation (the sync client's errors).
type UserMessager interface{ UserMessage() string }

// storeWords are the device store's errors in the user's words (English
// keys, said through lang).
var storeWords = []struct {
	err   error
	words string
}{
	{devicestore.ErrLocked, "The store is locked; an officer must unlock it with their PIN"},
	{devicestore.ErrWrongPIN, "Wrong PIN"},
	{devicestore.ErrLockedOut, "Too many wrong PINs, wait before trying again"},
	{devicestore.ErrWiped, "The store has been wiped; this device must be set up again"},
	{devicestore.ErrNotFound, "Not found"},
	{devicestore.ErrFrozen, "The entry has been submitted and can no longer be changed"},
	{devicestore.ErrPurged, "The entry's content has been removed from this device after review"},
	{devicestore.ErrNewerSchema, "The store was written by a newer version of the app; update the app"},
	{devicestore.ErrCorrupt, "The store file is damaged or is not a Safeguard device store"},
	{devicestore.ErrWeakPIN, "The PIN must be at least 6 digits and not a simple pattern such as 111111 or 123456"},
	{devicestore.ErrOfficerExists, "The officer is already enrolled on this device"},
	{devicestore.ErrStorageFull, "The device storage is full; what was already saved is kept"},
	{devicestore.ErrReadOnly, "The device storage is read-only; what was already saved is kept"},
	{devicestore.ErrIO, "The device storage failed to read or write; what was already saved is kept"},
	{devicestore.ErrInUse, "The store is in use by another copy of the app"},
	{devicestore.ErrClosed, "The store is closed"},
	{devicestore.ErrInvalid, "Invalid request"},
	{devicestore.ErrAuditBroken, "The audit trail has been tampered with"},
	{devicestore.ErrKeyStore, "This tablet's key store does not hold the vault's secret"},
}

// Words is an error in the app's language, for the screen: the error's own
// words when it has them (Worded, UserMessager), the device store's errors
// by kind, else the error as written (it comes from a part of the app
// that has no words for users yet, and is logged where it happens).
func Words(err error) string {
	if err == nil {
		return ""
	}
	var w Worded
	if errors.As(err, &w) {
		return w.Words()
	}
	var m UserMessager
	if errors.As(err, &m) {
		return lang.L(m.UserMessage())
	}
	for _, s := range storeWords {
		if errors.Is(err, s.err) {
			return lang.L(s.words)
		}
	}
	return err.Error()
}

// Heading is a bold sub-heading that wraps.
func Heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = "subHeadingText"
	return l
}

// Wrapped is a label that wraps at word ends.
func Wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Bold is a bold label that wraps.
func Bold(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// ErrorLabel is a hidden, wrapping label in the danger colour for a
// screen's message.
func ErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// Say shows s on l, or hides l when s is empty.
func Say(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
