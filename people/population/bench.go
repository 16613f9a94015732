package population

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// BenchConfig sets a match-time benchmark.
type BenchConfig struct {
	Seed int64
	// People is the size of the index (one earlier record each).
	People int
	// Queries is the number of incoming people matched (nine in ten of
	// them in the index, recorded again with the usual noise; one in ten
	// new).
	Queries int
	Noise   Noise
	// Limit bounds the candidates scored a person (0: the matcher's
	// default).
	Limit int
	// CompareLimit, when above 0, matches every query a second time with
	// this candidate limit, interleaved with the first in the same run,
	// and reports it beside (BenchResult.Compare).
	CompareLimit int
}

// BenchResult is the outcome of a benchmark.
type BenchResult struct {
	Backend             string
	People              int
	Load                time.Duration
	Queries             int
	Known               int // queries of people in the index
	Match               Percentiles
	Baseline            Percentiles // Index.Person by id: fetching one person
	Sure, Possible, New int
	SureRight           int // sure decisions naming the right person
	Candidates          float64
	// Compare is the same queries matched with BenchConfig.CompareLimit
	// (nil without it).
	Compare *LimitRun
}

// LimitRun is one candidate limit's share of a benchmark run.
type LimitRun struct {
	Limit           int
	Match           Percentiles
	Sure, SureRight int
	Candidates      float64
}

// Percentiles of latencies.
type Percentiles struct{ P50, P95, P99 time.Duration }

func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return Percentiles{at(0.50), at(0.95), at(0.99)}
}

type query struct {
	rec   people.Record
	truth uuid.UUID // zero for a new person
}

// Bench loads cfg.People generated people into idx (empty, a
// people.BulkLoader), then matches cfg.Queries incoming people, timing
// each Matcher.Match, and times Index.Person on random people in the
// same run as the baseline.
func Bench(ctx context.Context, idx people.Index, backend string, cfg BenchConfig, log *slog.Logger) (BenchResult, error) {
	res := BenchResult{Backend: backend, People: cfg.People, Queries: cfg.Queries}
	bl, ok := idx.(people.BulkLoader)
	if !ok {
		return res, fmt.Errorf("bench: index cannot bulk load: %w", people.ErrInvalid)
	}
	wcfg := DefaultConfig()
	wcfg.Seed, wcfg.Noise = cfg.Seed, cfg.Noise
	w := newWorld(wcfg)
	w.now = wcfg.Start
	earlier := wcfg.Start.AddDays(-400)
	// Keep about 0.9*Queries of the loaded people, evenly spread, to be
	// recorded again.
	step := max(1, cfg.People*10/(9*max(1, cfg.Queries)))
	var keep []*kept
	personOf := map[uuid.UUID]uuid.UUID{} // truth -> index person
	var sample []uuid.UUID                // index persons for the baseline
	loaded := 0
	var rels []people.Relationship
	loadedIDs := map[uuid.UUID]bool{}
	items := func(yield func(people.BulkItem) bool) {
		for loaded < cfg.People {
			hh := w.newHousehold()
			known := w.knownHousehold(hh, earlier.AddDays(-w.rng.IntN(1500)))
			for _, k := range known {
				if loaded >= cfg.People {
					break
				}
				pid := uuid.NewSHA1(uuid.NameSpaceOID, k.Record.ID[:])
				if loaded%step == 0 {
					if m := memberByID(hh, k.Truth); m != nil {
						keep = append(keep, &kept{p: m, hh: hh})
						personOf[k.Truth] = pid
					}
				}
				if loaded%max(1, cfg.People/2000) == 0 {
					sample = append(sample, pid)
				}
				rels = append(rels, k.Rels...)
				loadedIDs[k.Record.ID] = true
				loaded++
				if loaded%100000 == 0 {
					log.Info("loading", "people", loaded)
				}
				if !yield(people.BulkItem{Person: pid, Record: k.Record}) {
					return
				}
			}
		}
	}
	// Relationships to records past the cut are dropped.
	relSeq := func(yield func(people.Relationship) bool) {
		for _, r := range rels {
			if !loadedIDs[r.From] || !loadedIDs[r.To] {
				continue
			}
			if !yield(r) {
				return
			}
		}
	}
	start := time.Now()
	if _, err := bl.BulkLoad(ctx, items, relSeq); err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	res.Load = time.Since(start)
	log.Info("loaded", "people", loaded, "took", res.Load.Round(time.Second))

	// Incoming people, recorded a year or two later.
	var qs []query
	later := wcfg.Start.AddDays(200)
	for _, k := range keep {
		if len(qs) >= cfg.Queries*9/10 {
			break
		}
		r := w.render(k.p, k.hh, later, w.uuid())
		r.Relatives = relativesOf(w, k.p, k.hh, later)
		qs = append(qs, query{rec: r, truth: k.p.ID})
	}
	res.Known = len(qs)
	for len(qs) < cfg.Queries {
		hh := w.newHousehold()
		for _, m := range hh.members {
			if len(qs) >= cfg.Queries {
				break
			}
			r := w.render(m, hh, later, w.uuid())
			r.Relatives = relativesOf(w, m, hh, later)
			qs = append(qs, query{rec: r})
		}
	}
	rand.New(rand.NewPCG(uint64(cfg.Seed), 7)).Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })

	m := people.NewMatcher(idx)
	if cfg.Limit > 0 {
		m.Limit = cfg.Limit
	}
	// Warm up: the first queries find cold caches.
	for _, q := range qs[:min(100, len(qs))] {
		if _, err := m.Match(ctx, q.rec); err != nil {
			return res, fmt.Errorf("bench: %w", err)
		}
	}
	match := make([]time.Duration, 0, len(qs))
	base := make([]time.Duration, 0, len(qs))
	cands := 0
	var m2 *people.Matcher
	var match2 []time.Duration
	if cfg.CompareLimit > 0 {
		m2 = people.NewMatcher(idx)
		m2.Limit = cfg.CompareLimit
		res.Compare = &LimitRun{Limit: cfg.CompareLimit}
	}
	cands2 := 0
	for i, q := range qs {
		// The comparison runs before the main match on even queries and
		// after it on odd ones, so neither gains from the other's cache.
		compare := func() error {
			if m2 == nil {
				return nil
			}
			t0 := time.Now()
			d, err := m2.Match(ctx, q.rec)
			match2 = append(match2, time.Since(t0))
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			cands2 += d.Candidates
			if d.Kind == people.Sure {
				res.Compare.Sure++
				if q.truth != uuid.Nil && personOf[q.truth] == d.Match {
					res.Compare.SureRight++
				}
			}
			return nil
		}
		if i%2 == 0 {
			if err := compare(); err != nil {
				return res, err
			}
		}
		t0 := time.Now()
		d, err := m.Match(ctx, q.rec)
		match = append(match, time.Since(t0))
		if err != nil {
			return res, fmt.Errorf("bench: %w", err)
		}
		cands += d.Candidates
		switch d.Kind {
		case people.Sure:
			res.Sure++
			if q.truth != uuid.Nil && personOf[q.truth] == d.Match {
				res.SureRight++
			} else if debugPairs {
				p, _ := idx.Person(ctx, d.Match)
				fmt.Fprintf(os.Stderr, "WRONG SURE %.4f %v\n  record %+v %v %v %v\n  person %+v %v %v %v\n", d.Score, d.Reasons,
					q.rec.Name, q.rec.DOB, q.rec.Addresses, q.rec.Identifiers, p.Name, p.DOB, p.Addresses, p.Aliases)
			}
		case people.Possible:
			res.Possible++
		default:
			res.New++
		}
		if i%2 == 1 {
			if err := compare(); err != nil {
				return res, err
			}
		}
		id := sample[i%len(sample)]
		t0 = time.Now()
		if _, err := idx.Person(ctx, id); err != nil {
			return res, fmt.Errorf("bench: baseline: %w", err)
		}
		base = append(base, time.Since(t0))
	}
	res.Match, res.Baseline = percentiles(match), percentiles(base)
	res.Candidates = float64(cands) / float64(max(1, len(qs)))
	if res.Compare != nil {
		res.Compare.Match = percentiles(match2)
		res.Compare.Candidates = float64(cands2) / float64(max(1, len(qs)))
	}
	return res, nil
}

type kept struct {
	p  *Person
	hh *household
}

// relativesOf returns the adults of p's household as an officer would
// record them beside a child (nothing for an adult).
func relativesOf(w *world, p *Person, hh *household, d people.Date) []people.Relative {
	if p.ageOn(d) >= 18 {
		return nil
	}
	var out []people.Relative
	for _, a := range hh.adults(d) {
		if rt, ok := hh.relation(a, p, d); ok {
			r := w.render(a, hh, d, uuid.Nil)
			out = append(out, people.Relative{Type: rt, Outgoing: true, Name: r.Name, DOB: r.DOB})
		}
	}
	return out
}

// Report prints the result for people.
func (r BenchResult) Report(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "People: match time per incoming person against %d people (%s)\n", r.People, r.Backend)
	fmt.Fprintf(w, "  bulk load: %d people in %s\n", r.People, r.Load.Round(time.Second))
	fmt.Fprintf(w, "  match (%d incoming people, %d of them in the index): p50 %s, p95 %s, p99 %s; %.1f candidates scored a person\n",
		r.Queries, r.Known, ms(r.Match.P50), ms(r.Match.P95), ms(r.Match.P99), r.Candidates)
	fmt.Fprintf(w, "  baseline, Index.Person by id in the same run: p50 %s, p95 %s, p99 %s\n",
		ms(r.Baseline.P50), ms(r.Baseline.P95), ms(r.Baseline.P99))
	ratio := func(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }
	fmt.Fprintf(w, "  ratio match/baseline: p50 %.1fx, p95 %.1fx\n", ratio(r.Match.P50, r.Baseline.P50), ratio(r.Match.P95, r.Baseline.P95))
	fmt.Fprintf(w, "  decisions: sure %d (%d of them the right person), sent to a supervisor %d, new %d\n",
		r.Sure, r.SureRight, r.Possible, r.New)
	if c := r.Compare; c != nil {
		fmt.Fprintf(w, "  the same queries, interleaved, at most %d candidates: p50 %s, p95 %s, p99 %s (p95 %.1fx the baseline); %.1f candidates; sure %d (%d right)\n",
			c.Limit, ms(c.Match.P50), ms(c.Match.P95), ms(c.Match.P99), ratio(c.Match.P95, r.Baseline.P95), c.Candidates, c.Sure, c.SureRight)
	}
}
