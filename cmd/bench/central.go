package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/safeguard-uk/safeguard/central/bench"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/postgres"
)

// cmdBench prints the ingest and review-queue figures (see package
// central/bench). PostgreSQL is used when reachable at --postgres.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("central", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := bench.Defaults
	fs.IntVar(&o.Entries, "entries", o.Entries, "entries pushed per ingest run (5 children each)")
	fs.IntVar(&o.PeopleEntries, "people-entries", o.PeopleEntries, "entries pushed per ingest run with the person index on")
	fs.IntVar(&o.Batch, "batch", o.Batch, "items per push")
	fs.IntVar(&o.QueueRows, "queue-rows", o.QueueRows, "entries bulk-loaded for the queue query (0: no queue figures)")
	fs.IntVar(&o.Queries, "queries", o.Queries, "queue queries timed")
	fs.IntVar(&o.Counts, "count", o.Counts, "ingest pairs per backend (at least 5 without the person index; the median of the per-pair ratios is printed)")
	fs.BoolVar(&o.Setup.Seal, "seal", o.Setup.Seal, "seal child data at rest, as serve --kek-file does")
	fs.BoolVar(&o.Setup.AuditKey, "audit-key", o.Setup.AuditKey, "key the audit chain, as serve --audit-key-file does")
	fs.BoolVar(&o.Setup.People, "people", o.Setup.People, "also measure ingest with the person index, as serve runs by default (on -people-entries entries)")
	fs.BoolVar(&o.Setup.PeopleBackground, "people-background", o.Setup.PeopleBackground, "run the person index off the push reply, as serve does (timed until it has settled); false: on the reply")
	pg := fs.String("postgres", centraltest.PostgresDSN(), "PostgreSQL DSN (a schema is made and dropped); empty to skip")
	fs.StringVar(&o.Dir, "dir", "", "directory for the SQLite files (default: the system's temporary directory)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (push's samples carry the label phase=push, the bare insert's phase=bare: go tool pprof -tagfocus phase=push)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	o.PostgresDSN = reachablePostgres(ctx, *pg, stdout)
	return bench.Run(ctx, o, stdout)
}

// reachablePostgres returns dsn when a PostgreSQL server answers there
// within 5 seconds, else "" (saying so on stdout: SQLite is measured alone).
func reachablePostgres(ctx context.Context, dsn string, stdout io.Writer) string {
	if dsn == "" {
		return ""
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := postgres.OpenNoMigrate(pctx, dsn)
	if err != nil {
		fmt.Fprintf(stdout, "PostgreSQL unreachable (%v): measuring SQLite only\n", err)
		return ""
	}
	s.Close()
	return dsn
}
