package checklistui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestNeglectScreenGolden: the neglect screen of child-at-risk 2.0.0 opens
// from the one concerns question and is drawn at 1280x800 and 800x1280
// (golden images; issue 13).
func TestNeglectScreenGolden(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	ref := forms.Ref{ID: "child-at-risk", Version: "2.0.0"}
	c, ok := reg.Get(ref)
	if !ok {
		t.Fatalf("no %s", ref)
	}
	h := &harness{t: t, store: uitest.EnrolledStore(t), c: c}
	e, err := h.store.NewEntry(ref, false)
	if err != nil {
		t.Fatal(err)
	}
	h.w = test.NewTempWindow(t, widget.NewLabel(""))
	if h.f, err = New(c, e, h.store, Options{Now: uitest.Clock, Window: h.w}); err != nil {
		t.Fatal(err)
	}
	h.w.SetContent(h.f.Object())
	h.w.Resize(fyne.NewSize(1280, 800))

	h.gotoTitle("Concerns")
	h.choose("concerns_seen", "Neglect (care, safety, love, stimulation)")
	if a := h.saved("", "", "concerns_seen"); len(a.Value.([]string)) != 1 {
		t.Fatalf("concerns stored as %v", a.Value)
	}
	h.gotoTitle("Neglect")
	h.q("neg_physical").input.(*multiInput).group.SetSelected([]string{"Hungry, no food for the child", "Very dirty, nappy unchanged, infestation"})
	h.choose("neg_safety", "Hazards within the child’s reach")
	h.capture("neglect_screen_1280x800.png")
	h.w.Resize(fyne.NewSize(800, 1280))
	h.capture("neglect_screen_800x1280.png")
}
