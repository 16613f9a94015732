package supervisor_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/quality"
)

// TestQualityReport: the supervisor opens the data-quality report from the
// queue and sees the figures and charts for their teams, counted from the
// checks the central system holds.
func TestQualityReport(t *testing.T) {
	h := newHarness(t, false)
	h.submit("CAD-Q1", "Robin Example", false)
	h.signIn("sergeant1")
	u := h.u
	test.Tap(u.Queue.Report)
	h.wait("the report", func() bool { return u.Quality != nil && !u.Quality.Busy.Visible() })
	s := u.Quality
	if s.Message.Visible() {
		t.Fatalf("report refused: %s", s.Message.Text)
	}
	if !strings.Contains(strings.ToLower(s.Summary.Text), "ethnicity") || len(s.Charts) == 0 {
		t.Fatalf("report without ethnicity figures or charts: %d charts\n%s", len(s.Charts), s.Summary.Text)
	}
	for _, v := range s.Charts {
		if len(v.Chart.Bars) > 0 && (len(v.Bars) != len(v.Chart.Bars) || len(v.Table) != len(v.Chart.Bars)+1) {
			t.Errorf("%s: %d bars drawn, %d table rows, for %d figures", v.Chart.ID, len(v.Bars), len(v.Table), len(v.Chart.Bars))
		}
	}
	h.golden("quality")
	test.Tap(s.Back)
	if u.Queue == nil {
		t.Fatal("Back did not return to the queue")
	}
}

// TestChartViewReadable: a chart on screen is drawn with the app's own
// labels (its font and size), its bars in the Okabe-Ito colours by status
// and scaled to their values, and every figure is also in the table beside
// it, with its status in words.
func TestChartViewReadable(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.New(false, 1))
	ch := quality.Chart{ID: "t", Title: "Ethnicity recorded, by team", Unit: "%", Max: 100, Bars: []quality.Bar{
		{Label: "team-a", Value: 100, Text: "100.0% (8 of 8)", Colour: "good"},
		{Label: "team-b", Value: 50, Text: "50.0% (4 of 8)", Colour: "poor"},
	}}
	v := supervisor.NewChartView(ch)
	w := test.NewTempWindow(t, container.NewVScroll(v.Object()))
	w.Resize(fyne.NewSize(1280, 800))
	if v.Bars[0].FillColor != supervisor.ChartColour("good") || v.Bars[1].FillColor != supervisor.ChartColour("poor") {
		t.Errorf("bar colours %v %v", v.Bars[0].FillColor, v.Bars[1].FillColor)
	}
	if r, g, b, _ := v.Bars[0].FillColor.RGBA(); r>>8 != 0x00 || g>>8 != 0x9E || b>>8 != 0x73 {
		t.Errorf("good is not Okabe-Ito bluish green: %v", v.Bars[0].FillColor)
	}
	full, half := v.Bars[0].Size().Width, v.Bars[1].Size().Width
	if full < 200 || half < full/2-2 || half > full/2+2 {
		t.Errorf("bar widths %v and %v", full, half)
	}
	want := "team-a: 100.0% (8 of 8) (95% or more)\nteam-b: 50.0% (4 of 8) (below 80%)\n"
	if got := v.TableText(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	// The table is beside the chart on a landscape tablet, under it on a
	// portrait one.
	abs := func(o fyne.CanvasObject) float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).X }
	tx := abs(v.Table[1][0])
	if tx < 500 {
		t.Errorf("at 1280 wide the table starts at x=%v, not beside the chart", tx)
	}
	w.Resize(fyne.NewSize(800, 1280))
	if x := abs(v.Table[1][0]); x > 100 {
		t.Errorf("at 800 wide the table starts at x=%v, not under the chart", x)
	}
}
