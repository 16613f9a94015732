package forms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// recogniserV2File is phrase list 2.2.0 (format 2: classes and frames),
// the one checklist 3.0.0 is read by. Checklists 1.0.0 and 2.0.0 stay
// bound to recogniserFile.
const recogniserV2File = "recognise/disclosures-v2.json"

// recogniserV3File is the newest phrase list, 2.3.0 (format 2, wider
// lexicons), bound to the next checklist version (3.1.0): a checklist
// version is read by one list for ever, and 3.0.0 is read by 2.2.0.
const recogniserV3File = "recognise/disclosures-v3.json"

// recogniserV4File is the newest phrase list, 2.4.0 (2.3.0 generalised by
// concept: wider word classes, new nets and frames, Welsh mutations),
// bound to checklist 3.2.0; 3.1.0 keeps 2.3.0.
const recogniserV4File = "recognise/disclosures-v4.json"

// recogniserV5File is the newest phrase list, 2.5.0 (2.4.0 generalised by
// structure on s6a's misses: Welsh verb stems and inflected prepositions,
// talk about a harm, another country, passive purpose), bound to
// checklist 3.3.0; 3.2.0 keeps 2.4.0.
const recogniserV5File = "recognise/disclosures-v5.json"

// formatTwoFiles are the published format-2 lists still in assets: each
// keeps its examples passing.
var formatTwoFiles = []string{recogniserV2File, recogniserV3File, recogniserV4File, recogniserV5File}

// loadRecogniserV2 loads the newest format-2 list.
func loadRecogniserV2(t testing.TB) *forms.Recogniser {
	t.Helper()
	return loadRecogniserFile(t, recogniserV5File)
}

func loadRecogniserFile(t testing.TB, file string) *forms.Recogniser {
	t.Helper()
	r, err := forms.LoadRecogniser(assets.FS, file)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkExamples: each "match" sentence is flagged (not dropped) by the
// pattern or frame id, and no "nomatch" sentence is flagged as the kind.
func checkExamples(t *testing.T, r *forms.Recogniser, kind, id string, match, nomatch []string) {
	t.Helper()
	for _, s := range match {
		ok := false
		var why []string
		for _, f := range r.Scan(s) {
			if f.Pattern == id {
				if f.Dropped == "" {
					ok = true
				} else {
					why = append(why, f.Dropped)
				}
			}
		}
		if !ok {
			t.Errorf("%s: must match %q (dropped: %v)", id, s, why)
		}
	}
	for _, s := range nomatch {
		for _, f := range r.Match(s) {
			if f.Kind == kind {
				t.Errorf("%s: must not match %q, but %s flagged %q", id, s, f.Pattern, f.Phrase)
			}
		}
	}
}

// Every frame and every pattern of the format-2 list with its examples.
func TestRecogniserV2Examples(t *testing.T) {
	for _, file := range formatTwoFiles {
		t.Run(file, func(t *testing.T) { checkListExamples(t, loadRecogniserFile(t, file)) })
	}
}

func checkListExamples(t *testing.T, r *forms.Recogniser) {
	frames := 0
	for _, k := range r.Kinds {
		for _, f := range k.Frames {
			frames++
			checkExamples(t, r, k.ID, f.ID, f.Match, f.NoMatch)
		}
		for _, p := range k.Patterns {
			checkExamples(t, r, k.ID, p.ID, p.Match, p.NoMatch)
		}
		for _, n := range k.Nets {
			checkExamples(t, r, k.ID, n.ID, n.Match, n.NoMatch)
		}
		if len(k.Frames) == 0 {
			t.Errorf("%s has no frames", k.ID)
		}
	}
	if r.Format != 2 || frames < 60 {
		t.Errorf("format %d with %d frames", r.Format, frames)
	}
}

// Negation, questions and hypotheticals are judged on the clause: what
// the child says after a comma or "but" is not negated by what came
// before, a question typed without "?" is still a question, and negative
// concord ("ddim ... dim") is not a denial.
func TestRecogniserV2ClauseJudgement(t *testing.T) {
	r := loadRecogniserV2(t)
	for _, c := range []struct {
		text string
		want string // kinds, comma-separated; "" for none
	}{
		{"he never hit me", ""},
		{"she said he hit her", "hurt"},
		{"she said that he did not hit her", ""},
		{"he didnt mean it but he hit me", "hurt"},
		{"i dont know why he hits me", "hurt"},
		{"did he hit you", ""},
		{"has anyone touched you", ""},
		{"what if someone hurt you", ""},
		{"she is scared someone might touch her", ""},
		{"he said he would never hurt me", ""},
		{"he said he will hurt me", "threatened"},
		{"he denied that he hit her", ""},
		{"theres never any food at home", "food"},
		{"Dydyn ni ddim yn cael dim i'w fwyta", "food"},
		{"Dydy hi byth yn mynd i'r gwely heb fwyd", ""},
		{"Dydyn nhw ddim yn gadael i fi fynd adref", "not_home"},
		{"Wnaeth neb fy mwrw i", ""},
		{"Mae Dad yn fy nghicio i", "hurt"},
		{"he toutched my privates", "sexual"},
		{"im starving", ""},
		{"he killed it at football", ""},
		{"mum took my phone", ""},
	} {
		got := strings.Join(r.KindsIn(c.text), ",")
		if got != c.want {
			t.Errorf("%q: prompts %q, want %q", c.text, got, c.want)
			for _, f := range r.Scan(c.text) {
				t.Logf("  %s %s “%s” %s", f.Kind, f.Pattern, f.Phrase, f.Dropped)
			}
		}
	}
}

// Every prompt is explained: the finding names the frame and the words.
func TestRecogniserV2Explains(t *testing.T) {
	r := loadRecogniserV2(t)
	ok := false
	for _, f := range r.Scan("Child said uncle does stuff to her when shes staying over.") {
		ok = ok || (f.Kind == "sexual" && f.Pattern == "f-sexual-does-stuff" && f.Phrase == "does stuff to her" && f.Dropped == "")
	}
	if !ok {
		t.Errorf("no finding of f-sexual-does-stuff on “does stuff to her”")
	}
	for _, f := range r.Scan("He never touched me, did he?") {
		if f.Dropped == "" {
			t.Errorf("%s on %q counts", f.Pattern, f.Phrase)
		}
	}
}

// The figures on the labelled sets, asserted with each set's bounds.
// These are accuracy gates, not timings. probe4 (written before the
// redesign; the frames were written with it in view and tuned on it),
// The newest list's figures on every labelled set. The tuning sets
// (tune, probe to probe2, probe4, probe5, probe7, dev7) must reach recall
// 0.95 per kind with at most 0.05 false prompts per kind, except where a
// known miss is listed (probe3: sexual and not_home 0.8; dev7: one hurt
// miss, 8 of 9). probe6 was written after 2.1.0 and tuned on for 2.3.0.
// probe8 was written after the frames of 2.3.0 and measured once (recall
// 29 of 40, as 2.2.0); the nets were then written with its misses in
// view, so it is a tuning set now (33 of 40). probe9 was written before
// the nets and measured once after them: recall 0.4 to 1.0 by kind, 31 of
// 40 overall (the frames alone: 29 of 40), at most 2 of 75 false prompts
// per kind, 2 of 40 non-disclosures prompted (2.3.0). 2.4.0 was then
// generalised by concept with probe8's and probe9's misses in view, so
// both are tuning sets for 2.4.0 (38 of 40 each).
//
// Session 5 (2.4.0). probe10 and outside10 (minimal paraphrases of
// published children's words and practitioners' accounts, sources in the
// file) were committed before any 2.4.0 change and measured once on 2.3.0:
// probe10 39 of 41 (but 6 of 40 non-disclosures prompted), outside10 42 of
// 59 (food 0.43, threatened 0.43, photographed 0.57; 10 of 35 prompted).
// 2.4.0 was tuned on both (probe10 41 of 41, outside10 57 of 59). probe11
// was written and committed before any 2.4.0 change, not opened while
// tuning, and measured once at the end: 22 of 24 (food and abroad 2 of 3),
// at most 1 of 37 false prompts per kind, 2 of 16 non-disclosures
// prompted (2.3.0: 21 of 24). probe12 (80) was written after that and
// measured once: 2.3.0 and 2.4.0 both 33 of 40 (food and not_home 0.6),
// 2 of 40 prompted; then tuned on (round 6): a tuning set now (39 of 40).
// probe13 (48) was written after round 6, the last change, and measured
// once: 23 of 32 (hurt 1 of 4, not_home 2 of 4; 2.3.0: 22 of 32), no
// non-disclosure prompted; probe11 on the final list is still 22 of 24.
// The probe11 and probe13 bounds are those measurements: floors, never
// targets to tune to.
const probe11MinRecall, probe11MinAll, probe11MaxAny = 0.66, 0.9, 0.125
const probe13MinRecall, probe13MinAll, probe13MaxAny = 0.25, 0.71, 0.0

// Session 6 (2.5.0). s6a (96, tuning) and s6b (128, holdout) were written
// before the list was read that session and committed before either was
// measured: 2.4.0 s6a 42 of 48, s6b 51 of 64. 2.5.0 was generalised by
// structure on s6a's misses (48 of 48) and s6b was measured once on the
// final 2.5.0: 52 of 64 (carry_sell 5 of 8, abroad 4 of 8, hurt 6 of 8),
// at most 2 of 120 false prompts per kind, 3 of 64 non-disclosures
// prompted. probe11 and probe13 (never read by the session 6 engineer)
// on 2.5.0: 23 of 24 and 25 of 32. Then 2.5.0 was tuned on s6b's misses
// (round 4): s6b is a tuning set now (64 of 64) and is asserted as one.

const probe9MinRecall, probe9MinAll, probe9MaxAny = 0.8, 0.95, 0.05

func TestRecogniserV2Figures(t *testing.T) {
	r := loadRecogniserV2(t)
	for _, c := range []struct {
		set                string
		minRecall, maxRate float64
		minAll             float64 // overall recall
		maxAny             float64 // non-disclosures raising any prompt
	}{
		{"tune.tsv", 0.95, 0.05, 0.95, 0.05},
		{"heldout.tsv", 0.95, 0.05, 0.95, 0.05},
		{"probe.tsv", 0.95, 0.05, 0.95, 0.05},
		{"probe2.tsv", 0.95, 0.05, 0.95, 0.05},
		{"probe3.tsv", 0.8, 0.05, 0.9, 0.05},
		{"probe4.tsv", 0.95, 0.05, 0.95, 0.05},
		{"probe5.tsv", 0.95, 0.05, 0.95, 0.05},
		{"probe6.tsv", 0.75, 0.05, 0.9, 0.05},
		{"probe7.tsv", 0.95, 0.05, 0.95, 0.05},
		{"dev7.tsv", 0.85, 0.05, 0.95, 0.05},
		{"probe8.tsv", 0.8, 0.05, 0.95, 0.125},
		{"probe9.tsv", probe9MinRecall, 0.05, probe9MinAll, probe9MaxAny},
		{"probe10.tsv", 0.95, 0.05, 0.95, 0.05},
		{"outside10.tsv", 0.75, 0.05, 0.95, 0.15},
		{"probe11.tsv", probe11MinRecall, 0.05, probe11MinAll, probe11MaxAny},
		{"probe12.tsv", 0.8, 0.05, 0.95, 0.05},
		{"probe13.tsv", probe13MinRecall, 0.05, probe13MinAll, probe13MaxAny},
		{"s6a.tsv", 0.95, 0.05, 0.95, 0.05},
		{"s6b.tsv", 0.95, 0.05, 0.95, 0.05},
	} {
		figs := forms.MeasureRecogniser(r, readSet(t, c.set))
		var b strings.Builder
		figs.WriteTable(&b, r)
		t.Logf("%s (%s %s):\n%s", c.set, r.Ref(), r.Hash()[:12], b.String())
		found, pos := 0, 0
		for _, k := range figs.Kinds {
			found += k.Found
			pos += k.Positives
			if k.Positives == 0 {
				t.Errorf("%s: no disclosures of %s", c.set, k.Kind)
			}
			if k.Recall() < c.minRecall {
				t.Errorf("%s: %s recall %.3f < %.2f", c.set, k.Kind, k.Recall(), c.minRecall)
			}
			if k.FalsePromptRate() > c.maxRate {
				t.Errorf("%s: %s false prompts %.3f > %.2f", c.set, k.Kind, k.FalsePromptRate(), c.maxRate)
			}
		}
		if all := float64(found) / float64(pos); all < c.minAll {
			t.Errorf("%s: overall recall %.3f < %.2f", c.set, all, c.minAll)
		}
		if figs.NegativePromptRate() > c.maxAny {
			t.Errorf("%s: %.3f of non-disclosures raised a prompt > %.3f", c.set, figs.NegativePromptRate(), c.maxAny)
		}
	}
}

// The blind sets have the size and spread the issue asks of them: probe4
// and probe7 160 sentences (10 disclosures and 10 near misses per kind, 40
// in Welsh), probe8 at least 64 (4 and 4 per kind, 16 in Welsh), probe9
// probe10 and probe12 80 (5 and 5 per kind, 16 in Welsh).
func TestProbeShapes(t *testing.T) {
	r := loadRecogniserV2(t)
	for _, c := range []struct {
		set              string
		sentences, welsh int
		perKind          int
	}{
		{"probe4.tsv", 160, 40, 10},
		{"probe7.tsv", 160, 40, 10},
		{"probe8.tsv", 64, 16, 4},
		{"probe9.tsv", 80, 16, 5},
		{"probe10.tsv", 80, 16, 5},
		{"probe12.tsv", 80, 16, 5},
		{"s6a.tsv", 96, 32, 6},
		{"s6b.tsv", 128, 32, 8},
	} {
		figs := forms.MeasureRecogniser(r, readSet(t, c.set))
		half := c.sentences / 2
		if figs.Sentences < c.sentences || figs.ByLang["cy"] < c.welsh || figs.Disclosures < half || figs.Negatives < half {
			t.Errorf("%s: %d sentences, %d Welsh, %d disclosures, %d not", c.set, figs.Sentences, figs.ByLang["cy"], figs.Disclosures, figs.Negatives)
		}
		for _, k := range figs.Kinds {
			if k.Positives < c.perKind || k.NearMisses < c.perKind {
				t.Errorf("%s: %s has %d disclosures and %d near misses", c.set, k.Kind, k.Positives, k.NearMisses)
			}
		}
	}
}

func TestParseRecogniserV2Errors(t *testing.T) {
	doc := func(classes, frame string) string {
		return `{"id":"x","version":"2","format":2,"classes":{` + classes + `},"negation":{"en":{"cues":["not"]}},
			"kinds":[{"id":"k","name":{"en":"k"},"frames":[{"id":"f","lang":"en","frame":"` + frame + `","match":["a"],"nomatch":["b"]}]}],
			"templates":{"prompt":{"en":"p"},"reason":{"en":"r"},"subject":{"en":"s"}},"bindings":[]}`
	}
	for _, c := range []struct{ name, doc, want string }{
		{"unknown class", doc(`"A":["a"]`, "@B"), "class @B is not defined"},
		{"cycle", doc(`"A":["@B"],"B":["x @A"]`, "@A"), "refers to itself"},
		{"bad gap", doc(`"A":["a"]`, "a ~20 b"), "gap"},
		{"leading gap", doc(`"A":["a"]`, "~2 a"), "starts and ends with a word"},
		{"unbalanced", doc(`"A":["a"]`, "(a b"), "without ')'"},
		{"punctuation", doc(`"A":["a"]`, "don't"), "letters and digits only"},
		{"format 1 frames", strings.Replace(doc(`"A":["a"]`, "a"), `"format":2,`, ``, 1), "need format 2"},
		{"unknown format", strings.Replace(doc(`"A":["a"]`, "a"), `"format":2,`, `"format":3,`, 1), "format 3 is not known"},
	} {
		_, err := forms.ParseRecogniser([]byte(c.doc))
		var le *forms.LoadError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a LoadError containing %q", c.name, err, c.want)
		}
	}
}

func FuzzRecogniserV2Scan(f *testing.F) {
	r := loadRecogniserV2(f)
	for _, s := range []string{"He never hit me.", "she said he hit her", "Mae e'n fy nharo i.", "''' ' '", "a'n'r'w", "\xff\xfe", "(((", "did"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, b := r.Match(text), r.Match(text)
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
