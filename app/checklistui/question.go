package checklistui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// Question is the on-screen row of one question: its label, hint, input,
// "Not known" with a reason, "Why this matters" and whether it is saved.
// Its fields are exported so tests drive them by name.
type Question struct {
	Q        *forms.Question
	Group    string
	Instance string

	Label    *widget.Label
	Hint     *widget.Label
	Why      *widget.Button
	Guidance *widget.Label
	NotKnown *widget.Check
	// ReasonChoice offers the usual reasons for "Not known" as one tap
	// each (notknown.go); Reason takes the officer's own words, needed
	// only when none is chosen.
	ReasonChoice *widget.RadioGroup
	Reason       *commitEntry
	// Suggest is the one-tap "Use …" button offering a value the app
	// already knows (suggest.go); nil when the question has none.
	Suggest *widget.Button
	// Status says "Saved" only after the store has committed the answer,
	// or says plainly that it is not saved and why.
	Status *canvas.Text
	// Problem shows what is wrong with what was entered.
	Problem *widget.Label
	// Comment is the supervisor's comment on a returned entry (nil when
	// there is none).
	Comment *widget.Label
	// Prompts are the recogniser's questions about this answer, by kind
	// (disclosure.go).
	Prompts map[string]*DisclosurePrompt
	prompts *fyne.Container

	input input
	box   *fyne.Container
	f     *Flow
	// notKnownBox holds the reasons, shown while "Not known" is ticked.
	notKnownBox *fyne.Container
	suggester   suggester
	suggested   string // the value Suggest offers ("" when hidden)
	suggestBox  *fyne.Container
	built       bool
}

// Box is the whole row.
func (r *Question) Box() *fyne.Container { return r.box }

// Input returns the editing widget (an *widget.Entry for text kinds, a
// *widget.RadioGroup, *widget.CheckGroup, *widget.Select or a container
// of buttons for the others).
// It is nil until the row is first shown (Built).
func (r *Question) Input() fyne.CanvasObject {
	if r.input == nil {
		return nil
	}
	return r.input.Object()
}

// newQuestion is the row of q, empty until it is first shown (build): of
// the questions of a part, often half are hidden by earlier answers, and
// most never show.
func (f *Flow) newQuestion(q *forms.Question, group, instance string) *Question {
	r := &Question{Q: q, Group: group, Instance: instance, f: f, box: container.NewVBox()}
	r.Status = canvas.NewText("", f.mutedColor()) // read before the row is built
	r.Status.TextSize = f.captionSize()
	return r
}

// ensureBuilt builds the row's widgets the first time it is needed,
// showing the stored answer.
func (r *Question) ensureBuilt() {
	if r.built {
		return
	}
	r.build()
	r.load(r.f.answerOf(r))
}

// Built reports whether the row's widgets exist (a row is built the
// first time it shows).
func (r *Question) Built() bool { return r.built }

func (r *Question) build() {
	r.built = true
	f, q, group, instance := r.f, r.Q, r.Group, r.Instance
	changed := func() { f.answerChanged(r) }
	switch q.Kind {
	case forms.KindYesNo:
		r.input = newYesNoInput(changed)
	case forms.KindSingle:
		v, l := optionLists(q, f.opts.Language)
		r.input = newOptionInput(v, l, false, changed)
	case forms.KindScale:
		v, l := scaleLists(q, f.opts.Language)
		r.input = newOptionInput(v, l, true, changed)
	case forms.KindMulti:
		v, l := optionLists(q, f.opts.Language)
		r.input = newMultiInput(v, l, changed)
	case forms.KindCode:
		r.input = newCodeInput(f.c.CodeLists[q.CodeList], f.opts.Language, changed)
	case forms.KindText, forms.KindLongText:
		e := newCommitEntry(q.Kind == forms.KindLongText, f.opts.TypingDelay, changed)
		r.input = &textInput{e: e}
	case forms.KindNumber:
		e := newCommitEntry(false, f.opts.TypingDelay, changed)
		e.SetPlaceHolder(lang.L("a number, e.g. 7"))
		r.input = &numberInput{e: e}
	case forms.KindDate:
		e := newCommitEntry(false, f.opts.TypingDelay, changed)
		e.SetPlaceHolder(lang.L("day/month/year, e.g. 28/03/2019"))
		r.input = &dateInput{e: e}
	case forms.KindDateTime:
		r.input = newDateTimeInput(f.opts.TypingDelay, f.opts.Now, changed)
	case forms.KindPhoto:
		var p *photoInput
		p = newPhotoInput(f.attachmentName, func() { f.pickPhoto(r) }, changed)
		p.remove = func(sha string) bool { return f.removePhoto(sha) }
		r.input = p
	default:
		e := newCommitEntry(false, f.opts.TypingDelay, changed)
		r.input = &textInput{e: e}
	}

	label := q.Label.In(f.opts.Language)
	if req := q.Required; req == "always" {
		label += " *"
	}
	r.Label = widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Label.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{r.Label}
	if ret := f.opts.Returned; ret != nil {
		path := forms.Item{Question: q.ID, Group: group, Instance: instance}.Path()
		if c, ok := ret.Comments[path]; ok && c != "" {
			r.Comment = widget.NewLabel(lang.L("Supervisor: ") + c)
			r.Comment.Wrapping = fyne.TextWrapWord
			r.Comment.Importance = widget.WarningImportance
			parts = append(parts, r.Comment)
		}
	}
	if q.Immediate {
		warn := widget.NewLabel(lang.L("A “Yes” here is an immediate risk."))
		warn.Importance = widget.DangerImportance
		parts = append(parts, warn)
	}
	if h := q.Hint.In(f.opts.Language); h != "" {
		r.Hint = widget.NewLabel(h)
		r.Hint.Wrapping = fyne.TextWrapWord
		r.Hint.Importance = widget.LowImportance
		parts = append(parts, r.Hint)
	}
	parts = append(parts, r.input.Object())
	if f.newSuggestion(r); r.Suggest != nil {
		parts = append(parts, r.suggestBox)
	}
	if q.Kind == forms.KindText || q.Kind == forms.KindLongText {
		r.prompts = container.NewVBox() // filled by updatePrompts (disclosure.go)
		r.prompts.Hide()
		parts = append(parts, r.prompts)
	}
	var extras []fyne.CanvasObject
	if q.NotKnown {
		// The reasons are built the first time "Not known" is ticked
		// (most questions never are, and a part's first visit builds
		// all its questions).
		r.notKnownBox = container.NewVBox()
		r.notKnownBox.Hide()
		r.NotKnown = widget.NewCheck(lang.L("Not known"), func(on bool) {
			r.showNotKnown(on)
			if !on && r.ReasonChoice != nil && r.ReasonChoice.Selected != "" {
				r.ReasonChoice.Selected = "" // a new "Not known" starts with no reason chosen
				r.ReasonChoice.Refresh()
				r.Reason.SetPlaceHolder(reasonPlaceholder(false))
			}
			changed()
		})
		extras = append(extras, r.NotKnown)
	}
	if g := q.Guidance.In(f.opts.Language); g != "" {
		r.Guidance = widget.NewLabel(g)
		r.Guidance.Wrapping = fyne.TextWrapWord
		r.Guidance.Hide()
		r.Why = widget.NewButton(lang.L("Why this matters"), func() {
			f.touch()
			if r.Guidance.Visible() {
				r.Guidance.Hide()
			} else {
				r.Guidance.Show()
			}
		})
		extras = append(extras, r.Why)
	}
	if len(extras) > 0 {
		parts = append(parts, container.NewHBox(extras...))
	}
	if r.notKnownBox != nil {
		parts = append(parts, r.notKnownBox)
	}
	if r.Guidance != nil {
		parts = append(parts, r.Guidance)
	}
	r.Problem = widget.NewLabel("")
	r.Problem.Wrapping = fyne.TextWrapWord
	r.Problem.Importance = widget.DangerImportance
	r.Problem.Hide()
	pending := func() { r.setStatus(lang.L("Typing… saved when you pause"), false) }
	for _, e := range r.entries() {
		e.onPending = pending
	}
	parts = append(parts, r.Problem, r.Status, widget.NewSeparator())
	r.box.Objects = parts
}

// buildReasons fills the not-known box: the one-tap reasons and the field
// for the officer's own words.
func (r *Question) buildReasons() {
	if r.ReasonChoice != nil {
		return
	}
	f := r.f
	changed := func() { f.answerChanged(r) }
	r.Reason = newCommitEntry(false, f.opts.TypingDelay, changed)
	r.Reason.PlaceHolder = reasonPlaceholder(false)
	r.Reason.onPending = func() { r.setStatus(lang.L("Typing… saved when you pause"), false) }
	r.ReasonChoice = newReasonChoice(func() {
		f.touch()
		r.Reason.SetPlaceHolder(reasonPlaceholder(r.ReasonChoice.Selected != ""))
		changed()
	})
	why := widget.NewLabelWithStyle(lang.L("Why is it not known?"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.notKnownBox.Objects = []fyne.CanvasObject{why, r.ReasonChoice, r.Reason}
}

func (r *Question) showNotKnown(on bool) {
	r.input.Enable(!on)
	if on {
		r.buildReasons()
		r.notKnownBox.Show()
	} else {
		r.notKnownBox.Hide()
	}
	r.updateSuggestion()
}

// load shows a stored answer without saving anything.
func (r *Question) load(a forms.Answer) {
	if a.NotKnown && r.NotKnown != nil {
		r.NotKnown.Checked = true // drawn with the row
		r.buildReasons()
		preset, detail := splitReason(a.Reason, r.ReasonChoice.Options)
		r.ReasonChoice.Selected = preset
		r.Reason.PlaceHolder = reasonPlaceholder(preset != "")
		r.Reason.setQuiet(detail)
		r.showNotKnown(true)
		r.input.Set(nil)
	} else {
		r.input.Set(a.Value)
	}
	if !a.IsBlank() {
		r.setStatus(lang.L("Saved"), false)
	}
}

// answer is what is on screen as an answer, or a message why it cannot be
// saved.
func (r *Question) answer() (forms.Answer, string) {
	if r.NotKnown != nil && r.NotKnown.Checked {
		return forms.Answer{NotKnown: true, Reason: joinReason(r.ReasonChoice.Selected, r.Reason.Text)}, ""
	}
	v, msg := r.input.Get()
	if msg != "" {
		return forms.Answer{}, msg
	}
	return forms.Answer{Value: v}, ""
}

func (r *Question) setStatus(s string, bad bool) {
	c := r.f.mutedColor()
	if bad {
		c = r.f.errorColor()
	}
	if r.Status.Text == s && sameColor(r.Status.Color, c) {
		return // most answers say "Saved" again: nothing to redraw
	}
	r.Status.Text, r.Status.Color = s, c
	r.Status.Refresh()
}

// sameColor reports whether a and b are the same colour (compared by
// value: a color.Color need not be comparable with ==).
func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func (r *Question) setProblem(s string) {
	if s == "" {
		r.Problem.Hide()
		return
	}
	r.Problem.SetText(s)
	r.Problem.Show()
}

// entries returns the row's text entries (the input's and the reason's).
func (r *Question) entries() []*commitEntry {
	var out []*commitEntry
	switch in := r.input.(type) {
	case *textInput:
		out = append(out, in.e)
	case *numberInput:
		out = append(out, in.e)
	case *dateInput:
		out = append(out, in.e)
	case *dateTimeInput:
		out = append(out, in.e)
	}
	if r.Reason != nil {
		out = append(out, r.Reason)
	}
	return out
}
