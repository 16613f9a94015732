package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A small run of each figure prints its lines (SQLite only: the PostgreSQL
// half is make bench's).
func TestCentralFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the ingest and queue measurements")
	}
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"central", "-entries", "10", "-queue-rows", "100", "-queries", "3", "-count", "1",
		"-postgres", "", "-dir", t.TempDir()}, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	for _, want := range []string{"== Ingest: 10 entries", "sqlite    ingest", "== Review queue over 100 entries", "ratio p95"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), nil, &out, &errs); err == nil || !strings.Contains(errs.String(), "central-flood") {
		t.Errorf("no command: %v, usage %q", err, errs.String())
	}
	errs.Reset()
	if err := run(context.Background(), []string{"serve"}, &out, &errs); err == nil || !strings.Contains(err.Error(), `"serve"`) {
		t.Errorf("unknown command: %v", err)
	}
	if err := run(context.Background(), []string{"central", "-nosuchflag"}, &out, &errs); err == nil {
		t.Error("a bad flag was accepted")
	}
}
