package trainer

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/ui"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Weights of the parts of a practice score (out of 100). Every part is
// earned by something recorded: a blank practice scores 0.
const (
	weightRisks        = 50
	weightFacts        = 15
	weightDemographics = 20
	weightImmediate    = 15
)

// triageSection is the checklist section whose answers make the
// immediate-risk call; the call earns marks only when it was answered.
const triageSection = "triage"

// referenceQuestion holds the case's reference ("TRN-1004"), entered for
// the trainee when a practice starts.
const referenceQuestion = "incident_ref"

// demographics are the child questions the inspection found left blank
// (ethnicity in 12 of 48 files, disability/SEN in 20 of 48), with the
// others that identify a child's needs. Age counts as recorded when either
// the date of birth or an estimated age is given.
var demographics = []struct{ ID, Name string }{
	{"child_dob", "date of birth or estimated age"},
	{"child_sex", "sex"},
	{"child_ethnicity_self", "self-defined ethnicity"},
	{"child_ethnicity_officer", "officer-observed ethnicity"},
	{"child_disability", "disability"},
	{"child_sen", "special educational needs"},
	{"child_language", "first language"},
	{"child_interpreter", "interpreter or intermediary"},
	{"child_education", "school or nursery"},
}

// Score is how a trainee did on a scenario.
type Score struct {
	Total int // out of 100
	// Expected, Recognised, Missed and Extra are rule ids.
	Expected, Recognised, Missed, Extra []string
	// Demographics: recorded of needed, and what was left blank.
	DemoRecorded, DemoNeeded int
	DemoMissing              []string
	// Facts: the case's facts recorded as the case shows them, of those
	// the case has; FactsMissed were left blank, FactsWrong were recorded
	// but differ from the case (each in words: "Label: you recorded X;
	// the case shows Y").
	FactsRight, FactsNeeded int
	FactsMissed, FactsWrong []string
	// The immediate-risk call. ImmediateAnswered is whether the
	// immediate-safety questions were answered at all: an unanswered
	// triage is no call, and earns nothing.
	ImmediateExpected, ImmediateCalled, ImmediateAnswered bool
	Grade, ExpectedGrade                                  string
	Took                                                  time.Duration
	// Submitted is false when the trainee finished before the check was
	// complete.
	Submitted bool
	Problems  int
	// Explanations say, for each miss, what it was, the facts that showed
	// it and why it matters.
	Explanations []string
}

// ImmediateRight reports whether the immediate-risk call was made and
// right: leaving the immediate-safety questions unanswered is not a call.
func (s Score) ImmediateRight() bool {
	return s.ImmediateAnswered && s.ImmediateExpected == s.ImmediateCalled
}

// ScoreEntry scores a trainee's entry e (evaluated as res) of checklist c
// against scenario sc.
func ScoreEntry(c *forms.Checklist, sc *Scenario, e *forms.Entry, res *forms.Result, took time.Duration) Score {
	s := Score{Expected: sc.Expected.Rules, Took: took, ExpectedGrade: sc.Expected.Grade, Grade: res.Grade.String(),
		ImmediateExpected: sc.Immediate(), ImmediateCalled: res.Immediate, Problems: len(res.Problems)}
	fired := map[string]bool{}
	for _, r := range FiredRules(res) {
		fired[r] = true
	}
	want := map[string]bool{}
	for _, r := range sc.Expected.Rules {
		want[r] = true
		if fired[r] {
			s.Recognised = append(s.Recognised, r)
		} else {
			s.Missed = append(s.Missed, r)
			s.Explanations = append(s.Explanations, explainMiss(c, sc, r))
		}
	}
	for _, r := range FiredRules(res) {
		if !want[r] {
			s.Extra = append(s.Extra, r)
		}
	}

	// Demographics, child by child.
	children := e.Groups["child"]
	for i, inst := range children {
		for _, d := range demographics {
			needed := true
			switch d.ID {
			case "child_ethnicity_officer":
				self, _ := inst.Answers["child_ethnicity_self"].Value.(string)
				needed = self == "" || self == "NS"
			}
			if !needed {
				continue
			}
			s.DemoNeeded++
			a := inst.Answers[d.ID]
			ok := !a.IsBlank() && (!a.NotKnown || strings.TrimSpace(a.Reason) != "")
			if d.ID == "child_dob" && !ok {
				ok = !inst.Answers["child_age_est"].IsBlank()
			}
			if ok {
				s.DemoRecorded++
			} else {
				s.DemoMissing = append(s.DemoMissing, fmt.Sprintf(lang.L("Child %d: %s"), i+1, lang.L(d.Name)))
			}
		}
	}
	if len(children) == 0 {
		s.DemoNeeded = len(demographics) - 1
		s.DemoMissing = append(s.DemoMissing, lang.L("No child was recorded at all."))
	}

	s.scoreFacts(c, sc, e)
	s.ImmediateAnswered = triageAnswered(c, e)

	facts := 0.0
	if s.FactsNeeded > 0 {
		facts = float64(s.FactsRight) / float64(s.FactsNeeded)
	}
	// A case with nothing to recognise earns its risk marks by the facts
	// recorded right, never for free.
	risks := facts
	if n := len(s.Expected); n > 0 {
		risks = float64(len(s.Recognised)) / float64(n)
	}
	demo := 0.0
	if s.DemoNeeded > 0 {
		demo = float64(s.DemoRecorded) / float64(s.DemoNeeded)
	}
	imm := 0.0
	if s.ImmediateRight() {
		imm = 1
	}
	s.Total = int(math.Round(weightRisks*risks + weightFacts*facts + weightDemographics*demo + weightImmediate*imm))
	return s
}

// triageAnswered reports whether every visible question of the
// immediate-safety section has an answer.
func triageAnswered(c *forms.Checklist, e *forms.Entry) bool {
	for _, sec := range c.Sections {
		if sec.ID != triageSection {
			continue
		}
		for _, q := range sec.Questions {
			if a, ok := e.Answers[q.ID]; !ok || a.IsBlank() {
				return false
			}
		}
		return len(sec.Questions) > 0
	}
	return false
}

// scoreFacts compares each of the case's facts with what the trainee
// recorded: blank is missed; a different choice, code, number or date is
// recorded but wrong. Free text and times count when given (nobody types
// a story word for word, and the time is the clock's).
func (s *Score) scoreFacts(c *forms.Checklist, sc *Scenario, e *forms.Entry) {
	for _, f := range sc.Facts {
		q, _, ok := c.Question(f.Question)
		// The reference is given with the case (it tells the trainer's
		// desk which case a check is), never found.
		if !ok || q.Kind == forms.KindPhoto || f.Question == referenceQuestion {
			continue
		}
		label := q.Label.In("")
		if f.Group != "" {
			label = fmt.Sprintf("%s %d: %s", groupName(f.Group), f.Person+1, label)
		}
		s.FactsNeeded++
		var a forms.Answer
		if f.Group == "" {
			a = e.Answers[f.Question]
		} else if list := e.Groups[f.Group]; f.Person < len(list) {
			a = list[f.Person].Answers[f.Question]
		}
		want := forms.Answer{Value: f.Value()}
		switch {
		case a.IsBlank():
			s.FactsMissed = append(s.FactsMissed, label)
		case sameAnswer(q, a, want):
			s.FactsRight++
		default:
			got := lang.L("Not known")
			if !a.NotKnown {
				got = ui.AnswerText(c, q, a, "")
			}
			s.FactsWrong = append(s.FactsWrong, fmt.Sprintf(lang.L("%s: you recorded %q; the case shows %q"), label, got, ui.AnswerText(c, q, want, "")))
		}
	}
}

func groupName(g string) string {
	switch g {
	case "child":
		return lang.L("Child")
	case "adult":
		return lang.L("Adult")
	}
	return g
}

// sameAnswer reports whether got records what the case shows (want).
func sameAnswer(q *forms.Question, got, want forms.Answer) bool {
	if got.NotKnown {
		return false
	}
	switch q.Kind {
	case forms.KindText, forms.KindLongText, forms.KindDateTime:
		return true
	case forms.KindMulti:
		g, w := stringsOf(got.Value), stringsOf(want.Value)
		if len(g) != len(w) {
			return false
		}
		seen := map[string]bool{}
		for _, x := range g {
			seen[x] = true
		}
		for _, x := range w {
			if !seen[x] {
				return false
			}
		}
		return true
	}
	return strings.EqualFold(strings.TrimSpace(fmt.Sprint(got.Value)), strings.TrimSpace(fmt.Sprint(want.Value)))
}

func stringsOf(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, y := range x {
			out = append(out, fmt.Sprint(y))
		}
		return out
	case nil:
		return nil
	}
	return []string{fmt.Sprint(v)}
}

// explainMiss says what a missed rule was, which facts showed it and why
// it matters.
func explainMiss(c *forms.Checklist, sc *Scenario, id string) string {
	text, level, when := id, "", ""
	for _, r := range c.Rules {
		if r.ID == id {
			text, level, when = r.Reason.In(""), r.Level.String(), r.When
		}
	}
	if strings.HasPrefix(id, "tool:") {
		text, level = lang.L("The domestic abuse risk assessment (DASH) grades this high."), "high"
	}
	var facts []string
	for _, f := range sc.Facts {
		if !mentions(when, f.Question) && !(strings.HasPrefix(id, "tool:dash") && strings.HasPrefix(f.Question, "dash_")) {
			continue
		}
		label := f.Question
		answer := fmt.Sprint(f.Value())
		if q, _, ok := c.Question(f.Question); ok {
			label = q.Label.In("")
			answer = ui.AnswerText(c, q, forms.Answer{Value: f.Value()}, "")
		}
		line := label + ": " + answer
		if f.Finding != "" {
			line += " (" + f.Finding + ")"
		}
		facts = append(facts, line)
		if len(facts) >= 4 {
			break
		}
	}
	out := fmt.Sprintf(lang.L("Missed (%s): %s"), ui.LevelName(level), text)
	if len(facts) > 0 {
		out += lang.L("\n  What showed it: ") + strings.Join(facts, "; ")
	}
	if t := sc.Teaching[id]; t != "" {
		out += lang.L("\n  Why it matters: ") + t
	}
	return out
}

// mentions reports whether the expression names the question id.
func mentions(expr, id string) bool {
	if expr == "" {
		return false
	}
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(id) + `\b`).MatchString(expr)
}

// RuleText is a rule's reason in words (for screens).
func RuleText(c *forms.Checklist, id string) (level, text string) {
	if strings.HasPrefix(id, "tool:dash") {
		return "high", lang.L("Domestic abuse risk (DASH): high risk, refer to MARAC.")
	}
	for _, r := range c.Rules {
		if r.ID == id {
			return r.Level.String(), r.Reason.In("")
		}
	}
	return "", id
}
