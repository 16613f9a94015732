package uitest

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/i18n"
	"github.com/safeguard-uk/safeguard/assets"
)

// welshAllowed are texts shown as they are in Welsh too, each with its reason.
var welshAllowed = map[string]string{
	"Safeguard": "the app's name, a proper noun",
	"English":   "the language named in itself on the language choice",
	"PIN":       "an initialism used in Welsh as in English",
}

// englishKeys are the app's English texts whose Welsh differs: any of them
// on a Welsh screen is a string that bypassed the translations.
func englishKeys(t *testing.T) map[string]bool {
	t.Helper()
	en := map[string]any{}
	cy := map[string]any{}
	for name, m := range map[string]*map[string]any{"en.json": &en, "cy.json": &cy} {
		b, err := fs.ReadFile(i18n.Files(), "translations/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, m); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]bool{}
	for k, v := range en {
		if s, ok := v.(string); ok && s != cy[k] {
			out[strings.TrimSpace(s)] = true
		}
	}
	return out
}

// checklistTexts are the English texts of the shipped checklists and
// training scenarios, which declare no Welsh yet: they are shown in English
// by design.
func checklistTexts(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, dir := range []string{"checklists", "scenarios"} {
		err := fs.WalkDir(assets.FS, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			b, err := fs.ReadFile(assets.FS, p)
			if err != nil {
				return err
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
			var walk func(any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					for k, x := range v {
						if s, ok := x.(string); ok && len(s) >= 2 && k != "cy" {
							out[s] = true
						}
						walk(x)
					}
				case []any:
					for _, x := range v {
						if s, ok := x.(string); ok && len(s) >= 2 {
							out[s] = true
						}
						walk(x)
					}
				}
			}
			walk(v)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// shownTexts lists every text on the canvas: labels, buttons, entries'
// place-holders, checks, radio options, rich text and canvas text.
func shownTexts(t *testing.T, o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Entry:
			out = append(out, w.PlaceHolder)
		case *widget.Check:
			out = append(out, w.Text)
		case *widget.RadioGroup:
			out = append(out, w.Options...)
		case *widget.Select:
			out = append(out, w.PlaceHolder, w.Selected)
			out = append(out, w.Options...)
		case *widget.Hyperlink:
			out = append(out, w.Text)
		case *widget.RichText:
			for _, s := range w.Segments {
				if ts, ok := s.(*widget.TextSegment); ok {
					out = append(out, ts.Text)
				}
			}
		case *canvas.Text:
			out = append(out, w.Text)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			if _, ok := o.(*widget.Label); ok {
				return // its canvas.Text is the Label's text again
			}
			r := test.TempWidgetRenderer(t, c)
			for _, x := range r.Objects() {
				walk(x)
			}
		}
	}
	walk(o)
	return out
}

// fixtureAnswer is the text FillRequired types into free-text answers.
// engineWords are texts the checklist engine (forms) composes in the
// checklist's language, which declares no Welsh yet: the DASH summary.
var fixtureAnswer = regexp.MustCompile(`Answer to [a-z_0-9]+|\d+ of \d+ answered yes`)

// Welsh is a walk of screens in Welsh: the app's English texts (those
// whose Welsh differs) and the shipped checklist's (declared English only,
// so shown in English by design).
type Welsh struct {
	t               *testing.T
	keys, checklist map[string]bool
	content         []string // checklist and scenario texts, longest first
}

// UseWelsh switches the app's words to Welsh until the test ends.
func UseWelsh(t *testing.T) *Welsh {
	t.Helper()
	if err := i18n.Use("cy"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Use("en") })
	if i18n.Current() != "cy" {
		t.Fatalf("language %q after choosing Welsh", i18n.Current())
	}
	w := &Welsh{t: t, keys: englishKeys(t), checklist: checklistTexts(t)}
	for s := range w.checklist {
		if len(s) >= 4 {
			w.content = append(w.content, s)
		}
	}
	sort.Slice(w.content, func(i, j int) bool { return len(w.content[i]) > len(w.content[j]) })
	return w
}

// Check fails the test for every English text on the window (its content
// and overlays such as dialogs).
func (c *Welsh) Check(w fyne.Window, screen string) {
	t, keys, checklist := c.t, c.keys, c.checklist
	t.Helper()
	objs := []fyne.CanvasObject{w.Canvas().Content()}
	objs = append(objs, w.Canvas().Overlays().List()...)
	for _, o := range objs {
		for _, s := range shownTexts(t, o) {
			s = strings.TrimSuffix(strings.TrimSpace(s), " *") // a required question's mark
			if s == "" || welshAllowed[s] != "" || checklist[s] {
				continue
			}
			// Checklist and scenario texts within the app's own words stay
			// English, and so do the test's own answers.
			s = fixtureAnswer.ReplaceAllString(s, "")
			for _, c := range c.content {
				if strings.Contains(s, c) {
					s = strings.ReplaceAll(s, c, "")
				}
			}
			for k := range keys {
				if s == k || (len(k) >= 8 && strings.Contains(s, k)) {
					t.Errorf("%s: English %q in %q", screen, k, s)
					break
				}
			}
			for _, word := range []string{" the ", " and ", " your ", " you ", " to ", " of ", " is "} {
				if strings.Contains(" "+strings.ToLower(s)+" ", word) && !checklist[s] {
					t.Errorf("%s: %q reads as English (%q)", screen, s, strings.TrimSpace(word))
					break
				}
			}
		}
	}
}
