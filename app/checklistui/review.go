package checklistui

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/words"
	"github.com/safeguard-uk/safeguard/forms"
)

// gradeLevels are the grades an officer may choose, least serious first.
var gradeLevels = []forms.Level{forms.LevelStandard, forms.LevelMedium, forms.LevelHigh, forms.LevelImmediate}

var gradeNames = map[forms.Level]string{
	forms.LevelStandard:  "Standard",
	forms.LevelMedium:    "Medium",
	forms.LevelHigh:      "High",
	forms.LevelImmediate: "Immediate",
}

// gradeName is a grade's name in the app's language.
func gradeName(l forms.Level) string { return lang.L(gradeNames[l]) }

// Review lists what stops the entry being submitted, each with a "Go to"
// button, the officer's grading, and the submit button.
type Review struct {
	// Summary says how many things are left, or that the check is ready.
	Summary *widget.Label
	// GoTo holds one button per problem, in Result.Problems order.
	GoTo []*widget.Button
	// Problems holds the message of each problem, in the same order.
	Problems []*widget.Label
	// Grade is the officer's grade; Computed says what the answers show.
	Grade    *widget.RadioGroup
	Computed *widget.Label
	// LowerReason is needed when the officer grades below the answers.
	LowerReason *commitEntry
	Submit      *widget.Button
	// RiskActions are the immediate-risk actions (the banner's, ticked
	// alike), shown with the reasons whenever the risk is immediate.
	RiskActions []*widget.Check

	risk *fyne.Container

	f     *Flow
	list  *fyne.Container
	box   *fyne.Container
	quiet bool
}

func newReview(f *Flow) *Review {
	r := &Review{f: f}
	r.Summary = widget.NewLabel("")
	r.Summary.Wrapping = fyne.TextWrapWord
	r.list = container.NewVBox()
	var names []string
	for _, l := range gradeLevels {
		names = append(names, gradeName(l))
	}
	r.Computed = widget.NewLabel("")
	r.Computed.Wrapping = fyne.TextWrapWord
	r.Grade = widget.NewRadioGroup(names, func(s string) {
		if r.quiet {
			return
		}
		r.gradeChanged()
	})
	r.Grade.Horizontal = true
	r.Grade.Required = true
	r.LowerReason = newCommitEntry(true, f.opts.TypingDelay, func() { r.gradeChanged() })
	r.LowerReason.SetPlaceHolder(lang.L("Why is the risk lower than the answers show? (needed)"))
	r.LowerReason.Hide()
	r.Submit = widget.NewButtonWithIcon(lang.L("Submit"), fynetheme.MailSendIcon(), func() { _ = f.Submit() })
	r.Submit.Importance = widget.HighImportance
	gradeHead := widget.NewLabelWithStyle(lang.L("Your grading of the risk"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.risk = container.NewVBox()
	r.box = container.NewVBox(r.risk, r.Summary, r.list, widget.NewSeparator(), gradeHead, r.Computed, r.Grade, r.LowerReason, widget.NewSeparator(), r.Submit)
	r.refresh()
	return r
}

// Object is the review page's root.
func (r *Review) Object() fyne.CanvasObject { return r.box }

func (r *Review) gradeChanged() {
	f := r.f
	var lvl forms.Level
	for _, l := range gradeLevels {
		if gradeName(l) == r.Grade.Selected {
			lvl = l
		}
	}
	if lvl == forms.LevelNone {
		return
	}
	g := &forms.Grading{Level: lvl}
	if lvl < f.res.Computed {
		g.Reason = r.LowerReason.Text
	}
	if lvl == f.res.Computed {
		g = nil
	}
	old := f.e.Grading
	if (old == nil && g == nil) || (old != nil && g != nil && *old == *g) {
		r.refresh()
		return
	}
	_ = f.SetGrading(g)
}

func (r *Review) refresh() {
	f := r.f
	res := f.res
	r.showRisk()
	r.list.RemoveAll()
	r.GoTo, r.Problems = nil, nil
	if res.Ready {
		r.Summary.SetText(lang.L("Everything needed is answered. Check your grading, then submit."))
	} else {
		r.Summary.SetText(words.ToDo(len(res.Problems)))
	}
	for _, p := range res.Problems {
		msg := widget.NewLabel(f.problemText(p))
		msg.Wrapping = fyne.TextWrapWord
		var btn *widget.Button
		if p.Code == forms.ProblemGrading {
			btn = widget.NewButton(lang.L("Fix below"), func() {})
			btn.Disable()
		} else {
			btn = widget.NewButtonWithIcon(lang.L("Go to"), fynetheme.NavigateNextIcon(), func() { f.touch(); f.GoTo(p.Item, p.Code) })
		}
		r.GoTo = append(r.GoTo, btn)
		r.Problems = append(r.Problems, msg)
		r.list.Add(container.NewBorder(nil, nil, nil, btn, msg))
	}
	r.Computed.SetText(fmt.Sprintf(lang.L("The answers show %s risk. You may raise it freely; to lower it, say why."), gradeName(max(res.Computed, forms.LevelStandard))))
	r.quiet = true
	r.Grade.SetSelected(gradeName(max(res.Grade, forms.LevelStandard)))
	if g := f.e.Grading; g != nil && g.Level < res.Computed {
		r.Grade.SetSelected(gradeName(g.Level))
		r.LowerReason.Show()
	} else {
		r.LowerReason.Hide()
	}
	r.quiet = false
	enable(r.Submit, res.Ready)
	r.box.Refresh()
}

// showRisk lists the immediate-risk reasons and actions at the top of the
// review page (the banner's details, always open here).
func (r *Review) showRisk() {
	res := r.f.res
	r.RiskActions = nil
	if !res.Immediate {
		r.risk.Objects = nil
		r.risk.Hide()
		return
	}
	head := widget.NewLabelWithStyle(lang.L("IMMEDIATE RISK: act now"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Importance = widget.DangerImportance
	reasons := widget.NewRichText(reasonSegments(immediateReasons(res), "")...)
	reasons.Wrapping = fyne.TextWrapWord
	var checks []fyne.CanvasObject
	r.RiskActions, checks = actionChecks(res, r.f.Banner.state, nil)
	objs := []fyne.CanvasObject{head, reasons, widget.NewLabelWithStyle(lang.L("Do now:"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	objs = append(objs, checks...)
	r.risk.Objects = append(objs, widget.NewSeparator())
	r.risk.Show()
	r.risk.Refresh()
}

// problemText is a problem in the app's language: the usual ones are said
// from their code and the question's label; the rest as the checklist
// engine wrote them.
func (f *Flow) problemText(p forms.Problem) string {
	if p.Code == forms.ProblemGroupCount {
		for _, g := range f.c.Groups {
			n := len(f.e.Groups[g.ID])
			data := map[string]any{"Min": g.Min, "Max": g.Max, "Count": n, "Name": strings.ToLower(g.Label.In(f.opts.Language))}
			switch {
			case n < g.Min:
				return lang.L("Add at least {{.Min}} {{.Name}} (there are {{.Count}}).", data)
			case g.Max > 0 && n > g.Max:
				return lang.L("At most {{.Max}} {{.Name}} can be recorded in one entry (there are {{.Count}}).", data)
			}
		}
		return p.Message
	}
	q, _, ok := f.c.Question(p.Question)
	if !ok {
		return p.Message
	}
	label := q.Label.In(f.opts.Language)
	data := map[string]any{"Label": label}
	var english, said string // the engine's English for the problem, and the app's words
	switch p.Code {
	case forms.ProblemRequired:
		if q.NotKnown {
			english = fmt.Sprintf("Answer “%s”, or choose “Not known” and say why.", label)
			said = lang.L("Answer “{{.Label}}”, or choose “Not known” and say why.", data)
		} else {
			english = fmt.Sprintf("Answer “%s”.", label)
			said = lang.L("Answer “{{.Label}}”.", data)
		}
	case forms.ProblemNotKnownNoReason:
		english = fmt.Sprintf("Say why “%s” is not known.", label)
		said = lang.L("Say why “{{.Label}}” is not known.", data)
	case forms.ProblemNotKnownForbidden:
		english = fmt.Sprintf("“Not known” is not allowed for “%s”: give an answer.", label)
		said = lang.L("“Not known” is not allowed for “{{.Label}}”: give an answer.", data)
	default:
		return p.Message
	}
	// In a child's or an adult's part the engine names the person first
	// ("Amy Example (Child 1): "); that name is kept as it is.
	who, ok := strings.CutSuffix(p.Message, english)
	if !ok {
		return p.Message
	}
	return who + said
}
