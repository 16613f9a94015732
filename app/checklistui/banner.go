package checklistui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/words"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// BannerState is what the officer did with the immediate-risk banner of
// one entry: whether its details are open and which actions are ticked.
// The app keeps one per entry across parts, locks and unlocks (a Flow is
// built again after unlocking), so the banner stays as the officer left it.
type BannerState struct {
	// Expanded: the reasons and actions are shown under the banner's line.
	Expanded bool
	// Done holds the ticked actions by id (on screen only).
	Done map[string]bool
}

// Banner is the immediate-risk banner: one line the moment a rule fires at
// the immediate level ("IMMEDIATE RISK: act now · 2 reasons, 3 actions"),
// with the reasons and a checklist of actions a tap away (and always on
// the review page). It sits above the Back and Next buttons, so that it
// appears without moving what the officer just touched.
type Banner struct {
	Heading *widget.RichText
	Reasons *widget.RichText
	// Actions holds one check box per action, in Result.Actions order.
	Actions []*widget.Check
	// Toggle shows or hides the details (the banner's line stays).
	Toggle *widget.Button

	state      *BannerState
	actionsBox *fyne.Container
	details    *fyne.Container
	line       *fyne.Container // the heading and Toggle
	box        *fyne.Container
	shown      bool
	relayout   func()
	// drawn is what the banner shows (its reasons and actions), so an
	// answer that changes neither redraws nothing.
	drawn string
}

func newBanner(f *Flow) *Banner {
	st := f.opts.Banner
	if st == nil {
		st = &BannerState{}
	}
	if st.Done == nil {
		st.Done = map[string]bool{}
	}
	b := &Banner{state: st, relayout: f.relayout}
	b.Heading = widget.NewRichText()
	b.Heading.Truncation = fyne.TextTruncateEllipsis
	b.Reasons = widget.NewRichText()
	b.Reasons.Wrapping = fyne.TextWrapWord
	b.actionsBox = container.NewVBox()
	b.Toggle = widget.NewButton(lang.L("Show what to do"), func() {
		f.touch()
		b.state.Expanded = !b.state.Expanded
		b.showDetails()
		b.relayout()
	})
	bg := canvas.NewRectangle(fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBanner, 0))
	b.line = container.NewBorder(nil, nil, nil, b.Toggle, b.Heading)
	line := container.NewStack(bg, b.line)
	todo := widget.NewLabelWithStyle(lang.L("Do now:"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.details = container.NewVBox(b.Reasons, todo, b.actionsBox)
	b.box = container.NewVBox(line, b.details)
	b.box.Hide()
	return b
}

// Object is the banner's root.
func (b *Banner) Object() fyne.CanvasObject { return b.box }

// Visible reports whether the banner is on screen.
func (b *Banner) Visible() bool { return b.box.Visible() }

// Expanded reports whether the reasons and actions are shown.
func (b *Banner) Expanded() bool { return b.box.Visible() && b.details.Visible() }

func (b *Banner) showDetails() {
	text := lang.L("Show what to do")
	if b.state.Expanded {
		b.details.Show()
		text = lang.L("Hide")
	} else {
		b.details.Hide()
	}
	if b.Toggle.Text != text {
		b.Toggle.SetText(text)
		b.line.Refresh() // Toggle's new width
	}
}

// update shows the banner for res, or hides it. Only what changed is
// redrawn: an answer that shows or hides the banner again with the same
// reasons and actions lays out the window's frame, never the page (a
// refresh of the whole window was most of such an answer).
func (b *Banner) update(res *forms.Result) {
	if !res.Immediate {
		if b.shown {
			b.box.Hide()
			b.shown = false
			b.relayout()
		}
		return
	}
	reasons := immediateReasons(res)
	var sig strings.Builder
	for _, r := range reasons {
		sig.WriteString(r + "\x00")
	}
	for _, a := range res.Actions {
		sig.WriteString("\x01" + a.ID + "\x00" + a.Text)
	}
	if b.shown && sig.String() == b.drawn {
		return
	}
	if sig.String() != b.drawn {
		b.drawn = sig.String()
		b.Heading.Segments = []widget.RichTextSegment{&widget.TextSegment{
			Text:  lang.L("IMMEDIATE RISK: act now · ") + words.Reasons(len(reasons)) + ", " + words.Actions(len(res.Actions)),
			Style: widget.RichTextStyle{ColorName: theme.ColorNameOnBanner, TextStyle: fyne.TextStyle{Bold: true}},
		}}
		b.Heading.Refresh()
		b.Reasons.Segments = reasonSegments(reasons, "")
		b.Reasons.Refresh()
		b.Actions, b.actionsBox.Objects = actionChecks(res, b.state, b.Actions[:0])
		b.actionsBox.Refresh()
		b.box.Refresh() // the banner only: lays it out with its new text
	}
	b.showDetails()
	if !b.shown {
		b.box.Show()
		b.shown = true
	}
	b.relayout()
}

// immediateReasons are the texts of the reasons at the immediate level.
func immediateReasons(res *forms.Result) []string {
	var out []string
	for _, r := range res.Reasons {
		if r.Level == forms.LevelImmediate {
			out = append(out, r.Text)
		}
	}
	return out
}

func reasonSegments(reasons []string, colour fyne.ThemeColorName) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for _, r := range reasons {
		segs = append(segs, &widget.TextSegment{
			Text:  "• " + r,
			Style: widget.RichTextStyle{ColorName: colour, Inline: false, SizeName: "text"},
		})
	}
	return segs
}

// actionChecks makes one check box per action, ticked as st says, and
// ticking one records it in st (shared by the banner and the review page).
// Each check's text is a wrapping label beside it (a check's own text does
// not wrap, and a long action widened the page past the window); objs holds
// what to lay out.
func actionChecks(res *forms.Result, st *BannerState, into []*widget.Check) (checks []*widget.Check, objs []fyne.CanvasObject) {
	for _, a := range res.Actions {
		id := a.ID
		c := widget.NewCheck("", func(on bool) { st.Done[id] = on })
		c.Checked = st.Done[id]
		l := widget.NewLabel(a.Text)
		l.Wrapping = fyne.TextWrapWord
		into = append(into, c)
		objs = append(objs, container.NewBorder(nil, nil, c, nil, l))
	}
	return into, objs
}
