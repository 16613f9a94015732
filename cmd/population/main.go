// Command population generates a synthetic population with ground truth
// and measures Safeguard's person matcher on it.
//
//	population generate [-records N] [-seed S] [-o FILE]   encounters as JSON lines, with the truth
//	population eval [-records N] [-background N] [-seed S] [-postgres] [-pairs N] [-originals N] [-pair-seed S] [-febrl-names]
//	                                                       precision and recall of the matcher, on the
//	                                                       generator's own population and on duplicates
//	                                                       corrupted FEBRL/GeCo-style (without and with
//	                                                       identifiers)
//	population bench [-n 1000000] [-queries 2000] [-postgres] [-sealed] [-compare-limit N]
//	                                                       match time against an index of n people
//
// SQLite runs in a temporary directory; -postgres uses
// SAFEGUARD_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test)
// in a schema of its own, dropped afterwards.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/peopletest"
	"github.com/safeguard-uk/safeguard/people/population"
	"github.com/safeguard-uk/safeguard/people/postgres"
	"github.com/safeguard-uk/safeguard/people/sqlite"
)

// defaultPostgres is the server used with -postgres when
// SAFEGUARD_TEST_POSTGRES is unset.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// errUnreachable marks a PostgreSQL server that cannot be reached.
var errUnreachable = errors.New("postgresql unreachable")

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, log, os.Args[1:], os.Stdout)
	if errors.Is(err, errUsage) {
		fmt.Fprintln(os.Stderr, "usage: population generate|eval|bench [flags] (population CMD -h for flags)")
		os.Exit(2)
	}
	if errors.Is(err, errUnreachable) {
		fmt.Fprintf(os.Stderr, "population: %v\n", err)
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "population: %v\n", err)
		os.Exit(1)
	}
}

// errUsage marks a command line that names no command.
var errUsage = errors.New("usage")

// run runs one command, writing its report to out.
func run(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) < 1 {
		return errUsage
	}
	switch args[0] {
	case "generate":
		return generate(args[1:], out)
	case "eval":
		return eval(ctx, log, args[1:], out)
	case "bench":
		return bench(ctx, log, args[1:], out)
	}
	return errUsage
}

func generate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	cfg := population.DefaultConfig()
	fs.IntVar(&cfg.Records, "records", cfg.Records, "encounter records to generate")
	fs.IntVar(&cfg.Background, "background", 0, "people known before (written first)")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	out := fs.String("o", "-", "output file (- for stdout)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pop := population.Generate(cfg)
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, k := range pop.Background {
		if err := enc.Encode(map[string]any{"known": k.Record, "truth": k.Truth, "relationships": k.Rels}); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
	}
	for _, e := range pop.Encounters {
		if err := enc.Encode(map[string]any{"entry": e.Entry, "truth": e.Truth}); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
	}
	return bw.Flush()
}

// openIndex opens an empty index on the chosen backend and returns a
// function that closes and removes it.
// openIndex opens a fresh index on SQLite (in a temporary directory) or
// PostgreSQL (in a schema of its own); seal, when not nil, seals every
// record's particulars and blinds every key.
func openIndex(ctx context.Context, pg, keep bool, seal people.Sealer) (people.Index, string, func(), error) {
	if !pg {
		dir, err := os.MkdirTemp("", "population-")
		if err != nil {
			return nil, "", nil, err
		}
		// A throwaway database: no fsync per commit (the decisions are
		// the same; only durability, not wanted here, is given up).
		var opts []sqlite.Option
		if seal != nil {
			opts = append(opts, sqlite.WithSealer(seal))
		}
		idx, err := sqlite.Open(ctx, filepath.Join(dir, "people.db")+"?_pragma=synchronous(OFF)", opts...)
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, err
		}
		if keep {
			fmt.Fprintf(os.Stderr, "keeping the database at %s\n", filepath.Join(dir, "people.db"))
			return idx, "SQLite", func() { idx.Close() }, nil
		}
		return idx, "SQLite", func() { idx.Close(); os.RemoveAll(dir) }, nil
	}
	dsn := os.Getenv("SAFEGUARD_TEST_POSTGRES")
	if dsn == "" {
		dsn = defaultPostgres
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		return nil, "", nil, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	schema := "population_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		if keep {
			fmt.Fprintf(os.Stderr, "keeping the schema %s\n", schema)
		} else {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		}
		admin.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return nil, "", nil, fmt.Errorf("postgres dsn: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// A throwaway schema: commits need not wait for the disk.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	var opts []postgres.Option
	if seal != nil {
		opts = append(opts, postgres.WithSealer(seal))
	}
	idx, err := postgres.Open(ctx, u.String(), opts...)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return idx, "PostgreSQL", func() { idx.Close(); drop() }, nil
}

func eval(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	cfg := population.DefaultConfig()
	fs.IntVar(&cfg.Records, "records", cfg.Records, "encounter records")
	fs.IntVar(&cfg.Background, "background", cfg.Background, "people known before the encounters")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	pg := fs.Bool("postgres", false, "evaluate on PostgreSQL instead of SQLite")
	keep := fs.Bool("keep", false, "keep the database afterwards (for inspection)")
	pdef := population.DefaultPairConfig()
	pairs := fs.Int("pairs", pdef.Duplicates, "corrupted duplicates in the second evaluation (0: skip it)")
	originals := fs.Int("originals", pdef.Originals, "records loaded for the second evaluation")
	pairSeed := fs.Int64("pair-seed", pdef.Seed, "random seed of the second evaluation")
	febrl := fs.Bool("febrl-names", false, "also run the second evaluation (no identifiers) with names replaced and blanked as often as FEBRL's defaults (a sensitivity, no target)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pop := population.Generate(cfg)
	idx, name, closeIdx, err := openIndex(ctx, *pg, *keep, nil)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer closeIdx()
	res, err := population.Evaluate(ctx, idx, name, pop, log)
	if err != nil {
		return err
	}
	res.Report(out)
	fmt.Fprintf(out, "  targets: precision >= %.2f %s, recall >= %.2f %s\n",
		population.TargetPrecision, okMark(res.Precision >= population.TargetPrecision),
		population.TargetRecall, okMark(res.Recall >= population.TargetRecall))
	if *pairs <= 0 {
		return nil
	}
	// The second, independent evaluation: twice, without identifiers and
	// with them on half the people, each on a fresh index.
	shares := []float64{0, 0.5}
	if *febrl {
		shares = append(shares, -1) // -1: no identifiers, FEBRL's name shares
	}
	for _, share := range shares {
		pc := population.DefaultPairConfig()
		pc.Seed, pc.Duplicates, pc.Originals, pc.IDShare = *pairSeed, *pairs, *originals, max(0, share)
		pc.Strangers = max(1, *pairs/4)
		if share < 0 {
			pc.Corruptor.NameKinds = population.FEBRLNameKinds
		}
		idx, name, closeIdx, err := openIndex(ctx, *pg, false, nil)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		pr, err := population.EvaluatePairs(ctx, idx, name, pc, log)
		closeIdx()
		if err != nil {
			return err
		}
		fmt.Fprintln(out)
		if share < 0 {
			fmt.Fprintln(out, "Sensitivity (no target): names replaced and left blank 2 in 100 name modifications each, as FEBRL's generate.py defaults (this model: 15 and 10)")
		}
		pr.Report(out)
		switch {
		case share < 0:
			// a sensitivity: no target
		case share == 0:
			fmt.Fprintf(out, "  targets: sure precision >= %.3f %s, sure recall >= %.2f %s, sure-or-possible recall >= %.2f %s\n",
				population.TargetPairSurePrecision, okMark(pr.SurePrecision >= population.TargetPairSurePrecision),
				population.TargetPairSureRecall, okMark(pr.SureRecall >= population.TargetPairSureRecall),
				population.TargetPairSureOrPossible, okMark(pr.SureOrPossibleRecall >= population.TargetPairSureOrPossible))
		default:
			fmt.Fprintf(out, "  targets: sure precision >= %.3f %s, sure recall with identifiers >= %.2f %s\n",
				population.TargetPairSurePrecision, okMark(pr.SurePrecision >= population.TargetPairSurePrecision),
				population.TargetPairSureRecallWithIDs, okMark(pr.SureRecall >= population.TargetPairSureRecallWithIDs))
		}
	}
	return nil
}

func okMark(ok bool) string {
	if ok {
		return "(met)"
	}
	return "(NOT MET)"
}

func bench(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := population.BenchConfig{Seed: 1, People: 1000000, Queries: 2000, Noise: population.DefaultNoise}
	fs.IntVar(&cfg.People, "n", cfg.People, "people in the index")
	fs.IntVar(&cfg.Queries, "queries", cfg.Queries, "incoming people to match")
	fs.IntVar(&cfg.Limit, "limit", 0, "candidates scored a person (0: the matcher's default)")
	fs.IntVar(&cfg.CompareLimit, "compare-limit", 0, "also match every query with this candidate limit, interleaved, and report both")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	pg := fs.Bool("postgres", false, "benchmark PostgreSQL instead of SQLite")
	keep := fs.Bool("keep", false, "keep the database afterwards (for inspection)")
	sealed := fs.Bool("sealed", false, "seal particulars and blind keys (XChaCha20-Poly1305, HMAC-SHA256; keys random per run)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var seal people.Sealer
	if *sealed {
		seal = peopletest.NewSealer()
	}
	idx, name, closeIdx, err := openIndex(ctx, *pg, *keep, seal)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer closeIdx()
	if *sealed {
		name += ", sealed"
	}
	res, err := population.Bench(ctx, idx, name, cfg, log)
	if err != nil {
		return err
	}
	res.Report(out)
	return nil
}
