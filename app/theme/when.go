package theme

import (
	"fmt"
	"sync/atomic"
	"time"
	_ "time/tzdata" // the force's zone is known even where the system has no zone files
)

// DefaultZone is the force's time zone: every time on screen is shown in
// it, day/month/year and 24-hour; only the wire carries ISO 8601 (UTC).
const DefaultZone = "Europe/London"

// Screen formats of times.
const (
	// DayFormat is a date as people read it in the UK.
	DayFormat = "02/01/2006"
	// WhenFormat is a date and time.
	WhenFormat = "02/01/2006 15:04"
	// ClockFormat is a time of day.
	ClockFormat = "15:04"
)

var zone atomic.Pointer[time.Location]

func init() {
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		loc = time.UTC
	}
	zone.Store(loc)
}

// Zone returns the force's time zone.
func Zone() *time.Location { return zone.Load() }

// SetZone sets the force's time zone by IANA name ("Europe/London").
func SetZone(name string) error {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", name, err)
	}
	zone.Store(loc)
	return nil
}

// When is t as a date and time in the force's zone: "25/11/2026 22:30".
// The zero time is "—".
func When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Zone()).Format(WhenFormat)
}

// Day is t's date in the force's zone: "25/11/2026".
func Day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Zone()).Format(DayFormat)
}

// Clock is t's time of day in the force's zone: "22:30".
func Clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Zone()).Format(ClockFormat)
}

// Since is t for a list seen at now: the time of day when t is the same
// day in the force's zone, the date and time otherwise.
func Since(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	a, b := now.In(Zone()), t.In(Zone())
	if a.Year() == b.Year() && a.YearDay() == b.YearDay() {
		return b.Format(ClockFormat)
	}
	return b.Format(WhenFormat)
}

// WireText is a time or date as sent on the wire (RFC 3339, or a
// YYYY-MM-DD date) as people read it: "25/11/2026 22:30" or "25/11/2026".
// Anything else is returned as it is.
func WireText(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return When(t)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(DayFormat)
	}
	return s
}
