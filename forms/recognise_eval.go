package forms

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// LabelledSentence is one sentence of a labelled set for measuring the
// recogniser: the kinds it discloses (none for a near miss) and, for a
// near miss, the kind it is near.
type LabelledSentence struct {
	Line  int
	Kinds []string
	Near  string
	Lang  string
	Note  string
	Text  string
}

// ReadLabelled reads a labelled set: one sentence a line, tab-separated
// label, language, note and text; label is a comma-separated list of kinds
// or "no:KIND". Lines starting with '#' and blank lines are skipped.
func ReadLabelled(r io.Reader) ([]LabelledSentence, error) {
	var out []LabelledSentence
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 tab-separated fields (label, lang, note, text), found %d", n, len(f))
		}
		s := LabelledSentence{Line: n, Lang: f[1], Note: f[2], Text: f[3]}
		if near, ok := strings.CutPrefix(f[0], "no:"); ok {
			s.Near = near
		} else {
			s.Kinds = strings.Split(f[0], ",")
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labelled set: %w", err)
	}
	return out, nil
}

// KindFigures are one kind's figures on a labelled set.
type KindFigures struct {
	Kind string
	// Positives counts sentences labelled with the kind; Found those the
	// recogniser flagged with it.
	Positives, Found int
	// Others counts sentences not labelled with the kind; FalsePrompts
	// those flagged with it all the same.
	Others, FalsePrompts int
	// NearMisses counts near misses of the kind; NearPrompted those flagged
	// with it.
	NearMisses, NearPrompted int
	// Misses and False list the sentences behind the errors.
	Misses, False []LabelledSentence
}

// Recall is Found / Positives (1 when there are no positives).
func (k KindFigures) Recall() float64 {
	if k.Positives == 0 {
		return 1
	}
	return float64(k.Found) / float64(k.Positives)
}

// FalsePromptRate is FalsePrompts / Others.
func (k KindFigures) FalsePromptRate() float64 {
	if k.Others == 0 {
		return 0
	}
	return float64(k.FalsePrompts) / float64(k.Others)
}

// RecogniserFigures are a labelled set's figures, per kind and overall.
type RecogniserFigures struct {
	Kinds []KindFigures
	// Sentences, Disclosures and Negatives count the set; NegativesPrompted
	// counts the non-disclosures that raised any prompt.
	Sentences, Disclosures, Negatives, NegativesPrompted int
	// ByLang counts each language's sentences.
	ByLang map[string]int
}

// NegativePromptRate is NegativesPrompted / Negatives.
func (f RecogniserFigures) NegativePromptRate() float64 {
	if f.Negatives == 0 {
		return 0
	}
	return float64(f.NegativesPrompted) / float64(f.Negatives)
}

// MeasureRecogniser runs r over a labelled set.
func MeasureRecogniser(r *Recogniser, set []LabelledSentence) RecogniserFigures {
	figs := RecogniserFigures{ByLang: map[string]int{}}
	idx := map[string]int{}
	for _, k := range r.Kinds {
		idx[k.ID] = len(figs.Kinds)
		figs.Kinds = append(figs.Kinds, KindFigures{Kind: k.ID})
	}
	for _, s := range set {
		figs.Sentences++
		figs.ByLang[s.Lang]++
		found := map[string]bool{}
		for _, k := range r.KindsIn(s.Text) {
			found[k] = true
		}
		labelled := map[string]bool{}
		for _, k := range s.Kinds {
			labelled[k] = true
		}
		if len(s.Kinds) == 0 {
			figs.Negatives++
			if len(found) > 0 {
				figs.NegativesPrompted++
			}
		} else {
			figs.Disclosures++
		}
		for i := range figs.Kinds {
			kf := &figs.Kinds[i]
			switch {
			case labelled[kf.Kind]:
				kf.Positives++
				if found[kf.Kind] {
					kf.Found++
				} else {
					kf.Misses = append(kf.Misses, s)
				}
			default:
				kf.Others++
				if found[kf.Kind] {
					kf.FalsePrompts++
					kf.False = append(kf.False, s)
				}
			}
			if s.Near == kf.Kind {
				kf.NearMisses++
				if found[kf.Kind] {
					kf.NearPrompted++
				}
			}
		}
	}
	return figs
}

// WriteTable prints the figures as a table, then every miss and false
// prompt with its line.
func (f RecogniserFigures) WriteTable(w io.Writer, r *Recogniser) {
	fmt.Fprintf(w, "%d sentences (%d disclosures, %d not), by language %v\n", f.Sentences, f.Disclosures, f.Negatives, f.ByLang)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\trecall\tfound/positives\tfalse prompts\tflagged/others\tnear misses prompted")
	for _, k := range f.Kinds {
		fmt.Fprintf(tw, "%s\t%.3f\t%d/%d\t%.3f\t%d/%d\t%d/%d\n", k.Kind, k.Recall(), k.Found, k.Positives,
			k.FalsePromptRate(), k.FalsePrompts, k.Others, k.NearPrompted, k.NearMisses)
	}
	tw.Flush()
	fmt.Fprintf(w, "non-disclosures raising any prompt: %d/%d (%.3f)\n", f.NegativesPrompted, f.Negatives, f.NegativePromptRate())
	for _, k := range f.Kinds {
		for _, s := range k.Misses {
			fmt.Fprintf(w, "  missed %s (line %d): %s\n", k.Kind, s.Line, s.Text)
		}
		for _, s := range k.False {
			fmt.Fprintf(w, "  false %s (line %d): %s\n", k.Kind, s.Line, s.Text)
			for _, fd := range r.Match(s.Text) {
				if fd.Kind == k.Kind {
					if fd.Concepts != "" {
						fmt.Fprintf(w, "      by %s (%s) on “%s”\n", fd.Pattern, fd.Concepts, fd.Phrase)
					} else {
						fmt.Fprintf(w, "      by %s on “%s”\n", fd.Pattern, fd.Phrase)
					}
				}
			}
		}
	}
}
