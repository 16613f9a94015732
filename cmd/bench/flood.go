package main

import (
	"context"
	"flag"
	"io"

	"github.com/safeguard-uk/safeguard/central/bench"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// cmdBenchFlood prints push p95 with and without a sign-in flood (see
// bench.Flood). PostgreSQL is used when reachable at --postgres.
func cmdBenchFlood(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("central-flood", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := bench.DefaultFlood
	fs.IntVar(&o.Devices, "devices", o.Devices, "devices pushing at once")
	fs.IntVar(&o.Pushes, "pushes", o.Pushes, "pushes per device per phase")
	fs.IntVar(&o.Batch, "batch", o.Batch, "entries per push")
	fs.IntVar(&o.Loops, "loops", o.Loops, "flood loops")
	fs.IntVar(&o.Count, "count", o.Count, "rounds (the median ratio is reported)")
	fs.StringVar(&o.Profile, "cpuprofile", "", "write the first flood phase's CPU profile to this file")
	pg := fs.String("postgres", centraltest.PostgresDSN(), "PostgreSQL DSN (a schema is made and dropped); empty to skip")
	fs.StringVar(&o.Dir, "dir", "", "directory for the SQLite files")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.PostgresDSN = reachablePostgres(ctx, *pg, stdout)
	return bench.Flood(ctx, o, stdout)
}
