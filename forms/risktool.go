package forms

import (
	"fmt"
	"sort"
	"sync"
)

// RiskTool is a graded risk instrument plugged into checklists, such as
// the DASH 2009 domestic abuse checklist or its successor. A checklist
// names the tool and the section whose answers it reads.
type RiskTool interface {
	// ID is the name checklists use ("dash2009").
	ID() string
	// Check is called when a checklist loads: it reports a section that
	// lacks the questions the tool needs, so the mistake is found at
	// publication, not at the scene.
	Check(s *Section) error
	// Grade reads the section's answers (blank when not answered) and
	// returns the level and the plain-words reason; LevelNone when the tool
	// has nothing to say.
	Grade(answer func(questionID string) Answer) (Level, string)
}

var (
	toolsMu sync.RWMutex
	tools   = map[string]RiskTool{}
)

// RegisterRiskTool makes a tool available to checklists loaded afterwards.
// Registering the same id twice panics: it is a programming error.
func RegisterRiskTool(t RiskTool) {
	toolsMu.Lock()
	defer toolsMu.Unlock()
	if _, dup := tools[t.ID()]; dup {
		panic("forms: risk tool " + t.ID() + " registered twice")
	}
	tools[t.ID()] = t
}

func lookupRiskTool(id string) (RiskTool, bool) {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	t, ok := tools[id]
	return t, ok
}

func riskToolIDs() []string {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	ids := make([]string, 0, len(tools))
	for id := range tools {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func init() { RegisterRiskTool(DASH2009{}) }

// DASH2009 grades the police version of the 2009 Domestic Abuse, Stalking
// and Harassment and Honour-based Violence risk checklist: 27 yes/no
// questions, ids dash_q01 to dash_q27. Standard risk for 0-9 "yes",
// medium for 10-13, high for 14 or more (refer to MARAC). Professional
// judgement (dash_judgement: standard, medium or high) may raise the grade,
// never lower it.
type DASH2009 struct{}

// DASHQuestions is how many questions DASH 2009 has.
const DASHQuestions = 27

// DASH 2009 thresholds: the least number of "yes" answers for each grade.
const (
	DASHMediumFrom = 10
	DASHHighFrom   = 14
)

// ID returns "dash2009".
func (DASH2009) ID() string { return "dash2009" }

func dashID(i int) string { return fmt.Sprintf("dash_q%02d", i) }

// Check requires the 27 yes/no questions, and allows dash_judgement.
func (DASH2009) Check(s *Section) error {
	have := map[string]*Question{}
	for i := range s.Questions {
		have[s.Questions[i].ID] = &s.Questions[i]
	}
	for i := 1; i <= DASHQuestions; i++ {
		q, ok := have[dashID(i)]
		if !ok {
			return fmt.Errorf("dash2009 needs question %s in section %q", dashID(i), s.ID)
		}
		if q.Kind != KindYesNo {
			return fmt.Errorf("dash2009 needs %s to be a yes/no question, not %s", q.ID, q.Kind)
		}
	}
	if s.Repeat != "" {
		return fmt.Errorf("dash2009 reads a section answered once, but %q repeats over %q", s.ID, s.Repeat)
	}
	return nil
}

// Grade counts the "yes" answers and applies the thresholds and the
// officer's professional judgement.
func (DASH2009) Grade(answer func(string) Answer) (Level, string) {
	yes, answered := 0, 0
	for i := 1; i <= DASHQuestions; i++ {
		a := answer(dashID(i))
		if !a.IsBlank() {
			answered++
		}
		if v, _ := a.Value.(string); v == "yes" {
			yes++
		}
	}
	judged, _ := answer("dash_judgement").Value.(string)
	if answered == 0 && judged == "" {
		return LevelNone, ""
	}
	level := LevelStandard
	switch {
	case yes >= DASHHighFrom:
		level = LevelHigh
	case yes >= DASHMediumFrom:
		level = LevelMedium
	}
	reason := fmt.Sprintf("Domestic abuse risk (DASH): %d of %d answered yes, %s risk.", yes, DASHQuestions, level)
	if j, err := ParseLevel(judged); err == nil && j > level && j <= LevelHigh {
		level = j
		reason = fmt.Sprintf("Domestic abuse risk (DASH): %d of %d answered yes; raised to %s by the officer's professional judgement.", yes, DASHQuestions, level)
	}
	return level, reason
}
