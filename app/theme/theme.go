// Package theme is Safeguard's Fyne theme: high-contrast light and dark
// variants, text that scales, and touch targets of at least 44 px so an
// officer in gloves, in poor light, can hit what they mean to.
package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

// MinTouch is the smallest height, in Fyne units (px at scale 1), of anything
// an officer taps. 44 px is the common guidance for touch targets (Apple's
// Human Interface Guidelines; WCAG 2.5.5 asks 44 CSS px).
const MinTouch = 44

// Base sizes at text scale 1. With 16 px text (line height about 22 px) and
// 14 px inner padding on each side, a button, entry or select is about 50 px
// tall, and the eye button inside a password entry (the entry less its 2 px
// borders) 46 px: 12 px padding left that button at 42 px.
const (
	baseText         = 16
	baseHeading      = 26
	baseSubHeading   = 20
	baseCaption      = 14
	baseInnerPadding = 14
	basePadding      = 6
	baseInlineIcon   = 24
)

// Theme is the Safeguard theme. It embeds Fyne's default theme for icons
// and fonts and overrides colours and sizes.
type Theme struct {
	fyne.Theme
	// Dark selects the dark high-contrast palette regardless of the
	// system's choice.
	Dark bool
	// Scale multiplies text sizes (1 = normal; 1.25 and 1.5 for officers
	// who need larger text). Paddings grow with it, so touch targets only
	// get bigger.
	Scale float32
}

// New returns the theme: dark or light, with text scaled by scale (values
// below 1 are raised to 1, so touch targets never shrink below 44 px).
func New(dark bool, scale float32) *Theme {
	if scale < 1 {
		scale = 1
	}
	return &Theme{Theme: fynetheme.DefaultTheme(), Dark: dark, Scale: scale}
}

var _ fyne.Theme = (*Theme)(nil)

// Palette colours. Foreground on background is over 15:1 in both variants
// (WCAG AAA asks 7:1); the primary and status colours keep at least 7:1
// against the background they sit on.
var (
	lightBG      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	lightFG      = color.NRGBA{R: 0x0b, G: 0x0c, B: 0x0c, A: 0xff}
	lightPrimary = color.NRGBA{R: 0x00, G: 0x3a, B: 0x8c, A: 0xff} // dark blue
	lightButton  = color.NRGBA{R: 0xe4, G: 0xe7, B: 0xeb, A: 0xff}
	lightInput   = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	lightBorder  = color.NRGBA{R: 0x3d, G: 0x40, B: 0x45, A: 0xff}
	lightError   = color.NRGBA{R: 0xa8, G: 0x00, B: 0x00, A: 0xff}
	lightSuccess = color.NRGBA{R: 0x00, G: 0x5a, B: 0x30, A: 0xff}
	lightWarning = color.NRGBA{R: 0x7a, G: 0x45, B: 0x00, A: 0xff}
	lightMuted   = color.NRGBA{R: 0x45, G: 0x48, B: 0x4d, A: 0xff}

	darkBG      = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	darkFG      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	darkPrimary = color.NRGBA{R: 0x8c, G: 0xc8, B: 0xff, A: 0xff} // light blue
	darkButton  = color.NRGBA{R: 0x2a, G: 0x2d, B: 0x33, A: 0xff}
	darkInput   = color.NRGBA{R: 0x12, G: 0x13, B: 0x16, A: 0xff}
	darkBorder  = color.NRGBA{R: 0xc8, G: 0xcc, B: 0xd2, A: 0xff}
	darkError   = color.NRGBA{R: 0xff, G: 0x8a, B: 0x80, A: 0xff}
	darkSuccess = color.NRGBA{R: 0x7d, G: 0xe0, B: 0x9b, A: 0xff}
	darkWarning = color.NRGBA{R: 0xff, G: 0xc8, B: 0x5c, A: 0xff}
	darkMuted   = color.NRGBA{R: 0xc0, G: 0xc4, B: 0xca, A: 0xff}
)

// Custom colour names used by Safeguard's own widgets.
const (
	// ColorNameBanner is the background of the immediate-risk banner.
	ColorNameBanner fyne.ThemeColorName = "safeguardBanner"
	// ColorNameOnBanner is text on the banner.
	ColorNameOnBanner fyne.ThemeColorName = "safeguardOnBanner"
	// ColorNameMuted is secondary text (hints).
	ColorNameMuted fyne.ThemeColorName = "safeguardMuted"
)

// Color returns the palette colour; the variant Fyne asks for is ignored in
// favour of Dark, so the officer's choice holds whatever the system says.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	dark := t.Dark
	pick := func(light, dk color.Color) color.Color {
		if dark {
			return dk
		}
		return light
	}
	switch n {
	case fynetheme.ColorNameBackground:
		return pick(lightBG, darkBG)
	case fynetheme.ColorNameForeground:
		return pick(lightFG, darkFG)
	case fynetheme.ColorNamePrimary, fynetheme.ColorNameHyperlink:
		return pick(lightPrimary, darkPrimary)
	case fynetheme.ColorNameFocus:
		// Fyne fills a focused select (the part selector), button or menu
		// item with this colour under its text, so it is a tint, not the
		// opaque primary: text stays legible (TestFocusedTextLegible).
		return pick(color.NRGBA{R: 0x00, G: 0x3a, B: 0x8c, A: 0x38}, color.NRGBA{R: 0x8c, G: 0xc8, B: 0xff, A: 0x48})
	case fynetheme.ColorNameForegroundOnPrimary:
		return pick(lightBG, darkBG)
	case fynetheme.ColorNameButton:
		return pick(lightButton, darkButton)
	case fynetheme.ColorNameInputBackground:
		return pick(lightInput, darkInput)
	case fynetheme.ColorNameInputBorder, fynetheme.ColorNameSeparator:
		return pick(lightBorder, darkBorder)
	case fynetheme.ColorNameError:
		return pick(lightError, darkError)
	case fynetheme.ColorNameForegroundOnError, fynetheme.ColorNameForegroundOnSuccess, fynetheme.ColorNameForegroundOnWarning:
		return pick(lightBG, darkBG)
	case fynetheme.ColorNameSuccess:
		return pick(lightSuccess, darkSuccess)
	case fynetheme.ColorNameWarning:
		return pick(lightWarning, darkWarning)
	case fynetheme.ColorNamePlaceHolder, ColorNameMuted:
		return pick(lightMuted, darkMuted)
	case fynetheme.ColorNameDisabled:
		return pick(color.NRGBA{R: 0x6b, G: 0x6e, B: 0x73, A: 0xff}, color.NRGBA{R: 0x8e, G: 0x92, B: 0x98, A: 0xff})
	case fynetheme.ColorNameDisabledButton:
		return pick(color.NRGBA{R: 0xf0, G: 0xf1, B: 0xf3, A: 0xff}, color.NRGBA{R: 0x1a, G: 0x1b, B: 0x1e, A: 0xff})
	case fynetheme.ColorNameHover:
		return pick(color.NRGBA{R: 0x00, G: 0x3a, B: 0x8c, A: 0x18}, color.NRGBA{R: 0x8c, G: 0xc8, B: 0xff, A: 0x28})
	case fynetheme.ColorNamePressed:
		return pick(color.NRGBA{R: 0x00, G: 0x3a, B: 0x8c, A: 0x30}, color.NRGBA{R: 0x8c, G: 0xc8, B: 0xff, A: 0x40})
	case fynetheme.ColorNameSelection:
		return pick(color.NRGBA{R: 0x00, G: 0x3a, B: 0x8c, A: 0x40}, color.NRGBA{R: 0x8c, G: 0xc8, B: 0xff, A: 0x50})
	case fynetheme.ColorNameHeaderBackground, fynetheme.ColorNameMenuBackground, fynetheme.ColorNameOverlayBackground:
		return pick(color.NRGBA{R: 0xf4, G: 0xf5, B: 0xf7, A: 0xff}, color.NRGBA{R: 0x14, G: 0x15, B: 0x18, A: 0xff})
	case ColorNameBanner:
		return pick(color.NRGBA{R: 0xa8, G: 0x00, B: 0x00, A: 0xff}, color.NRGBA{R: 0x8a, G: 0x00, B: 0x00, A: 0xff})
	case ColorNameOnBanner:
		return color.White
	}
	v := fynetheme.VariantLight
	if dark {
		v = fynetheme.VariantDark
	}
	return t.Theme.Color(n, v)
}

// Size returns sizes scaled by Scale, with paddings that keep every input
// and button at least MinTouch tall.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Scale
	if s < 1 {
		s = 1
	}
	switch n {
	case fynetheme.SizeNameText:
		return baseText * s
	case fynetheme.SizeNameHeadingText:
		return baseHeading * s
	case fynetheme.SizeNameSubHeadingText:
		return baseSubHeading * s
	case fynetheme.SizeNameCaptionText:
		return baseCaption * s
	case fynetheme.SizeNameInnerPadding:
		return baseInnerPadding * s
	case fynetheme.SizeNamePadding:
		return basePadding * s
	case fynetheme.SizeNameInlineIcon:
		return baseInlineIcon * s
	case fynetheme.SizeNameInputBorder:
		return 2
	case fynetheme.SizeNameScrollBar:
		return 14
	case fynetheme.SizeNameScrollBarSmall:
		return 6
	case fynetheme.SizeNameSeparatorThickness:
		return 1
	}
	return t.Theme.Size(n)
}

// Preference keys under which the officer's display choices are kept.
const (
	PrefDark      = "display.dark"
	PrefTextScale = "display.textScale"
)

// TextScales are the text sizes offered on screen, with their names.
var TextScales = []struct {
	Name  string
	Scale float32
}{{"Normal", 1}, {"Large", 1.25}, {"Larger", 1.5}}

// Apply sets the theme of a and remembers the choice in its preferences.
func Apply(a fyne.App, dark bool, scale float32) {
	a.Preferences().SetBool(PrefDark, dark)
	a.Preferences().SetFloat(PrefTextScale, float64(scale))
	a.Settings().SetTheme(New(dark, scale))
}

// FromPreferences returns the theme the officer last chose (light, normal
// text when nothing was chosen).
func FromPreferences(a fyne.App) *Theme {
	return New(a.Preferences().Bool(PrefDark), float32(a.Preferences().FloatWithFallback(PrefTextScale, 1)))
}
