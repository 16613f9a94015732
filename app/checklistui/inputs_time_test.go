package checklistui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/theme"
)

// TestDateTimeInTheForcesZone: the officer types and reads times in the
// force's zone (Europe/London, British Summer Time in July) and the entry
// holds ISO 8601 in UTC, whatever zone the tablet itself is set to.
func TestDateTimeInTheForcesZone(t *testing.T) {
	test.NewTempApp(t)
	if theme.Zone().String() != "Europe/London" {
		t.Fatalf("force's zone %s", theme.Zone())
	}
	summer := time.Date(2026, 7, 25, 21, 30, 0, 0, time.UTC) // 22:30 in London
	in := newDateTimeInput(time.Hour, func() time.Time { return summer }, func() {})
	in.e.SetText("25/07/2026 22:30")
	if v, msg := in.Get(); v != "2026-07-25T21:30:00Z" || msg != "" {
		t.Errorf("typed 25/07/2026 22:30 in London: stored %v %q, want 2026-07-25T21:30:00Z", v, msg)
	}
	in.Set("2026-07-25T21:30:00Z")
	if in.e.Text != "25/07/2026 22:30" {
		t.Errorf("shown %q, want 25/07/2026 22:30", in.e.Text)
	}
	test.Tap(in.now)
	if in.e.Text != "25/07/2026 22:30" {
		t.Errorf("Now shows %q, want 25/07/2026 22:30", in.e.Text)
	}
	winter := "2026-12-02T09:05:00Z"
	in.Set(winter)
	if in.e.Text != "02/12/2026 09:05" {
		t.Errorf("shown %q, want 02/12/2026 09:05", in.e.Text)
	}
}
