package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestGuardWindowLogsNoChildData: a panic in the window loop is caught at
// the boundary, logged with where it happened, and what the panic carried
// (here a child's name) is not in the log; a runtime error keeps Go's own
// fixed text.
func TestGuardWindowLogsNoChildData(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	if !guardWindow(log, func() { panic("answer: Amy Example, 28/03/2019") }) {
		t.Fatal("the panic was not reported as a fault")
	}
	out := buf.String()
	if strings.Contains(out, "Amy") || strings.Contains(out, "2019") {
		t.Fatalf("the log quotes the panic's data: %s", out)
	}
	if !strings.Contains(out, "TestGuardWindowLogsNoChildData") || !strings.Contains(out, "panic of type string") {
		t.Fatalf("the log does not say where or what kind: %s", out)
	}
	buf.Reset()
	if !guardWindow(log, func() {
		var list []int
		_ = list[len(list)+2]
	}) {
		t.Fatal("a runtime error was not reported")
	}
	if !strings.Contains(buf.String(), "index out of range") {
		t.Fatalf("runtime error text lost: %s", buf.String())
	}
	if guardWindow(log, func() {}) {
		t.Fatal("a clean run reported a fault")
	}
}
