package forms

import (
	"os"
	"path/filepath"
	"reflect"
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
