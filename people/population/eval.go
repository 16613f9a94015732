package population

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// Counts are decisions by outcome.
type Counts struct {
	// Sure links: right (same person) or wrong.
	SureRight, SureWrong int
	// Possible matches sent to a supervisor: the candidate is the person
	// (a supervisor confirms) or is not (a supervisor rejects).
	PossibleRight, PossibleWrong int
	// New people: right (never seen before) or missed (the person was
	// in the index: a duplicate made).
	NewRight, NewMissed int
}

// Bin is one band of scores of sure and possible decisions, with how many
// of them were right: a calibrated score has Right/N near the band.
type Bin struct {
	Lo, Hi   float64
	N, Right int
}

// Result is the outcome of an evaluation.
type Result struct {
	Backend    string
	Entries    int
	Records    int
	People     int
	Background int
	Counts     Counts
	// Pairwise over records (encounters and those known before): pairs
	// put in one person by the matcher's sure links (Predicted), pairs of
	// one human being (True), and both (Correct).
	Predicted, True, Correct int64
	Precision, Recall        float64
	// The same with every possible match decided by a supervisor who is
	// always right (an upper bound of the supervised system).
	SupervisedPrecision, SupervisedRecall float64
	Calibration                           []Bin
	Alerts                                map[people.AlertKind]int
	Candidates                            float64 // mean candidates per record
	Load, Match                           time.Duration
}

// Evaluate loads pop's background into idx (empty), ingests the
// encounters in order through a matcher (people.Matcher.Ingest, as the
// central system does), and scores the decisions against the truth.
func Evaluate(ctx context.Context, idx people.Index, backend string, pop *Population, log *slog.Logger) (Result, error) {
	res := Result{Backend: backend, Entries: len(pop.Encounters), Records: pop.Records(), People: pop.People,
		Background: len(pop.Background), Alerts: map[people.AlertKind]int{}}
	truthOfPerson := map[uuid.UUID]uuid.UUID{} // index person -> true person who founded it
	clusterOf := map[uuid.UUID]uuid.UUID{}     // record -> index person
	truthOf := map[uuid.UUID]uuid.UUID{}       // record -> true person
	known := map[uuid.UUID]bool{}              // true persons with a record in the index

	start := time.Now()
	items := make([]people.BulkItem, 0, len(pop.Background))
	for _, k := range pop.Background {
		pid := uuid.NewSHA1(uuid.NameSpaceOID, k.Record.ID[:])
		items = append(items, people.BulkItem{Person: pid, Record: k.Record})
		truthOfPerson[pid] = k.Truth
		clusterOf[k.Record.ID] = pid
		truthOf[k.Record.ID] = k.Truth
		known[k.Truth] = true
	}
	rels := func(yield func(people.Relationship) bool) {
		for _, k := range pop.Background {
			for _, r := range k.Rels {
				if !yield(r) {
					return
				}
			}
		}
	}
	if err := load(ctx, idx, items, rels); err != nil {
		return res, err
	}
	res.Load = time.Since(start)
	log.Info("background loaded", "records", len(items), "took", res.Load.Round(time.Millisecond))

	m := people.NewMatcher(idx)
	bins := []Bin{{Lo: people.DefaultPossibleAt, Hi: 0.3}, {Lo: 0.3, Hi: 0.5}, {Lo: 0.5, Hi: 0.8}, {Lo: 0.8, Hi: 0.95}, {Lo: 0.95, Hi: 0.99},
		{Lo: 0.99, Hi: 0.995}, {Lo: 0.995, Hi: 0.999}, {Lo: 0.999, Hi: 1.0001}}
	type possible struct{ person, match uuid.UUID }
	var supervised []possible
	cands := 0
	start = time.Now()
	for i, enc := range pop.Encounters {
		out, err := m.Ingest(ctx, enc.Entry, people.DefaultAlertRules)
		if err != nil {
			return res, fmt.Errorf("evaluate: entry %d: %w", i, err)
		}
		for _, a := range out.Alerts {
			res.Alerts[a.Kind]++
		}
		for _, d := range out.Decisions {
			truth := enc.Truth[d.RecordID]
			truthOf[d.RecordID] = truth
			clusterOf[d.RecordID] = d.Person
			cands += d.Candidates
			right := d.Match != uuid.Nil && truthOfPerson[d.Match] == truth
			switch d.Kind {
			case people.Sure:
				if right {
					res.Counts.SureRight++
				} else {
					res.Counts.SureWrong++
				}
			case people.Possible:
				truthOfPerson[d.Person] = truth
				if right {
					res.Counts.PossibleRight++
					supervised = append(supervised, possible{d.Person, d.Match})
				} else {
					res.Counts.PossibleWrong++
				}
			case people.New:
				truthOfPerson[d.Person] = truth
				if known[truth] {
					res.Counts.NewMissed++
				} else {
					res.Counts.NewRight++
				}
			}
			if d.Kind == people.Sure || d.Kind == people.Possible {
				for b := range bins {
					if d.Score >= bins[b].Lo && d.Score < bins[b].Hi {
						bins[b].N++
						if right {
							bins[b].Right++
						}
					}
				}
			}
			known[truth] = true
		}
		if (i+1)%1000 == 0 {
			log.Info("ingesting", "entries", i+1, "of", len(pop.Encounters))
		}
	}
	res.Match = time.Since(start)
	res.Calibration = bins
	if res.Records > 0 {
		res.Candidates = float64(cands) / float64(res.Records)
	}
	res.Predicted, res.True, res.Correct = pairs(clusterOf, truthOf)
	res.Precision, res.Recall = ratio(res.Correct, res.Predicted), ratio(res.Correct, res.True)

	// With a supervisor confirming the right possible matches.
	uf := map[uuid.UUID]uuid.UUID{}
	var find func(uuid.UUID) uuid.UUID
	find = func(x uuid.UUID) uuid.UUID {
		p, ok := uf[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		uf[x] = r
		return r
	}
	for _, s := range supervised {
		a, b := find(s.person), find(s.match)
		if a != b {
			uf[a] = b
		}
	}
	merged := make(map[uuid.UUID]uuid.UUID, len(clusterOf))
	for r, c := range clusterOf {
		merged[r] = find(c)
	}
	p, t, c := pairs(merged, truthOf)
	res.SupervisedPrecision, res.SupervisedRecall = ratio(c, p), ratio(c, t)
	return res, nil
}

func load(ctx context.Context, idx people.Index, items []people.BulkItem, rels iter.Seq[people.Relationship]) error {
	if bl, ok := idx.(people.BulkLoader); ok {
		if _, err := bl.BulkLoad(ctx, func(yield func(people.BulkItem) bool) {
			for _, it := range items {
				if !yield(it) {
					return
				}
			}
		}, rels); err != nil {
			return fmt.Errorf("evaluate: %w", err)
		}
		return nil
	}
	return fmt.Errorf("evaluate: index cannot bulk load: %w", people.ErrInvalid)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// pairs counts the record pairs predicted together, truly together, and
// both.
func pairs(cluster, truth map[uuid.UUID]uuid.UUID) (pred, tru, both int64) {
	type cell struct{ c, t uuid.UUID }
	cells := map[cell]int64{}
	cs, ts := map[uuid.UUID]int64{}, map[uuid.UUID]int64{}
	for r, c := range cluster {
		t := truth[r]
		cells[cell{c, t}]++
		cs[c]++
		ts[t]++
	}
	c2 := func(n int64) int64 { return n * (n - 1) / 2 }
	for _, n := range cs {
		pred += c2(n)
	}
	for _, n := range ts {
		tru += c2(n)
	}
	for _, n := range cells {
		both += c2(n)
	}
	return pred, tru, both
}

// Report prints the result for people.
func (r Result) Report(w io.Writer) {
	c := r.Counts
	fmt.Fprintf(w, "Person matcher on a synthetic population (%s)\n", r.Backend)
	fmt.Fprintf(w, "  encounters: %d entries, %d records of %d people; %d records known before\n",
		r.Entries, r.Records, r.People, r.Background)
	fmt.Fprintf(w, "  decisions:  sure %d (right %d, wrong %d); sent to a supervisor %d (the person %d, not %d); new %d (right %d, duplicates made %d)\n",
		c.SureRight+c.SureWrong, c.SureRight, c.SureWrong, c.PossibleRight+c.PossibleWrong, c.PossibleRight, c.PossibleWrong,
		c.NewRight+c.NewMissed, c.NewRight, c.NewMissed)
	fmt.Fprintf(w, "  pairwise (sure links only): precision %.4f (%d of %d linked pairs right), recall %.4f (%d of %d true pairs linked)\n",
		r.Precision, r.Correct, r.Predicted, r.Recall, r.Correct, r.True)
	fmt.Fprintf(w, "  if supervisors decide every possible match rightly: precision %.4f, recall %.4f\n",
		r.SupervisedPrecision, r.SupervisedRecall)
	fmt.Fprintf(w, "  score calibration (sure and possible decisions):\n")
	for _, b := range r.Calibration {
		if b.N == 0 {
			continue
		}
		fmt.Fprintf(w, "    score %.3f-%.3f: %5d decisions, %.3f right\n", b.Lo, min(b.Hi, 1), b.N, float64(b.Right)/float64(b.N))
	}
	fmt.Fprintf(w, "  alerts: repeat appearance %d, linked to immediate risk %d\n",
		r.Alerts[people.AlertRepeat], r.Alerts[people.AlertLinkedImmediate])
	fmt.Fprintf(w, "  time: load %s, ingest %s (%.2f ms a record, %.1f candidates a record)\n",
		r.Load.Round(time.Millisecond), r.Match.Round(time.Millisecond),
		float64(r.Match.Microseconds())/1000/float64(max(1, r.Records)), r.Candidates)
}

// The targets for the matcher's sure links.
const (
	TargetPrecision = 0.98
	TargetRecall    = 0.95
)
