package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	v2File = "../../assets/checklists/child-at-risk-v2.json"
	v3File = "../../assets/checklists/child-at-risk-v3.json"
	cyTM   = "../../assets/checklists/translations/cy.tsv"
)

// TestOrderedJSONRoundTrip: the merge's JSON tree writes 2.0.0 back byte
// for byte, so a merged version differs from its source by the added
// texts only.
func TestOrderedJSONRoundTrip(t *testing.T) {
	for _, f := range []string{"../../assets/checklists/child-at-risk-v1.json", v2File, v3File} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := parseOrdered(data)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		n.encode(&b, "")
		b.WriteByte('\n')
		if !bytes.Equal(b.Bytes(), data) {
			t.Errorf("%s does not round-trip", f)
		}
	}
}

// TestV3IsMergedFromMemory: 3.0.0 is exactly what `translate merge` makes
// of 2.0.0 and the committed Welsh memory, so the file and the memory
// cannot drift apart.
func TestV3IsMergedFromMemory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v3.json")
	code, stdout, stderr := runCLI("translate", "merge", "-lang", "cy", "-version", "3.0.0", "-tm", cyTM, "-out", out, v2File)
	if code != exitOK {
		t.Fatalf("merge: exit %d\n%s%s", code, stdout, stderr)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile(v3File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("child-at-risk-v3.json is not the merge of 2.0.0 and cy.tsv: rerun `go run ./cmd/checklist translate merge -lang cy -version 3.0.0 -tm %s -out %s %s` (and publish as a new version)", cyTM, v3File, v2File)
	}
}

// TestWelshMemoryKeepsNumbersAndPlaceholders: every Welsh text keeps the
// English text's numbers (ages, hours, codes such as W1, IC5, 943 476
// 5919), {placeholders}, rule and question ids (rule_child_alone) and
// marks such as “!”; and every English text of 2.0.0 is in the memory,
// translated.
func TestWelshMemoryKeepsNumbersAndPlaceholders(t *testing.T) {
	m, err := readMemory(cyTM)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.order) < 700 {
		t.Fatalf("%d texts in the memory, want the checklist's ~780", len(m.order))
	}
	if !slices.ContainsFunc(m.comments, func(c string) bool { return strings.Contains(c, "machine-drafted") }) {
		t.Error("the memory does not say it is machine-drafted and awaits review")
	}
	tokens := regexp.MustCompile(`\{[A-Za-z_]+\}|[0-9]+(?:[.,/][0-9]+)*|\b[a-z]+(?:_[a-z0-9]+)+\b|!`)
	for _, en := range m.order {
		cy := m.to[en]
		if strings.TrimSpace(cy) == "" {
			t.Errorf("no Welsh for %q", en)
			continue
		}
		want := tokens.FindAllString(en, -1)
		got := tokens.FindAllString(cy, -1)
		for _, w := range want {
			i := slices.Index(got, w)
			if i < 0 {
				t.Errorf("%q keeps %q out of its Welsh %q", en, w, cy)
				continue
			}
			got = slices.Delete(got, i, i+1)
		}
		if len(got) > 0 {
			t.Errorf("the Welsh %q adds %q, not in %q", cy, got, en)
		}
		if strings.Count(en, "“") != strings.Count(cy, "“") || strings.Count(en, "”") != strings.Count(cy, "”") {
			t.Errorf("quotation marks differ: %q / %q", en, cy)
		}
	}
	// The check itself: a dropped number is caught.
	if tokens.FindAllString("within 72 hours", -1)[0] != "72" {
		t.Fatal("number pattern broken")
	}
}

// TestTranslateExtractAndMergeRefusal: extract adds only the texts not yet
// in a memory and keeps existing translations; merge refuses a memory
// that leaves a text untranslated, naming how many and the first.
func TestTranslateExtractAndMergeRefusal(t *testing.T) {
	dir := t.TempDir()
	tm := filepath.Join(dir, "cy.tsv")
	code, out, errs := runCLI("translate", "extract", "-lang", "cy", v2File, tm)
	if code != exitOK || !strings.Contains(out, "added") {
		t.Fatalf("extract: %d %s %s", code, out, errs)
	}
	m, err := readMemory(tm)
	if err != nil {
		t.Fatal(err)
	}
	first := m.order[0]
	m.to[first] = "Plentyn mewn perygl"
	if err := m.write(tm); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI("translate", "extract", "-lang", "cy", v2File, tm)
	if code != exitOK || !strings.Contains(out, " 0 added") {
		t.Fatalf("second extract: %d %s", code, out)
	}
	m2, _ := readMemory(tm)
	if m2.to[first] != "Plentyn mewn perygl" || len(m2.order) != len(m.order) {
		t.Fatalf("extract lost a translation or duplicated texts")
	}
	code, _, errs = runCLI("translate", "merge", "-lang", "cy", "-version", "9.0.0", "-tm", tm, "-out", filepath.Join(dir, "new.json"), v2File)
	if code != exitProblems || !strings.Contains(errs, `have no "cy" translation`) || !strings.Contains(errs, "/codelists/") {
		t.Fatalf("merge with an incomplete memory: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.json")); err == nil {
		t.Error("an incomplete merge wrote a file")
	}
}

func TestTSVEscaping(t *testing.T) {
	for _, s := range []string{"plain", "tab\there", "line\nbreak", `back\slash`, `\t literal`} {
		got, err := unescapeTSV(escapeTSV(s))
		if err != nil || got != s {
			t.Errorf("%q -> %q -> %q, %v", s, escapeTSV(s), got, err)
		}
		if strings.ContainsAny(escapeTSV(s), "\t\n") {
			t.Errorf("%q escapes to %q", s, escapeTSV(s))
		}
	}
	if _, err := unescapeTSV(`bad\q`); err == nil {
		t.Error("unknown escape accepted")
	}
}
