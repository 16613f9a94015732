package supervisor

import (
	"fyne.io/fyne/v2/lang"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// DisclosureLines lists what the recogniser flagged in the entry's free
// text and what the officer answered, one line a prompt, each naming the
// person and the question ("Amy Example (Child 1) · The child's own words:
// sexual abuse — flagged: “…” — the officer answered: yes, a disclosure").
func DisclosureLines(c *forms.Checklist, e *forms.Entry, res *forms.Result, lng string) []string {
	if res == nil {
		return nil
	}
	var out []string
	for _, p := range res.Prompts {
		out = append(out, PathLabel(c, e, nil, p.Path(), lng)+": "+p.Summary(lng))
	}
	return out
}

// disclosureSection is the entry screen's part on the child's words read
// by the recogniser; nothing when it flagged nothing.
func (s *EntryScreen) disclosureSection(e *forms.Entry, lng string) []fyne.CanvasObject {
	lines := DisclosureLines(s.c, e, s.Result, lng)
	if len(lines) == 0 {
		s.Disclosures = nil
		return nil
	}
	s.Disclosures = widget.NewLabel("• " + strings.Join(lines, "\n• "))
	s.Disclosures.Wrapping = fyne.TextWrapWord
	s.Disclosures.Importance = widget.WarningImportance
	for _, p := range s.Result.Prompts {
		if p.Answer == "yes" {
			s.Disclosures.Importance = widget.DangerImportance
		}
	}
	return []fyne.CanvasObject{heading(lang.L("Disclosures read in the free text")), s.Disclosures}
}

// promptLabel names the answer id of a recogniser prompt
// ("disclosure:child_words:sexual") in words: "The child's own words: is
// it a disclosure of sexual abuse?".
func promptLabel(c *forms.Checklist, id, lng string) (string, bool) {
	rest, ok := strings.CutPrefix(id, forms.PromptAnswerPrefix)
	if !ok {
		return "", false
	}
	question, kind, ok := strings.Cut(rest, ":")
	if !ok {
		return "", false
	}
	label := question
	if q, _, ok := c.Question(question); ok {
		label = q.Label.In(lng)
	}
	name := kind
	if r := c.Recogniser(); r != nil {
		if k, ok := r.Kind(kind); ok {
			name = k.Name.In(lng)
		}
	}
	return label + lang.L(": is it a disclosure of ") + name + "?", true
}
