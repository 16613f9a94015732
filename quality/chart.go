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
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
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
	ragNote     = "Green 95% or more, amber 80-95%, red below 80%."
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

// Chart geometry, in pixels.
const (
	chartW      = 760
	chartMargin = 14
	rowH        = 22
	barH        = 15
	textW       = 170 // room after the bars for their text
	maxLabelW   = 280
	glyphW      = 7 // basicfont.Face7x13 advance
)

var (
	colBG      = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colInk     = color.RGBA{0x1A, 0x1A, 0x1A, 0xFF}
	colMuted   = color.RGBA{0x55, 0x5F, 0x6B, 0xFF}
	colGrid    = color.RGBA{0xDD, 0xE2, 0xE8, 0xFF}
	colNeutral = color.RGBA{0x1F, 0x3A, 0x5F, 0xFF}
	colGood    = color.RGBA{0x2E, 0x7D, 0x32, 0xFF}
	colFair    = color.RGBA{0xE0, 0x9A, 0x00, 0xFF}
	colPoor    = color.RGBA{0xC6, 0x28, 0x28, 0xFF}
	colTarget  = color.RGBA{0x00, 0x00, 0x00, 0xFF}
)

// RenderPNG draws the chart as a PNG: title, note, one labelled bar per
// row with its text, and a scale. Labels print in ASCII (accents are
// dropped; other characters print as "?"). A chart with no bars says "No
// data".
func RenderPNG(w io.Writer, ch Chart) error {
	img := drawChart(ch)
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("quality: encode chart %s: %w", ch.ID, err)
	}
	return nil
}

func drawChart(ch Chart) *image.RGBA {
	labelW := 0
	for _, b := range ch.Bars {
		if n := len(ascii(b.Label))*glyphW + 10; n > labelW {
			labelW = n
		}
	}
	if labelW > maxLabelW {
		labelW = maxLabelW
	}
	noteLines := wrap(ascii(ch.Note), (chartW-2*chartMargin)/glyphW)
	if len(noteLines) > 2 {
		noteLines = noteLines[:2]
	}
	top := chartMargin + 26 + 6 + 15*len(noteLines)
	rows := len(ch.Bars)
	if rows == 0 {
		rows = 1
	}
	h := top + rows*rowH + 30 + chartMargin
	img := image.NewRGBA(image.Rect(0, 0, chartW, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(colBG), image.Point{}, draw.Src)

	text(img, chartMargin, chartMargin+22, ascii(ch.Title), colInk, 2)
	for i, l := range noteLines {
		text(img, chartMargin, chartMargin+26+14+15*i, l, colMuted, 1)
	}
	if len(ch.Bars) == 0 {
		text(img, chartMargin, top+15, "No data", colMuted, 1)
		return img
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
		text(img, x-len(label)*glyphW/2, bottom+18, label, colMuted, 1)
	}
	unit := ch.Unit
	if unit != "%" {
		text(img, scale(maxV)+10, bottom+18, unit, colMuted, 1)
	}
	fill(img, image.Rect(x0, top-4, x0+1, bottom+4), colMuted)
	for i, b := range ch.Bars {
		y := top + i*rowH
		text(img, chartMargin, y+barH-3, fit(ascii(b.Label), (labelW-10)/glyphW), colInk, 1)
		x1 := scale(b.Value)
		fill(img, image.Rect(x0+1, y+2, max(x1, x0+1), y+2+barH), barColour(b.Colour))
		// The text follows the bar, or the target mark when the mark
		// would cross it.
		end := max(x1, x0)
		label := ascii(b.Text)
		if b.Target > 0 {
			tx := scale(b.Target)
			fill(img, image.Rect(tx-1, y, tx+2, y+barH+4), colTarget)
			if tx+2 >= end && tx-1 <= end+6+len(label)*glyphW {
				end = tx + 2
			}
		}
		text(img, end+6, y+barH-3, fit(label, (chartW-chartMargin-end-6)/glyphW), colInk, 1)
	}
	return img
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

// text draws s with its baseline at y, scale times the size of
// basicfont.Face7x13.
func text(img *image.RGBA, x, y int, s string, c color.RGBA, scale int) {
	if scale <= 1 {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
		d.DrawString(s)
		return
	}
	face := basicfont.Face7x13
	mask := image.NewAlpha(image.Rect(0, 0, len(s)*face.Advance+1, face.Height))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(s)
	top := y - face.Ascent*scale
	b := mask.Bounds()
	for my := b.Min.Y; my < b.Max.Y; my++ {
		for mx := b.Min.X; mx < b.Max.X; mx++ {
			if mask.AlphaAt(mx, my).A > 127 {
				fill(img, image.Rect(x+mx*scale, top+my*scale, x+(mx+1)*scale, top+(my+1)*scale), c)
			}
		}
	}
}

// ascii makes s printable with basicfont: accents dropped ("Zoë" ->
// "Zoe"), other non-ASCII characters as "?".
func ascii(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\n' || r == '\t':
			sb.WriteByte(' ')
		case r >= 0x20 && r < 0x7f:
			sb.WriteRune(r)
		case r == '—' || r == '–':
			sb.WriteByte('-')
		default:
			sb.WriteByte('?')
		}
	}
	return sb.String()
}

// wrap breaks s into lines of at most n characters at spaces.
func wrap(s string, n int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= n:
			line += " " + w
		default:
			lines = append(lines, fit(line, n))
			line = w
		}
	}
	if line != "" {
		lines = append(lines, fit(line, n))
	}
	return lines
}

// fit shortens s to n characters, ending in "..." when cut.
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	if n <= 3 {
		return s[:n]
	}
	return s[:n-3] + "..."
}
