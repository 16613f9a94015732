package people

import (
	"errors"
	"strings"
	"testing"
)

func TestGivenNamesDistinct(t *testing.T) {
	g := DefaultGivenNames
	if g.Len() < 300 {
		t.Fatalf("only %d spellings", g.Len())
	}
	for _, c := range []struct {
		a, b     string
		distinct bool
	}{
		{"jack", "jake", true},
		{"olivia", "oliver", true},
		{"amina", "amira", true},
		{"louis", "louise", true},
		{"jakc", "jack", false},         // a slip: not a name
		{"stephen", "steven", false},    // spellings of one name
		{"kayleigh", "kaylee", false},   // spellings of one name
		{"elizabeth", "liz", false},     // a short form is not judged
		{"mohammed", "muhammad", false}, // a transliteration
		{"charles", "charlotte", true},  // full names of the nickname table
		{"jack", "jack", false},
	} {
		if got := g.Distinct(c.a, c.b, DefaultNicknames); got != c.distinct {
			t.Errorf("Distinct(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestParseGivenNamesErrors(t *testing.T) {
	for _, in := range []string{"jack\njack, jackie\n", "mary jane\n"} {
		if _, err := ParseGivenNames(strings.NewReader(in)); !errors.Is(err, ErrBadGivenNames) {
			t.Errorf("%q: err %v, want ErrBadGivenNames", in, err)
		}
	}
	g, err := ParseGivenNames(strings.NewReader("# a comment\nsean, shaun # spellings\n\nshane\n"))
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 3 || g.Distinct("sean", "shaun", nil) || !g.Distinct("sean", "shane", nil) {
		t.Fatalf("parsed %d spellings wrongly", g.Len())
	}
}
