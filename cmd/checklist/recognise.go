package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

const recogniseUsage = `  checklist recognise [-file PHRASES.json] TEXT...
                                      explain what the disclosure recogniser finds in TEXT
                                      (default: the newest list, assets/recognise/` + latestPhrases + `)
  checklist recognise-eval [-file PHRASES.json] [SET.tsv...]
                                      recall and false prompts per kind on labelled sets
                                      (default: forms/testdata/recognise/tune.tsv and heldout.tsv)
  checklist recognise-publish PHRASES.json
                                      record the phrase list's hash in published.json beside it
`

// latestPhrases is the newest phrase list, the one the commands read by
// default. Checklists keep the list they were bound to (1.0.0 and 2.0.0:
// disclosures-v1.json, version 1.1.0).
const latestPhrases = "disclosures-v5.json"

func loadPhrases(file string) (*forms.Recogniser, error) {
	if file == "" {
		return forms.LoadRecogniser(assets.FS, forms.RecogniserDir+"/"+latestPhrases)
	}
	return forms.LoadRecogniser(os.DirFS(filepath.Dir(file)), filepath.Base(file))
}

func recognise(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("recognise", flag.ContinueOnError)
	fl.SetOutput(stderr)
	file := fl.String("file", "", "phrase list (default: the embedded one)")
	if err := fl.Parse(args); err != nil || fl.NArg() == 0 {
		fmt.Fprint(stderr, recogniseUsage)
		return exitUsage
	}
	r, err := loadPhrases(*file)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	text := strings.Join(fl.Args(), " ")
	fmt.Fprintf(stdout, "%s (sha256 %s)\n", r.Ref(), r.Hash())
	found := r.Scan(text)
	if len(found) == 0 {
		fmt.Fprintln(stdout, "no pattern matches")
	}
	for _, f := range found {
		state := "PROMPT"
		if f.Dropped != "" {
			state = "dropped: " + f.Dropped
		}
		fmt.Fprintf(stdout, "%-12s %-28s “%s” in “%s” — %s\n", f.Kind, f.Pattern, f.Phrase, f.Sentence, state)
	}
	if kinds := r.KindsIn(text); len(kinds) > 0 {
		fmt.Fprintf(stdout, "prompts: %s\n", strings.Join(kinds, ", "))
	}
	return exitOK
}

func recogniseEval(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("recognise-eval", flag.ContinueOnError)
	fl.SetOutput(stderr)
	file := fl.String("file", "", "phrase list (default: the embedded one)")
	if err := fl.Parse(args); err != nil {
		fmt.Fprint(stderr, recogniseUsage)
		return exitUsage
	}
	r, err := loadPhrases(*file)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	sets := fl.Args()
	if len(sets) == 0 {
		sets = []string{"forms/testdata/recognise/tune.tsv", "forms/testdata/recognise/heldout.tsv"}
	}
	fmt.Fprintf(stdout, "%s (sha256 %s)\n", r.Ref(), r.Hash())
	for _, name := range sets {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "checklist: %v\n", err)
			return exitUsage
		}
		set, err := forms.ReadLabelled(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "checklist: %s: %v\n", name, err)
			return exitProblems
		}
		fmt.Fprintf(stdout, "\n== %s\n", name)
		forms.MeasureRecogniser(r, set).WriteTable(stdout, r)
	}
	return exitOK
}

func recognisePublish(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, recogniseUsage)
		return exitUsage
	}
	r, err := loadPhrases(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	pubFile := filepath.Join(filepath.Dir(args[0]), forms.PublishedFile)
	var list []forms.PublishedVersion
	if data, err := os.ReadFile(pubFile); err == nil {
		if err := json.Unmarshal(data, &list); err != nil {
			fmt.Fprintf(stderr, "checklist: %s: %v\n", pubFile, err)
			return exitProblems
		}
	}
	for _, p := range list {
		if p.ID == r.ID && p.Version == r.Version {
			if p.SHA256 == r.Hash() {
				fmt.Fprintf(stdout, "%s already published with this content\n", r.Ref())
				return exitOK
			}
			fmt.Fprintf(stderr, "checklist: %s was published with other content (%s): give it a new version\n", r.Ref(), p.SHA256)
			return exitProblems
		}
	}
	list = append(list, forms.PublishedVersion{ID: r.ID, Version: r.Version, SHA256: r.Hash()})
	data, _ := json.MarshalIndent(list, "", "  ")
	if err := os.WriteFile(pubFile, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "published %s sha256 %s in %s\n", r.Ref(), r.Hash(), pubFile)
	return exitOK
}
