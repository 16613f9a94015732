package checklistui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// tapOption taps the radio item showing label, as a finger would.
func tapOption(t *testing.T, rg *widget.RadioGroup, label string) {
	t.Helper()
	for i, o := range rg.Options {
		if o != label {
			continue
		}
		item, ok := test.WidgetRenderer(rg).Objects()[i].(fyne.Tappable)
		if !ok {
			t.Fatalf("option %q is not tappable", label)
		}
		test.Tap(item)
		return
	}
	t.Fatalf("no option %q in %q", label, rg.Options)
}

// hasProblem reports whether the latest evaluation has a problem of code
// about question id.
func hasProblem(f *Flow, id string, code forms.ProblemCode) bool {
	for _, p := range f.Result().Problems {
		if p.Question == id && p.Code == code {
			return true
		}
	}
	return false
}

// TestNotKnownReasonChoice: "Not known" offers the usual reasons as one
// tap each; the one chosen is stored as its text (with the officer's own
// words after it when they add some), a blank reason never passes, and a
// stored reason comes back on screen as it was chosen.
func TestNotKnownReasonChoice(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	r := h.q("incident_address")
	if r.notKnownBox.Visible() {
		t.Fatal("reasons shown before Not known is ticked")
	}
	tapCenter(r.NotKnown)
	if !r.notKnownBox.Visible() || !r.ReasonChoice.Visible() {
		t.Fatal("reasons not offered after Not known")
	}
	if len(r.ReasonChoice.Options) < 4 || len(r.ReasonChoice.Options) > 8 {
		t.Fatalf("reasons offered: %q (a short list)", r.ReasonChoice.Options)
	}
	if a := h.saved("", "", "incident_address"); !a.NotKnown || a.Reason != "" {
		t.Fatalf("after Not known alone: %+v", a)
	}
	if !hasProblem(h.f, "incident_address", forms.ProblemNotKnownNoReason) || h.f.Result().Ready {
		t.Fatal("a Not known without a reason passed")
	}

	tapOption(t, r.ReasonChoice, "Nobody present knew")
	if a := h.saved("", "", "incident_address"); !a.NotKnown || a.Reason != "Nobody present knew" {
		t.Fatalf("after one tap on a reason: %+v", a)
	}
	if hasProblem(h.f, "incident_address", forms.ProblemNotKnownNoReason) {
		t.Fatal("a chosen reason still reported as missing")
	}
	if !strings.Contains(r.Reason.PlaceHolder, "optional") {
		t.Errorf("own words not optional once a reason is chosen: %q", r.Reason.PlaceHolder)
	}
	test.Type(r.Reason, "neighbour away")
	want := "Nobody present knew — neighbour away"
	if a := h.saved("", "", "incident_address"); a.Reason != want {
		t.Fatalf("reason with own words %q, want %q", a.Reason, want)
	}

	// Built again from the store (as after an unlock): the choice and the
	// words come back apart.
	e, err := h.store.Entry(h.f.e.ID)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := New(h.c, e, h.store, Options{Window: h.w})
	if err != nil {
		t.Fatal(err)
	}
	r2 := f2.Questions["incident_address"]
	if !r2.NotKnown.Checked || r2.ReasonChoice.Selected != "Nobody present knew" || r2.Reason.Text != "neighbour away" {
		t.Fatalf("reloaded: not known %v, chosen %q, words %q", r2.NotKnown.Checked, r2.ReasonChoice.Selected, r2.Reason.Text)
	}

	// Tapping the chosen reason again unchooses it: the words alone are
	// the reason; with no words either, the reason is missing again.
	tapOption(t, r.ReasonChoice, "Nobody present knew")
	if a := h.saved("", "", "incident_address"); a.Reason != "neighbour away" {
		t.Fatalf("own words alone stored as %q", a.Reason)
	}
	r.Reason.SetText("   ")
	if a := h.saved("", "", "incident_address"); a.Reason != "" {
		t.Fatalf("blank words stored as %q", a.Reason)
	}
	if !hasProblem(h.f, "incident_address", forms.ProblemNotKnownNoReason) {
		t.Fatal("a blank reason passed")
	}

	// Unticking Not known forgets the choice: a new Not known starts with
	// no reason chosen.
	tapOption(t, r.ReasonChoice, "Carer refused to say")
	tapCenter(r.NotKnown)
	if r.notKnownBox.Visible() || r.ReasonChoice.Selected != "" {
		t.Fatalf("after unticking: shown %v, chosen %q", r.notKnownBox.Visible(), r.ReasonChoice.Selected)
	}
	tapCenter(r.NotKnown)
	if a := h.saved("", "", "incident_address"); !a.NotKnown || a.Reason != "" {
		t.Fatalf("a new Not known came back with a reason: %+v", a)
	}
}

func TestJoinSplitReason(t *testing.T) {
	presets := presetReasons()
	for _, c := range []struct{ preset, detail, stored string }{
		{"", "", ""},
		{"", "  ", ""},
		{"", "own words", "own words"},
		{presets[0], "", presets[0]},
		{presets[1], " more ", presets[1] + " — more"},
	} {
		got := joinReason(c.preset, c.detail)
		if got != c.stored {
			t.Errorf("join(%q, %q) = %q, want %q", c.preset, c.detail, got, c.stored)
		}
		p, d := splitReason(got, presets)
		if p != c.preset || d != strings.TrimSpace(c.detail) {
			t.Errorf("split(%q) = %q, %q", got, p, d)
		}
	}
	// A reason typed before the list existed stays the officer's words.
	if p, d := splitReason("Carer would not say and child too young", presets); p != "" || d == "" {
		t.Errorf("old free text split as %q, %q", p, d)
	}
}
