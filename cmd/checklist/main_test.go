package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const v1 = "../../assets/checklists/child-at-risk-v1.json"

func runCLI(args ...string) (int, string, string) {
	var out, errb strings.Builder
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidate(t *testing.T) {
	code, out, _ := runCLI("validate", v1)
	if code != exitOK || !strings.Contains(out, "ok: child-at-risk@1.0.0") {
		t.Fatalf("validate v1: %d %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	data, _ := os.ReadFile(v1)
	broken := strings.Replace(string(data), `"when": "triage_life == 'yes'"`, `"when": "triage_lif == 'yes'"`, 1)
	if broken == string(data) {
		t.Fatal("fixture rule not found")
	}
	os.WriteFile(bad, []byte(broken), 0o644)
	code, out, _ = runCLI("validate", bad)
	if code != exitProblems || !strings.Contains(out, bad+":/rules/") || !strings.Contains(out, "triage_lif") {
		t.Fatalf("validate broken: %d %s", code, out)
	}
}

func TestEvaluateExamples(t *testing.T) {
	code, out, errs := runCLI("evaluate", "../../assets/examples/complete-entry.json")
	if code != exitOK {
		t.Fatalf("complete entry: exit %d\n%s\n%s", code, out, errs)
	}
	var res struct {
		Ready   bool   `json:"ready"`
		Grade   string `json:"grade"`
		Missing []any  `json:"missing"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if !res.Ready || res.Grade == "" || len(res.Missing) != 0 {
		t.Fatalf("complete entry: %+v", res)
	}
	code, out, _ = runCLI("evaluate", "../../assets/examples/incomplete-entry.json")
	if code != exitProblems || !strings.Contains(out, "child_ethnicity_self") {
		t.Fatalf("incomplete entry: exit %d\n%s", code, out)
	}
	code, _, errs = runCLI("evaluate", "-checklist", v1, "../../assets/examples/complete-entry.json")
	if code != exitOK {
		t.Fatalf("with -checklist: %d %s", code, errs)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	os.WriteFile(garbage, []byte(`{"id": "x", "revision": 1,`), 0o644)
	code, _, errs = runCLI("evaluate", garbage)
	if code != exitUsage || !strings.Contains(errs, "byte") {
		t.Fatalf("garbage: %d %s", code, errs)
	}
}

func TestShow(t *testing.T) {
	code, out, _ := runCLI("show", v1)
	if code != exitOK || !strings.Contains(out, "child_ethnicity_self") || !strings.Contains(out, "IMMEDIATE") || !strings.Contains(out, "Risk rules") {
		t.Fatalf("show: %d\n%s", code, out)
	}
}

func TestPublish(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(v1)
	f := filepath.Join(dir, "c.json")
	os.WriteFile(f, data, 0o644)
	if code, out, errs := runCLI("publish", f); code != exitOK || !strings.Contains(out, "published") {
		t.Fatalf("publish: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI("publish", f); code != exitOK || !strings.Contains(out, "already") {
		t.Fatalf("republish: %d %s", code, out)
	}
	changed := strings.Replace(string(data), `"en": "Incident"`, `"en": "The incident"`, 1)
	os.WriteFile(f, []byte(changed), 0o644)
	if code, _, errs := runCLI("publish", f); code != exitProblems || !strings.Contains(errs, "new version") {
		t.Fatalf("changed content under a published version: %d %s", code, errs)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runCLI(); code != exitUsage {
		t.Fatal("no args")
	}
	if code, _, _ := runCLI("frobnicate"); code != exitUsage {
		t.Fatal("unknown command")
	}
}
