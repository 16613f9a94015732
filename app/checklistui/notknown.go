package checklistui

import (
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// notKnownReasons are the reasons an officer most often has for a "Not
// known", offered as one tap each (the English text is the lang key). The
// one chosen is stored as its text in the answer's reason, so the
// supervisor, the referral and every export read it as written; free text
// may follow it, or stand alone when none of these fits.
var notKnownReasons = []string{
	"Child asleep or too young to ask",
	"Carer refused to say",
	"Not safe to ask",
	"Nobody present knew",
	"Language barrier",
	"Officer had to leave the scene",
}

// reasonSep joins a chosen reason and the officer's own words in the
// stored reason.
const reasonSep = " — "

// presetReasons are notKnownReasons in the app's language.
func presetReasons() []string {
	out := make([]string, len(notKnownReasons))
	for i, r := range notKnownReasons {
		out[i] = lang.L(r)
	}
	return out
}

// joinReason is the reason stored for a chosen preset (may be "") and the
// officer's own words (may be blank): blank only when both are.
func joinReason(preset, detail string) string {
	detail = strings.TrimSpace(detail)
	switch {
	case preset == "":
		return detail
	case detail == "":
		return preset
	}
	return preset + reasonSep + detail
}

// splitReason is joinReason's inverse for a stored reason: the preset it
// starts with (one of presets, or "") and the rest.
func splitReason(reason string, presets []string) (preset, detail string) {
	for _, p := range presets {
		if reason == p {
			return p, ""
		}
		if rest, ok := strings.CutPrefix(reason, p+reasonSep); ok {
			return p, rest
		}
	}
	return "", reason
}

// newReasonChoice is the one-tap list of reasons under "Not known".
func newReasonChoice(changed func()) *widget.RadioGroup {
	rg := widget.NewRadioGroup(presetReasons(), func(string) { changed() })
	return rg
}

// reasonPlaceholder is the free-text field's hint: needed when no reason
// is chosen, optional when one is.
func reasonPlaceholder(chosen bool) string {
	if chosen {
		return lang.L("More detail (optional)")
	}
	return lang.L("Or say why in your own words (needed if none above fits)")
}
