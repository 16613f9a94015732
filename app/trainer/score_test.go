package trainer_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/trainer"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestBlankPracticeScoresZero: opening a practice, entering nothing and
// pressing Finish scores 0, says the immediate-risk call was not made
// (never "right" for doing nothing) and lists what was left blank.
func TestBlankPracticeScoresZero(t *testing.T) {
	h := newHarness(t, uitest.EnrolledStore(t), nil)
	// An immediate-risk case and a high-risk one: the immediate-risk call
	// is "not made" for both (cheap enough for the race detector; the
	// scoring itself is checked on every case in TestScoreExplainsMisses).
	cases := []*trainer.Scenario{h.scenario("injury-baby-bruise"), h.scenario("domestic-abuse-heard")}
	for _, sc := range cases {
		test.Tap(h.u.Library.Practise[sc.ID])
		h.clock.t = h.clock.t.Add(40 * time.Second)
		test.Tap(h.u.Practice.Finish)
		r := h.u.Results
		if r == nil {
			t.Fatalf("%s: no results", sc.ID)
		}
		s := r.Score
		if s.Total != 0 || s.Submitted || s.ImmediateRight() || s.FactsRight != 0 || len(s.FactsMissed) != s.FactsNeeded {
			t.Errorf("%s: blank practice scored %+v", sc.ID, s)
		}
		if strings.Contains(r.Parts.Text, "Immediate-risk call: right") || !strings.Contains(r.Parts.Text, "not made") {
			t.Errorf("%s: parts %q", sc.ID, r.Parts.Text)
		}
		if !strings.Contains(r.Total.Text, "Score: 0 out of 100") || !strings.Contains(r.Misses.Text, "Left blank") {
			t.Errorf("%s: %q / %q", sc.ID, r.Total.Text, r.Misses.Text)
		}
		test.Tap(r.Library)
	}
	if len(h.u.Attempts) != len(cases) || h.u.Attempts[0].Score.Took != 40*time.Second {
		t.Errorf("attempts kept: %+v", h.u.Attempts)
	}
}

// TestScoreTellsWrongFromMissed: the case's own entry scores 100; the same
// entry with one choice changed and one answer removed says which was
// recorded but wrong and which was left blank, and scores less.
func TestScoreTellsWrongFromMissed(t *testing.T) {
	list, err := trainer.LoadScenarios(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Checklist(t)
	for _, sc := range list {
		e := sc.Entry()
		// A trainee answers every immediate-safety question; the case
		// lists only its "yes" ones.
		for _, q := range []string{"triage_life", "triage_medical", "triage_s46", "triage_no_carer", "triage_sexual_disclosure", "triage_fgm_known",
			"triage_travel", "triage_trafficking", "triage_missing_high", "triage_other_children", "triage_suspect_children"} {
			if e.Answers[q].IsBlank() {
				e.Answers[q] = forms.Answer{Value: "no"}
			}
		}
		res, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		full := trainer.ScoreEntry(c, sc, e, res, time.Minute)
		if full.FactsRight != full.FactsNeeded || len(full.FactsWrong)+len(full.FactsMissed) != 0 {
			t.Errorf("%s: the case's own facts: %+v", sc.ID, full)
		}
		if full.Total != 100 {
			// Demographics the case does not give may be missing; the rest is full.
			if len(full.Missed) != 0 || !full.ImmediateRight() {
				t.Errorf("%s: the case's own entry scored %d: %+v", sc.ID, full.Total, full)
			}
		}
		e.Answers["incident_address"] = forms.Answer{}
		e.Answers["reason"] = forms.Answer{Value: "other"}
		res, err = forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := trainer.ScoreEntry(c, sc, e, res, time.Minute)
		if len(s.FactsWrong) != 1 || !strings.Contains(s.FactsWrong[0], "you recorded") || len(s.FactsMissed) != 1 || s.Total >= full.Total {
			t.Errorf("%s: wrong %v missed %v total %d (full %d)", sc.ID, s.FactsWrong, s.FactsMissed, s.Total, full.Total)
		}
	}
}

// TestDemoTimesAsPeopleReadThem: the demonstration's "officer's answers"
// show and enter the incident time as day/month/year 24-hour in the
// force's time zone, never as the wire's ISO 8601.
func TestDemoTimesAsPeopleReadThem(t *testing.T) {
	h := newHarness(t, uitest.EnrolledStore(t), nil)
	sc := h.scenario("cce-county-lines")
	test.Tap(h.u.Library.Demonstrate[sc.ID])
	d := h.u.Demo
	if d == nil {
		t.Fatal("no demonstration")
	}
	if !strings.Contains(d.Found.Text, "25/11/2026 22:30") || strings.Contains(d.Found.Text, "T22:30") {
		t.Errorf("the incident page's facts: %q", d.Found.Text)
	}
	test.Tap(d.FillIn)
	for _, f := range sc.Facts {
		if f.Question == "incident_time" {
			if got := f.Text(d.Flow.Questions["incident_time"].Q); got != "25/11/2026 22:30" {
				t.Errorf("the incident time is typed as %q", got)
			}
		}
	}
	e := d.Flow.Entry()
	if got := e.Answers["incident_time"].Value; got != "2026-11-25T22:30:00Z" {
		t.Errorf("the time entered through the widget is stored as %v", got)
	}
}
