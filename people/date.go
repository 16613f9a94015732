package people

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Date is a calendar date without a time or zone (a date of birth, the day
// of an entry). The zero Date means "not known".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns t's calendar date in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// MakeDate returns the date y-m-d; it does not check validity (see Valid).
func MakeDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date between years 1850 and
// 2200.
func (d Date) Valid() bool {
	if d.Year < 1850 || d.Year > 2200 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Days returns the number of days since 1970-01-01 (negative before).
func (d Date) Days() int { return int(d.Time().Unix() / 86400) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// AddYears returns d plus n years (29 February becomes 1 March in other
// years).
func (d Date) AddYears(n int) Date { return DateOf(d.Time().AddDate(n, 0, 0)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Days() < e.Days() }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ErrBadDate is returned by ParseDate for text that is not a valid
// YYYY-MM-DD date.
var ErrBadDate = errors.New("not a date (want YYYY-MM-DD)")

// ParseDate parses YYYY-MM-DD; "" gives the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("parse date %q: %w", s, ErrBadDate)
	}
	n := func(t string) int {
		v := 0
		for i := 0; i < len(t); i++ {
			c := t[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	d := Date{n(s[:4]), time.Month(n(s[5:7])), n(s[8:])}
	if !d.Valid() {
		return Date{}, fmt.Errorf("parse date %q: %w", s, ErrBadDate)
	}
	return d, nil
}

// MarshalText encodes d as YYYY-MM-DD ("" when zero).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD or "".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AgeOn returns the age in whole years of someone born on d, on day on.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// DOB is a date of birth: exact (Date set), estimated (Earliest and Latest
// bound it, from an estimated age), or unknown (zero).
type DOB struct {
	Date     Date `json:"date,omitzero"`
	Earliest Date `json:"earliest,omitzero"`
	Latest   Date `json:"latest,omitzero"`
}

// Exact returns an exact date of birth.
func Exact(d Date) DOB { return DOB{Date: d} }

// IsZero reports whether nothing is known of the date of birth.
func (b DOB) IsZero() bool { return b == DOB{} }

// Known reports whether the exact date is known.
func (b DOB) Known() bool { return !b.Date.IsZero() }

// Estimated reports whether only a range is known.
func (b DOB) Estimated() bool { return b.Date.IsZero() && !b.Earliest.IsZero() }

// Range returns the earliest and latest possible birth dates (equal when
// exact); ok is false when nothing is known.
func (b DOB) Range() (lo, hi Date, ok bool) {
	switch {
	case b.Known():
		return b.Date, b.Date, true
	case b.Estimated():
		return b.Earliest, b.Latest, true
	}
	return Date{}, Date{}, false
}

// String formats the date, "~lo..hi" for an estimate, "" when unknown.
func (b DOB) String() string {
	switch {
	case b.Known():
		return b.Date.String()
	case b.Estimated():
		return "~" + b.Earliest.String() + ".." + b.Latest.String()
	}
	return ""
}

// EstimateTolerance returns how far (in years, either way) an officer's
// estimate of someone's age is allowed to be out: a year for a young
// child, widening with age (a 35-year-old may be taken for 27 or 43).
func EstimateTolerance(age float64) float64 { return 1 + 0.2*age }

// FromEstimatedAge returns the date of birth range for someone whose age
// was estimated as age years (decimals allowed) on day seen, widened by
// EstimateTolerance.
func FromEstimatedAge(seen Date, age float64) DOB {
	if age < 0 || math.IsNaN(age) || math.IsInf(age, 0) || age > 130 || seen.IsZero() {
		return DOB{}
	}
	tol := EstimateTolerance(age)
	lo, hi := age-tol, age+tol
	if lo < 0 {
		lo = 0
	}
	// Born at most hi+1 years before seen (someone "35" may be 35.99), at
	// least lo years before.
	latest := seen.AddDays(-int(lo * 365.25))
	earliest := seen.AddDays(-int((hi + 1) * 365.25))
	return DOB{Earliest: earliest, Latest: latest}
}
