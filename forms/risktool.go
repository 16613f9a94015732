package forms

import (
	"fmt"
	"sort"
	"strings"
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

// welshLevel names each grade in Welsh, as the DASH reason uses it after
// "risg" (machine-drafted: see docs/glossary-cy.md).
var welshLevel = map[Level]string{LevelStandard: "safonol", LevelMedium: "ganolig", LevelHigh: "uchel", LevelImmediate: "ar unwaith"}

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
// officer's professional judgement; see Assess for unanswered and "Not
// known" items.
func (d DASH2009) Grade(answer func(string) Answer) (Level, string) {
	a := d.Assess(answer)
	return a.Level, a.Reason
}

// Assess grades like Grade and says how complete the checklist is. Not
// known is not no: with items unanswered or not known the reason says "not
// assessed" or "not fully assessed" and how many are not known, never
// "standard risk"; the grade is never lower than the yes count supports,
// and at least medium while the missing items could still bring the count
// to the medium threshold (the DASH cannot show the risk is lower until it
// is completed). Professional judgement may raise the grade, never lower
// it.
func (DASH2009) Assess(answer func(string) Answer) Assessment {
	var a Assessment
	for i := 1; i <= DASHQuestions; i++ {
		x := answer(dashID(i))
		v, _ := x.Value.(string)
		switch {
		case x.NotKnown:
			a.NotKnown++
		case v == "yes":
			a.Yes++
		case v == "no":
			a.No++
		default:
			a.Unanswered++
		}
	}
	judged, _ := answer("dash_judgement").Value.(string)
	if a.Yes+a.No+a.NotKnown == 0 && judged == "" {
		return Assessment{Unanswered: a.Unanswered, Complete: a.Unanswered == 0}
	}
	a.Level = LevelStandard
	switch {
	case a.Yes >= DASHHighFrom:
		a.Level = LevelHigh
	case a.Yes >= DASHMediumFrom:
		a.Level = LevelMedium
	}
	missing := a.NotKnown + a.Unanswered
	a.Complete = missing == 0
	cy := func(l Level) string { return welshLevel[l] }
	switch {
	case a.Complete:
		a.Reason = fmt.Sprintf("Domestic abuse risk (DASH): %d of %d answered yes, %s risk.", a.Yes, DASHQuestions, a.Level)
		a.Texts = Text{"cy": fmt.Sprintf("Risg cam-drin domestig (DASH): %d o %d wedi'u hateb ag ie, risg %s.", a.Yes, DASHQuestions, cy(a.Level))}
	default:
		if a.Level < LevelMedium && a.Yes+missing >= DASHMediumFrom {
			a.Level = LevelMedium
		}
		gap := fmt.Sprintf("%d of %d not known", a.NotKnown, DASHQuestions)
		gapCy := fmt.Sprintf("%d o %d yn anhysbys", a.NotKnown, DASHQuestions)
		if a.Unanswered > 0 {
			gap += fmt.Sprintf(", %d not answered", a.Unanswered)
			gapCy += fmt.Sprintf(", %d heb eu hateb", a.Unanswered)
		}
		if a.Yes+a.No == 0 {
			a.Reason = fmt.Sprintf("Domestic abuse risk (DASH) not assessed: %s. Treat as at least %s until it is completed.", gap, a.Level)
			a.Texts = Text{"cy": fmt.Sprintf("Risg cam-drin domestig (DASH) heb ei asesu: %s. Dylid ei drin fel risg %s o leiaf nes iddo gael ei gwblhau.", gapCy, cy(a.Level))}
		} else {
			a.Reason = fmt.Sprintf("Domestic abuse risk (DASH) not fully assessed: %s, %d answered yes so far. Treat as at least %s until it is completed.", gap, a.Yes, a.Level)
			a.Texts = Text{"cy": fmt.Sprintf("Risg cam-drin domestig (DASH) heb ei asesu'n llawn: %s, %d wedi'u hateb ag ie hyd yma. Dylid ei drin fel risg %s o leiaf nes iddo gael ei gwblhau.", gapCy, a.Yes, cy(a.Level))}
		}
	}
	if j, err := ParseLevel(judged); err == nil && j > a.Level && j <= LevelHigh {
		a.Level = j
		a.Reason = strings.TrimSuffix(a.Reason, ".") + fmt.Sprintf("; raised to %s by the officer's professional judgement.", a.Level)
		a.Texts["cy"] = strings.TrimSuffix(a.Texts["cy"], ".") + fmt.Sprintf("; wedi'i godi i risg %s ar sail barn broffesiynol y swyddog.", cy(a.Level))
	}
	a.Texts[DefaultLanguage] = a.Reason
	return a
}

// Assessment is what a risk tool found: its grade and reason, and how
// complete its items are.
type Assessment struct {
	Level  Level
	Reason string
	// Texts is the reason in each language the tool writes (English is
	// Reason); the evaluation shows the one of its language, falling back
	// to Reason.
	Texts Text
	// Complete is false while any item is unanswered or not known.
	Complete bool
	// Counts of the tool's items by answer.
	Yes, No, NotKnown, Unanswered int
}

// Assessor is a RiskTool that also says how complete its assessment is;
// the engine then adds the checklist's IncompleteActions (such as "complete
// the DASH") while it is not.
type Assessor interface {
	Assess(answer func(questionID string) Answer) Assessment
}

// assess asks t for its assessment; a tool that is not an Assessor is
// taken as complete.
func assess(t RiskTool, answer func(string) Answer) Assessment {
	if as, ok := t.(Assessor); ok {
		return as.Assess(answer)
	}
	l, r := t.Grade(answer)
	return Assessment{Level: l, Reason: r, Complete: true}
}
