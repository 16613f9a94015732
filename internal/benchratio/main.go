// Command benchratio reads `go test -bench` output on standard input,
// passes it through, and then prints each benchmark as a ratio to its
// baseline measured in the same run: a sub-benchmark named "baseline" is
// the baseline of its siblings (BenchmarkEvaluate/baseline and
// BenchmarkEvaluate/full). Ratios are what to compare across machines;
// absolute times drift with load.
//
//	go test -run '^$' -bench . ./forms/ | go run ./internal/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

type result struct {
	name  string
	nsop  float64
	extra []string // other "value unit" pairs, e.g. "812 B/op"
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	groups := map[string]map[string][]result{} // parent -> child -> runs
	var order []string
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
		r, ok := parse(line)
		if !ok {
			continue
		}
		parent, child := split(r.name)
		if groups[parent] == nil {
			groups[parent] = map[string][]result{}
			order = append(order, parent)
		}
		groups[parent][child] = append(groups[parent][child], r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	printed := false
	for _, parent := range order {
		base, ok := groups[parent]["baseline"]
		if !ok {
			continue
		}
		if !printed {
			fmt.Fprintln(out, "\nRatios to the baseline of the same run (lower is faster):")
			printed = true
		}
		b := median(base)
		children := make([]string, 0, len(groups[parent]))
		for c := range groups[parent] {
			if c != "baseline" {
				children = append(children, c)
			}
		}
		sort.Strings(children)
		for _, c := range children {
			m := median(groups[parent][c])
			fmt.Fprintf(out, "  %-40s %12s/op = %7.2fx baseline (%s/op)\n", parent+"/"+c, human(m), m/b, human(b))
		}
	}
	return nil
}

// parse reads "BenchmarkX/y-2   1000   1234 ns/op   56 B/op".
func parse(line string) (result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return result{}, false
	}
	r := result{name: trimProcs(f[0])}
	found := false
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		if f[i+1] == "ns/op" {
			r.nsop, found = v, true
		} else {
			r.extra = append(r.extra, f[i]+" "+f[i+1])
		}
	}
	return r, found
}

func trimProcs(name string) string {
	if i := strings.LastIndex(name, "-"); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

func split(name string) (string, string) {
	if i := strings.LastIndex(name, "/"); i > 0 {
		return name[:i], name[i+1:]
	}
	return name, ""
}

func median(rs []result) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.nsop
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

func human(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2fs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}
