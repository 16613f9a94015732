package forms_test

import (
	"fmt"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// FullEntry returns the complete example entry grown to the given number
// of children and adults (copies of the example's first child and adult,
// each linked to the first adult), as JSON.
func fullEntry(tb testing.TB, children, adults int) (*forms.Checklist, []byte) {
	tb.Helper()
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := assets.FS.ReadFile("examples/complete-entry.json")
	if err != nil {
		tb.Fatal(err)
	}
	e, err := forms.DecodeEntry(data)
	if err != nil {
		tb.Fatal(err)
	}
	c, ok := reg.Get(e.Checklist)
	if !ok {
		tb.Fatal("example checklist not published")
	}
	grow := func(group string, n int) {
		proto := e.Groups[group][0]
		for i := len(e.Groups[group]); i < n; i++ {
			inst := forms.Instance{ID: fmt.Sprintf("%s-%08d-0000-4000-8000-000000000000", group[:1], i), Answers: map[string]forms.Answer{}}
			for k, v := range proto.Answers {
				inst.Answers[k] = v
			}
			e.Groups[group] = append(e.Groups[group], inst)
		}
	}
	grow("child", children)
	grow("adult", adults)
	firstAdult := e.Groups["adult"][0].ID
	for _, ch := range e.Groups["child"][2:] {
		e.Relationships = append(e.Relationships, forms.Relationship{From: firstAdult, To: ch.ID, Type: "parent"})
	}
	out, err := e.Encode()
	if err != nil {
		tb.Fatal(err)
	}
	return c, out
}

func TestFullEntryIsReady(t *testing.T) {
	c, data := fullEntry(t, 6, 4)
	e, err := forms.DecodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ready || len(e.Groups["child"]) != 6 || len(e.Groups["adult"]) != 4 {
		t.Fatalf("benchmark entry: ready=%v children=%d adults=%d problems=%+v", r.Ready, len(e.Groups["child"]), len(e.Groups["adult"]), r.Problems)
	}
}

// BenchmarkEvaluate measures Evaluate on a full entry (6 children, 4
// adults) against decoding the same entry's JSON, the baseline.
func BenchmarkEvaluate(b *testing.B) {
	c, data := fullEntry(b, 6, 4)
	e, err := forms.DecodeEntry(data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := forms.DecodeEntry(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := forms.Evaluate(c, e, forms.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoad measures loading and compiling the child-at-risk checklist
// (done once per version at start-up), against decoding its JSON.
func BenchmarkLoad(b *testing.B) {
	data, err := assets.FS.ReadFile("checklists/child-at-risk-v1.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			var c forms.Checklist
			if err := jsonUnmarshal(data, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := forms.Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	// How the registries load a published version: its hash is checked
	// against published.json and the schema pass, already passed at
	// publication, is not run again; everything else is.
	pubs, err := forms.ReadPublished(assets.FS, "checklists")
	if err != nil || len(pubs) == 0 || pubs[0].Version != "1.0.0" {
		b.Fatalf("published.json: %v %v", pubs, err)
	}
	b.Run("published", func(b *testing.B) {
		for b.Loop() {
			if _, err := forms.ParsePublished(data, pubs[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoadWelsh compares loading 2.0.0 (English) with 3.0.0 (the
// same checklist with every text in Welsh too, so a larger file and the
// loader's check that every declared language has every text).
func BenchmarkLoadWelsh(b *testing.B) {
	for _, v := range []string{"v2", "v3"} {
		data, err := assets.FS.ReadFile("checklists/child-at-risk-" + v + ".json")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v, func(b *testing.B) {
			for b.Loop() {
				if _, err := forms.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
