package quality

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/images/quality-*.png and testdata/report.txt")

// TestCharts renders every standard chart of the inspection fixture: each
// is a PNG with its title area, bars in the right colours and lengths.
func TestCharts(t *testing.T) {
	rep, err := Compute(checklist(t), inspectionRows(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	charts := rep.Charts()
	ids := map[string]bool{}
	for _, ch := range charts {
		ids[ch.ID] = true
		var buf bytes.Buffer
		if err := RenderPNG(&buf, ch); err != nil {
			t.Fatalf("%s: %v", ch.ID, err)
		}
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", ch.ID, err)
		}
		if b := img.Bounds(); b.Dx() != chartW || b.Dy() < 100 {
			t.Errorf("%s: %v", ch.ID, b)
		}
		if len(ch.Bars) == 0 {
			t.Errorf("%s has no bars", ch.ID)
		}
		if *update && (ch.ID == "details" || ch.ID == "review-times" || ch.ID == "ethnicity-by-team") {
			if err := os.WriteFile(filepath.Join("..", "docs", "images", "quality-"+ch.ID+".png"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range []string{"details", "ethnicity-by-team", "disability-sen-by-team", "voice-by-team",
		"ethnicity-by-month", "disability-sen-by-month", "review-times", "overdue-by-team", "return-reasons"} {
		if !ids[id] {
			t.Errorf("no chart %q", id)
		}
	}
	// The details chart's first bar is ethnicity, 75%: below 80%, so red;
	// disability and SEN (58.3%) red; seen (44 of 48 = 91.7%) amber.
	details := charts[0]
	for i, want := range map[int]string{0: "poor", 4: "poor", 5: "fair"} {
		if details.Bars[i].Colour != want {
			t.Errorf("details bar %d (%s, %.1f) colour %q, want %q", i, details.Bars[i].Label, details.Bars[i].Value, details.Bars[i].Colour, want)
		}
	}
}

// TestBarLengths: a bar's drawn length is its value's share of the scale.
func TestBarLengths(t *testing.T) {
	ch := Chart{ID: "t", Title: "Test", Unit: "%", Max: 100, Bars: []Bar{
		{Label: "full", Value: 100, Colour: "good"},
		{Label: "half", Value: 50, Colour: "fair"},
		{Label: "none", Value: 0, Colour: "poor"},
		{Label: "Zoë's team — ünïcode", Value: 25},
	}}
	img, err := drawChart(ch)
	if err != nil {
		t.Fatal(err)
	}
	full := run(img, 0, colGood)
	half := run(img, 1, colFair)
	if full < 200 || half < full/2-2 || half > full/2+2 {
		t.Errorf("bar lengths: full %d px, half %d px", full, half)
	}
	if n := run(img, 2, colPoor); n != 0 {
		t.Errorf("a zero bar is %d px long", n)
	}
	if q := run(img, 3, colNeutral); q < full/4-2 || q > full/4+2 {
		t.Errorf("quarter bar %d px, full %d", q, full)
	}
	// No bars: still a picture, saying so.
	var buf bytes.Buffer
	if err := RenderPNG(&buf, Chart{ID: "empty", Title: "Nothing"}); err != nil || buf.Len() == 0 {
		t.Errorf("empty chart: %v", err)
	}
}

// run counts the pixels of colour c on the middle line of bar i.
func run(img *image.RGBA, i int, c color.RGBA) int {
	top := chartTop(0) // charts in this test have no note
	y := top + i*rowH + rowH/2
	n := 0
	for x := 0; x < img.Bounds().Dx(); x++ {
		if img.RGBAAt(x, y) == c {
			n++
		}
	}
	return n
}

// TestTextGolden pins the plain-text report of the small fixture. Rewrite
// with go test ./quality -run TestTextGolden -args -update.
func TestTextGolden(t *testing.T) {
	rep, err := Compute(checklist(t), smallRows(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -args -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("text report differs from %s:\n%s", golden, buf.String())
	}
}

// TestChartTextReadable: the labels are drawn at a size read at arm's
// length (the ink of "Ethnicity" spans at least 14 px from the top of the
// "E" to the bottom of the "y"), not in an 8-pixel bitmap font.
func TestChartTextReadable(t *testing.T) {
	img, err := drawChart(Chart{ID: "t", Title: "Test", Unit: "%", Max: 100, Bars: []Bar{{Label: "Ethnicity", Value: 50, Colour: "good"}}})
	if err != nil {
		t.Fatal(err)
	}
	top := chartTop(0)
	minY, maxY := -1, -1
	for y := top; y < top+rowH; y++ {
		for x := chartMargin; x < chartMargin+120; x++ {
			if c := img.RGBAAt(x, y); c.R < 0x80 && c.G < 0x80 && c.B < 0x80 {
				if minY < 0 {
					minY = y
				}
				maxY = y
			}
		}
	}
	if minY < 0 || maxY-minY+1 < 14 {
		t.Errorf("label ink spans %d px (rows %d-%d)", maxY-minY+1, minY, maxY)
	}
}
