package main

import (
	"strings"
	"testing"
)

func TestRatios(t *testing.T) {
	in := `goos: linux
BenchmarkEvaluate/baseline-2     1000     2000 ns/op    512 B/op
BenchmarkEvaluate/full-2          500     6000 ns/op
BenchmarkEvaluate/baseline-2     1000     2200 ns/op
BenchmarkEvaluate/full-2          500     6600 ns/op
BenchmarkEvaluate/baseline-2     1000     1800 ns/op
BenchmarkEvaluate/full-2          500     5400 ns/op
BenchmarkLonely-2                  10      100 ns/op
PASS
`
	var out strings.Builder
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "BenchmarkEvaluate/full") || !strings.Contains(s, "3.00x baseline (2.0µs/op)") {
		t.Fatalf("ratio missing:\n%s", s)
	}
	if strings.Contains(s, "BenchmarkLonely ") {
		t.Fatalf("benchmark without baseline got a ratio:\n%s", s)
	}
	if !strings.HasPrefix(s, "goos: linux\n") {
		t.Fatal("input not passed through")
	}
}
