package supervisor

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Screen lays out a simple form screen: a heading, an intro and parts, in
// a centred column no wider than a comfortable reading width.
func Screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return screen(title, intro, parts...)
}

func screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
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
	return container.NewVScroll(container.NewPadded(container.New(&columnLayout{max: 640}, form)))
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

func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func say(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// plain is an error in words for the screen.
func plain(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	s := err.Error()
	if i := strings.Index(s, ": "); i > 0 && i < 30 {
		s = s[i+2:]
	}
	return s
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = "subHeadingText"
	return l
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
