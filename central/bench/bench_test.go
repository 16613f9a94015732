package bench_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central/bench"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

var ctx = context.Background()

func backend(tb testing.TB, name string) *bench.Backend {
	tb.Helper()
	if name == "postgres" {
		centraltest.RequirePostgres(tb)
	}
	b, err := bench.OpenBackend(ctx, name, tb.TempDir(), centraltest.PostgresDSN())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b
}

// TestRunSmall runs the whole bench at a tiny size so it cannot rot. It
// checks figures are printed, never their values.
func TestRunSmall(t *testing.T) {
	o := bench.Options{Entries: 20, Batch: 10, QueueRows: 2000, Queries: 10, Dir: t.TempDir(), Setup: bench.Production}
	if os.Getenv("CI") == "true" {
		centraltest.RequirePostgres(t)
	}
	if b, err := bench.OpenBackend(ctx, "postgres", "", centraltest.PostgresDSN()); err == nil {
		b.Close()
		o.PostgresDSN = centraltest.PostgresDSN()
	}
	var out bytes.Buffer
	if err := bench.Run(ctx, o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"sqlite    ingest", "ratio", "queue p50", "entries_queue", "rows/page"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func benchIngest(b *testing.B, name string, withPeople bool) {
	be := backend(b, name)
	su := bench.Production
	su.People = withPeople
	f, err := bench.NewFixtureSetup(ctx, be, su)
	if err != nil {
		b.Fatal(err)
	}
	es := bench.Entries(f.Officer, b.N)
	bodies, err := bench.PushBodies(f.Device.DeviceID, es, 50)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	d, err := bench.Ingest(ctx, f, bodies)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/d.Seconds(), "entries/s")
}

func benchBare(b *testing.B, name string) {
	be := backend(b, name)
	f, err := bench.NewFixtureSetup(ctx, be, bench.Setup{Seal: true})
	if err != nil {
		b.Fatal(err)
	}
	es := bench.Entries(f.Officer, b.N)
	b.ResetTimer()
	d, err := bench.BareInsert(ctx, be.Store, f, es, 50)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/d.Seconds(), "entries/s")
}

// BenchmarkIngest pushes entries with five children through the HTTP push
// route, 50 per push, on a server set up as in production (sealing, keyed
// audit chain) but without the person index (measured apart: see the
// command's -people); compare with BenchmarkBareInsert.
func BenchmarkIngest(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) { benchIngest(b, name, false) })
	}
}

// BenchmarkIngestPeople is BenchmarkIngest with the person index on, as
// serve runs by default (the index runs inside each push).
func BenchmarkIngestPeople(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) { benchIngest(b, name, true) })
	}
}

// BenchmarkBareInsert stores the same rows with multi-row INSERTs.
func BenchmarkBareInsert(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) { benchBare(b, name) })
	}
}

// BenchmarkQueue times the review-queue query over 100,000 entries (the
// command does 1,000,000).
func BenchmarkQueue(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			be := backend(b, name)
			f, err := bench.NewFixture(ctx, be.Store)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bench.BulkLoad(ctx, be.Store, f, 100_000); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := bench.QueueQuery(ctx, be.Store, "bq07", 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFloodSmall runs the flood measurement at a tiny size on SQLite so it
// cannot rot: every round and the median are printed (never judged: a
// timing is no unit test's business), and the flood really reached the
// server in every round.
func TestFloodSmall(t *testing.T) {
	o := bench.FloodOptions{Devices: 2, Pushes: 2, Batch: 1, Loops: 2, Count: 2, Sources: 2, GiveUp: 50 * time.Millisecond, Dir: t.TempDir()}
	var out bytes.Buffer
	if err := bench.Flood(ctx, o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"sqlite    default limits     round 1", "round 2", "median of 2 rounds", "load average"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := len(regexp.MustCompile(`flood: [1-9][0-9]* requests`).FindAllString(out.String(), -1)); n != 2 {
		t.Errorf("%d of 2 rounds sent flood requests:\n%s", n, out.String())
	}
}
