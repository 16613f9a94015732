// Command checklist lints, shows, publishes and evaluates Safeguard
// checklists, for checklist authors and testers.
//
//	checklist validate FILE...          check files: schema, ids, code lists, expressions
//	checklist show FILE                 print the outline
//	checklist evaluate [-checklist FILE] [-lang cy] ENTRY.json
//	                                    print the evaluation as JSON; exit 1 when not ready
//	checklist publish FILE              record FILE's hash in published.json beside it
//	checklist translate extract -lang cy FILE TM.tsv
//	                                    add FILE's English texts to a translation memory
//	checklist translate merge -lang cy -version V -tm TM.tsv -out NEW.json FILE
//	                                    write FILE with every text translated, as version V
//	checklist recognise TEXT...         explain what the disclosure recogniser finds
//	checklist recognise-eval [SET.tsv]  its recall and false prompts per kind
//	checklist recognise-publish FILE    record a phrase list's hash in published.json
//
// Exit codes: 0 success (and, for evaluate, ready to submit), 1 the entry
// is not ready or a file has problems, 2 wrong usage or unreadable input.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// Exit codes.
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  checklist validate FILE...
  checklist show FILE
  checklist evaluate [-checklist FILE] [-lang LANG] ENTRY.json
  checklist publish FILE
` + translateUsage + recogniseUsage

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return validate(args[1:], stdout, stderr)
	case "show":
		return show(args[1:], stdout, stderr)
	case "evaluate":
		return evaluate(args[1:], stdout, stderr)
	case "publish":
		return publish(args[1:], stdout, stderr)
	case "translate": // translate.go
		return translate(args[1:], stdout, stderr)
	case "recognise": // recognise.go
		return recognise(args[1:], stdout, stderr)
	case "recognise-eval":
		return recogniseEval(args[1:], stdout, stderr)
	case "recognise-publish":
		return recognisePublish(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "checklist: unknown command %q\n%s", args[0], usage)
	return exitUsage
}

// embeddedRegistry loads the published checklists once per process (the
// case set runs evaluate many times in one test binary).
var embeddedRegistry = sync.OnceValues(func() (*forms.Registry, error) { return forms.LoadRegistry(assets.FS) })

func loadFile(name string) (*forms.Checklist, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	c, err := forms.Parse(data)
	var le *forms.LoadError
	if errors.As(err, &le) {
		le.File = name
	}
	return c, err
}

func validate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	code := exitOK
	for _, name := range args {
		c, err := loadFile(name)
		var le *forms.LoadError
		switch {
		case errors.As(err, &le):
			for _, p := range le.Problems {
				fmt.Fprintf(stdout, "%s:%s\n", name, p)
			}
			code = exitProblems
		case err != nil:
			fmt.Fprintf(stderr, "checklist: %v\n", err)
			return exitUsage
		default:
			n := 0
			for _, s := range c.Sections {
				n += len(s.Questions)
			}
			fmt.Fprintf(stdout, "%s: ok: %s, %d sections, %d questions, %d rules, sha256 %s\n",
				name, c.Ref(), len(c.Sections), n, len(c.Rules), c.Hash())
		}
	}
	return code
}

func show(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	c, err := loadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	fmt.Fprintf(stdout, "%s  %s\n", c.Ref(), c.Title)
	for i, s := range c.Sections {
		rep := ""
		if s.Repeat != "" {
			rep = "  [each " + s.Repeat + "]"
		}
		if s.Relevant != "" {
			rep += "  [when " + s.Relevant + "]"
		}
		fmt.Fprintf(stdout, "\n%d. %s (%s)%s\n", i+1, s.Title, s.ID, rep)
		for _, q := range s.Questions {
			var marks []string
			switch q.Required {
			case "always":
				marks = append(marks, "required")
			case "", "never":
			default:
				marks = append(marks, "required when "+q.Required)
			}
			if q.NotKnown {
				marks = append(marks, "not known allowed")
			}
			if q.Immediate {
				marks = append(marks, "IMMEDIATE")
			}
			if q.Relevant != "" {
				marks = append(marks, "when "+q.Relevant)
			}
			kind := string(q.Kind)
			if q.CodeList != "" {
				kind += ":" + q.CodeList
			}
			m := ""
			if len(marks) > 0 {
				m = "  (" + strings.Join(marks, "; ") + ")"
			}
			fmt.Fprintf(stdout, "   - %s [%s] %s%s\n", q.ID, kind, q.Label, m)
		}
	}
	if len(c.Rules) > 0 {
		fmt.Fprintf(stdout, "\nRisk rules\n")
		for _, r := range c.Rules {
			each := ""
			if r.Each != "" {
				each = " (each " + r.Each + ")"
			}
			fmt.Fprintf(stdout, "   - %-9s %s%s: when %s\n", r.Level, r.ID, each, r.When)
			if r.Fact != "" {
				fmt.Fprintf(stdout, "       one reason per fact: %s\n", r.Fact)
			}
			if nk := r.NotKnown.In(forms.DefaultLanguage); nk != "" {
				fmt.Fprintf(stdout, "       not known: %s\n", nk)
			}
		}
	}
	for _, t := range c.RiskTools {
		fmt.Fprintf(stdout, "\nRisk tool %s reads section %s\n", t.Tool, t.Section)
	}
	return exitOK
}

func evaluate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	file := fl.String("checklist", "", "evaluate with this checklist file instead of the embedded, published ones")
	lang := fl.String("lang", forms.DefaultLanguage, "language of the texts")
	if err := fl.Parse(args); err != nil || fl.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	data, err := os.ReadFile(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	e, err := forms.DecodeEntry(data)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %s: %v\n", fl.Arg(0), err)
		return exitUsage
	}
	var c *forms.Checklist
	if *file != "" {
		if c, err = loadFile(*file); err != nil {
			fmt.Fprintf(stderr, "checklist: %v\n", err)
			return exitUsage
		}
	} else {
		reg, err := embeddedRegistry()
		if err != nil {
			fmt.Fprintf(stderr, "checklist: %v\n(to evaluate against a draft checklist, pass -checklist FILE)\n", err)
			return exitUsage
		}
		var ok bool
		if c, ok = reg.Get(e.Checklist); !ok {
			fmt.Fprintf(stderr, "checklist: %s: made with %s, which is not a published checklist\n", fl.Arg(0), e.Checklist)
			return exitUsage
		}
	}
	res, err := forms.Evaluate(c, e, forms.Options{Language: *lang})
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	out := struct {
		Ready     bool                  `json:"ready"`
		Grade     forms.Level           `json:"grade"`
		Computed  forms.Level           `json:"computed"`
		Immediate bool                  `json:"immediate"`
		Lowered   string                `json:"loweredReason,omitempty"`
		Reasons   []forms.Reason        `json:"reasons"`
		Actions   []forms.Action        `json:"actions"`
		Missing   []forms.Problem       `json:"missing"`
		Sections  []forms.SectionStatus `json:"sections"`
	}{res.Ready, res.Grade, res.Computed, res.Immediate, res.LoweredReason, res.Reasons, res.Actions, res.Problems, res.Sections}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	if !res.Ready {
		return exitProblems
	}
	return exitOK
}

func publish(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	c, err := loadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	dir := filepath.Dir(args[0])
	list, err := forms.ReadPublished(os.DirFS(dir), ".")
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	raw, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	sum := sha256.Sum256(raw)
	fileHash := hex.EncodeToString(sum[:])
	i := slices.IndexFunc(list, func(p forms.PublishedVersion) bool { return p.ID == c.ID && p.Version == c.Version })
	switch {
	case i >= 0 && list[i].SHA256 != c.Hash():
		fmt.Fprintf(stderr, "checklist: %s: %v (published %s, this file %s)\n", args[0], forms.ErrChangedVersion, list[i].SHA256, c.Hash())
		return exitProblems
	case i >= 0 && list[i].FileSHA256 == fileHash:
		fmt.Fprintf(stdout, "%s is already published with this content\n", c.Ref())
		return exitOK
	case i >= 0: // the same content, its file's bytes not yet recorded (or reformatted)
		list[i].FileSHA256 = fileHash
	default:
		list = append(list, forms.PublishedVersion{ID: c.ID, Version: c.Version, SHA256: c.Hash(), FileSHA256: fileHash})
	}
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	if err := os.WriteFile(filepath.Join(dir, forms.PublishedFile), append(data, '\n'), 0o644); err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "published %s sha256 %s\n", c.Ref(), c.Hash())
	return exitOK
}
