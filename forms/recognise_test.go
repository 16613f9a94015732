package forms_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

const recogniserFile = "recognise/disclosures-v1.json"

func loadRecogniser(t testing.TB) *forms.Recogniser {
	t.Helper()
	r, err := forms.LoadRecogniser(assets.FS, recogniserFile)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every pattern's examples: each "match" sentence is flagged by that very
// pattern (not dropped), and no "nomatch" sentence is flagged as its kind.
func TestRecogniserPatternExamples(t *testing.T) {
	r := loadRecogniser(t)
	for _, k := range r.Kinds {
		for _, p := range k.Patterns {
			for _, s := range p.Match {
				ok := false
				var why []string
				for _, f := range r.Scan(s) {
					if f.Pattern == p.ID {
						if f.Dropped == "" {
							ok = true
						} else {
							why = append(why, f.Dropped)
						}
					}
				}
				if !ok {
					t.Errorf("%s: must match %q (dropped: %v)", p.ID, s, why)
				}
			}
			for _, s := range p.NoMatch {
				for _, f := range r.Match(s) {
					if f.Kind == k.ID {
						t.Errorf("%s: must not match %q, but %s flagged %q", p.ID, s, f.Pattern, f.Phrase)
					}
				}
			}
		}
	}
}

func readSet(t testing.TB, name string) []forms.LabelledSentence {
	t.Helper()
	f, err := os.Open("testdata/recognise/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set, err := forms.ReadLabelled(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return set
}

// TestRecogniserFigures measures the recogniser on the labelled sets and
// prints the per-kind figures (go test ./forms -run TestRecogniserFigures
// -v, or go run ./cmd/checklist recognise-eval SET.tsv...). On the sets it
// was tuned on (tune.tsv; probe.tsv and probe2.tsv after the second and
// third rounds) every kind must reach recall 0.95 with at most 0.05 false
// prompts. heldout.tsv (written with tune.tsv, before any pattern, so not
// independent of the writer) and probe3.tsv (written after the last tuning
// round, committed before it was measured) are reported, never asserted:
// asserting them would invite tuning on them.
func TestRecogniserFigures(t *testing.T) {
	r := loadRecogniser(t)
	for _, name := range []string{"tune.tsv", "probe.tsv", "probe2.tsv", "heldout.tsv", "probe3.tsv"} {
		set := readSet(t, name)
		figs := forms.MeasureRecogniser(r, set)
		var b strings.Builder
		figs.WriteTable(&b, r)
		t.Logf("%s (%s %s):\n%s", name, r.Ref(), r.Hash()[:12], b.String())
		if name == "heldout.tsv" || name == "probe3.tsv" {
			continue
		}
		if name == "tune.tsv" && (figs.Sentences < 200 || figs.ByLang["cy"] < 40) {
			t.Errorf("%s: %d sentences, %d in Welsh: want at least 200 and 40", name, figs.Sentences, figs.ByLang["cy"])
		}
		for _, k := range figs.Kinds {
			if name == "tune.tsv" && (k.Positives < 10 || k.NearMisses < 10) {
				t.Errorf("%s: %s has %d disclosures and %d near misses: want 10 of each", name, k.Kind, k.Positives, k.NearMisses)
			}
			if k.Recall() < 0.95 {
				t.Errorf("%s: %s recall %.3f < 0.95", name, k.Kind, k.Recall())
			}
			if k.FalsePromptRate() > 0.05 {
				t.Errorf("%s: %s false prompts %.3f > 0.05", name, k.Kind, k.FalsePromptRate())
			}
		}
		if figs.NegativePromptRate() > 0.05 {
			t.Errorf("%s: %.3f of non-disclosures raised a prompt > 0.05", name, figs.NegativePromptRate())
		}
	}
}

func TestRecogniserNegationAndReportedSpeech(t *testing.T) {
	r := loadRecogniser(t)
	for _, c := range []struct {
		text string
		want string // kinds, comma-separated
	}{
		{"He never hit me.", ""},
		{"She said he hit her.", "hurt"},
		{"She said he never hit her.", ""},
		{"I hit the ball.", ""},
		{"He hit me, but he never touched me.", "hurt"},
		{"Nobody touched me. He hits me.", "hurt"},
		{"Did he hit you?", ""},
		{"I don't like it when he touches me.", "sexual"},
		{"Mae e'n fy nharo i. Wnaeth e ddim cyffwrdd â fi.", "hurt"},
		{"MAE E’N FY NHARO I", "hurt"},
		{"He said he would hurt me if I told.", "threatened"},
	} {
		if got := strings.Join(r.KindsIn(c.text), ","); got != c.want {
			t.Errorf("%q: got kinds %q, want %q (findings %+v)", c.text, got, c.want, r.Scan(c.text))
		}
	}
	// The dropped findings say why.
	for _, f := range r.Scan("He never hit me.") {
		if f.Dropped != "negated by “never”" {
			t.Errorf("dropped = %q", f.Dropped)
		}
	}
}

func TestParseRecogniserErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
	}{
		{"not json", `{`, "not a valid phrase list"},
		{"unknown field", `{"id":"x","version":"1","bogus":1}`, "unknown field"},
		{"no id", `{"negation":{},"kinds":[],"templates":{},"bindings":[]}`, "id and version are required"},
		{"bad regexp", `{"id":"x","version":"1","negation":{"en":{"cues":["not"],"window":3}},
			"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"en","re":"(","match":["a"],"nomatch":["b"]}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},"bindings":[]}`, "/kinds/0 (k)/patterns/0 (p): re: error parsing regexp"},
		{"unknown macro", `{"id":"x","version":"1","negation":{"en":{"cues":["not"],"window":3}},
			"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"en","re":"{NOPE}","match":["a"],"nomatch":["b"]}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},"bindings":[]}`, "macro {NOPE} is not defined"},
		{"no examples", `{"id":"x","version":"1","negation":{"en":{"cues":["not"],"window":3}},
			"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"en","re":"a"}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},"bindings":[]}`, "examples that must match"},
		{"no negation for language", `{"id":"x","version":"1","negation":{},
			"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"fr","re":"a","match":["a"],"nomatch":["b"]}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},"bindings":[]}`, `language "fr" has no negation rules`},
		{"kind without tick", `{"id":"x","version":"1","negation":{"en":{"cues":["not"],"window":3}},
			"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"en","re":"a","match":["a"],"nomatch":["b"]}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},
			"bindings":[{"checklist":"c","fields":[{"question":"q"}],"ticks":{}}]}`, `kind "k" has no tick`},
	} {
		_, err := forms.ParseRecogniser([]byte(c.doc))
		var le *forms.LoadError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a LoadError containing %q", c.name, err, c.want)
		}
	}
}

// The phrase list is frozen by its hash like a checklist: changing it
// needs a new version recorded in recognise/published.json.
func TestRecogniserPublished(t *testing.T) {
	r := loadRecogniser(t)
	pubs, err := forms.ReadPublished(assets.FS, forms.RecogniserDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pubs {
		if p.ID == r.ID && p.Version == r.Version {
			if p.SHA256 != r.Hash() {
				t.Fatalf("%s changed since it was published (%s, now %s): give it a new version", r.Ref(), p.SHA256, r.Hash())
			}
			return
		}
	}
	t.Fatalf("%s is not in recognise/published.json (hash %s)", r.Ref(), r.Hash())
}

// Every checklist the project publishes is read by the recogniser: a new
// checklist version needs its binding checked (questions, tick rules).
func TestRecogniserBoundToEveryChecklist(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range reg.Refs() {
		c, _ := reg.Get(ref)
		if c.Recogniser() == nil {
			t.Errorf("%s has no recogniser: add a binding for version %s in %s (its free-text questions and, per kind, the rules its tick fires), then record the new hash with `go run ./cmd/checklist recognise-publish assets/%s`",
				ref, ref.Version, recogniserFile, recogniserFile)
		}
	}
}

func FuzzParseRecogniser(f *testing.F) {
	data, err := assets.FS.ReadFile(recogniserFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"id":"x","version":"1","macros":{"A":"{A}"},"negation":{"en":{"cues":["not"],"window":3}},"kinds":[{"id":"k","name":{"en":"k"},"patterns":[{"id":"p","lang":"en","re":"{A}","match":["a"],"nomatch":["b"]}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := forms.ParseRecogniser(data)
		if err != nil {
			var le *forms.LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("error is not a LoadError with problems: %v", err)
			}
			return
		}
		if r.Hash() == "" {
			t.Fatal("no hash")
		}
		r.Scan(string(data))
	})
}

// FuzzRecogniserScan: any text scans without panic, deterministically,
// and every counted finding is one of the text's sentences.
func FuzzRecogniserScan(f *testing.F) {
	r := loadRecogniser(f)
	for _, s := range []string{"He never hit me.", "She said he hit her", "Mae e'n fy nharo i.", "??..!!", "\xff\xfe", "touch\u00a0me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a := r.Match(text)
		b := r.Match(text)
		if len(a) != len(b) {
			t.Fatal("not deterministic")
		}
		for _, x := range a {
			if !strings.Contains(text, x.Sentence) {
				t.Fatalf("finding sentence %q is not in the text", x.Sentence)
			}
		}
	})
}

// One phrase list per checklist version: another one is refused, so an
// entry is evaluated the same way for ever.
func TestOnePhraseListPerChecklistVersion(t *testing.T) {
	c := v1Checklist(t)
	data, err := assets.FS.ReadFile(recogniserFile)
	if err != nil {
		t.Fatal(err)
	}
	other, err := forms.ParseRecogniser([]byte(strings.Replace(string(data), `"version": "1.1.0"`, `"version": "1.1.1"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UseRecogniser(other); err == nil || !strings.Contains(err.Error(), "new checklist version") {
		t.Errorf("second phrase list: %v", err)
	}
	if got := c.Recogniser().Ref(); got != "disclosures@1.1.0" {
		t.Errorf("checklist now read by %s", got)
	}
	if err := c.UseRecogniser(loadRecogniser(t)); err != nil {
		t.Errorf("the same list again: %v", err)
	}
}
