package forms_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// FuzzParse feeds arbitrary documents to the checklist loader: it must
// never panic, and every failure must be a LoadError naming its place.
func FuzzParse(f *testing.F) {
	f.Add(miniBytes(f))
	f.Add([]byte(`{"id":"x","version":"1.0.0","title":{"en":"x"},"sections":[{"id":"s","title":{"en":"s"},"questions":[{"id":"q","kind":"yesno","label":{"en":"q"},"relevant":"q == 'yes' &&"}]}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := forms.Parse(data)
		if err != nil {
			var le *forms.LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("error is not a located LoadError: %v", err)
			}
			return
		}
		if c.Hash() == "" {
			t.Fatal("loaded checklist has no hash")
		}
	})
}

// FuzzDecodeEntry feeds arbitrary entry documents to the decoder and
// evaluates what decodes: no panic, errors name the place.
func FuzzDecodeEntry(f *testing.F) {
	c := loadMini(f)
	good, err := readyMini().Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"id":"a","checklist":{"id":"mini","version":"1.0.0"},"revision":1,"answers":{"x":{"value":[1]}}}`))
	f.Add([]byte(`{"id":"a","checklist":{"id":"mini","version":"1.0.0"},"revision":1,"groups":{"kid":[{"id":"k","answers":{"kid_age":{"value":1e308}}}]},"relationships":[{"from":"k","to":"k","type":"parent"}]}`))
	f.Add([]byte(`{"id":"a"} trailing`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := forms.DecodeEntry(data)
		if err != nil {
			var de *forms.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error is not a DecodeError: %v", err)
			}
			return
		}
		if e.Checklist != c.Ref() {
			return
		}
		r, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatalf("evaluate decoded entry: %v", err)
		}
		if r.Ready != (len(r.Problems) == 0) {
			t.Fatal("ready disagrees with problems")
		}
		// Round trip: what decodes re-encodes and decodes to the same hash.
		h1, err := forms.ContentHash(e)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := e.Encode()
		e2, err := forms.DecodeEntry(b)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if h2, _ := forms.ContentHash(e2); h1 != h2 {
			t.Fatal("content hash changed across a round trip")
		}
	})
}

// FuzzExpression compiles arbitrary rule expressions into the mini
// checklist and evaluates them: a bad expression is a load error, a good
// one never panics at run time.
func FuzzExpression(f *testing.F) {
	base := string(miniBytes(f))
	const anchor = `"when": "'weapons' in hazards"`
	if !strings.Contains(base, anchor) {
		f.Fatal("fixture changed")
	}
	for _, s := range []string{"'weapons' in hazards", "rooms / 0 > 1", "len(kid) > 2 && kid[5].kid_name == ''",
		"yearsBetween(inc_time, '2030-01-01') > 3", "any(grown, {.grown_drunk == 'yes'})", "hazards[10] == 'x'", "int('x') > 0"} {
		f.Add(s)
	}
	entry := readyMini()
	entry.Answers["rooms"] = forms.Answer{Value: 3.0}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := json.Marshal(src)
		if err != nil {
			return
		}
		doc := strings.Replace(base, anchor, `"when": `+string(q), 1)
		c, err := forms.Parse([]byte(doc))
		if err != nil {
			return
		}
		if _, err := forms.Evaluate(c, entry, forms.Options{}); err != nil {
			t.Fatalf("evaluate: %v", err)
		}
	})
}
