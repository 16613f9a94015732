package checklistui

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// A suggester returns a value the app already knows for a blank text
// question (value "" when it knows none) and the button's text offering
// it. The officer confirms it with one tap: nothing is ever filled in on
// its own, so a blank stays blank (and is reported) until they do.
type suggester func(f *Flow, r *Question) (value, button string)

// suggesters are the questions the app can offer a value for, by question
// id (the checklist has no field for this yet: the ids are the same in
// every version of child-at-risk so far). The time of day has its own
// "Now" button on every date-and-time question.
var suggesters = map[string]suggester{
	"child_address":  incidentAddress,
	"adult_address":  incidentAddress,
	"child_language": knownLanguage,
}

// maxShown is the most characters of a suggested value the button shows
// (the value used is always the whole of it).
const maxShown = 40

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxShown {
		return string(r[:maxShown-1]) + "…"
	}
	return s
}

// textAnswer is a text answer's value ("" when blank or not known).
func textAnswer(a forms.Answer) string {
	s, _ := a.Value.(string)
	return strings.TrimSpace(s)
}

// incidentAddress carries the incident's address to each person's home
// address (most children are found at home).
func incidentAddress(f *Flow, _ *Question) (string, string) {
	v := textAnswer(f.e.Answers["incident_address"])
	if v == "" {
		return "", ""
	}
	return v, lang.L("Use the incident address: {{.Value}}", map[string]any{"Value": shorten(v)})
}

// knownLanguage offers the first language already given for another
// child of this check, or else the language the app is in.
func knownLanguage(f *Flow, r *Question) (string, string) {
	for _, inst := range f.e.Groups[r.Group] {
		if inst.ID == r.Instance {
			continue
		}
		if v := textAnswer(inst.Answers[r.Q.ID]); v != "" {
			return v, lang.L("Use {{.Value}} (as another child)", map[string]any{"Value": shorten(v)})
		}
	}
	v := appLanguage(f.opts.Language)
	if v == "" {
		return "", ""
	}
	return v, lang.L("Use {{.Value}}", map[string]any{"Value": v})
}

// appLanguage names the language the checklist is shown in.
func appLanguage(code string) string {
	switch code {
	case "", "en":
		return lang.L("English")
	case "cy":
		return lang.L("Welsh")
	}
	return ""
}

// newSuggestion adds the "Use …" button to r when the app can suggest a
// value for it.
func (f *Flow) newSuggestion(r *Question) {
	s, ok := suggesters[r.Q.ID]
	if !ok || (r.Q.Kind != forms.KindText && r.Q.Kind != forms.KindLongText) {
		return
	}
	r.suggester = s
	r.Suggest = widget.NewButton(lang.L("Use"), func() {
		f.touch()
		ti, ok := r.input.(*textInput)
		if !ok || r.suggested == "" {
			return
		}
		if v, _ := r.input.Get(); v != nil { // typed meanwhile: keep what was typed
			r.updateSuggestion()
			return
		}
		ti.e.setQuiet(r.suggested)
		f.answerChanged(r)
	})
	r.suggestBox = container.NewHBox(r.Suggest) // as wide as its text
	r.suggestBox.Hide()
}

// updateSuggestion shows the "Use …" button while the question is blank
// and the app knows a value for it, and hides it otherwise; it reports
// whether the button changed.
func (r *Question) updateSuggestion() bool {
	if r.suggester == nil {
		return false
	}
	value, text := "", ""
	blank := r.NotKnown == nil || !r.NotKnown.Checked
	if v, _ := r.input.Get(); v != nil {
		blank = false
	}
	if blank {
		value, text = r.suggester(r.f, r)
	}
	if value == r.suggested && (value == "" || r.Suggest.Text == text) {
		return false
	}
	r.suggested = value
	if value == "" {
		r.suggestBox.Hide()
		return true
	}
	r.Suggest.SetText(text)
	r.suggestBox.Show()
	return true
}
