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
