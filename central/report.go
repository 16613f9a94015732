package central

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/quality"
)

// QualityResult is the data-quality report over the entries a Query
// selects, with the filter as applied.
type QualityResult struct {
	Generated time.Time        `json:"generated"`
	Filter    api.ExportFilter `json:"filter"`
	Report    *quality.Report  `json:"report"`
}

// qualityChecklist is the checklist whose questions and code lists define
// "recorded" in the report: the highest version the registry holds of a
// checklist that asks every question the report reads.
func (s *Service) qualityChecklist() (*forms.Checklist, error) {
	var best *forms.Checklist
	for _, ref := range s.registry.Refs() {
		c, _ := s.registry.Get(ref)
		ok := true
		for _, q := range []string{quality.QuestionEthnicity, quality.QuestionDisability, quality.QuestionSEN, quality.QuestionSeen,
			quality.QuestionAlone, quality.QuestionWords} {
			if _, _, found := c.Question(q); !found {
				ok = false
				break
			}
		}
		if ok {
			best = c // Refs is in id then version order: the last wins
		}
	}
	if best == nil {
		return nil, Errorf(EUNAVAILABLE, "no checklist on this server asks the questions the data-quality report reads")
	}
	return best, nil
}

// Quality computes the data-quality report (package quality) over the live
// entries the query selects: supervisors over their own teams,
// administrators over every team. Each entry counts once, as its latest
// revision; Submitted is its first arrival, Reviewed its first decision,
// Overdue whether any review was (or is) later than its deadline, and the
// return reasons are the categories of its returns, never their text. The
// report holds counts only; each is audited.
func (s *Service) Quality(ctx context.Context, p Principal, q Query) (*QualityResult, error) {
	return s.quality(ctx, p, q, false, "report.quality", nil)
}

// qualityCacheTTL is how long a computed report serves chart requests: a
// screen showing nine charts computes the report once, not nine times.
const qualityCacheTTL = time.Minute

// qualityCacheSize bounds the reports kept.
const qualityCacheSize = 32

type cachedReport struct {
	at  time.Time
	res *QualityResult
}

func (s *Service) quality(ctx context.Context, p Principal, q Query, cached bool, action string, detail map[string]any) (*QualityResult, error) {
	sc, err := s.resolve(ctx, p, q)
	if err != nil {
		return nil, err
	}
	c, err := s.qualityChecklist()
	if err != nil {
		return nil, err
	}
	now := s.now()
	key := fmt.Sprintf("%q %v %v %v %s", sc.filter.Teams, sc.filter.From.Unix(), sc.filter.To.Unix(), sc.filter.Grade, c.Ref())
	var res *QualityResult
	if cached {
		s.reportMu.Lock()
		if r, ok := s.reports[key]; ok && now.Sub(r.at) < qualityCacheTTL {
			res = r.res
		}
		s.reportMu.Unlock()
	}
	entries := 0
	if res == nil {
		var rows []quality.Row
		err = s.scan(ctx, sc.filter, func(page []item) error {
			for _, it := range page {
				rv := reviewOf(it.entry, it.decisions, now)
				ec, _ := s.registry.Get(it.entry.Checklist)
				rows = append(rows, quality.Row{EntryID: it.entry.ID, Team: it.entry.Team, Submitted: it.entry.FirstReceived, Reviewed: rv.first,
					Grade: it.entry.Grade, Returned: len(rv.returns) > 0, ReturnReasons: returnReasons(ec, rv.returns), Overdue: rv.overdue,
					Entry: reportEntry(it.doc)})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("quality report: %w", err)
		}
		rep, err := quality.Compute(c, rows, quality.Options{})
		if err != nil {
			return nil, fmt.Errorf("quality report: %w", err)
		}
		res, entries = &QualityResult{Generated: now, Filter: sc.wire, Report: rep}, len(rows)
		s.reportMu.Lock()
		if s.reports == nil || len(s.reports) >= qualityCacheSize {
			s.reports = map[string]cachedReport{}
		}
		s.reports[key] = cachedReport{at: now, res: res}
		s.reportMu.Unlock()
	} else {
		entries = res.Report.Overall.Entries
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["from"], detail["to"], detail["teams"], detail["grade"], detail["entries"] = q.From, q.To, sc.wire.Teams, q.Grade, entries
	err = s.store.Update(ctx, func(tx Tx) error { return s.audit(ctx, tx, p, action, "", 0, detail) })
	if err != nil {
		return nil, fmt.Errorf("quality report: %w", err)
	}
	return res, nil
}

// reportEntry keeps of an entry only what the quality report reads: each
// child's answers to the report's questions, with the child's words
// reduced to whether any were recorded. A report over many entries then
// holds little memory, and no child's words.
func reportEntry(doc *forms.Entry) *forms.Entry {
	out := &forms.Entry{ID: doc.ID, Checklist: doc.Checklist, Training: doc.Training, Groups: map[string][]forms.Instance{}}
	for _, inst := range doc.Groups[quality.ChildGroup] {
		a := map[string]forms.Answer{}
		for _, q := range []string{quality.QuestionEthnicity, quality.QuestionDisability, quality.QuestionSEN, quality.QuestionSeen, quality.QuestionAlone} {
			if v, ok := inst.Answers[q]; ok {
				a[q] = forms.Answer{Value: v.Value, NotKnown: v.NotKnown}
			}
		}
		if w, ok := inst.Answers[quality.QuestionWords]; ok {
			if text, _ := w.Value.(string); !w.NotKnown && strings.TrimSpace(text) != "" {
				a[quality.QuestionWords] = forms.Answer{Value: "recorded"}
			} else {
				a[quality.QuestionWords] = forms.Answer{NotKnown: w.NotKnown}
			}
		}
		out.Groups[quality.ChildGroup] = append(out.Groups[quality.ChildGroup], forms.Instance{ID: inst.ID, Answers: a})
	}
	return out
}

// QualityChart renders chart number n (1-based, in the order of
// quality.Report.Charts) of the report as a PNG, or the chart whose id is
// n. A report computed in the last minute with the same filters serves it.
// Audited as report.chart.
func (s *Service) QualityChart(ctx context.Context, p Principal, q Query, n string, w io.Writer) error {
	res, err := s.quality(ctx, p, q, true, "report.chart", map[string]any{"chart": n})
	if err != nil {
		return err
	}
	charts := res.Report.Charts()
	for i, ch := range charts {
		if fmt.Sprint(i+1) == n || ch.ID == n {
			return quality.RenderPNG(w, ch)
		}
	}
	return Errorf(ENOTFOUND, "no chart %q: the report has charts 1 to %d", n, len(charts))
}
