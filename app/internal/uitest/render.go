package uitest

import (
	"fmt"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func cache(w fyne.Widget) fyne.WidgetRenderer { return test.WidgetRenderer(w) }

func fmtObj(o fyne.CanvasObject) string {
	label := ""
	switch x := o.(type) {
	case *widget.Button:
		label = x.Text
	case *widget.Check:
		label = x.Text
	case *widget.Select:
		label = x.Selected + x.PlaceHolder
	case *widget.Entry:
		label = x.PlaceHolder
	}
	return fmt.Sprintf("%s %q %.0fx%.0f", reflect.TypeOf(o), label, o.Size().Width, o.Size().Height)
}
