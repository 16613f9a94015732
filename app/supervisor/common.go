package supervisor

import (
	"github.com/safeguard-uk/safeguard/app/ui"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/safeguard-uk/safeguard/app/theme"
)

// screen lays out a simple form screen: a heading, an intro and parts, in
// a centred column no wider than a comfortable reading width.
func screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return theme.Screen(title, intro, parts...)
}

func errorLabel() *widget.Label { return ui.ErrorLabel() }

func say(l *widget.Label, s string) { ui.Say(l, s) }

// plain is an error in words for the screen (ui.Words).
func plain(err error) string { return ui.Words(err) }

func heading(s string) *widget.Label { return ui.Heading(s) }

func wrapped(s string) *widget.Label { return ui.Wrapped(s) }
