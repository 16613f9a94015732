package theme

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrast(t *testing.T) {
	for _, dark := range []bool{false, true} {
		th := New(dark, 1)
		bg := th.Color(fynetheme.ColorNameBackground, 0)
		for _, c := range []struct {
			name   string
			fg, bg color.Color
			min    float64
		}{
			{"text", th.Color(fynetheme.ColorNameForeground, 0), bg, 15},
			{"primary", th.Color(fynetheme.ColorNamePrimary, 0), bg, 7},
			{"error", th.Color(fynetheme.ColorNameError, 0), bg, 7},
			{"hint", th.Color(ColorNameMuted, 0), bg, 7},
			{"text on button", th.Color(fynetheme.ColorNameForeground, 0), th.Color(fynetheme.ColorNameButton, 0), 7},
			{"text on primary", th.Color(fynetheme.ColorNameForegroundOnPrimary, 0), th.Color(fynetheme.ColorNamePrimary, 0), 7},
			{"banner", th.Color(ColorNameOnBanner, 0), th.Color(ColorNameBanner, 0), 7},
		} {
			if got := contrast(c.fg, c.bg); got < c.min {
				t.Errorf("dark=%v %s: contrast %.1f:1, want at least %.0f:1", dark, c.name, got, c.min)
			}
		}
	}
}

func TestSizesGrowWithScale(t *testing.T) {
	small := New(false, 0.5) // raised to 1
	if small.Scale != 1 {
		t.Fatalf("scale below 1 kept: %v", small.Scale)
	}
	big := New(false, 1.5)
	for _, n := range []fyne.ThemeSizeName{fynetheme.SizeNameText, fynetheme.SizeNameInnerPadding, fynetheme.SizeNamePadding} {
		a, b := small.Size(n), big.Size(n)
		if b <= a {
			t.Errorf("%s: %v at 1.5 not above %v at 1", n, b, a)
		}
	}
	// An input is text line height plus inner padding on both sides; the
	// eye button of a password entry is that less the two borders.
	line := small.Size(fynetheme.SizeNameText) * 1.35
	if h := line + 2*small.Size(fynetheme.SizeNameInnerPadding) - 2*small.Size(fynetheme.SizeNameInputBorder); h < MinTouch {
		t.Errorf("smallest input target %.0f px, want %d", h, MinTouch)
	}
}

// over is c drawn over the opaque colour under, as the screen shows it.
func over(c, under color.Color) color.Color {
	cr, cg, cb, ca := c.RGBA()
	ur, ug, ub, _ := under.RGBA()
	mix := func(a, b uint32) uint8 { return uint8((a + b*(0xffff-ca)/0xffff) >> 8) }
	return color.NRGBA{R: mix(cr, ur), G: mix(cg, ug), B: mix(cb, ub), A: 0xff}
}

// TestFocusedTextLegible checks text on every state a select (the part
// selector), button or entry takes: Fyne fills a focused select with the
// focus colour, a hovered one with the hover colour, under dark or light
// text. WCAG AA asks 4.5:1 for text.
func TestFocusedTextLegible(t *testing.T) {
	for _, dark := range []bool{false, true} {
		th := New(dark, 1)
		fg := th.Color(fynetheme.ColorNameForeground, 0)
		for _, under := range []fyne.ThemeColorName{fynetheme.ColorNameInputBackground, fynetheme.ColorNameButton, fynetheme.ColorNameBackground} {
			base := th.Color(under, 0)
			for _, state := range []fyne.ThemeColorName{fynetheme.ColorNameFocus, fynetheme.ColorNameHover, fynetheme.ColorNamePressed, fynetheme.ColorNameSelection} {
				bg := over(th.Color(state, 0), base)
				if got := contrast(fg, bg); got < 4.5 {
					t.Errorf("dark=%v text on %s over %s: contrast %.1f:1, want at least 4.5:1", dark, state, under, got)
				}
			}
		}
		// A focus tint must still be seen: it differs from what it covers.
		if bg := th.Color(fynetheme.ColorNameInputBackground, 0); over(th.Color(fynetheme.ColorNameFocus, 0), bg) == bg {
			t.Errorf("dark=%v: the focus colour does not show", dark)
		}
	}
}
