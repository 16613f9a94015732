package supervisor_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
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
	for _, img := range s.Charts {
		if img.Resource == nil && img.Image == nil && img.File == "" {
			t.Error("a chart with no image")
		}
	}
	h.golden("quality")
	test.Tap(s.Back)
	if u.Queue == nil {
		t.Fatal("Back did not return to the queue")
	}
}
