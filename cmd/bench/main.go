// Command bench prints the central system's figures that need a running
// store rather than a Go benchmark: ingest throughput and the review-queue
// query at 1,000,000 entries (central), and push p95 with and without a
// sign-in flood (central-flood). It lives apart from cmd/central so that
// the server binary links no test code (package central/bench builds on
// central/centraltest, which uses testing and httptest).
//
//	bench central [--entries N] [--count N] [--postgres DSN] ...
//	bench central-flood [--devices N] [--pushes N] [--postgres DSN] ...
//
// `make bench` (scripts/bench.sh) runs every benchmark of the project,
// these included.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

const usageText = `usage: bench COMMAND [flags]

commands:
  central        print ingest and review-queue figures
  central-flood  print push p95 with and without a sign-in flood

Run "bench COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return errors.New("no command")
	}
	switch args[0] {
	case "central":
		return cmdBench(ctx, args[1:], stdout, stderr)
	case "central-flood":
		return cmdBenchFlood(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return fmt.Errorf("unknown command %q", args[0])
}
