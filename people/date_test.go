package people

import (
	"errors"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2012-04-03", true}, {"2012-02-29", true}, {"2013-02-29", false}, {"2012-13-01", false},
		{"2012-4-3", false}, {"20120403", false}, {"1800-01-01", false}, {"2012-04-0x", false}, {"", true},
	} {
		d, err := ParseDate(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("ParseDate(%q) error %v, want ok %v", tc.in, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) error %v not ErrBadDate", tc.in, err)
		}
		if err == nil && d.String() != tc.in {
			t.Errorf("ParseDate(%q).String() = %q", tc.in, d.String())
		}
	}
}

func TestAgeAndEstimate(t *testing.T) {
	born := MakeDate(2015, 6, 10)
	for on, want := range map[Date]int{MakeDate(2025, 6, 9): 9, MakeDate(2025, 6, 10): 10, MakeDate(2026, 1, 1): 10} {
		if got := born.AgeOn(on); got != want {
			t.Errorf("AgeOn(%v) = %d, want %d", on, got, want)
		}
	}
	seen := MakeDate(2025, 6, 1)
	est := FromEstimatedAge(seen, 10)
	lo, hi, ok := est.Range()
	if !ok || !est.Estimated() || est.Known() {
		t.Fatalf("estimate %+v", est)
	}
	if !lo.Before(born) || !born.Before(hi) {
		t.Errorf("a ten-year-old born %v is outside the estimate %v", born, est)
	}
	if got := hi.AgeOn(seen); got < 6 || got > 8 {
		t.Errorf("latest birth date %v gives age %d on %v", hi, got, seen)
	}
	for _, bad := range []float64{-1, 200} {
		if !FromEstimatedAge(seen, bad).IsZero() {
			t.Errorf("FromEstimatedAge(%v) should be unknown", bad)
		}
	}
}

// FuzzParseDate checks that what parses prints back as given.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2012-04-03", "2012-02-30", "", "9999-99-99", "2012-04-03x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		if s != "" && !d.Valid() {
			t.Fatalf("ParseDate(%q) invalid %+v", s, d)
		}
	})
}
