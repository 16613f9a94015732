package theme

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// ReadingWidth is the widest a form column grows: lines longer than this
// are hard to read.
const ReadingWidth = 640

// Screen lays out a simple form screen (sign-in, PIN, enrolment): a
// heading, an intro and parts, in a centred column no wider than
// ReadingWidth. The officer's, supervisor's and trainer's screens share it.
func Screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = "headingText"
	objs := []fyne.CanvasObject{h}
	if intro != "" {
		l := widget.NewLabel(intro)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	objs = append(objs, parts...)
	form := container.NewVBox(objs...)
	return container.NewVScroll(container.NewPadded(container.New(&columnLayout{max: ReadingWidth}, form)))
}

// columnLayout centres its one object horizontally, at most max wide.
type columnLayout struct{ max float32 }

func (c *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := min(size.Width, c.max)
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (c *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
