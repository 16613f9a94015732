package supervisor

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/safeguard-uk/safeguard/app/theme"
)

// Screen lays out a simple form screen: a heading, an intro and parts, in
// a centred column no wider than a comfortable reading width.
func Screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return screen(title, intro, parts...)
}

func screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return theme.Screen(title, intro, parts...)
}

func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func say(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// plain is an error in words for the screen.
func plain(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Words()
	}
	s := err.Error()
	if i := strings.Index(s, ": "); i > 0 && i < 30 {
		s = s[i+2:]
	}
	return s
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = "subHeadingText"
	return l
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
