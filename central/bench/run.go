package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Run measures everything and prints the figures to w.
func Run(ctx context.Context, o Options, w io.Writer) error {
	fmt.Fprintf(w, "Safeguard central bench (%s, %d CPUs, %s)\n", runtime.Version(), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))
	backends := []string{"sqlite"}
	if o.PostgresDSN != "" {
		backends = append(backends, "postgres")
	}
	// The person index costs two orders of magnitude more than the rest of
	// push, so it is measured apart, on fewer entries: first the push with
	// everything else serve does, then (when on) with the person index too.
	runs := []Options{o}
	runs[0].Setup.People = false
	if o.Setup.People {
		withPeople := o
		withPeople.Entries = max(o.PeopleEntries, o.Batch)
		runs = append(runs, withPeople)
	}
	for _, r := range runs {
		fmt.Fprintf(w, "\n== Ingest: %d entries, 5 children each, %d per push, through POST /v1/push on loopback\n", r.Entries, r.Batch)
		fmt.Fprintf(w, "   server: %s\n", r.Setup)
		fmt.Fprintf(w, "   baseline: a bare multi-row INSERT of the same entry and revision rows (bodies sealed beforehand when sealing is on), one transaction per batch, into a store opened the same way (same pragmas); push also writes one audit record per entry, the receipt counter and the audit head\n")
		for _, name := range backends {
			if err := ingest(ctx, r, name, w); err != nil {
				return fmt.Errorf("%s ingest: %w", name, err)
			}
		}
	}
	if o.QueueRows <= 0 {
		return nil
	}
	fmt.Fprintf(w, "\n== Review queue over %d entries (%d teams, 2%% awaiting review), %d queries of one team's first 50\n", o.QueueRows, QueueTeams, o.Queries)
	fmt.Fprintf(w, "   baseline: a primary-key lookup on the same table\n")
	for _, name := range backends {
		if err := queue(ctx, o, name, w); err != nil {
			return fmt.Errorf("%s queue: %w", name, err)
		}
	}
	return nil
}

// ingest measures push ingest against the bare insert o.Counts times
// (at least 5 pairs without the person index) and prints the median of
// the per-pair ratios.
//
// Without the person index each pair is interleaved push by push: two
// fresh stores, the same entries, and for each batch the push through
// HTTP and the bare insert of the same rows run one after the other (which
// goes first alternates), so both halves of a pair see the same load on
// a shared machine; the pair's ratio is the bare insert's total time over
// push's. With the person index on (timed until it has settled, which
// cannot be split per push) each pair is a whole push run and a whole
// bare run, which goes first alternating.
func ingest(ctx context.Context, o Options, name string, w io.Writer) error {
	counts := max(o.Counts, 1)
	paired := !o.Setup.People
	if paired {
		counts = max(counts, MinPairs)
	}
	var svc, bare, ratios, replies, cpuRatios, pushCPU, bareCPU []float64
	for i := 0; i < counts; i++ {
		var s, b, rep float64
		var err error
		if paired {
			var pr pairRates
			pr, err = ingestPair(ctx, o, name, i%2 == 0)
			s, b, rep = pr.push, pr.bare, pr.push
			if pr.pushCPU > 0 {
				cpuRatios, pushCPU, bareCPU = append(cpuRatios, pr.bareCPU/pr.pushCPU), append(pushCPU, pr.pushCPU), append(bareCPU, pr.bareCPU)
			}
		} else {
			s, b, rep, err = ingestOnce(ctx, o, name, i%2 == 1)
		}
		if err != nil {
			return err
		}
		svc, bare, ratios, replies = append(svc, s), append(bare, b), append(ratios, s/b), append(replies, rep/b)
	}
	r := median(ratios)
	verdict := "met"
	if r < IngestGoal {
		verdict = "NOT met"
	}
	how := "whole runs"
	if paired {
		how = "pairs interleaved push by push"
	}
	fmt.Fprintf(w, "%-9s ingest %8.0f entries/s   bare insert %8.0f entries/s   ratio %.3f (median of %d %s; pairs %s)   goal >= %.2f: %s\n",
		name, median(svc), median(bare), r, counts, how, list(ratios), IngestGoal, verdict)
	if len(cpuRatios) > 0 {
		fmt.Fprintf(w, "%-9s   CPU of this process per entry: push %.0f µs, bare insert %.0f µs; bare / push %.3f (median; pairs %s)%s\n",
			name, median(pushCPU), median(bareCPU), median(cpuRatios), list(cpuRatios), map[bool]string{true: " (the PostgreSQL server's CPU not counted)"}[name == "postgres"])
	}
	if o.Setup.People && o.Setup.PeopleBackground {
		fmt.Fprintf(w, "%-9s   push replies alone (index still working): ratio %.3f (median; runs %s)\n", name, median(replies), list(replies))
	}
	return nil
}

// MinPairs is the fewest interleaved pairs the ingest ratio is the median of.
const MinPairs = 5

// ingestPair measures one interleaved pair (see ingest): push and the bare
// insert of the same entries into two fresh stores, batch by batch, push
// first on even batches when pushFirst (else on odd ones). It returns
// both rates, entries per second, each over its own summed time.
func ingestPair(ctx context.Context, o Options, name string, pushFirst bool) (pairRates, error) {
	var none pairRates
	b1, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
	if err != nil {
		return none, err
	}
	defer b1.Close()
	f1, err := NewFixtureSetup(ctx, b1, o.Setup)
	if err != nil {
		return none, err
	}
	b2, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
	if err != nil {
		return none, err
	}
	defer b2.Close()
	f2, err := NewFixtureSetup(ctx, b2, Setup{Seal: o.Setup.Seal})
	if err != nil {
		return none, err
	}
	es := Entries(f1.Officer, o.Entries)
	bodies, err := PushBodies(f1.Device.DeviceID, es, o.Batch)
	if err != nil {
		return none, err
	}
	rows, err := NewBareRows(f2, es)
	if err != nil {
		return none, err
	}
	p := NewPusher(f1)
	defer p.Close()
	var pushTime, bareTime, pushCPU, bareCPU time.Duration
	for k, body := range bodies {
		from, to := k*o.Batch, min((k+1)*o.Batch, len(es))
		push := func() error {
			t, c := time.Now(), processCPU()
			err := p.Push(ctx, body)
			pushTime, pushCPU = pushTime+time.Since(t), pushCPU+processCPU()-c
			return err
		}
		insert := func() error {
			t, c := time.Now(), processCPU()
			err := rows.Insert(ctx, b2.Store, from, to)
			bareTime, bareCPU = bareTime+time.Since(t), bareCPU+processCPU()-c
			return err
		}
		steps := [2]func() error{push, insert}
		if (k%2 == 0) != pushFirst {
			steps = [2]func() error{insert, push}
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return none, err
			}
		}
	}
	n := float64(len(es))
	return pairRates{push: n / pushTime.Seconds(), bare: n / bareTime.Seconds(),
		pushCPU: float64(pushCPU.Microseconds()) / n, bareCPU: float64(bareCPU.Microseconds()) / n}, nil
}

// pairRates is one pair's measure: entries per second, and this
// process's CPU time (user and system, every goroutine: the HTTP client
// and server, and SQLite, which runs in process; not the PostgreSQL
// server's) per entry in microseconds, which the machine's other load
// moves far less than the time.
type pairRates struct{ push, bare, pushCPU, bareCPU float64 }

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func list(v []float64) string {
	out := ""
	for i, x := range v {
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf("%.2f", x)
	}
	return out
}

// ingestOnce times push ingest and the bare insert of the same entries
// (bare first when bareFirst, so neither always runs on a warmer machine)
// and returns both rates, entries per second.
func ingestOnce(ctx context.Context, o Options, name string, bareFirst bool) (svcRate, bareRate, replyRate float64, err error) {
	var svcTime, bareTime, replyTime time.Duration
	es := []*forms.Entry(nil)
	runSvc := func() error {
		b1, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
		if err != nil {
			return err
		}
		defer b1.Close()
		f1, err := NewFixtureSetup(ctx, b1, o.Setup)
		if err != nil {
			return err
		}
		if es == nil {
			es = Entries(f1.Officer, o.Entries)
		}
		for _, e := range es {
			e.Officer = f1.Officer
		}
		bodies, err := PushBodies(f1.Device.DeviceID, es, o.Batch)
		if err != nil {
			return err
		}
		svcTime, replyTime, err = IngestReplies(ctx, f1, bodies)
		return err
	}
	runBare := func() error {
		b2, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
		if err != nil {
			return err
		}
		defer b2.Close()
		f2, err := NewFixtureSetup(ctx, b2, Setup{Seal: o.Setup.Seal})
		if err != nil {
			return err
		}
		if es == nil {
			es = Entries(f2.Officer, o.Entries)
		}
		bareTime, err = BareInsert(ctx, b2.Store, f2, es, o.Batch)
		return err
	}
	steps := []func() error{runSvc, runBare}
	if bareFirst {
		steps = []func() error{runBare, runSvc}
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return 0, 0, 0, err
		}
	}
	n := float64(o.Entries)
	return n / svcTime.Seconds(), n / bareTime.Seconds(), n / replyTime.Seconds(), nil
}

func queue(ctx context.Context, o Options, name string, w io.Writer) error {
	b, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
	if err != nil {
		return err
	}
	defer b.Close()
	f, err := NewFixture(ctx, b.Store)
	if err != nil {
		return err
	}
	load, err := BulkLoad(ctx, b.Store, f, o.QueueRows)
	if err != nil {
		return err
	}
	plan, err := Plan(ctx, b.Store)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	// Warm up, then time.
	for i := 0; i < 20; i++ {
		if _, err := QueueQuery(ctx, b.Store, fmt.Sprintf("bq%02d", r.IntN(QueueTeams)), 50); err != nil {
			return err
		}
	}
	got := 0
	qd, err := Latencies(o.Queries, func(int) error {
		n, err := QueueQuery(ctx, b.Store, fmt.Sprintf("bq%02d", r.IntN(QueueTeams)), 50)
		got = n
		return err
	})
	if err != nil {
		return err
	}
	pk, err := Latencies(o.Queries, func(int) error {
		return pkLookup(ctx, b.Store.DB, b.Store, fmt.Sprintf("bulk-%d", 1+r.IntN(o.QueueRows)))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-9s loaded in %v; queue p50 %v p95 %v p99 %v (%d rows/page)   pk p95 %v   ratio p95 %.1f\n",
		name, load.Round(time.Millisecond), Pct(qd, 50).Round(time.Microsecond), Pct(qd, 95).Round(time.Microsecond),
		Pct(qd, 99).Round(time.Microsecond), got, Pct(pk, 95).Round(time.Microsecond), float64(Pct(qd, 95))/float64(Pct(pk, 95)))
	fmt.Fprintf(w, "          plan: %s\n", indent(plan))
	return nil
}

func indent(s string) string {
	out := ""
	for i, l := range splitLines(s) {
		if i > 0 {
			out += "\n                "
		}
		out += l
	}
	return out
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
