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
	ld := newBenchLoad(w, cfg, log, wcfg.Start.AddDays(-400))
	start := time.Now()
	if _, err := bl.BulkLoad(ctx, ld.items, ld.relSeq); err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	res.Load = time.Since(start)
	log.Info("loaded", "people", ld.loaded, "took", res.Load.Round(time.Second))

	// Incoming people, recorded a year or two later.
	var qs []query
	qs, res.Known = ld.queries(wcfg.Start.AddDays(200))
	rand.New(rand.NewPCG(uint64(cfg.Seed), 7)).Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })

	bm := &benchMatcher{ctx: ctx, idx: idx, personOf: ld.personOf, res: &res, m: people.NewMatcher(idx)}
	if cfg.Limit > 0 {
		bm.m.Limit = cfg.Limit
	}
	if err := bm.warmUp(qs); err != nil {
		return res, err
	}
	if cfg.CompareLimit > 0 {
		bm.m2 = people.NewMatcher(idx)
		bm.m2.Limit = cfg.CompareLimit
		res.Compare = &LimitRun{Limit: cfg.CompareLimit}
	}
	if err := bm.run(qs, ld.sample); err != nil {
		return res, err
	}
	res.Match, res.Baseline = percentiles(bm.match), percentiles(bm.base)
	res.Candidates = float64(bm.cands) / float64(max(1, len(qs)))
	if res.Compare != nil {
		res.Compare.Match = percentiles(bm.match2)
		res.Compare.Candidates = float64(bm.cands2) / float64(max(1, len(qs)))
	}
	return res, nil
}

// benchLoad generates the benchmark's index as it is bulk loaded, keeping
// some of the people loaded to be recorded again and some as the
// baseline's sample.
type benchLoad struct {
	w       *world
	cfg     BenchConfig
	log     *slog.Logger
	earlier people.Date
	// Keep about 0.9*Queries of the loaded people, evenly spread, to be
	// recorded again.
	step      int
	keep      []*kept
	personOf  map[uuid.UUID]uuid.UUID // truth -> index person
	sample    []uuid.UUID             // index persons for the baseline
	loaded    int
	rels      []people.Relationship
	loadedIDs map[uuid.UUID]bool
}

func newBenchLoad(w *world, cfg BenchConfig, log *slog.Logger, earlier people.Date) *benchLoad {
	return &benchLoad{w: w, cfg: cfg, log: log, earlier: earlier,
		step:      max(1, cfg.People*10/(9*max(1, cfg.Queries))),
		personOf:  map[uuid.UUID]uuid.UUID{},
		loadedIDs: map[uuid.UUID]bool{},
	}
}

// items yields cfg.People earlier records, household by household.
func (ld *benchLoad) items(yield func(people.BulkItem) bool) {
	w, cfg := ld.w, ld.cfg
	for ld.loaded < cfg.People {
		hh := w.newHousehold()
		known := w.knownHousehold(hh, ld.earlier.AddDays(-w.rng.IntN(1500)))
		for _, k := range known {
			if ld.loaded >= cfg.People {
				break
			}
			if !yield(ld.add(hh, k)) {
				return
			}
		}
	}
}

// add records one loaded record k of household hh, keeping it or sampling
// it as due, and returns it as a bulk item.
func (ld *benchLoad) add(hh *household, k Known) people.BulkItem {
	pid := uuid.NewSHA1(uuid.NameSpaceOID, k.Record.ID[:])
	if ld.loaded%ld.step == 0 {
		if m := memberByID(hh, k.Truth); m != nil {
			ld.keep = append(ld.keep, &kept{p: m, hh: hh})
			ld.personOf[k.Truth] = pid
		}
	}
	if ld.loaded%max(1, ld.cfg.People/2000) == 0 {
		ld.sample = append(ld.sample, pid)
	}
	ld.rels = append(ld.rels, k.Rels...)
	ld.loadedIDs[k.Record.ID] = true
	ld.loaded++
	if ld.loaded%100000 == 0 {
		ld.log.Info("loading", "people", ld.loaded)
	}
	return people.BulkItem{Person: pid, Record: k.Record}
}

// relSeq yields the loaded records' relationships. Relationships to
// records past the cut are dropped.
func (ld *benchLoad) relSeq(yield func(people.Relationship) bool) {
	for _, r := range ld.rels {
		if !ld.loadedIDs[r.From] || !ld.loadedIDs[r.To] {
			continue
		}
		if !yield(r) {
			return
		}
	}
}

// queries returns cfg.Queries incoming people recorded on later: the kept
// people (up to nine in ten of the queries) then new households. known is
// how many are in the index.
func (ld *benchLoad) queries(later people.Date) (qs []query, known int) {
	w, cfg := ld.w, ld.cfg
	for _, k := range ld.keep {
		if len(qs) >= cfg.Queries*9/10 {
			break
		}
		r := w.render(k.p, k.hh, later, w.uuid())
		r.Relatives = relativesOf(w, k.p, k.hh, later)
		qs = append(qs, query{rec: r, truth: k.p.ID})
	}
	known = len(qs)
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
	return qs, known
}

// benchMatcher times the benchmark's matches (and the comparison limit's,
// m2, when set) and baseline fetches, counting decisions into res.
type benchMatcher struct {
	ctx                 context.Context
	idx                 people.Index
	personOf            map[uuid.UUID]uuid.UUID
	res                 *BenchResult
	m, m2               *people.Matcher
	match, base, match2 []time.Duration
	cands, cands2       int
}

// warmUp matches the first queries untimed: they find cold caches.
func (bm *benchMatcher) warmUp(qs []query) error {
	for _, q := range qs[:min(100, len(qs))] {
		if _, err := bm.m.Match(bm.ctx, q.rec); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// run matches every query, then fetches one sampled person as the
// baseline.
func (bm *benchMatcher) run(qs []query, sample []uuid.UUID) error {
	bm.match = make([]time.Duration, 0, len(qs))
	bm.base = make([]time.Duration, 0, len(qs))
	for i, q := range qs {
		// The comparison runs before the main match on even queries and
		// after it on odd ones, so neither gains from the other's cache.
		if i%2 == 0 {
			if err := bm.compare(q); err != nil {
				return err
			}
		}
		if err := bm.matchOne(q); err != nil {
			return err
		}
		if i%2 == 1 {
			if err := bm.compare(q); err != nil {
				return err
			}
		}
		id := sample[i%len(sample)]
		t0 := time.Now()
		if _, err := bm.idx.Person(bm.ctx, id); err != nil {
			return fmt.Errorf("bench: baseline: %w", err)
		}
		bm.base = append(bm.base, time.Since(t0))
	}
	return nil
}

// matchOne times the main match of q and counts its decision.
func (bm *benchMatcher) matchOne(q query) error {
	res := bm.res
	t0 := time.Now()
	d, err := bm.m.Match(bm.ctx, q.rec)
	bm.match = append(bm.match, time.Since(t0))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	bm.cands += d.Candidates
	switch d.Kind {
	case people.Sure:
		res.Sure++
		if q.truth != uuid.Nil && bm.personOf[q.truth] == d.Match {
			res.SureRight++
		} else if debugPairs {
			p, _ := bm.idx.Person(bm.ctx, d.Match)
			fmt.Fprintf(os.Stderr, "WRONG SURE %.4f %v\n  record %+v %v %v %v\n  person %+v %v %v %v\n", d.Score, d.Reasons,
				q.rec.Name, q.rec.DOB, q.rec.Addresses, q.rec.Identifiers, p.Name, p.DOB, p.Addresses, p.Aliases)
		}
	case people.Possible:
		res.Possible++
	default:
		res.New++
	}
	return nil
}

// compare times q's match at the comparison limit and counts its sure
// decisions; it does nothing without one.
func (bm *benchMatcher) compare(q query) error {
	if bm.m2 == nil {
		return nil
	}
	t0 := time.Now()
	d, err := bm.m2.Match(bm.ctx, q.rec)
	bm.match2 = append(bm.match2, time.Since(t0))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	bm.cands2 += d.Candidates
	if d.Kind == people.Sure {
		bm.res.Compare.Sure++
		if q.truth != uuid.Nil && bm.personOf[q.truth] == d.Match {
			bm.res.Compare.SureRight++
		}
	}
	return nil
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
