package people

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/google/uuid"
)

// Kind is what the matcher decided for a record.
type Kind string

// Decision kinds.
const (
	// Sure: the record is linked to the person without asking anyone.
	Sure Kind = "sure"
	// Possible: a supervisor should confirm (Index.Merge) or reject; until
	// then the record stands as a new person.
	Possible Kind = "possible"
	// New: no one known is close enough; a new person.
	New Kind = "new"
)

// Default thresholds on the score (the probability that a record and a
// person are one human being, as the weights calibrate it).
const (
	// DefaultSureAt is the score from which a match with Strong evidence
	// links by itself: one wrong link in a hundred at most.
	DefaultSureAt = 0.99
	// DefaultPossibleAt is the score from which a supervisor is asked
	// (0.30 before the second evaluation; at 0.15 about seven in ten of
	// the pairs asked about on the generator's own population are not the
	// person, the price of finding 98 in 100 of the corrupted ones).
	DefaultPossibleAt = 0.15
	// DefaultCandidateLimit bounds the candidates scored per record.
	DefaultCandidateLimit = 100
	// CandidateKeep and CandidateShare trim the candidates an index
	// returns (Index.Candidates): past the CandidateKeep best ranked, a
	// person whose summed key weight is under 1/CandidateShare of the
	// best's is left out. Such a person shares a name sound and a birth
	// year, or a street, with the record, while the best shares a date
	// of birth and a name or a home: at 1,000,000 people most of the
	// hundred candidates are of that kind, and fetching, decoding and
	// scoring them was most of a match's time.
	CandidateKeep  = 20
	CandidateShare = 4
	// relativeLookups is how many of the best candidates have their
	// relatives fetched and compared, when the record has relatives.
	relativeLookups = 5
	// tieBits is how close (in bits of evidence) two candidates' weights
	// must be to count as a tie.
	tieBits = 1e-6
)

// Scored is one candidate's comparison.
type Scored struct {
	PersonID uuid.UUID `json:"personId"`
	Score    float64   `json:"score"`
	Weight   float64   `json:"weight"`
	Strong   bool      `json:"strong"`
	Reasons  []string  `json:"reasons"`
}

// Decision is the outcome of matching one record.
type Decision struct {
	Kind Kind `json:"kind"`
	// Match is the best candidate: the person linked (sure), or the one a
	// supervisor should compare with (possible). Zero for new.
	Match uuid.UUID `json:"match,omitzero"`
	// Score and Reasons are the best candidate's (Score 0 when there is
	// none).
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
	// Others are further candidates scoring at least the possible
	// threshold, best first: with a sure match, likely duplicates of it.
	Others []Scored `json:"others,omitempty"`
	// Person is set by Resolve: the person the record is now stored under
	// (Match when sure, a new person otherwise).
	Person uuid.UUID `json:"person,omitzero"`
	// Candidates is how many people the blocking search returned.
	Candidates int `json:"candidates"`
}

// Matcher matches records against an Index.
type Matcher struct {
	Index      Index
	Scorer     *Scorer
	SureAt     float64
	PossibleAt float64
	Limit      int
}

// NewMatcher returns a Matcher over idx with the default scorer and
// thresholds.
func NewMatcher(idx Index) *Matcher {
	return &Matcher{Index: idx, Scorer: NewScorer(), SureAt: DefaultSureAt,
		PossibleAt: DefaultPossibleAt, Limit: DefaultCandidateLimit}
}

// Match finds the person a record is most likely of, without storing
// anything. People in exclude are never matched (the other people of the
// same entry: one entry never records a person twice).
func (m *Matcher) Match(ctx context.Context, rec Record, exclude ...uuid.UUID) (Decision, error) {
	probes := QueryProbes(&rec.Particulars, m.Scorer.Nicknames)
	d := Decision{Kind: New}
	if len(probes) == 0 {
		return d, nil
	}
	cands, err := m.Index.Candidates(ctx, probes, m.Limit)
	if err != nil {
		return d, fmt.Errorf("match: %w", err)
	}
	d.Candidates = len(cands)
	var env Env
	if len(cands) > 0 {
		var nk []Key
		if k, ok := NameKey(&rec.Particulars); ok {
			nk = []Key{k}
		}
		n, counts, err := m.Index.KeyCounts(ctx, nk)
		if err != nil {
			return d, fmt.Errorf("match: %w", err)
		}
		env.Records = float64(n)
		if len(counts) == 1 {
			env.NameCount = float64(max(counts[0], 1))
		}
	}
	a := prepare(&rec.Particulars)
	a.relatives = prepRelatives(rec.Relatives)
	type cand struct {
		p *prepared
		c Comparison
		i int
	}
	scored := make([]cand, 0, len(cands))
	for i := range cands {
		if slices.Contains(exclude, cands[i].ID) {
			continue
		}
		b := prepare(&cands[i].Particulars)
		scored = append(scored, cand{p: b, c: m.Scorer.compare(a, b, env), i: i})
	}
	if len(scored) == 0 {
		return d, nil
	}
	byWeight := func(x, y cand) int {
		if x.c.Weight != y.c.Weight {
			if x.c.Weight > y.c.Weight {
				return -1
			}
			return 1
		}
		return cmpUUID(cands[x.i].ID, cands[y.i].ID)
	}
	slices.SortFunc(scored, byWeight)

	// Shared relatives can lift the best few into a higher band: fetch
	// theirs when the record has any and they are within reach.
	if len(a.relatives) > 0 {
		w := &m.Scorer.W
		reach := logit2(m.PossibleAt) - w.prior(env.Records) - (w.Relative + 2*w.RelativeMore)
		var ids []uuid.UUID
		for _, s := range scored[:min(relativeLookups, len(scored))] {
			if s.c.Weight >= reach {
				ids = append(ids, cands[s.i].ID)
			}
		}
		if len(ids) > 0 {
			rels, err := m.Index.Relatives(ctx, ids)
			if err != nil {
				return d, fmt.Errorf("match: %w", err)
			}
			for k := range scored[:min(relativeLookups, len(scored))] {
				s := &scored[k]
				if r := rels[cands[s.i].ID]; len(r) > 0 {
					s.p.relatives = prepRelatives(r)
					s.c = m.Scorer.compare(a, s.p, env)
				}
			}
			slices.SortFunc(scored, byWeight)
		}
	}

	// A tie is never broken by id order: equal candidates all go to a
	// supervisor, none is linked by itself.
	tie := len(scored) > 1 && scored[1].c.Weight >= scored[0].c.Weight-tieBits
	if tie {
		for k := range scored {
			if scored[k].c.Weight < scored[0].c.Weight-tieBits {
				break
			}
			scored[k].c.Tie = true
		}
	}
	best := scored[0]
	twin := twinOf(best.c, scored[1:], func(c cand) *Comparison { return &c.c })
	d.Match = cands[best.i].ID
	d.Score = best.c.Score
	d.Reasons = best.c.Reasons()
	switch {
	case best.c.Score >= m.SureAt && best.c.Strong() && !tie && !twin:
		d.Kind = Sure
	case best.c.Score >= m.PossibleAt:
		d.Kind = Possible
	case best.c.DOB == DOBExact && best.c.Address == AddrSame:
		// The same exact date of birth at the same dwelling, whatever the
		// names say (both replaced, or a twin): a supervisor looks.
		d.Kind = Possible
	default:
		d.Kind = New
		d.Match = uuid.Nil
	}
	for _, s := range scored[1:] {
		if s.c.Score < m.PossibleAt && !s.c.Tie {
			break
		}
		d.Others = append(d.Others, Scored{PersonID: cands[s.i].ID, Score: s.c.Score,
			Weight: s.c.Weight, Strong: s.c.Strong(), Reasons: s.c.Reasons()})
	}
	return d, nil
}

// twinOf reports whether another candidate may be the best one's twin, so
// that the record may be of either and a supervisor decides: another of
// the same family name, date of birth and home, when the given name
// agrees with the best by less than a nickname. Two things tell twins
// apart and lift the guard:
//   - identifiers: twins have two NHS numbers (PNC IDs, UPNs). When the
//     best agrees with the record on a valid identifier, a twin-like
//     candidate whose identifier of a scheme disagrees with the record's,
//     or that has none agreeing, is not the person; a candidate agreeing
//     on an identifier too (the same person filed twice) keeps the guard;
//   - the given name, when it agrees with the best within a typo or by
//     sound and wholly differs from the other's: "Elle" is a slip of
//     the twin Ella, not of the twin Emma. A twin-like candidate whose
//     given name agrees with the record at all (an initial, a part, a
//     typo, a sound) keeps the guard.
func twinOf[T any](best Comparison, others []T, cmp func(T) *Comparison) bool {
	if best.Given >= NameNickname {
		return false
	}
	for _, x := range others {
		o := cmp(x)
		if o.DOB != DOBExact || o.Address < AddrStreet || o.Family < NameTypo {
			continue
		}
		if best.ID == IDAgree && o.ID != IDAgree {
			continue // told apart by the identifier
		}
		if best.ID != IDAgree && o.ID == IDDiffer {
			continue // the other's identifier is not the record's
		}
		if best.Given >= NameTypo && o.Given == NameDiffer {
			continue // the given name is a slip of the best's, unlike the other's
		}
		return true
	}
	return false
}

// Resolve matches a record and stores it: linked to the match when sure,
// as a new person otherwise (a possible match waits for a supervisor to
// Merge). Decision.Person says where it went.
func (m *Matcher) Resolve(ctx context.Context, rec Record, exclude ...uuid.UUID) (Decision, error) {
	d, err := m.Match(ctx, rec, exclude...)
	if err != nil {
		return d, err
	}
	if d.Kind == Sure {
		if err := m.Index.Link(ctx, rec, d.Match); err != nil {
			return d, fmt.Errorf("resolve: %w", err)
		}
		d.Person = d.Match
		return d, nil
	}
	id, err := m.Index.Add(ctx, rec)
	if err != nil {
		return d, fmt.Errorf("resolve: %w", err)
	}
	d.Person = id
	return d, nil
}

// logit2 is the log2 odds of probability p.
func logit2(p float64) float64 { return math.Log2(p / (1 - p)) }

func cmpUUID(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
