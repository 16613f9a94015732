package people

import (
	"errors"
	"strings"
	"testing"
)

func TestNicknameTable(t *testing.T) {
	if n := DefaultNicknames.Len(); n < 150 {
		t.Fatalf("%d pairs, want at least 150", n)
	}
	for _, p := range [][2]string{
		{"bob", "robert"}, {"liz", "elizabeth"}, {"kate", "katherine"}, {"mo", "mohammed"}, {"sasha", "alexander"},
		{"kate", "katie"}, {"alex", "sasha"}, {"kuba", "jakub"}, {"mo", "muhammad"}, {"bill", "william"},
	} {
		if !DefaultNicknames.Same(p[0], p[1]) || !DefaultNicknames.Same(p[1], p[0]) {
			t.Errorf("%s and %s should be one name", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"charles", "charlotte"}, {"samuel", "samantha"}, {"john", "james"}, {"bob", "bill"}} {
		if DefaultNicknames.Same(p[0], p[1]) {
			t.Errorf("%s and %s should be two names", p[0], p[1])
		}
	}
}

func TestParseNicknamesErrors(t *testing.T) {
	for _, bad := range []string{"robert bob", "robert: bob smith", "two words: x", ": bob"} {
		if _, err := ParseNicknames(strings.NewReader(bad)); !errors.Is(err, ErrBadNicknames) {
			t.Errorf("ParseNicknames(%q) = %v, want ErrBadNicknames", bad, err)
		}
	}
	n, err := ParseNicknames(strings.NewReader("# comment\n\nRobert: Bob, Rob # trailing\n"))
	if err != nil || n.Len() != 2 || !n.Same("bob", "rob") {
		t.Fatalf("parse: %v, %d pairs", err, n.Len())
	}
}

// FuzzParseNicknames checks the parser never panics and that what it
// reads is a symmetric relation of normalised names.
func FuzzParseNicknames(f *testing.F) {
	f.Add(nicknamesTxt[:400])
	f.Add("a: b, c\nc: d")
	f.Add("José: Pepe\n# x\n:")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNicknames(strings.NewReader(s))
		if err != nil {
			return
		}
		for short, fulls := range n.full {
			if NormaliseName(short) != short {
				t.Fatalf("short form %q not normalised", short)
			}
			for _, f := range fulls {
				if !n.Same(short, f) || !n.Same(f, short) {
					t.Fatalf("%q and %q not the same both ways", short, f)
				}
			}
		}
	})
}
