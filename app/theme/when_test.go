package theme_test

import (
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/app/theme"
)

// TestTimesAsPeopleReadThem: the wire's UTC times are shown in the
// force's zone (British Summer Time in July), day/month/year, 24-hour.
func TestTimesAsPeopleReadThem(t *testing.T) {
	if err := theme.SetZone(theme.DefaultZone); err != nil {
		t.Fatal(err)
	}
	winter := time.Date(2026, 11, 25, 22, 30, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 July in London
	for _, c := range []struct{ got, want string }{
		{theme.When(winter), "25/11/2026 22:30"},
		{theme.When(summer), "02/07/2026 00:30"},
		{theme.Day(summer), "02/07/2026"},
		{theme.Clock(summer), "00:30"},
		{theme.WireText("2026-11-25T22:30:00Z"), "25/11/2026 22:30"},
		{theme.WireText("2026-07-01T23:30:00Z"), "02/07/2026 00:30"},
		{theme.WireText("2016-03-12"), "12/03/2016"},
		{theme.WireText("not a time"), "not a time"},
		{theme.Since(winter.Add(time.Hour), winter), "22:30"},
		{theme.Since(winter.Add(24*time.Hour), winter), "25/11/2026 22:30"},
		{theme.When(time.Time{}), "—"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if err := theme.SetZone("Nowhere/Atlantis"); err == nil {
		t.Error("an unknown zone was accepted")
	}
	if theme.Zone().String() != theme.DefaultZone {
		t.Errorf("a refused zone changed the zone to %s", theme.Zone())
	}
}
