package people

import (
	"math"
	"strconv"
	"strings"
)

// AgeRange returns the date of birth range for someone whose age was
// given as a range ("8 to 10") on day seen, each end widened by
// EstimateTolerance as FromEstimatedAge does.
func AgeRange(seen Date, lo, hi float64) DOB {
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo < 0 || math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(hi, 0) || hi > 130 || seen.IsZero() {
		return DOB{}
	}
	a, b := lo-EstimateTolerance(lo), hi+EstimateTolerance(hi)
	latest := seen.AddDays(-int(max(0, a) * 365.25))
	earliest := seen.AddDays(-int((b + 1) * 365.25))
	return DOB{Earliest: earliest, Latest: latest}
}

// ParseAge reads an estimated age as written: "8", "8.5", "about 8",
// "8-10", "8 to 10", "8/9", "approx 35". ok is false for anything else.
func ParseAge(s string, seen Date) (DOB, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range []string{"approximately", "approx", "about", "around", "aged", "age", "roughly", "c.", "~", "years old", "years", "yrs", "yr"} {
		s = strings.ReplaceAll(s, w, " ")
	}
	s = strings.NewReplacer(" to ", "-", "/", "-", "–", "-").Replace(" " + s + " ")
	s = strings.TrimSpace(s)
	if s == "" {
		return DOB{}, false
	}
	if lo, hi, ok := strings.Cut(s, "-"); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
		if err1 != nil || err2 != nil {
			return DOB{}, false
		}
		d := AgeRange(seen, a, b)
		return d, !d.IsZero()
	}
	a, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return DOB{}, false
	}
	d := FromEstimatedAge(seen, a)
	return d, !d.IsZero()
}
