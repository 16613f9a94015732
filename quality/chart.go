package quality

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"github.com/safeguard-uk/safeguard/forms"
)

// Chart is a horizontal bar chart, ready for RenderPNG (and as JSON for a
// screen that draws its own).
type Chart struct {
	// ID names the chart in file names and URLs: "details",
	// "ethnicity-by-team", ...
	ID    string `json:"id"`
	Title string `json:"title"`
	// Note is a line under the title: what is counted, the colour key.
	Note string `json:"note,omitempty"`
	// Unit of the values: "%", "hours" or "entries".
	Unit string `json:"unit"`
	// Max is the end of the scale (0: the largest value, rounded up).
	Max  float64 `json:"max"`
	Bars []Bar   `json:"bars"`
}

// Bar is one bar of a chart.
type Bar struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	// Text is printed after the bar ("75.0% (36 of 48)").
	Text string `json:"text"`
	// Target draws a mark at this value (a review target); 0 means none.
	Target float64 `json:"target,omitempty"`
	// Colour is "good", "fair", "poor" or "" (neutral).
	Colour string `json:"colour,omitempty"`
}

// Percentage thresholds of the bar colours: green at or above goodPercent,
// amber at or above fairPercent, red below.
const (
	goodPercent = 95.0
	fairPercent = 80.0
	ragNote     = "Green: 95% or more; orange: 80-95%; red: below 80%."
)

// Charts returns the report's standard charts, in the order a supervisor
// reads them: details recorded overall, the key details by team and by
// month, review times by grade, overdue reviews by team, reasons for
// return.
func (r *Report) Charts() []Chart {
	o := r.Overall
	c := o.Children
	details := Chart{ID: "details", Title: "Children's details recorded (all teams)", Unit: "%", Max: 100,
		Note: "Share of children (spoken to alone and voice: of children seen). " + ragNote}
	for _, m := range []struct {
		label string
		s     Share
	}{
		{"Ethnicity recorded", c.Ethnicity}, {"Ethnicity stated (not NS)", c.EthnicityStated},
		{"Disability recorded", c.Disability}, {"SEN recorded", c.SEN}, {"Disability and SEN", c.DisabilityAndSEN},
		{"Seen by the officer", c.Seen}, {"Spoken to alone", c.SpokenAlone}, {"Voice of the child", c.Voice},
	} {
		details.Bars = append(details.Bars, shareBar(m.label, m.s))
	}
	charts := []Chart{details}
	per := func(id, title, note string, groups []Group, pick func(Group) Share) Chart {
		ch := Chart{ID: id, Title: title, Unit: "%", Max: 100, Note: note + " " + ragNote}
		for _, g := range groups {
			ch.Bars = append(ch.Bars, shareBar(g.Key, pick(g)))
		}
		return ch
	}
	eth := func(g Group) Share { return g.Children.Ethnicity }
	dsen := func(g Group) Share { return g.Children.DisabilityAndSEN }
	voice := func(g Group) Share { return g.Children.Voice }
	const ofChildren, ofSeen = "Share of children.", "Share of children seen."
	charts = append(charts,
		per("ethnicity-by-team", "Ethnicity recorded, by team", ofChildren, r.ByTeam, eth),
		per("disability-sen-by-team", "Disability and SEN recorded, by team", ofChildren, r.ByTeam, dsen),
		per("voice-by-team", "Voice of the child recorded, by team", ofSeen, r.ByTeam, voice),
		per("ethnicity-by-month", "Ethnicity recorded, by month", ofChildren, r.ByMonth, eth),
		per("disability-sen-by-month", "Disability and SEN recorded, by month", ofChildren, r.ByMonth, dsen),
	)

	rev := Chart{ID: "review-times", Title: "Median time to first review, by grade", Unit: "hours",
		Note: "Bar: median; mark: target. Red when the median misses the target."}
	for _, rt := range o.Review {
		if rt.Reviewed == 0 {
			continue
		}
		b := Bar{Label: gradeLabel(rt.Grade), Value: float64(rt.MedianSeconds) / 3600, Target: float64(rt.TargetSeconds) / 3600,
			Text: fmt.Sprintf("%s (p90 %s, n=%d)", Duration(secs(rt.MedianSeconds)), Duration(secs(rt.P90Seconds)), rt.Reviewed)}
		switch {
		case rt.TargetSeconds == 0:
		case rt.MedianSeconds <= rt.TargetSeconds:
			b.Colour = "good"
		default:
			b.Colour = "poor"
		}
		rev.Bars = append(rev.Bars, b)
	}
	charts = append(charts, rev)

	over := Chart{ID: "overdue-by-team", Title: "Overdue reviews, by team", Unit: "entries", Note: "Entries reviewed (or still waiting) past their deadline."}
	for _, g := range r.ByTeam {
		over.Bars = append(over.Bars, Bar{Label: g.Key, Value: float64(g.Overdue.Count),
			Text: fmt.Sprintf("%d of %d", g.Overdue.Count, g.Overdue.Of), Colour: map[bool]string{true: "poor", false: "good"}[g.Overdue.Count > 0]})
	}
	charts = append(charts, over)

	ret := Chart{ID: "return-reasons", Title: "Why entries were returned (all teams)", Unit: "entries",
		Note: fmt.Sprintf("%d of %d entries returned; the most given reasons.", o.Returned.Count, o.Returned.Of)}
	for _, rc := range o.ReturnReasons {
		ret.Bars = append(ret.Bars, Bar{Label: rc.Reason, Value: float64(rc.Count), Text: fmt.Sprintf("%d", rc.Count)})
	}
	charts = append(charts, ret)
	return charts
}

func gradeLabel(l forms.Level) string {
	if l == forms.LevelNone {
		return "not graded"
	}
	return l.String()
}

func shareBar(label string, s Share) Bar {
	b := Bar{Label: label, Value: s.Percent, Text: fmt.Sprintf("%.1f%% (%d of %d)", s.Percent, s.Count, s.Of)}
	switch {
	case s.Of == 0:
		b.Text = "no children"
	case s.Percent >= goodPercent:
		b.Colour = "good"
	case s.Percent >= fairPercent:
		b.Colour = "fair"
	default:
		b.Colour = "poor"
	}
	return b
}

// Chart geometry, in pixels: sized to be read at arm's length on a
// tablet (values and labels at 20 px, the title at 28 px, in Go's
// proportional sans-serif, never a pixel font).
const (
	chartW      = 1200
	chartMargin = 24
	rowH        = 38
	barH        = 26
	textW       = 300 // room after the bars for their text
	maxLabelW   = 380
	bodyPx      = 20
	titlePx     = 28
	lineH       = 28 // a line of note text
)

var (
	colBG    = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colInk   = color.RGBA{0x1A, 0x1A, 0x1A, 0xFF}
	colMuted = color.RGBA{0x45, 0x4F, 0x5B, 0xFF}
	colGrid  = color.RGBA{0xDD, 0xE2, 0xE8, 0xFF}
	// The bars: the Okabe-Ito palette (blue, bluish green, orange,
	// vermilion), told apart with any common colour-vision deficiency.
	colNeutral = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	colGood    = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	colFair    = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	colPoor    = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	colTarget  = color.RGBA{0x00, 0x00, 0x00, 0xFF}
)

// faces are the chart's fonts, parsed once.
var faces struct {
	once        sync.Once
	body, title font.Face
	err         error
}

func chartFaces() (body, title font.Face, err error) {
	faces.once.Do(func() {
		reg, err := opentype.Parse(goregular.TTF)
		if err != nil {
			faces.err = err
			return
		}
		bold, err := opentype.Parse(gobold.TTF)
		if err != nil {
			faces.err = err
			return
		}
		if faces.body, err = opentype.NewFace(reg, &opentype.FaceOptions{Size: bodyPx, DPI: 72, Hinting: font.HintingFull}); err != nil {
			faces.err = err
			return
		}
		faces.title, faces.err = opentype.NewFace(bold, &opentype.FaceOptions{Size: titlePx, DPI: 72, Hinting: font.HintingFull})
	})
	return faces.body, faces.title, faces.err
}

// RenderPNG draws the chart as a PNG: title, note, one labelled bar per
// row with its text, and a scale. A chart with no bars says "No data".
func RenderPNG(w io.Writer, ch Chart) error {
	img, err := drawChart(ch)
	if err != nil {
		return fmt.Errorf("quality: draw chart %s: %w", ch.ID, err)
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("quality: encode chart %s: %w", ch.ID, err)
	}
	return nil
}

// chartTop is the y of the first bar row's top for a chart whose note
// takes noteLines lines.
func chartTop(noteLines int) int { return chartMargin + titlePx + 12 + lineH*noteLines + 10 }

func width(f font.Face, s string) int { return font.MeasureString(f, s).Ceil() }

func drawChart(ch Chart) (*image.RGBA, error) {
	body, title, err := chartFaces()
	if err != nil {
		return nil, err
	}
	labelW := 0
	for _, b := range ch.Bars {
		if n := width(body, clean(b.Label)) + 16; n > labelW {
			labelW = n
		}
	}
	if labelW > maxLabelW {
		labelW = maxLabelW
	}
	noteLines := wrapPx(body, clean(ch.Note), chartW-2*chartMargin)
	if len(noteLines) > 3 {
		noteLines = noteLines[:3]
	}
	top := chartTop(len(noteLines))
	rows := len(ch.Bars)
	if rows == 0 {
		rows = 1
	}
	h := top + rows*rowH + 44 + chartMargin
	img := image.NewRGBA(image.Rect(0, 0, chartW, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(colBG), image.Point{}, draw.Src)

	text(img, title, chartMargin, chartMargin+titlePx-4, fitPx(title, clean(ch.Title), chartW-2*chartMargin), colInk)
	for i, l := range noteLines {
		text(img, body, chartMargin, chartMargin+titlePx+12+lineH*(i+1)-8, l, colMuted)
	}
	if len(ch.Bars) == 0 {
		text(img, body, chartMargin, top+bodyPx+4, "No data", colMuted)
		return img, nil
	}

	x0 := chartMargin + labelW
	plotW := chartW - chartMargin - textW - x0
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
	scale := func(v float64) int {
		if v < 0 || math.IsNaN(v) {
			v = 0
		}
		return x0 + int(math.Round(math.Min(v, maxV)/maxV*float64(plotW)))
	}
	bottom := top + len(ch.Bars)*rowH
	// Grid and scale.
	for v := 0.0; v <= maxV+step/2; v += step {
		x := scale(v)
		fill(img, image.Rect(x, top-4, x+1, bottom+4), colGrid)
		label := trimFloat(v)
		if ch.Unit == "%" {
			label += "%"
		}
		text(img, body, x-width(body, label)/2, bottom+30, label, colMuted)
	}
	if unit := ch.Unit; unit != "%" {
		text(img, body, scale(maxV)+14, bottom+30, unit, colMuted)
	}
	fill(img, image.Rect(x0, top-4, x0+2, bottom+4), colMuted)
	for i, b := range ch.Bars {
		y := top + i*rowH
		base := y + (rowH+bodyPx)/2 - 4
		text(img, body, chartMargin, base, fitPx(body, clean(b.Label), labelW-16), colInk)
		x1 := scale(b.Value)
		by := y + (rowH-barH)/2
		fill(img, image.Rect(x0+2, by, max(x1, x0+2), by+barH), barColour(b.Colour))
		// The text follows the bar, or the target mark when the mark
		// would cross it.
		end := max(x1, x0)
		label := clean(b.Text)
		if b.Target > 0 {
			tx := scale(b.Target)
			fill(img, image.Rect(tx-2, by-4, tx+2, by+barH+4), colTarget)
			if tx+2 >= end && tx-2 <= end+8+width(body, label) {
				end = tx + 2
			}
		}
		text(img, body, end+8, base, fitPx(body, label, chartW-chartMargin-end-8), colInk)
	}
	return img, nil
}

func barColour(c string) color.RGBA {
	switch c {
	case "good":
		return colGood
	case "fair":
		return colFair
	case "poor":
		return colPoor
	}
	return colNeutral
}

// niceStep is a grid step of 1, 2 or 5 times a power of ten giving four
// to ten steps up to v.
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
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r.Intersect(img.Bounds()), image.NewUniform(c), image.Point{}, draw.Src)
}

// text draws s in face f with its baseline at y.
func text(img *image.RGBA, f font.Face, x, y int, s string, c color.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// clean makes s one line of printable text (tabs and newlines as spaces,
// control characters dropped).
func clean(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFC.String(s) {
		switch {
		case r == '\n' || r == '\t':
			sb.WriteByte(' ')
		case unicode.IsControl(r):
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// wrapPx breaks s into lines at most w pixels wide at spaces.
func wrapPx(f font.Face, s string, w int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case width(f, line+" "+word) <= w:
			line += " " + word
		default:
			lines = append(lines, fitPx(f, line, w))
			line = word
		}
	}
	if line != "" {
		lines = append(lines, fitPx(f, line, w))
	}
	return lines
}

// fitPx shortens s to at most w pixels, ending in "…" when cut.
func fitPx(f font.Face, s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(f, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && width(f, string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
