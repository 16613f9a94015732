package checklistui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/forms"
)

// The child's words describe sexual abuse though no box is ticked: the
// prompt appears beside the words, the review lists it, and the officer's
// "yes" is saved in the entry and escalates like the tick.
func TestDisclosurePrompt(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	f := h.f
	test.Tap(f.Next) // triage
	test.Tap(f.Next) // children
	test.Tap(f.AddPerson)
	child := f.e.Groups["child"][0].ID
	h.typeIn("child_name", "Amy Example")
	for i, title := range f.Pages() {
		if strings.HasPrefix(title, "Child 1") && strings.Contains(title, "Seen and heard") {
			f.ShowPage(i)
		}
	}
	h.yesNo("child_seen", "yes")
	h.typeIn("child_words", "He comes into my room at night and touches me.")
	r := h.q("child_words")
	d, ok := r.Prompts["sexual"]
	if !ok {
		t.Fatalf("no prompt beside the words (prompts %+v)", f.Result().Prompts)
	}
	if d.Text.Text != "The child's words may describe sexual abuse: is this a disclosure?" || !strings.Contains(d.Flagged.Text, "touches me") {
		t.Errorf("prompt %q flagged %q", d.Text.Text, d.Flagged.Text)
	}
	if f.Result().Immediate || f.Banner.Visible() {
		t.Fatal("graded before the officer answered")
	}
	h.targets()
	f.Scroll.ScrollToOffset(fyne.NewPos(0, r.Box().Position().Y))
	h.capture("disclosure_prompt_1280x800.png")
	h.w.Resize(fyne.NewSize(800, 1280))
	f.Scroll.ScrollToOffset(fyne.NewPos(0, r.Box().Position().Y))
	h.capture("disclosure_prompt_800x1280.png")
	h.w.Resize(fyne.NewSize(1280, 800))

	// The review lists it as something to do.
	found := false
	for _, p := range f.Result().Problems {
		if p.Code == forms.ProblemDisclosure && p.Instance == child && p.Question == "child_words" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no disclosure problem in %+v", f.Result().Problems)
	}

	test.Tap(d.Yes)
	a := h.saved("child", child, forms.PromptAnswerID("child_words", "sexual"))
	if a.Value != "yes" || a.Reason == "" {
		t.Fatalf("stored prompt answer %+v", a)
	}
	if !f.Result().Immediate || !f.Banner.Visible() {
		t.Fatalf("a confirmed sexual disclosure is immediate, like the tick: %+v", f.Result().Reasons)
	}
	d = h.q("child_words").Prompts["sexual"]
	if d == nil || d.P.Answer != "yes" || !d.Answer.Visible() {
		t.Fatalf("prompt after yes: %+v", d)
	}
	for _, p := range f.Result().Problems {
		if p.Code == forms.ProblemDisclosure {
			t.Errorf("still asked after the answer: %+v", p)
		}
	}

	// No: saved, nothing raised by the words.
	test.Tap(d.No)
	if a := h.saved("child", child, forms.PromptAnswerID("child_words", "sexual")); a.Value != "no" {
		t.Fatalf("stored %+v", a)
	}
	if f.Result().Immediate {
		t.Error("still immediate after no")
	}

	// Negated words: the prompt goes.
	h.q("child_words").input.(*textInput).e.SetText("He never touched me.")
	if len(h.q("child_words").Prompts) != 0 {
		t.Errorf("prompt for negated words: %+v", f.Result().Prompts)
	}
}
