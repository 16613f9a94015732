package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out bytes.Buffer
	if err := run(t.Context(), log, []string{"eval", "-records", "200", "-background", "300", "-seed", "3", "-pairs", "40", "-originals", "400"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pairwise (sure links only): precision", "targets: precision >= 0.98",
		"Second evaluation: FEBRL/GeCo-style corrupted duplicates (SQLite, no identifiers)", "identifiers on 50% of people",
		"sure-or-possible recall", "by kind of error"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("eval output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(t.Context(), log, []string{"bench", "-n", "500", "-queries", "50"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "ratio match/baseline") {
		t.Fatalf("bench output:\n%s", out.String())
	}
	out.Reset()
	if err := run(t.Context(), log, []string{"bench", "-sealed", "-compare-limit", "10", "-n", "500", "-queries", "50"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(SQLite, sealed)") || !strings.Contains(out.String(), "of them the right person") ||
		!strings.Contains(out.String(), "at most 10 candidates") {
		t.Fatalf("sealed bench output:\n%s", out.String())
	}
	out.Reset()
	if err := run(t.Context(), log, []string{"generate", "-records", "50", "-background", "5"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("%d lines generated", len(lines))
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["truth"] == nil {
			t.Fatalf("line %q: %v", l, err)
		}
	}
	if err := run(t.Context(), log, nil, &out); !errors.Is(err, errUsage) {
		t.Fatalf("no command: %v", err)
	}
	if err := run(t.Context(), log, []string{"eval", "-nope"}, &out); err == nil {
		t.Fatal("bad flag accepted")
	}
}
