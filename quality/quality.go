// Package quality computes Safeguard's data-quality report: how often the
// details an inspection looks for are recorded (ethnicity, disability,
// special educational needs, whether each child was seen, spoken to alone
// and heard), how long supervisors take to review by grade, how many
// reviews are overdue and why entries are returned, overall, by team, by
// month (YYYY-MM) and by team and month.
//
// Everything here is a pure function of the rows passed in: the central
// system reads the rows from its store, the report command and the
// supervisors' screen render the result (WriteText, Charts, RenderPNG).
// Training entries are left out. The report counts; it carries no child's
// name, words or other answers, and the package logs nothing.
package quality

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // months are cut in Europe/London on servers without tzdata

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Row is one entry (its latest revision) with its review state.
type Row struct {
	EntryID string
	Team    string
	// Submitted is when the entry first reached the central system; its
	// month places the row in ByMonth.
	Submitted time.Time
	// Reviewed is when a supervisor first decided (approved or returned);
	// zero while the entry awaits review.
	Reviewed time.Time
	// Grade is the entry's grade (the server's, or the reviewer's change).
	Grade forms.Level
	// Returned is true when the entry was ever returned to the officer;
	// ReturnReasons says why, one short category each (see
	// ReasonsFromComments): never free text, which may name a child.
	Returned      bool
	ReturnReasons []string
	// Overdue is true when the review is (or was) later than its deadline.
	Overdue bool
	// Training rows are left out of every count.
	Training bool
	// Entry is the entry document; nil rows count in the review figures
	// only.
	Entry *forms.Entry
}

// The questions of the child-at-risk checklist the report reads. Compute
// refuses a checklist that lacks any of them.
const (
	ChildGroup          = "child"
	QuestionEthnicity   = "child_ethnicity_self"
	QuestionDisability  = "child_disability"
	QuestionSEN         = "child_sen"
	QuestionSeen        = "child_seen"
	QuestionAlone       = "child_alone"
	QuestionWords       = "child_words"
	EthnicityNotStated  = "NS"        // the self-defined code for "not stated"
	disabilityNotKnown  = "not_known" // a disability option that records nothing
	defaultTopReasons   = 5
	defaultTimeZone     = "Europe/London"
	monthLayout         = "2006-01"
	unknownMonth        = "unknown"
	overallKey          = "all"
	noTeam              = "(no team)"
	percentDecimalScale = 10 // percentages keep one decimal
)

// DefaultTargets are the suggested review times by grade (domain notes:
// immediate within 1 hour, high within 4, others within 24).
var DefaultTargets = map[forms.Level]time.Duration{
	forms.LevelImmediate: time.Hour,
	forms.LevelHigh:      4 * time.Hour,
	forms.LevelMedium:    24 * time.Hour,
	forms.LevelStandard:  24 * time.Hour,
}

// Options tunes Compute. The zero value is ready to use.
type Options struct {
	// Location is where months are cut; nil means Europe/London.
	Location *time.Location
	// TopReasons is how many return reasons each group lists (default 5).
	TopReasons int
	// Targets are the review times by grade; nil means DefaultTargets.
	Targets map[forms.Level]time.Duration
}

// The report's parts are its wire form (package api): the central system
// sends them as they are and the supervisors' app reads them back.
type (
	// Share is Count of Of, and that as a percentage with one decimal (0
	// when Of is 0).
	Share = api.QualityShare
	// Children holds the shares of children with each detail recorded.
	Children = api.QualityChildren
	// Files holds the inspection's per-file measures.
	Files = api.QualityFiles
	// ReviewTimes is the time from submission to first review for one grade.
	ReviewTimes = api.QualityReviewTimes
	// ReasonCount is one return reason and how many returned entries gave it.
	ReasonCount = api.QualityReasonCount
	// Group is the report for one set of entries: all, one team, one month,
	// or one team in one month.
	Group = api.QualityGroup
)

func share(n, of int) Share {
	s := Share{Count: n, Of: of}
	if of > 0 {
		s.Percent = math.Round(float64(n)*100*percentDecimalScale/float64(of)) / percentDecimalScale
	}
	return s
}

// Report is the data-quality report: its wire form (api.QualityReport)
// with the report's text (WriteText) and charts (Charts).
type Report api.QualityReport

// Errors returned by Compute.
var (
	ErrNoChecklist = errors.New("quality: a checklist is required")
	ErrDuplicate   = errors.New("quality: an entry appears twice")
)

// Compute makes the report from rows (one per entry; training rows are
// left out). c is the checklist whose questions and code lists define
// "recorded"; entries of other versions are read by the same question ids.
func Compute(c *forms.Checklist, rows []Row, opt Options) (*Report, error) {
	if c == nil {
		return nil, ErrNoChecklist
	}
	for _, id := range []string{QuestionEthnicity, QuestionDisability, QuestionSEN, QuestionSeen, QuestionAlone, QuestionWords} {
		if _, _, ok := c.Question(id); !ok {
			return nil, fmt.Errorf("quality: checklist %s has no question %q", c.Ref(), id)
		}
	}
	loc := opt.Location
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(defaultTimeZone); err != nil {
			return nil, fmt.Errorf("quality: load time zone %s: %w", defaultTimeZone, err)
		}
	}
	if opt.TopReasons <= 0 {
		opt.TopReasons = defaultTopReasons
	}
	if opt.Targets == nil {
		opt.Targets = DefaultTargets
	}
	ev := newEvaluator(c)

	rep := &Report{Checklist: c.Ref(), ByTeam: []Group{}, ByMonth: []Group{}, ByTeamMonth: []Group{}}
	seen := map[string]bool{}
	all := newAcc(overallKey, "", "")
	teams, months, teamMonths := map[string]*acc{}, map[string]*acc{}, map[string]*acc{}
	for i := range rows {
		r := &rows[i]
		if r.Training {
			rep.TrainingExcluded++
			continue
		}
		if r.EntryID != "" {
			if seen[r.EntryID] {
				return nil, fmt.Errorf("%w: %s (pass one row per entry)", ErrDuplicate, r.EntryID)
			}
			seen[r.EntryID] = true
		}
		if !r.Submitted.IsZero() {
			if rep.From.IsZero() || r.Submitted.Before(rep.From) {
				rep.From = r.Submitted
			}
			if r.Submitted.After(rep.To) {
				rep.To = r.Submitted
			}
		}
		team := r.Team
		if strings.TrimSpace(team) == "" {
			team = noTeam
		}
		month := unknownMonth
		if !r.Submitted.IsZero() {
			month = r.Submitted.In(loc).Format(monthLayout)
		}
		f := ev.facts(r)
		all.add(r, f)
		get(teams, team, team, team, "").add(r, f)
		get(months, month, month, "", month).add(r, f)
		get(teamMonths, team+" "+month, team+" "+month, team, month).add(r, f)
	}
	rep.Overall = all.group(opt)
	rep.ByTeam = groups(teams, opt)
	rep.ByMonth = groups(months, opt)
	rep.ByTeamMonth = groups(teamMonths, opt)
	return rep, nil
}

func get(m map[string]*acc, k, key, team, month string) *acc {
	a := m[k]
	if a == nil {
		a = newAcc(key, team, month)
		m[k] = a
	}
	return a
}

func groups(m map[string]*acc, opt Options) []Group {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k].group(opt))
	}
	return out
}

// childFacts is what one child's answers record.
type childFacts struct {
	ethnicity, notStated, disability, sen, seen, alone, voice bool
}

// evaluator reads the facts of entries against one checklist.
type evaluator struct {
	ethnicity map[string]bool // valid self-defined codes, aliases included
	sen       map[string]bool
	disab     map[string]bool // disability values that record something
}

func newEvaluator(c *forms.Checklist) *evaluator {
	ev := &evaluator{ethnicity: map[string]bool{}, sen: map[string]bool{}, disab: map[string]bool{}}
	codes := func(qid string, into map[string]bool) {
		q, _, _ := c.Question(qid)
		if q.Kind == forms.KindCode {
			list := c.CodeLists[q.CodeList]
			for _, o := range list.Codes {
				into[o.Value] = true
			}
			for from, to := range list.Aliases {
				if into[to] {
					into[from] = true
				}
			}
			return
		}
		for _, o := range q.Options {
			into[o.Value] = true
		}
	}
	codes(QuestionEthnicity, ev.ethnicity)
	codes(QuestionSEN, ev.sen)
	codes(QuestionDisability, ev.disab)
	delete(ev.disab, disabilityNotKnown)
	return ev
}

func (ev *evaluator) facts(r *Row) []childFacts {
	if r.Entry == nil {
		return nil
	}
	list := r.Entry.Groups[ChildGroup]
	out := make([]childFacts, 0, len(list))
	for _, inst := range list {
		a := inst.Answers
		var f childFacts
		if v, ok := value(a, QuestionEthnicity); ok && ev.ethnicity[v] {
			f.ethnicity = true
			f.notStated = v == EthnicityNotStated
		}
		if v, ok := value(a, QuestionDisability); ok && ev.disab[v] {
			f.disability = true
		}
		if v, ok := value(a, QuestionSEN); ok && ev.sen[v] {
			f.sen = true
		}
		if v, _ := value(a, QuestionSeen); v == "yes" {
			f.seen = true
			if v, _ := value(a, QuestionAlone); v == "yes" {
				f.alone = true
			}
			if v, ok := value(a, QuestionWords); ok && strings.TrimSpace(v) != "" {
				f.voice = true
			}
		}
		out = append(out, f)
	}
	return out
}

// value returns an answer's string value; false when blank, not known or
// not a string.
func value(answers map[string]forms.Answer, id string) (string, bool) {
	a, ok := answers[id]
	if !ok || a.NotKnown {
		return "", false
	}
	s, ok := a.Value.(string)
	return s, ok && s != ""
}

// acc accumulates one group.
type acc struct {
	key, team, month                            string
	entries                                     int
	children                                    int
	eth, ns, dis, sen, both, seen, alone, voice int
	filesEth, filesBoth, filesWithChildren      int
	times                                       map[forms.Level][]time.Duration
	pending                                     map[forms.Level]int
	overdue, returned                           int
	reasons                                     map[string]int
	reasonText                                  map[string]string // folded -> first spelling
}

func newAcc(key, team, month string) *acc {
	return &acc{key: key, team: team, month: month, times: map[forms.Level][]time.Duration{},
		pending: map[forms.Level]int{}, reasons: map[string]int{}, reasonText: map[string]string{}}
}

func (a *acc) add(r *Row, facts []childFacts) {
	a.entries++
	if len(facts) > 0 {
		a.filesWithChildren++
		allEth, allBoth := true, true
		for _, f := range facts {
			a.children++
			count(&a.eth, f.ethnicity)
			count(&a.ns, f.notStated)
			count(&a.dis, f.disability)
			count(&a.sen, f.sen)
			count(&a.both, f.disability && f.sen)
			count(&a.seen, f.seen)
			count(&a.alone, f.alone)
			count(&a.voice, f.voice)
			allEth = allEth && f.ethnicity
			allBoth = allBoth && f.disability && f.sen
		}
		count(&a.filesEth, allEth)
		count(&a.filesBoth, allBoth)
	}
	switch {
	case r.Reviewed.IsZero() || r.Submitted.IsZero():
		a.pending[r.Grade]++
	default:
		d := r.Reviewed.Sub(r.Submitted)
		if d < 0 {
			d = 0 // clocks disagree: count it as reviewed at once
		}
		a.times[r.Grade] = append(a.times[r.Grade], d)
	}
	count(&a.overdue, r.Overdue)
	if r.Returned {
		a.returned++
		once := map[string]bool{}
		for _, reason := range r.ReturnReasons {
			reason = strings.Join(strings.Fields(reason), " ")
			if reason == "" {
				continue
			}
			k := strings.ToLower(reason)
			if once[k] {
				continue
			}
			once[k] = true
			if _, ok := a.reasonText[k]; !ok {
				a.reasonText[k] = reason
			}
			a.reasons[k]++
		}
	}
}

func count(n *int, yes bool) {
	if yes {
		*n++
	}
}

func (a *acc) group(opt Options) Group {
	g := Group{Key: a.key, Team: a.team, Month: a.month, Entries: a.entries, Review: []ReviewTimes{}, ReturnReasons: []ReasonCount{}}
	g.Children = Children{
		Total:              a.children,
		Ethnicity:          share(a.eth, a.children),
		EthnicityStated:    share(a.eth-a.ns, a.children),
		EthnicityNotStated: share(a.ns, a.children),
		Disability:         share(a.dis, a.children),
		SEN:                share(a.sen, a.children),
		DisabilityAndSEN:   share(a.both, a.children),
		Seen:               share(a.seen, a.children),
		SpokenAlone:        share(a.alone, a.seen),
		Voice:              share(a.voice, a.seen),
	}
	g.Files = Files{Ethnicity: share(a.filesEth, a.filesWithChildren), DisabilityAndSEN: share(a.filesBoth, a.filesWithChildren)}
	for l := forms.LevelImmediate; l >= forms.LevelNone; l-- {
		ts, pend := a.times[l], a.pending[l]
		if len(ts) == 0 && pend == 0 {
			continue
		}
		rt := ReviewTimes{Grade: l, Reviewed: len(ts), Pending: pend}
		target, hasTarget := opt.Targets[l]
		if hasTarget {
			rt.TargetSeconds = int64(target / time.Second)
		}
		if len(ts) > 0 {
			sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
			rt.MedianSeconds = int64(median(ts) / time.Second)
			rt.P90Seconds = int64(nearestRank(ts, 90) / time.Second)
			in := 0
			for _, d := range ts {
				if hasTarget && d <= target {
					in++
				}
			}
			if hasTarget {
				rt.WithinTarget = share(in, len(ts))
			}
		}
		g.Review = append(g.Review, rt)
	}
	g.Overdue = share(a.overdue, a.entries)
	g.Returned = share(a.returned, a.entries)
	for k, n := range a.reasons {
		g.ReturnReasons = append(g.ReturnReasons, ReasonCount{Reason: a.reasonText[k], Count: n})
	}
	sort.Slice(g.ReturnReasons, func(i, j int) bool {
		x, y := g.ReturnReasons[i], g.ReturnReasons[j]
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		return x.Reason < y.Reason
	})
	if len(g.ReturnReasons) > opt.TopReasons {
		g.ReturnReasons = g.ReturnReasons[:opt.TopReasons]
	}
	return g
}

// median of sorted durations: the middle one, or the mean of the two
// middle ones.
func median(ts []time.Duration) time.Duration {
	n := len(ts)
	if n%2 == 1 {
		return ts[n/2]
	}
	return (ts[n/2-1] + ts[n/2]) / 2
}

// nearestRank is the p-th percentile of sorted durations by the
// nearest-rank method: the smallest value with at least p% of values at
// or below it.
func nearestRank(ts []time.Duration, p int) time.Duration {
	rank := (p*len(ts) + 99) / 100 // ceil(p/100 * n)
	if rank < 1 {
		rank = 1
	}
	return ts[rank-1]
}
