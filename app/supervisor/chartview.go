package supervisor

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/quality"
)

// The charts' colours: the Okabe-Ito palette, told apart by people with
// any common colour-vision deficiency; each bar's status is also in words
// in the table beside it, so nothing rests on colour alone.
var (
	chartGood    = color.NRGBA{0x00, 0x9E, 0x73, 0xFF} // bluish green
	chartFair    = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF} // orange
	chartPoor    = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF} // vermilion
	chartNeutral = color.NRGBA{0x00, 0x72, 0xB2, 0xFF} // blue
	chartTarget  = color.NRGBA{0x00, 0x00, 0x00, 0xFF}
)

// ChartColour is the colour a bar of the given status ("good", "fair",
// "poor" or "") is drawn in.
func ChartColour(status string) color.Color {
	switch status {
	case "good":
		return chartGood
	case "fair":
		return chartFair
	case "poor":
		return chartPoor
	}
	return chartNeutral
}

// statusWords says a bar's status in words, for the table.
func statusWords(ch quality.Chart, b quality.Bar) string {
	if ch.Unit == "%" {
		switch b.Colour {
		case "good":
			return lang.L("95% or more")
		case "fair":
			return lang.L("below 95%")
		case "poor":
			return lang.L("below 80%")
		}
		return ""
	}
	switch b.Colour {
	case "good":
		if b.Target > 0 {
			return lang.L("within target")
		}
		return "none"
	case "poor":
		if b.Target > 0 {
			return lang.L("misses target")
		}
		return "some"
	}
	return ""
}

// ChartView draws one data-quality chart in the app's own font and size:
// title, note, a labelled bar per row with its figure, a scale, and the
// same figures as a table beside the chart (below it when the window is
// taller than wide).
type ChartView struct {
	Chart quality.Chart
	// Bars holds each bar's rectangle, in the chart's order (tests read
	// their colours and widths).
	Bars []*canvas.Rectangle
	// Table holds the figures: one row of labels per bar (label, figure,
	// status), after a header row.
	Table [][]*widget.Label
	obj   fyne.CanvasObject
}

// NewChartView builds the view of ch.
func NewChartView(ch quality.Chart) *ChartView {
	v := &ChartView{Chart: ch}
	title := widget.NewLabelWithStyle(ch.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel(ch.Note)
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	if len(ch.Bars) == 0 {
		none := widget.NewLabel(lang.L("No data yet."))
		v.obj = container.NewVBox(title, note, none)
		return v
	}
	maxV := ch.Max
	for _, b := range ch.Bars {
		maxV = math.Max(maxV, math.Max(b.Value, b.Target))
	}
	step := niceStep(maxV)
	if ch.Max == 0 || maxV > ch.Max {
		maxV = math.Ceil(maxV/step) * step
	}
	if maxV <= 0 || math.IsNaN(maxV) || math.IsInf(maxV, 0) {
		maxV, step = 1, 1
	}
	rows := container.NewVBox()
	for _, b := range ch.Bars {
		label := widget.NewLabel(b.Label)
		label.Truncation = fyne.TextTruncateEllipsis
		bar := canvas.NewRectangle(ChartColour(b.Colour))
		v.Bars = append(v.Bars, bar)
		objs := []fyne.CanvasObject{label, bar, widget.NewLabel(b.Text)}
		var target *canvas.Rectangle
		if b.Target > 0 {
			target = canvas.NewRectangle(chartTarget)
			objs = append(objs, target)
		}
		rows.Add(container.New(&barLayout{value: b.Value, target: b.Target, max: maxV}, objs...))
	}
	var ticks []fyne.CanvasObject
	var at []float64
	for x := 0.0; x <= maxV+step/2; x += step {
		s := trimFloat(x)
		if ch.Unit == "%" {
			s += "%"
		}
		t := canvas.NewText(s, fynetheme.Color(fynetheme.ColorNameForeground))
		t.TextSize = fynetheme.TextSize()
		ticks = append(ticks, t)
		at = append(at, x)
	}
	if ch.Unit != "%" {
		u := canvas.NewText(ch.Unit, fynetheme.Color(fynetheme.ColorNameForeground))
		u.TextSize = fynetheme.TextSize()
		ticks = append(ticks, u)
		at = append(at, -1)
	}
	rows.Add(container.New(&scaleLayout{at: at, max: maxV}, ticks...))
	chart := container.NewVBox(title, note, rows)

	head := []string{"", lang.L("Figure"), ""}
	if ch.Unit == "%" {
		head[2] = lang.L("Status")
	} else if ch.Unit == "hours" {
		head[2] = lang.L("Against target")
	}
	grid := container.NewGridWithColumns(3)
	row := make([]*widget.Label, 0, 3)
	for _, h := range head {
		l := widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		row = append(row, l)
		grid.Add(l)
	}
	v.Table = append(v.Table, row)
	for _, b := range ch.Bars {
		row := []*widget.Label{widget.NewLabel(b.Label), widget.NewLabel(b.Text), widget.NewLabel(statusWords(ch, b))}
		for _, l := range row {
			l.Wrapping = fyne.TextWrapWord
			grid.Add(l)
		}
		v.Table = append(v.Table, row)
	}
	tableHead := widget.NewLabelWithStyle(lang.L("The figures"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.obj = container.New(&besideLayout{wide: true}, chart, container.NewVBox(tableHead, grid))
	return v
}

// Object is the view's canvas object.
func (v *ChartView) Object() fyne.CanvasObject { return v.obj }

// TableText is the table in words, one line a row ("label: figure
// (status)"), for tests and screen readers.
func (v *ChartView) TableText() string {
	var b strings.Builder
	for i, row := range v.Table {
		if i == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s: %s", row[0].Text, row[1].Text)
		if s := row[2].Text; s != "" {
			fmt.Fprintf(&b, " (%s)", s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// barLayout lays out one bar row: the label in the first 30% of the
// width, the bar in the next 45% scaled to max, the figure after the bar's
// end (or after the target mark), and the target mark.
type barLayout struct{ value, target, max float64 }

const (
	barLabelShare = 0.30
	barPlotShare  = 0.45
)

func (l *barLayout) plot(size fyne.Size) (x0, w float32) {
	return size.Width * barLabelShare, size.Width * barPlotShare
}

func (l *barLayout) at(v float64, x0, w float32) float32 {
	if v < 0 || math.IsNaN(v) {
		v = 0
	}
	return x0 + float32(math.Min(v, l.max)/l.max)*w
}

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x0, w := l.plot(size)
	pad := fynetheme.Padding()
	label, bar, text := objs[0], objs[1], objs[2]
	label.Move(fyne.NewPos(0, 0))
	label.Resize(fyne.NewSize(x0-pad, size.Height))
	barH := size.Height * 0.6
	end := l.at(l.value, x0, w)
	bar.Move(fyne.NewPos(x0, (size.Height-barH)/2))
	bar.Resize(fyne.NewSize(end-x0, barH))
	after := end
	if len(objs) > 3 {
		tx := l.at(l.target, x0, w)
		objs[3].Move(fyne.NewPos(tx-1.5, size.Height*0.1))
		objs[3].Resize(fyne.NewSize(3, size.Height*0.8))
		if tx+2 > after {
			after = tx + 2
		}
	}
	tw := text.MinSize().Width
	text.Move(fyne.NewPos(after, 0))
	text.Resize(fyne.NewSize(fyne.Max(tw, size.Width-after), size.Height))
}

func (l *barLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := objs[0].MinSize().Height
	return fyne.NewSize(objs[0].MinSize().Width/2+objs[2].MinSize().Width+100, h)
}

// scaleLayout places the scale's values under the bars' plot area (the
// unit, at -1, after the end).
type scaleLayout struct {
	at  []float64
	max float64
}

func (l *scaleLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x0, w := size.Width*barLabelShare, size.Width*barPlotShare
	for i, o := range objs {
		ms := o.MinSize()
		x := x0 + float32(l.at[i]/l.max)*w - ms.Width/2
		if l.at[i] < 0 {
			x = x0 + w + fynetheme.Padding()*4
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(ms)
	}
}

func (l *scaleLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h+fynetheme.Padding())
}

// besideLayout puts the chart and its table side by side (chart 62%)
// when there is room, the table under the chart otherwise.
type besideLayout struct{ wide bool }

// besideMinWidth is the narrowest width at which the table goes beside
// the chart.
const besideMinWidth = 1000

func (l *besideLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := fynetheme.Padding() * 2
	l.wide = size.Width >= besideMinWidth
	if l.wide {
		w := size.Width * 0.62
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(w-pad, objs[0].MinSize().Height))
		objs[1].Move(fyne.NewPos(w+pad, 0))
		objs[1].Resize(fyne.NewSize(size.Width-w-pad, objs[1].MinSize().Height))
		return
	}
	h := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+pad))
	objs[1].Resize(fyne.NewSize(size.Width, objs[1].MinSize().Height))
}

func (l *besideLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	if l.wide {
		return fyne.NewSize(fyne.Max(a.Width, b.Width), fyne.Max(a.Height, b.Height))
	}
	return fyne.NewSize(fyne.Max(a.Width, b.Width), a.Height+b.Height+fynetheme.Padding()*2)
}

// niceStep is a scale step of 1, 2, 2.5 or 5 times a power of ten giving
// at most five steps up to v.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10} {
		if s := m * p; v/s <= 5 {
			return s
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}
