package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecogniseExplains(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"recognise", "He never hit me. She said he hit her."}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"dropped: negated by “never”", "“hit her” in “She said he hit her” — PROMPT", "prompts: hurt"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRecogniseEval(t *testing.T) {
	var out, errb bytes.Buffer
	set := filepath.Join("..", "..", "forms", "testdata", "recognise", "tune.tsv")
	if code := run([]string{"recognise-eval", set}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "240 sentences") || !strings.Contains(out.String(), "not_home") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestRecognisePublish(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "assets", "recognise", latestPhrases))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "phrases.json")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	// Earlier versions stay published: start from the record without the
	// newest one, which the command must add back exactly.
	want, _ := os.ReadFile(filepath.Join("..", "..", "assets", "recognise", "published.json"))
	var history []json.RawMessage
	if err := json.Unmarshal(want, &history); err != nil || len(history) == 0 {
		t.Fatalf("assets/recognise/published.json: %v", err)
	}
	if len(history) > 1 {
		earlier, err := json.MarshalIndent(history[:len(history)-1], "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "published.json"), append(earlier, '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"recognise-publish", file}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	pub, _ := os.ReadFile(filepath.Join(dir, "published.json"))
	if string(pub) != string(want) {
		t.Errorf("published.json\n%s\nwant\n%s", pub, want)
	}
	// Changed content under the same version is refused.
	if err := os.WriteFile(file, bytes.Replace(src, []byte(`"sexual abuse"`), []byte(`"sexual harm"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"recognise-publish", file}, &out, &errb); code != exitProblems || !strings.Contains(errb.String(), "new version") {
		t.Errorf("changed content: exit %d, %s", code, errb.String())
	}
}
