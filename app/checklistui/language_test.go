package checklistui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/i18n"
	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestChecklistInWelsh: with Welsh chosen, a checklist that declares cy
// (the shipped 3.0.0, English and Welsh) shows its Welsh texts, and the
// app's own words are Welsh; an English-only checklist (the shipped
// 2.0.0 the other tests use) stays English.
func TestChecklistInWelsh(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	cy3, ok := reg.Get(forms.Ref{ID: "child-at-risk", Version: "3.0.0"})
	if !ok {
		t.Fatal("checklist child-at-risk@3.0.0 is not shipped")
	}
	shipped := uitest.Checklist(t)
	if got := i18n.For(cy3); got != "en" {
		t.Fatalf("in English, the fixture's language is %q", got)
	}
	cy := uitest.UseWelsh(t)
	_ = cy
	if got := i18n.For(cy3); got != "cy" {
		t.Errorf("in Welsh, the en+cy checklist's language is %q, want cy", got)
	}
	if got := i18n.For(shipped); got != "en" {
		t.Errorf("in Welsh, the English-only checklist's language is %q, want en", got)
	}

	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	e := &forms.Entry{ID: "e1", Checklist: cy3.Ref(), Answers: map[string]forms.Answer{}}
	f, err := New(cy3, e, nil, Options{Now: uitest.Clock, Window: w, Language: i18n.For(cy3)})
	if err != nil {
		t.Fatal(err)
	}
	w.SetContent(f.Object())
	if want := cy3.Title.In("cy"); f.Title.Text != want || want == cy3.Title.In("en") {
		t.Errorf("title %q, want the checklist's Welsh title %q", f.Title.Text, want)
	}
	if f.Next.Text != "Nesaf" || f.Back.Text != "Yn ôl" {
		t.Errorf("buttons %q, %q: not Welsh", f.Back.Text, f.Next.Text)
	}
	var pages []string
	pages = append(pages, f.Pages()...)
	if !strings.Contains(strings.Join(pages, "|"), "Adolygu a chyflwyno") {
		t.Errorf("pages %v: the review page is not named in Welsh", pages)
	}
}
