package forms

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The anchor prefilter only skips work: scanning every labelled sentence
// with and without it finds the same.
func TestAnchorsChangeNothing(t *testing.T) {
	r, err := LoadRecogniser(os.DirFS(filepath.Join("..", "assets")), "recognise/disclosures-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	withAnchors := 0
	for _, cp := range r.pats {
		if cp.anchors != nil {
			withAnchors++
		}
	}
	if withAnchors < len(r.pats)/2 {
		t.Errorf("only %d of %d patterns have anchors", withAnchors, len(r.pats))
	}
	names, _ := filepath.Glob("testdata/recognise/*.tsv")
	n, step := 0, 1
	if raceDetector || testing.Short() {
		step = 7 // every seventh text: the full check takes minutes under -race
	}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		set, err := ReadLabelled(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range set {
			if i%step != 0 {
				continue
			}
			n++
			if a, b := r.scan(s.Text, true), r.scan(s.Text, false); !reflect.DeepEqual(a, b) {
				t.Errorf("%s line %d: with anchors %+v, without %+v", name, s.Line, a, b)
			}
		}
	}
	for _, k := range r.Kinds {
		for _, p := range k.Patterns {
			for i, s := range append(append([]string{}, p.Match...), p.NoMatch...) {
				if (n+i)%step != 0 {
					continue
				}
				n++
				if a, b := r.scan(s, true), r.scan(s, false); !reflect.DeepEqual(a, b) {
					t.Errorf("%s example %q: with anchors %+v, without %+v", p.ID, s, a, b)
				}
			}
		}
	}
	t.Logf("%d of %d patterns have anchors; %d texts scanned both ways", withAnchors, len(r.pats), n)
}

func TestOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"touched", "toutched", true}, {"touched", "tuoched", true}, {"touched", "touchd", true},
		{"touched", "couched", true}, {"touched", "touched", false}, {"touched", "tousched", true},
		{"hit", "hat", true}, {"threatened", "thretened", true}, {"abc", "abcde", false}, {"ab", "ba", true},
	} {
		if got := oneEdit(c.a, c.b); got != c.want {
			t.Errorf("oneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
	// Typos need five letters and the same first letter; Welsh mutated
	// forms get none.
	for _, c := range []struct {
		forms     []string
		stem, mut bool
		tok       string
		want      bool
	}{
		{[]string{"touch"}, true, false, "toutched", true},
		{[]string{"touch"}, true, false, "couched", false},
		{[]string{"hit"}, false, false, "hat", false},
		{[]string{"punch"}, true, false, "punched", true},
		{welshMutations("dyrnu"), false, true, "dynnu", false},
		{[]string{"smash"}, true, false, "stash", false},
		{[]string{"smash"}, true, false, "samsh", true},
		{[]string{"threaten"}, true, false, "thraetened", true},
		{[]string{"punch"}, true, false, "punchd", true},
		{welshMutations("taro"), false, true, "nharo", true},
	} {
		if got := wordMatches(c.forms, c.stem, c.mut, c.tok); got != c.want {
			t.Errorf("wordMatches(%v, %q) = %v", c.forms, c.tok, got)
		}
	}
}

func TestWelshMutations(t *testing.T) {
	got := strings.Join(welshMutations("cicio"), ",")
	if got != "cicio,gicio,nghicio,chicio" {
		t.Errorf("cicio: %s", got)
	}
	got = strings.Join(welshMutations("bwyd"), ",")
	if got != "bwyd,fwyd,mwyd" {
		t.Errorf("bwyd: %s", got)
	}
	got = strings.Join(welshMutations("llun"), ",")
	if got != "llun,lun" {
		t.Errorf("llun: %s", got)
	}
}

func TestFrameTokens(t *testing.T) {
	brk := func(w string) bool { return w == "but" }
	toks := frameTokens(foldText("He didn't, but Mae e'n i'w"), brk)
	var ws []string
	var cl []int
	for _, x := range toks {
		ws = append(ws, x.w)
		cl = append(cl, x.clause)
	}
	if strings.Join(ws, " ") != "he didnt but mae e n i w" {
		t.Errorf("tokens %q", ws)
	}
	if cl[0] != cl[1] || cl[2] == cl[1] || cl[3] != cl[2] {
		t.Errorf("clauses %v", cl)
	}
}
