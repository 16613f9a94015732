package checklistui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/forms"
)

// addPerson shows group's first page and adds a person through the
// screen's button.
func (h *harness) addPerson(group string) {
	h.t.Helper()
	for i, p := range h.f.pages {
		if p.group == group {
			h.f.ShowPage(i)
			break
		}
	}
	if h.f.AddPerson == nil {
		h.t.Fatalf("no add button on %q", h.f.PageTitle.Text)
	}
	test.Tap(h.f.AddPerson)
}

// answered reports whether the store holds an answer to id.
func (h *harness) answered(group, instance, id string) bool {
	h.t.Helper()
	e, err := h.store.Entry(h.f.e.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	m := e.Answers
	if inst, ok := e.Instance(group, instance); ok {
		m = inst.Answers
	}
	_, ok := m[id]
	return ok
}

// TestSuggestedValues: where the app knows a value (the incident's
// address for each child's home, a language), the question shows it on a
// one-tap "Use …" button; nothing is filled in until the officer taps it,
// so the blank is still reported, and the button goes once answered.
func TestSuggestedValues(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	h.typeIn("incident_address", "12 High Street, Leeds LS1 4AB")

	h.addPerson("child")
	first := h.f.e.Groups["child"][0].ID
	addr := h.q("child_address")
	if addr.Suggest == nil || !addr.suggestBox.Visible() {
		t.Fatal("no suggestion for the child's address")
	}
	if !strings.Contains(addr.Suggest.Text, "12 High Street") {
		t.Fatalf("suggestion says %q", addr.Suggest.Text)
	}
	if h.answered("child", first, "child_address") || !hasProblem(h.f, "child_address", forms.ProblemRequired) {
		t.Fatal("the suggested address was filled in without a tap")
	}
	test.Tap(addr.Suggest)
	if a := h.saved("child", first, "child_address"); a.Value != "12 High Street, Leeds LS1 4AB" {
		t.Fatalf("address stored as %+v", a)
	}
	if addr.suggestBox.Visible() || hasProblem(h.f, "child_address", forms.ProblemRequired) {
		t.Fatal("suggestion still offered once answered")
	}

	lang := h.q("child_language")
	if !lang.suggestBox.Visible() || lang.Suggest.Text != "Use English" {
		t.Fatalf("language suggestion %q shown %v", lang.Suggest.Text, lang.suggestBox.Visible())
	}
	if h.answered("child", first, "child_language") {
		t.Fatal("language filled in without a tap")
	}
	// Typing something else wins: the button goes.
	h.typeIn("child_language", "Polish")
	if lang.suggestBox.Visible() {
		t.Fatal("suggestion still offered after typing")
	}

	// Not known hides the offer; unticking brings it back.
	tapCenter(addr.NotKnown)
	addr.input.(*textInput).e.SetText("")
	if addr.suggestBox.Visible() {
		t.Fatal("suggestion offered beside Not known")
	}
	tapCenter(addr.NotKnown)
	if !addr.suggestBox.Visible() {
		t.Fatal("suggestion not offered again after unticking Not known")
	}

	// A second child is offered the first child's language.
	h.addPerson("child")
	second := h.f.e.Groups["child"][1].ID
	lang2 := h.q("child_language")
	if !strings.Contains(lang2.Suggest.Text, "Polish") || !lang2.suggestBox.Visible() {
		t.Fatalf("second child's language suggestion %q", lang2.Suggest.Text)
	}
	test.Tap(lang2.Suggest)
	if a := h.saved("child", second, "child_language"); a.Value != "Polish" {
		t.Fatalf("second child's language stored as %+v", a)
	}
	h.targets()
}
