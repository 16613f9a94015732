package checklistui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestInertAnswerShortcut: an answer nothing in the evaluation reads (the
// incident's address, changed once given) is saved, takes the evaluator's
// shortcut, and still updates what reads the answers themselves: the
// entry's title in the store and the child's "Use the incident address"
// suggestion; the result on screen is Evaluate's.
func TestInertAnswerShortcut(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	h.typeIn("incident_address", "12 High Street, Leeds")
	h.addPerson("child")
	if h.q("child_address") == nil {
		t.Fatal("no child address")
	}
	childPage := h.f.cur
	h.f.ShowPage(0)
	in := h.q("incident_address").input.(*textInput)
	in.e.SetText("14 Low Street, York")
	in.e.flush()
	if !h.f.inc.Unchanged {
		t.Fatal("a changed incident address did not take the shortcut")
	}
	if a := h.saved("", "", "incident_address"); a.Value != "14 Low Street, York" {
		t.Fatalf("address stored as %+v", a)
	}
	want, err := forms.Evaluate(h.c, h.f.Entry(), forms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h.f.Result(), want) {
		t.Fatal("the result on screen after the shortcut is not Evaluate's")
	}
	list, err := h.store.ListEntries(devicestore.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == h.f.e.ID && s.Title != "14 Low Street, York" {
			t.Errorf("entry title %q after the address changed", s.Title)
		}
	}
	h.f.ShowPage(childPage)
	if got := h.q("child_address"); !got.suggestBox.Visible() || !strings.Contains(got.Suggest.Text, "14 Low Street") {
		t.Fatal("the child's address suggestion does not offer the new address")
	}
}
