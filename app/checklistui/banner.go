package checklistui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// Banner is the immediate-risk banner: shown the moment a rule fires at the
// immediate level, with the reasons and a checklist of actions.
type Banner struct {
	Heading *widget.RichText
	Reasons *widget.RichText
	// Actions holds one check box per action, in Result.Actions order.
	Actions []*widget.Check
	// Toggle shows or hides the details (the banner itself stays).
	Toggle *widget.Button

	actionsBox *fyne.Container
	details    *fyne.Container
	box        *fyne.Container
	done       map[string]bool // action id -> ticked (on screen only)
	shown      bool
	relayout   func()
}

func newBanner(f *Flow) *Banner {
	b := &Banner{done: map[string]bool{}, relayout: f.relayout}
	b.Heading = widget.NewRichText(&widget.TextSegment{
		Text:  "IMMEDIATE RISK: act now",
		Style: widget.RichTextStyle{ColorName: theme.ColorNameOnBanner, SizeName: "subHeadingText", TextStyle: fyne.TextStyle{Bold: true}},
	})
	b.Reasons = widget.NewRichText()
	b.Reasons.Wrapping = fyne.TextWrapWord
	b.actionsBox = container.NewVBox()
	b.Toggle = widget.NewButton("Hide details", func() {
		if b.details.Visible() {
			b.details.Hide()
			b.Toggle.SetText("Show what to do")
		} else {
			b.details.Show()
			b.Toggle.SetText("Hide details")
		}
		b.relayout()
	})
	bg := canvas.NewRectangle(fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBanner, 0))
	top := container.NewStack(bg, container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, nil, b.Toggle, b.Heading),
		b.Reasons,
	)))
	todo := widget.NewLabelWithStyle("Do now:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.details = container.NewVBox(todo, b.actionsBox)
	b.box = container.NewVBox(top, b.details)
	b.box.Hide()
	return b
}

// Object is the banner's root.
func (b *Banner) Object() fyne.CanvasObject { return b.box }

// Visible reports whether the banner is on screen.
func (b *Banner) Visible() bool { return b.box.Visible() }

func (b *Banner) update(res *forms.Result) {
	if !res.Immediate {
		if b.shown {
			b.box.Hide()
			b.shown = false
			b.relayout()
		}
		return
	}
	var segs []widget.RichTextSegment
	for _, r := range res.Reasons {
		if r.Level != forms.LevelImmediate {
			continue
		}
		segs = append(segs, &widget.TextSegment{
			Text:  "• " + r.Text,
			Style: widget.RichTextStyle{ColorName: theme.ColorNameOnBanner, Inline: false, SizeName: "text"},
		})
	}
	b.Reasons.Segments = segs
	b.Reasons.Refresh()
	b.Actions = b.Actions[:0]
	b.actionsBox.RemoveAll()
	for _, a := range res.Actions {
		id := a.ID
		c := widget.NewCheck(a.Text, func(on bool) { b.done[id] = on })
		c.Checked = b.done[id]
		b.Actions = append(b.Actions, c)
		b.actionsBox.Add(c)
	}
	if !b.shown {
		b.box.Show()
		b.details.Show()
		b.Toggle.SetText("Hide details")
		b.shown = true
	}
	b.box.Refresh()
	b.relayout()
}
