package population

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// PairConfig sets the second, independent evaluation: originals drawn
// clean from the generator's households, duplicates made by a Corruptor
// (not the generator's Noise), and strangers (people not in the index,
// corrupted the same way) that must not be linked.
type PairConfig struct {
	Seed       int64
	Originals  int // records loaded into the index
	Duplicates int // corrupted copies of loaded records, matched
	Strangers  int // corrupted records of people not loaded, matched
	// IDShare is the share of people given identifiers (an NHS number,
	// and a UPN for children of school age), kept on their duplicates
	// (subject to the corruptor's identifier errors).
	IDShare   float64
	Corruptor Corruptor
}

// DefaultPairConfig is what `population eval` runs (twice: without
// identifiers, and with them on half the people).
func DefaultPairConfig() PairConfig {
	return PairConfig{Seed: 7, Originals: 20000, Duplicates: 2000, Strangers: 500, Corruptor: DefaultCorruptor}
}

// PairResult is the outcome of the pair evaluation.
type PairResult struct {
	Backend                          string
	Originals, Duplicates, Strangers int
	IDShare                          float64
	// Duplicates: linked sure to the right person, sure to a wrong one,
	// possible with the right person among those shown, possible
	// without, new (missed).
	SureRight, SureWrong, PossibleRight, PossibleWrong, New int
	// Strangers linked sure (wrong), sent to a supervisor, or new (right).
	StrangerSure, StrangerPossible, StrangerNew int
	// SurePrecision: right sure links of all sure links (duplicates and
	// strangers). SureRecall: right sure links of duplicates.
	// SureOrPossibleRecall: duplicates linked sure rightly or sent to a
	// supervisor with the right person shown.
	SurePrecision, SureRecall, SureOrPossibleRecall float64
	Match                                           time.Duration
	// ByKind counts the duplicates that carry each kind of modification
	// (a duplicate with two kinds counts under both) and how they fared.
	ByKind map[string]*KindCount
	// Duplicates not linked sure, by why: the blocking search never
	// proposed the person (NotProposed), or it did and the comparison
	// with the person fell short (Rejected). RejectedBy counts the
	// reason codes of the true person's comparison over the rejected
	// (how the evidence fell short).
	NotProposed, Rejected int
	RejectedBy            map[string]int
	// ByCount is ByKind by how many modifications a duplicate carries (1
	// to Corruptor.MaxPerRecord), Single ByKind over the duplicates that
	// carry one only (each kind on its own).
	ByCount map[int]*KindCount
	Single  map[string]*KindCount
	// MissedBy counts the duplicates not linked sure by the set of kinds
	// they carry ("dob:blank+name:replaced"), MissedWhy by why, of those
	// proposed: the true person compared alone scores under the sure
	// threshold ("score"), scores above it but without the evidence a
	// sure link needs ("evidence"), or passes both and was kept from a
	// sure link by a tie, a twin-like candidate or a better candidate
	// ("guard").
	MissedBy  map[string]int
	MissedWhy map[string]int
	// The duplicates by what their corruption left, compared with their
	// original (the truth, not the matcher's search): IDAgreed agree on
	// a valid identifier; of the rest, TwinPattern have another given
	// name with the family name (within a typo), the exact date and the
	// home (street or better) kept, which the issue forbids linking by
	// itself (twins look so), and GivenLost another given name
	// otherwise, which the evidence rule never links sure without an
	// identifier. ...Sure count those linked sure to the right person.
	IDAgreed, TwinPattern, GivenLost             int
	IDAgreedSure, TwinPatternSure, GivenLostSure int
}

// KindCount is how the duplicates carrying one kind of error fared, and,
// of those not linked sure, how many the blocking search never proposed.
type KindCount struct{ N, Sure, SureOrPossible, NotProposed int }

// EvaluatePairs runs the pair evaluation on idx (empty).
func EvaluatePairs(ctx context.Context, idx people.Index, backend string, cfg PairConfig, log *slog.Logger) (PairResult, error) {
	res := PairResult{Backend: backend, IDShare: cfg.IDShare, ByKind: map[string]*KindCount{}, RejectedBy: map[string]int{},
		ByCount: map[int]*KindCount{}, Single: map[string]*KindCount{}, MissedBy: map[string]int{}, MissedWhy: map[string]int{}}
	wcfg := DefaultConfig()
	wcfg.Seed, wcfg.Noise = cfg.Seed, Noise{}
	w := newWorld(wcfg)
	w.now = wcfg.Start
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 99))
	originals, strangers := pairPeople(w, cfg, rng, wcfg.Start)
	pm := &pairMatcher{ctx: ctx, idx: idx, cfg: cfg, rng: rng, res: &res}
	items, rels := pm.indexItems(originals)
	res.Originals = len(items)
	if err := load(ctx, idx, items, rels); err != nil {
		return res, err
	}
	log.Info("pair evaluation: originals loaded", "records", len(items))

	pm.env = &corruptEnv{rng: rng}
	for _, k := range originals {
		pm.env.names = append(pm.env.names, k.Record.Name)
		pm.env.addrs = append(pm.env.addrs, k.Record.Addresses...)
	}
	pm.m = people.NewMatcher(idx)
	start := time.Now()
	// Duplicates of originals spread evenly over the index.
	step := max(1, len(originals)/max(1, cfg.Duplicates))
	for i := 0; i < len(originals) && res.Duplicates < cfg.Duplicates; i += step {
		if err := pm.match(originals[i], false); err != nil {
			return res, err
		}
		res.Duplicates++
	}
	for _, k := range strangers[:min(cfg.Strangers, len(strangers))] {
		if err := pm.match(k, true); err != nil {
			return res, err
		}
		res.Strangers++
	}
	res.Match = time.Since(start)
	sure := res.SureRight + res.SureWrong + res.StrangerSure
	res.SurePrecision = ratio(int64(res.SureRight), int64(sure))
	res.SureRecall = ratio(int64(res.SureRight), int64(res.Duplicates))
	res.SureOrPossibleRecall = ratio(int64(res.SureRight+res.PossibleRight), int64(res.Duplicates))
	return res, nil
}

// pairPeople generates households' earlier records until there are
// cfg.Originals originals (to be loaded) and cfg.Strangers strangers
// (never loaded, so without relationships), giving cfg.IDShare of them
// identifiers.
func pairPeople(w *world, cfg PairConfig, rng *rand.Rand, on people.Date) (originals, strangers []Known) {
	for len(originals) < cfg.Originals || len(strangers) < cfg.Strangers {
		hh := w.newHousehold()
		known := w.knownHousehold(hh, on.AddDays(-w.rng.IntN(1500)))
		for i := range known {
			if rng.Float64() < cfg.IDShare {
				giveIDs(rng, &known[i].Record)
			}
		}
		if len(originals) < cfg.Originals {
			originals = append(originals, known...)
		} else {
			for i := range known {
				known[i].Rels = nil
			}
			strangers = append(strangers, known...)
		}
	}
	return originals, strangers
}

// pairMatcher matches the pair evaluation's duplicates and strangers,
// counting the outcomes into res.
type pairMatcher struct {
	ctx     context.Context
	idx     people.Index
	cfg     PairConfig
	rng     *rand.Rand
	env     *corruptEnv
	m       *people.Matcher
	truthOf map[uuid.UUID]uuid.UUID     // index person -> truth
	recOf   map[uuid.UUID]people.Record // truth -> original record
	res     *PairResult
}

// indexItems returns the originals as bulk items, one index person each,
// and their relationships between originals, noting each person's truth.
func (pm *pairMatcher) indexItems(originals []Known) ([]people.BulkItem, func(yield func(people.Relationship) bool)) {
	pm.truthOf = map[uuid.UUID]uuid.UUID{}
	pm.recOf = map[uuid.UUID]people.Record{}
	items := make([]people.BulkItem, 0, len(originals))
	ids := map[uuid.UUID]bool{}
	for _, k := range originals {
		pid := uuid.NewSHA1(uuid.NameSpaceOID, k.Record.ID[:])
		pm.truthOf[pid] = k.Truth
		pm.recOf[k.Truth] = k.Record
		ids[k.Record.ID] = true
		items = append(items, people.BulkItem{Person: pid, Record: k.Record})
	}
	rels := func(yield func(people.Relationship) bool) {
		for _, k := range originals {
			for _, r := range k.Rels {
				if ids[r.From] && ids[r.To] && !yield(r) {
					return
				}
			}
		}
	}
	return items, rels
}

// match records k again, corrupted and later, matches it and counts the
// decision (a stranger's as a stranger's).
func (pm *pairMatcher) match(k Known, stranger bool) error {
	seen := k.Record.Seen.AddDays(30 + pm.rng.IntN(3*365))
	dup := pm.cfg.Corruptor.corrupt(pm.env, k.Record, seen)
	dup.ID, dup.EntryID = uuid.New(), uuid.New()
	d, err := pm.m.Match(pm.ctx, dup)
	if err != nil {
		return fmt.Errorf("pair evaluation: %w", err)
	}
	shown := d.Match != uuid.Nil && pm.truthOf[d.Match] == k.Truth
	for _, o := range d.Others {
		shown = shown || pm.truthOf[o.PersonID] == k.Truth
	}
	if !stranger {
		if err := pm.duplicate(k, dup, d, shown); err != nil {
			return err
		}
	}
	pm.tally(k, d, stranger, shown)
	return nil
}

// duplicate profiles a duplicate's decision: a miss's cause, and the
// counts by kind of error.
func (pm *pairMatcher) duplicate(k Known, dup people.Record, d people.Decision, shown bool) error {
	missed := !(d.Kind == people.Sure && pm.truthOf[d.Match] == k.Truth)
	proposed := true
	if missed {
		var err error
		if proposed, err = pm.profileMiss(k, dup, d); err != nil {
			return err
		}
	}
	pm.countKinds(k, d, shown, proposed)
	pm.countConstruction(k, dup, d)
	if debugPairs && !(d.Kind == people.Sure && pm.truthOf[d.Match] == k.Truth) {
		fmt.Fprintf(os.Stderr, "MISS %s %v score=%.3f %v\n  orig=%+v %v %v\n  dup =%+v %v %v\n", d.Kind, pm.env.labels, d.Score, d.Reasons,
			k.Record.Name, k.Record.DOB, k.Record.Addresses, dup.Name, dup.DOB, dup.Addresses)
	}
	return nil
}

// profileMiss says whether blocking proposed the person a missed duplicate
// is, counting the scorer's reasons for rejecting them when it did.
func (pm *pairMatcher) profileMiss(k Known, dup people.Record, d people.Decision) (bool, error) {
	res, m := pm.res, pm.m
	// Profile the miss: did blocking propose the person?
	cands, err := pm.idx.Candidates(pm.ctx, people.QueryProbes(&dup.Particulars, m.Scorer.Nicknames), m.Limit)
	if err != nil {
		return false, fmt.Errorf("pair evaluation: %w", err)
	}
	proposed := slices.ContainsFunc(cands, func(p people.Person) bool { return pm.truthOf[p.ID] == k.Truth })
	if proposed {
		res.Rejected++
		o := pm.recOf[k.Truth]
		c := m.Scorer.Compare(&dup.Particulars, nil, &o.Particulars, nil, people.Env{})
		for _, r := range c.Reasons() {
			res.RejectedBy[r]++
		}
		switch {
		case c.Score < m.SureAt:
			res.MissedWhy["score"]++
		case !c.Strong():
			res.MissedWhy["evidence"]++
		default:
			res.MissedWhy["guard"]++
		}
		if debugPairs {
			fmt.Fprintf(os.Stderr, "REJ\t%s\t%v\t%.4f\t%v\t%v\t%v\n", d.Kind, pm.truthOf[d.Match] == k.Truth, c.Score, c.Strong(), pm.env.labels, c.Reasons())
		}
	} else {
		res.NotProposed++
	}
	return proposed, nil
}

// countKinds counts a duplicate's decision under each kind of error its
// corruption carried, under how many it carried, and (missed) under the
// set of kinds.
func (pm *pairMatcher) countKinds(k Known, d people.Decision, shown, proposed bool) {
	sure := d.Kind == people.Sure && pm.truthOf[d.Match] == k.Truth
	count := func(kc *KindCount) {
		kc.N++
		if sure {
			kc.Sure++
			kc.SureOrPossible++
		} else if d.Kind == people.Possible && shown {
			kc.SureOrPossible++
		}
		if !proposed {
			kc.NotProposed++
		}
	}
	labels := pm.env.labels
	for _, l := range labels {
		count(kindCount(pm.res.ByKind, l))
	}
	count(kindCount(pm.res.ByCount, len(labels)))
	if len(labels) == 1 {
		count(kindCount(pm.res.Single, labels[0]))
	}
	if !sure {
		set := slices.Compact(slices.Sorted(slices.Values(labels)))
		if len(set) == 0 {
			set = []string{"none"}
		}
		pm.res.MissedBy[strings.Join(set, "+")]++
	}
}

// countConstruction counts a duplicate under what its corruption left
// (PairResult.IDAgreed, TwinPattern, GivenLost).
func (pm *pairMatcher) countConstruction(k Known, dup people.Record, d people.Decision) {
	res := pm.res
	sure := 0
	if d.Kind == people.Sure && pm.truthOf[d.Match] == k.Truth {
		sure = 1
	}
	o := pm.recOf[k.Truth]
	c := pm.m.Scorer.Compare(&dup.Particulars, nil, &o.Particulars, nil, people.Env{})
	// Another given name: differing, or only an initial or a part, or
	// another established name close in spelling or sound (Jack / Jake:
	// Comparison.OtherName).
	lost := c.Given == people.NameDiffer || c.Given == people.NameInitial || c.Given == people.NamePartial || c.OtherName
	switch {
	case c.ID == people.IDAgree:
		res.IDAgreed++
		res.IDAgreedSure += sure
	case lost && c.Family >= people.NameTypo && c.DOB == people.DOBExact && c.Address >= people.AddrStreet:
		res.TwinPattern++
		res.TwinPatternSure += sure
	case lost:
		res.GivenLost++
		res.GivenLostSure += sure
	}
}

// kindCount returns m's count for key, adding it when new.
func kindCount[K comparable](m map[K]*KindCount, key K) *KindCount {
	kc := m[key]
	if kc == nil {
		kc = &KindCount{}
		m[key] = kc
	}
	return kc
}

// tally counts decision d on k's record in the result's totals.
func (pm *pairMatcher) tally(k Known, d people.Decision, stranger, shown bool) {
	res := pm.res
	switch {
	case stranger && d.Kind == people.Sure:
		res.StrangerSure++
	case stranger && d.Kind == people.Possible:
		res.StrangerPossible++
	case stranger:
		res.StrangerNew++
	case d.Kind == people.Sure && pm.truthOf[d.Match] == k.Truth:
		res.SureRight++
	case d.Kind == people.Sure:
		res.SureWrong++
	case d.Kind == people.Possible && shown:
		res.PossibleRight++
	case d.Kind == people.Possible:
		res.PossibleWrong++
	default:
		res.New++
	}
}

// debugPairs prints every duplicate not linked sure (POPULATION_DEBUG=1).
var debugPairs = os.Getenv("POPULATION_DEBUG") == "1"

// giveIDs gives a record an NHS number and, for a child of school age, a
// UPN.
func giveIDs(r *rand.Rand, rec *people.Record) {
	rec.Identifiers = append(rec.Identifiers, people.Identifier{Kind: people.IDNHS, Value: nhsNumber(r)})
	if rec.DOB.Known() {
		if age := rec.DOB.Date.AgeOn(rec.Seen); age >= 4 && age <= 16 {
			rec.Identifiers = append(rec.Identifiers, people.Identifier{Kind: people.IDUPN, Value: upn(r)})
		}
	}
}

// upn returns a valid unique pupil number drawn from r.
func upn(r *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
	b := make([]byte, 13)
	sum := 0
	for i := 1; i < 13; i++ {
		b[i] = byte('0' + r.IntN(10))
		sum += int(b[i]-'0') * (i + 1)
	}
	b[0] = letters[sum%23]
	return string(b)
}

// The targets for the pair evaluation.
const (
	TargetPairSurePrecision     = 0.999
	TargetPairSureRecall        = 0.90
	TargetPairSureOrPossible    = 0.98
	TargetPairSureRecallWithIDs = 0.97
)

// Report prints the result.
func (r PairResult) Report(w io.Writer) {
	ids := "no identifiers"
	if r.IDShare > 0 {
		ids = fmt.Sprintf("identifiers on %.0f%% of people", 100*r.IDShare)
	}
	fmt.Fprintf(w, "Second evaluation: FEBRL/GeCo-style corrupted duplicates (%s, %s)\n", r.Backend, ids)
	fmt.Fprintf(w, "  %d originals loaded; %d corrupted duplicates and %d strangers matched\n", r.Originals, r.Duplicates, r.Strangers)
	fmt.Fprintf(w, "  duplicates: sure right %d, sure WRONG %d; to a supervisor with the person shown %d, without %d; new (missed) %d\n",
		r.SureRight, r.SureWrong, r.PossibleRight, r.PossibleWrong, r.New)
	fmt.Fprintf(w, "  strangers:  sure (WRONG) %d; to a supervisor %d; new %d\n", r.StrangerSure, r.StrangerPossible, r.StrangerNew)
	fmt.Fprintf(w, "  sure precision %.4f, sure recall %.4f, sure-or-possible recall %.4f (%.2f ms a match)\n",
		r.SurePrecision, r.SureRecall, r.SureOrPossibleRecall,
		float64(r.Match.Microseconds())/1000/float64(max(1, r.Duplicates+r.Strangers)))
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	fmt.Fprintf(w, "  by kind of error (duplicates carrying it: linked sure; sure or shown to a supervisor; not linked sure: never proposed by blocking, rejected by scoring):\n")
	for _, k := range kinds {
		c := r.ByKind[k]
		fmt.Fprintf(w, "    %-22s %5d: sure %.3f, sure or possible %.3f; missed %4d = unproposed %3d + rejected %3d\n", k, c.N,
			float64(c.Sure)/float64(c.N), float64(c.SureOrPossible)/float64(c.N), c.N-c.Sure, c.NotProposed, c.N-c.Sure-c.NotProposed)
	}
	r.reportMisses(w)
	r.reportConstruction(w)
	fmt.Fprintf(w, "  not linked sure: %d never proposed by blocking, %d proposed but scored short of sure\n", r.NotProposed, r.Rejected)
	if r.Rejected > 0 {
		codes := make([]string, 0, len(r.RejectedBy))
		for c := range r.RejectedBy {
			codes = append(codes, c)
		}
		slices.SortFunc(codes, func(a, b string) int {
			if c := r.RejectedBy[b] - r.RejectedBy[a]; c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		fmt.Fprintf(w, "  the true person's comparison where scoring fell short (reason: pairs):")
		for i, c := range codes {
			if i%6 == 0 {
				fmt.Fprintf(w, "\n   ")
			}
			fmt.Fprintf(w, " %s %d", c, r.RejectedBy[c])
		}
		fmt.Fprintln(w)
	}
}

// reportConstruction prints what the corruption left by construction,
// and the best sure recall reachable without linking what the issue's
// twin rule (and the evidence rule) forbid.
func (r PairResult) reportConstruction(w io.Writer) {
	d := float64(max(1, r.Duplicates))
	fmt.Fprintf(w, "  by construction (each duplicate against its original): %d agree on a valid identifier (%d linked sure);\n", r.IDAgreed, r.IDAgreedSure)
	fmt.Fprintf(w, "    without one, %d are the twin pattern (another given name; family name, exact date and home kept: never sure by the issue's rule; %d linked sure)\n", r.TwinPattern, r.TwinPatternSure)
	fmt.Fprintf(w, "    and %d more have another given name (never sure by the evidence rule; %d linked sure)\n", r.GivenLost, r.GivenLostSure)
	fmt.Fprintf(w, "  best sure recall reachable linking no twin pattern %.4f, linking neither %.4f\n",
		float64(r.Duplicates-r.TwinPattern)/d, float64(r.Duplicates-r.TwinPattern-r.GivenLost)/d)
}

// reportMisses prints the duplicates by how many modifications they
// carry, those with a single one by kind, why the proposed ones missed,
// and the commonest sets of kinds among the duplicates not linked sure.
func (r PairResult) reportMisses(w io.Writer) {
	fmt.Fprintf(w, "  by modifications a duplicate carries:")
	for _, n := range slices.Sorted(maps.Keys(r.ByCount)) {
		c := r.ByCount[n]
		fmt.Fprintf(w, " %d: %d, sure %.3f, sure or possible %.3f;", n, c.N, float64(c.Sure)/float64(c.N), float64(c.SureOrPossible)/float64(c.N))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  duplicates with one modification, by kind (sure / n):")
	for i, k := range slices.Sorted(maps.Keys(r.Single)) {
		if i%5 == 0 {
			fmt.Fprintf(w, "\n   ")
		}
		c := r.Single[k]
		fmt.Fprintf(w, " %s %d/%d", k, c.Sure, c.N)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  proposed but not linked sure, why (the true person compared alone): score under the sure threshold %d, evidence rule not met %d, kept by a tie, twin or better candidate %d\n",
		r.MissedWhy["score"], r.MissedWhy["evidence"], r.MissedWhy["guard"])
	sets := slices.Collect(maps.Keys(r.MissedBy))
	slices.SortFunc(sets, func(a, b string) int {
		if c := r.MissedBy[b] - r.MissedBy[a]; c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	fmt.Fprintf(w, "  not linked sure, by the kinds a duplicate carries (the 12 commonest of %d sets):", len(sets))
	for i, s := range sets[:min(12, len(sets))] {
		if i%3 == 0 {
			fmt.Fprintf(w, "\n   ")
		}
		fmt.Fprintf(w, " %s %d;", s, r.MissedBy[s])
	}
	fmt.Fprintln(w)
}
