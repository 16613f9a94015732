package checklistui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
)

// clearOfScrollBar keeps o out from under the scroll bar, which Fyne draws
// over the right edge of a scroll's content: without it the review page's
// "Go to" buttons sat under the bar and were clipped.
func clearOfScrollBar(o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&insetLayout{}, o)
}

// insetLayout leaves the scroll bar's width (and a padding) free on the
// right of its objects.
type insetLayout struct {
	// frozen, when set, is the MinSize to report: the page is unchanged
	// while the window's frame is laid out (Flow.relayout), and Fyne's
	// scroll asks its content's MinSize several times per resize.
	frozen *fyne.Size
}

func (*insetLayout) gap() float32 {
	th := fyne.CurrentApp().Settings().Theme()
	return th.Size(fynetheme.SizeNameScrollBar) + th.Size(fynetheme.SizeNamePadding)
}

func (l *insetLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(max(size.Width-l.gap(), 0), size.Height))
	}
}

func (l *insetLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if l.frozen != nil {
		return *l.frozen
	}
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.AddWidthHeight(l.gap(), 0)
}
