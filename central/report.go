package central

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/quality"
	"github.com/safeguard-uk/safeguard/sync/wire"
)

// QualityResult is the data-quality report over the entries a Query
// selects, with the filter as applied.
type QualityResult struct {
	Generated time.Time         `json:"generated"`
	Filter    wire.ExportFilter `json:"filter"`
	Report    *quality.Report   `json:"report"`
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
	sc, err := s.resolve(ctx, p, q)
	if err != nil {
		return nil, err
	}
	c, err := s.qualityChecklist()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var rows []quality.Row
	err = s.scan(ctx, sc.filter, func(page []item) error {
		for _, it := range page {
			rv := reviewOf(it.entry, it.decisions, now)
			ec, _ := s.registry.Get(it.entry.Checklist)
			rows = append(rows, quality.Row{EntryID: it.entry.ID, Team: it.entry.Team, Submitted: it.entry.FirstReceived, Reviewed: rv.first,
				Grade: it.entry.Grade, Returned: len(rv.returns) > 0, ReturnReasons: returnReasons(ec, rv.returns), Overdue: rv.overdue,
				Entry: it.doc})
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
	err = s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "report.quality", "", 0, map[string]any{"from": q.From, "to": q.To, "teams": sc.wire.Teams,
			"grade": q.Grade, "entries": len(rows)})
	})
	if err != nil {
		return nil, fmt.Errorf("quality report: %w", err)
	}
	return &QualityResult{Generated: now, Filter: sc.wire, Report: rep}, nil
}

// QualityChart renders chart number n (1-based, in the order of
// quality.Report.Charts) of the report as a PNG, or the chart whose id is
// n.
func (s *Service) QualityChart(ctx context.Context, p Principal, q Query, n string, w io.Writer) error {
	res, err := s.Quality(ctx, p, q)
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
