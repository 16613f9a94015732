package checklistui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// DisclosurePrompt is the recogniser's question beside a free-text
// answer: "The child's words may describe sexual abuse: is this a
// disclosure?", what was flagged, and Yes / No. The officer must answer
// before the entry can be submitted; the answer is saved in the entry
// (under the prompt's answer id) like any other answer.
type DisclosurePrompt struct {
	P       forms.Prompt
	Text    *widget.Label
	Flagged *widget.Label
	Yes     *widget.Button
	No      *widget.Button
	Answer  *widget.Label
	box     *fyne.Container
}

// Object is the prompt's row.
func (d *DisclosurePrompt) Object() fyne.CanvasObject { return d.box }

var promptWords = map[string]map[string]string{
	"en": {"yes": "Yes, a disclosure", "no": "No", "flagged": "Flagged: ", "said-yes": "You said: a disclosure. It is graded as one.", "said-no": "You said: not a disclosure."},
	"cy": {"yes": "Ydy, datgeliad", "no": "Nac ydy", "flagged": "Wedi'i nodi: ", "said-yes": "Dywedoch chi: datgeliad. Caiff ei raddio felly.", "said-no": "Dywedoch chi: nid datgeliad."},
}

func (f *Flow) promptWord(key string) string {
	if w, ok := promptWords[f.opts.Language][key]; ok {
		return w
	}
	return promptWords["en"][key]
}

func (f *Flow) newDisclosurePrompt(r *Question, p forms.Prompt) *DisclosurePrompt {
	d := &DisclosurePrompt{P: p}
	d.Text = widget.NewLabelWithStyle(p.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.Text.Wrapping = fyne.TextWrapWord
	d.Text.Importance = widget.DangerImportance
	flagged := ""
	for i, fd := range p.Findings {
		if i > 0 {
			flagged += " · "
		}
		flagged += "“" + fd.Sentence + "”"
	}
	d.Flagged = widget.NewLabel(f.promptWord("flagged") + flagged)
	d.Flagged.Wrapping = fyne.TextWrapWord
	d.Yes = widget.NewButton(f.promptWord("yes"), func() { f.answerPrompt(r, p, true) })
	d.No = widget.NewButton(f.promptWord("no"), func() { f.answerPrompt(r, p, false) })
	d.Answer = widget.NewLabel("")
	d.Answer.Wrapping = fyne.TextWrapWord
	switch p.Answer {
	case "yes":
		d.Yes.Importance = widget.DangerImportance
		d.Answer.SetText(f.promptWord("said-yes"))
	case "no":
		d.No.Importance = widget.HighImportance
		d.Answer.SetText(f.promptWord("said-no"))
	default:
		d.Answer.Hide()
	}
	d.box = container.NewVBox(d.Text, d.Flagged, container.NewGridWithColumns(2, d.Yes, d.No), d.Answer)
	return d
}

// answerPrompt saves the officer's answer to a prompt in its own
// transaction, then re-evaluates (a yes escalates like the tick would).
func (f *Flow) answerPrompt(r *Question, p forms.Prompt, yes bool) {
	f.touch()
	a := forms.PromptAnswer(p, yes)
	if err := f.s.SetAnswer(f.e.ID, p.Group, p.Instance, p.AnswerID, a); err != nil {
		r.setStatus(lang.L("Not saved: ")+plain(err), true)
		f.opts.Logger.Warn("prompt answer not saved", "entry", f.e.ID, "prompt", p.Key, "err", err)
		f.locked(err)
		return
	}
	answers := f.e.Answers
	if p.Instance != "" {
		inst, ok := f.e.Instance(p.Group, p.Instance)
		if !ok {
			return
		}
		if inst.Answers == nil {
			inst.Answers = map[string]forms.Answer{}
		}
		answers = inst.Answers
	}
	answers[p.AnswerID] = a
	r.setStatus(lang.L("Saved"), false)
	f.changed()
}

// updatePrompts shows, beside each question of the current page, the
// recogniser's prompts about it (and removes those no longer raised).
// It reports whether it changed any question's prompts.
func (f *Flow) updatePrompts() (changed bool) {
	p := f.pages[f.cur]
	if p.kind != pageSection {
		return false
	}
	byQ := map[string][]forms.Prompt{}
	for _, pr := range f.res.Prompts {
		if pr.Section == p.section.ID && pr.Instance == p.instance {
			byQ[pr.Question] = append(byQ[pr.Question], pr)
		}
	}
	for id, r := range f.Questions {
		if r.prompts == nil {
			continue
		}
		list := byQ[id]
		if len(list) == 0 && len(r.Prompts) == 0 {
			continue
		}
		changed = true
		r.Prompts = map[string]*DisclosurePrompt{}
		objs := make([]fyne.CanvasObject, 0, len(list))
		for _, pr := range list {
			d := f.newDisclosurePrompt(r, pr)
			r.Prompts[pr.Kind] = d
			objs = append(objs, d.Object())
		}
		r.prompts.Objects = objs
		if len(objs) == 0 {
			r.prompts.Hide()
		} else {
			r.prompts.Show()
		}
		r.prompts.Refresh()
	}
	return changed
}
