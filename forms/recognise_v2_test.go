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

// formatTwoFiles are the published format-2 lists still in assets: each
// keeps its examples passing.
var formatTwoFiles = []string{recogniserV2File, recogniserV3File}

// loadRecogniserV2 loads the newest format-2 list.
func loadRecogniserV2(t testing.TB) *forms.Recogniser {
	t.Helper()
	return loadRecogniserFile(t, recogniserV3File)
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
// probe5 (unseen by 2.0.0, tuned on for 2.1.0) and the earlier tuning
// sets must reach recall 0.95 per kind with at most 0.05 false prompts
// per kind. probe3 (tuned on in the redesign) keeps two known misses (0.8
// for sexual and not_home). probe6 was written after the last change to
// 2.1.0 and measured once: recall 0.5 to 1.0 by kind, 22 of 33 overall,
// no false prompt. Its bounds are that measurement, a floor so a change
// that loses recall on unseen wording fails; never a target to tune to.
const probe6MinRecall, probe6MinAll = 0.5, 0.66

func TestRecogniserV2Figures(t *testing.T) {
	r := loadRecogniserV2(t)
	for _, c := range []struct {
		set                string
		minRecall, maxRate float64
		minAll             float64 // overall recall
	}{
		{"tune.tsv", 0.95, 0.05, 0.95},
		{"heldout.tsv", 0.95, 0.05, 0.95},
		{"probe.tsv", 0.95, 0.05, 0.95},
		{"probe2.tsv", 0.95, 0.05, 0.95},
		{"probe3.tsv", 0.8, 0.05, 0.9},
		{"probe4.tsv", 0.95, 0.05, 0.95},
		{"probe5.tsv", 0.95, 0.05, 0.95},
		{"probe6.tsv", probe6MinRecall, 0.05, probe6MinAll},
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
		if figs.NegativePromptRate() > 0.05 {
			t.Errorf("%s: %.3f of non-disclosures raised a prompt > 0.05", c.set, figs.NegativePromptRate())
		}
	}
}

// probe4 has the size and spread the issue asks of a blind set.
func TestProbe4Shape(t *testing.T) {
	set := readSet(t, "probe4.tsv")
	figs := forms.MeasureRecogniser(loadRecogniserV2(t), set)
	if figs.Sentences < 160 || figs.ByLang["cy"] < 40 || figs.Disclosures < 80 || figs.Negatives < 80 {
		t.Errorf("probe4: %d sentences, %d Welsh, %d disclosures, %d not", figs.Sentences, figs.ByLang["cy"], figs.Disclosures, figs.Negatives)
	}
	for _, k := range figs.Kinds {
		if k.Positives < 10 || k.NearMisses < 10 {
			t.Errorf("probe4: %s has %d disclosures and %d near misses", k.Kind, k.Positives, k.NearMisses)
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
