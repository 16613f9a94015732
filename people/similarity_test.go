package people

import (
	"math"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"same", "same", 1},
		{"", "abc", 0},
		{"abc", "xyz", 0},
	} {
		if got := JaroWinkler(tc.a, tc.b); math.Abs(got-tc.want) > 0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", tc.a, tc.b, got, tc.want)
		}
		if JaroWinkler(tc.a, tc.b) != JaroWinkler(tc.b, tc.a) {
			t.Errorf("JaroWinkler(%q, %q) not symmetric", tc.a, tc.b)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		max  int
		want int
	}{
		{"johnson", "johson", 2, 1},    // deletion
		{"johnson", "jonhson", 2, 1},   // transposition
		{"smith", "smyth", 2, 1},       // substitution
		{"kitten", "sitting", 3, 3},    // classic
		{"kitten", "sitting", 1, 2},    // gives up at max+1
		{"abc", "", 5, 3},              // empty side
		{"ca", "abc", 3, 3},            // OSA, not full Damerau
		{"muhammad", "mohammed", 2, 2}, // two substitutions
	} {
		if got := EditDistance(tc.a, tc.b, tc.max); got != tc.want {
			t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.max, got, tc.want)
		}
	}
}
