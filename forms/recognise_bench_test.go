package forms_test

import (
	"strconv"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// BenchmarkRecogniser measures what reading the free text costs Evaluate:
// the full entry (6 children, 4 adults) evaluated with the checklist
// parsed alone (baseline, no recogniser) and as the registry gives it
// (with the recogniser); and one scan of a child's words that misses the
// cache (the case when the officer has just typed).
func BenchmarkRecogniser(b *testing.B) {
	withR, data := fullEntry(b, 6, 4)
	raw, err := assets.FS.ReadFile("checklists/child-at-risk-v1.json")
	if err != nil {
		b.Fatal(err)
	}
	without, err := forms.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	e, err := forms.DecodeEntry(data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			if _, err := forms.Evaluate(without, e, forms.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("with-recogniser", func(b *testing.B) {
		for b.Loop() {
			if _, err := forms.Evaluate(withR, e, forms.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	r := withR.Recogniser()
	words := "Craig was shouting at mummy and there was a big bang. I put my headphones on so Leo wouldn't wake up. He does it when he's been drinking. He said he'd hurt mummy if I told. "
	n := 0
	b.Run("scan-uncached", func(b *testing.B) {
		for b.Loop() {
			n++
			r.Scan(words + strconv.Itoa(n))
		}
	})
}

// BenchmarkRecogniserV2Scan compares one uncached scan of the same words
// with phrase list 1.1.0 (baseline) and the format-2 list (patterns and
// frames judged on the clause). Compare the two in one run.
func BenchmarkRecogniserV2Scan(b *testing.B) {
	words := "Craig was shouting at mummy and there was a big bang. I put my headphones on so Leo wouldn't wake up. He does it when he's been drinking. He said he'd hurt mummy if I told. "
	for _, c := range []struct{ name, file string }{{"v1.1.0", recogniserFile}, {"v2", recogniserV2File}} {
		r, err := forms.LoadRecogniser(assets.FS, c.file)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				n++
				r.Scan(words + strconv.Itoa(n))
			}
		})
	}
}
