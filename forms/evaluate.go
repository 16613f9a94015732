package forms

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Options tunes an evaluation.
type Options struct {
	// Language of the texts in the result (reasons, actions, constraint
	// messages); English when empty or missing.
	Language string
}

// Errors returned by Evaluate.
var (
	ErrNotCompiled    = errors.New("checklist was not loaded with Load or Parse")
	ErrWrongChecklist = errors.New("entry was made with another checklist version")
)

// maxRelevancePasses bounds the passes that settle relevance: a question
// hidden by one answer may hide others in turn. Chains in real checklists
// are two or three deep.
const maxRelevancePasses = 8

// scope is one set of answers: the top level, or one group instance.
type scope struct {
	group   string
	inst    *Instance
	index   int
	qs      []*qpos
	answers map[string]Answer
	// Indexed like qs (qpos.idx):
	vals     []any           // typed values of valid, non-blank answers; nil otherwise
	invalid  []string        // why an answer could not be read; "" when it could
	relevant []bool          // shown
	secRel   map[string]bool // section id -> shown
	// stale is set when relevance changed since buildEnvs last wrote this
	// scope's values into the environment.
	stale bool
	gen   uint64 // the incremental evaluation that uses it (incremental.go)
}

// Evaluate decides what to ask, what is missing or wrong, how serious the
// risk is and what to do, for an entry made with checklist c. It is pure
// and deterministic: the same checklist and entry give the same result.
func Evaluate(c *Checklist, e *Entry, opt Options) (*Result, error) {
	if c == nil || c.compiled == nil {
		return nil, ErrNotCompiled
	}
	if e.Checklist != c.Ref() {
		return nil, fmt.Errorf("%w: entry has %s, checklist is %s", ErrWrongChecklist, e.Checklist, c.Ref())
	}
	ev := &evaluation{c: c, cp: c.compiled, e: e, lang: opt.Language}
	return ev.run(), nil
}

type evaluation struct {
	c     *Checklist
	cp    *compiled
	e     *Entry
	lang  string
	top   *scope
	insts map[string][]*scope // group -> scopes, in entry order
	res   *Result
	env   map[string]any // the one expression environment; see envFor
	cur   *scope         // the instance whose answers env holds
	inc   *Incremental   // set when evaluating incrementally (incremental.go)
}

func (ev *evaluation) run() *Result {
	ev.res = &Result{Checklist: ev.c.Ref(), Reasons: []Reason{}, Actions: []Action{}, Problems: []Problem{}, Visible: ev.visibleCap()}
	attach := map[string]bool{}
	for _, a := range ev.e.Attachments {
		attach[a.SHA256] = true
	}
	ev.top = ev.newScope("", nil, 0, ev.cp.top, ev.e.Answers, attach)
	ev.insts = map[string][]*scope{}
	for _, g := range ev.c.Groups {
		for i := range ev.e.Groups[g.ID] {
			inst := &ev.e.Groups[g.ID][i]
			ev.insts[g.ID] = append(ev.insts[g.ID], ev.newScope(g.ID, inst, i, ev.cp.groupQs[g.ID], inst.Answers, attach))
		}
	}
	ev.settleRelevance()
	ev.unknownAnswers()
	ev.checkGroups()
	ev.walkSections()
	ev.checkRelationships()
	ev.grade()
	ev.res.Ready = len(ev.res.Problems) == 0
	return ev.res
}

func (ev *evaluation) newScope(group string, inst *Instance, index int, qs []*qpos, answers map[string]Answer, attach map[string]bool) *scope {
	var s *scope
	if ev.inc != nil {
		s = ev.inc.scope(group, inst, len(qs)) // its buffers from the last evaluation, cleared
	} else {
		s = &scope{vals: make([]any, len(qs)), invalid: make([]string, len(qs)), relevant: make([]bool, len(qs)), secRel: map[string]bool{}}
	}
	s.group, s.inst, s.index, s.qs, s.answers = group, inst, index, qs, answers
	for _, p := range qs {
		s.relevant[p.idx] = true
		s.secRel[p.s.ID] = true
		a, ok := answers[p.q.ID]
		if !ok || a.IsBlank() || a.NotKnown {
			continue
		}
		v, msg := ev.cp.typed(p, a, attach)
		if msg != "" {
			s.invalid[p.idx] = msg
			continue
		}
		if ev.inc != nil {
			v = keep(v)
		}
		s.vals[p.idx] = v
	}
	return s
}

// value is the question's value as expressions see it: blank when the
// question is hidden, unanswered, not known or invalid.
func (s *scope) value(p *qpos) any {
	if v := s.vals[p.idx]; v != nil && s.relevant[p.idx] {
		return v
	}
	return zeroOf(p.q.Kind)
}

// buildEnvs writes the top level's values and each group's list into the
// environment: all of them when all is set, else only those of scopes
// whose relevance changed since the last call (the rest are unchanged).
// pass is the relevance pass it is called for.
func (ev *evaluation) buildEnvs(pass int, all bool) {
	if ev.env == nil {
		ev.env = make(map[string]any, len(ev.cp.questions)+len(ev.c.Groups)+1)
	}
	top := ev.env
	ev.cur = nil
	if all || ev.top.stale {
		for _, p := range ev.top.qs {
			top[p.q.ID] = ev.top.value(p)
		}
	}
	ev.top.stale = false
	for _, g := range ev.c.Groups {
		stale := all
		for _, s := range ev.insts[g.ID] {
			stale = stale || s.stale
			s.stale = false
		}
		if !stale {
			continue
		}
		if ev.inc != nil {
			if list, ok := ev.inc.cachedList(g.ID, pass, ev.insts[g.ID]); ok {
				top[g.ID] = list
				continue
			}
		}
		t := ev.cp.groupType[g.ID]
		list := reflect.MakeSlice(reflect.SliceOf(t), 0, len(ev.insts[g.ID]))
		for _, s := range ev.insts[g.ID] {
			v := reflect.New(t).Elem()
			v.Field(0).SetString(s.inst.ID)
			for _, p := range s.qs {
				v.Field(ev.cp.groupField[g.ID][p.q.ID]).Set(reflect.ValueOf(s.value(p)))
			}
			list = reflect.Append(list, v)
		}
		top[g.ID] = list.Interface()
		if ev.inc != nil {
			ev.inc.keepList(g.ID, pass, ev.insts[g.ID], top[g.ID])
		}
	}
}

// envFor returns the expression environment of scope s. There is one map
// per evaluation: question ids are unique across a checklist, so entering
// an instance only overwrites that group's own questions, and expressions
// compiled for the top level cannot name them.
func (ev *evaluation) envFor(s *scope) map[string]any {
	if s.inst != nil && s != ev.cur {
		ev.cur = s
		for _, p := range s.qs {
			ev.env[p.q.ID] = s.value(p)
		}
	}
	return ev.env
}

// settleRelevance repeats relevance until nothing changes, since hiding a
// question blanks its value, which other relevance expressions may read.
func (ev *evaluation) settleRelevance() {
	for pass := 0; pass < maxRelevancePasses; pass++ {
		ev.buildEnvs(pass, pass == 0)
		changed := ev.relevance(ev.top)
		for _, list := range ev.insts {
			for _, s := range list {
				if ev.relevance(s) {
					changed = true
				}
			}
		}
		if !changed {
			return
		}
	}
	ev.buildEnvs(maxRelevancePasses, false)
}

func (ev *evaluation) relevance(s *scope) bool {
	changed := false
	env := ev.envFor(s)
	for _, p := range s.qs {
		if p.q == &p.s.Questions[0] { // a section's questions are together in qs
			rel := true
			if prog := ev.cp.sectionRel[p.s.ID]; prog != nil {
				rel = ev.runBool(prog, env, true)
			}
			if s.secRel[p.s.ID] != rel {
				s.secRel[p.s.ID] = rel
				changed = true
			}
		}
		rel := s.secRel[p.s.ID]
		if rel {
			if prog := ev.cp.qRel[p.q.ID]; prog != nil {
				rel = ev.runBool(prog, env, true)
			}
		}
		if s.relevant[p.idx] != rel {
			s.relevant[p.idx] = rel
			changed = true
		}
	}
	if changed && ev.cur == s {
		ev.cur = nil // its values in env are stale
	}
	s.stale = s.stale || changed
	return changed
}

// runBool runs a compiled boolean expression; on a run-time error (which
// type-checking makes rare) it returns fallback, chosen by the caller to be
// the safe side: show the question, require the answer.
func runBool(prog *vm.Program, env map[string]any, fallback bool) bool {
	out, err := expr.Run(prog, env)
	if err != nil {
		return fallback
	}
	b, ok := out.(bool)
	if !ok {
		return fallback
	}
	return b
}

func (ev *evaluation) label(group string, index int) string {
	g, _ := ev.c.Group(group)
	return fmt.Sprintf("%s %d", g.Label.In(ev.lang), index+1)
}

func (ev *evaluation) problem(s *scope, section, question string, code ProblemCode, msg string) {
	it := Item{Section: section, Question: question}
	if s != nil && s.inst != nil {
		it.Group, it.Instance = s.group, s.inst.ID
		msg = ev.who(s) + ": " + msg
	}
	ev.res.Problems = append(ev.res.Problems, Problem{Item: it, Code: code, Message: msg})
}

func (ev *evaluation) unknownAnswers() {
	check := func(s *scope, answers map[string]Answer) {
		known := ev.cp.known[s.group]
		ids := make([]string, 0)
		for id := range answers {
			if !known[id] && !isPromptAnswerID(id) { // prompt answers: recognise.go
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			ev.problem(s, "", id, ProblemUnknownQuestion, fmt.Sprintf("%q is not a question here in %s", id, ev.c.Ref()))
		}
	}
	check(ev.top, ev.e.Answers)
	for _, g := range ev.c.Groups {
		for _, s := range ev.insts[g.ID] {
			check(s, s.answers)
		}
	}
	var unknown []string
	for g := range ev.e.Groups {
		if _, ok := ev.c.Group(g); !ok {
			unknown = append(unknown, g)
		}
	}
	sort.Strings(unknown)
	for _, g := range unknown {
		ev.problem(nil, "", "", ProblemUnknownQuestion, fmt.Sprintf("%q is not a group of %s", g, ev.c.Ref()))
	}
}

func (ev *evaluation) checkGroups() {
	for _, g := range ev.c.Groups {
		n := len(ev.e.Groups[g.ID])
		name := strings.ToLower(g.Label.In(ev.lang))
		switch {
		case n < g.Min:
			ev.problem(nil, ev.cp.firstSec[g.ID], "", ProblemGroupCount, fmt.Sprintf("Add at least %d %s (there are %d).", g.Min, name, n))
		case g.Max > 0 && n > g.Max:
			ev.problem(nil, ev.cp.firstSec[g.ID], "", ProblemGroupCount, fmt.Sprintf("At most %d %s can be recorded in one entry (there are %d).", g.Max, name, n))
		}
	}
}

func (ev *evaluation) walkSections() {
	for si := range ev.c.Sections {
		sec := &ev.c.Sections[si]
		if sec.Repeat == "" {
			ev.walkSection(sec, ev.top)
			continue
		}
		for _, s := range ev.insts[sec.Repeat] {
			ev.walkSection(sec, s)
		}
	}
}

func (ev *evaluation) walkSection(sec *Section, s *scope) {
	st := SectionStatus{Section: sec.ID, Relevant: s.secRel[sec.ID]}
	if s.inst != nil {
		st.Instance = s.inst.ID
	}
	if st.Relevant {
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			if !s.relevant[ev.cp.questions[q.ID].idx] {
				continue
			}
			it := Item{Section: sec.ID, Question: q.ID}
			if s.inst != nil {
				it.Group, it.Instance = s.group, s.inst.ID
			}
			ev.res.Visible = append(ev.res.Visible, it)
			required := ev.cp.qAlways[q.ID]
			if prog := ev.cp.qReq[q.ID]; prog != nil {
				required = ev.runBool(prog, ev.envFor(s), true)
			}
			if required {
				st.Required++
			}
			if ev.checkAnswer(sec, q, s, required) {
				if required {
					st.Answered++
				}
			} else {
				st.Problems++
			}
		}
	}
	st.Complete = st.Problems == 0 && st.Answered == st.Required
	ev.res.Sections = append(ev.res.Sections, st)
}

// checkAnswer reports the answer's problems and whether it is acceptable.
func (ev *evaluation) checkAnswer(sec *Section, q *Question, s *scope, required bool) bool {
	a, has := s.answers[q.ID]
	switch {
	case has && a.NotKnown:
		if !q.NotKnown {
			ev.problem(s, sec.ID, q.ID, ProblemNotKnownForbidden, fmt.Sprintf("“Not known” is not allowed for “%s”: give an answer.", q.Label.In(ev.lang)))
			return false
		}
		if strings.TrimSpace(a.Reason) == "" {
			ev.problem(s, sec.ID, q.ID, ProblemNotKnownNoReason, fmt.Sprintf("Say why “%s” is not known.", q.Label.In(ev.lang)))
			return false
		}
		return true
	case !has || a.IsBlank():
		if !required {
			return true
		}
		msg := fmt.Sprintf("Answer “%s”.", q.Label.In(ev.lang))
		if q.NotKnown {
			msg = fmt.Sprintf("Answer “%s”, or choose “Not known” and say why.", q.Label.In(ev.lang))
		}
		ev.problem(s, sec.ID, q.ID, ProblemRequired, msg)
		return false
	}
	if msg := s.invalid[ev.cp.questions[q.ID].idx]; msg != "" {
		code := ProblemInvalid
		if q.Kind == KindPhoto {
			code = ProblemAttachment
		}
		ev.problem(s, sec.ID, q.ID, code, fmt.Sprintf("“%s”: %s", q.Label.In(ev.lang), msg))
		return false
	}
	if prog := ev.cp.qCon[q.ID]; prog != nil {
		env := ev.envFor(s)
		env["value"] = s.vals[ev.cp.questions[q.ID].idx]
		ok := ev.runBool(prog, env, false)
		delete(env, "value")
		if !ok {
			ev.problem(s, sec.ID, q.ID, ProblemConstraint, q.Constraint.Message.In(ev.lang))
			return false
		}
	}
	return true
}

func (ev *evaluation) checkRelationships() {
	rel := ev.c.Relationships
	if rel == nil {
		if len(ev.e.Relationships) > 0 {
			ev.problem(nil, "", "", ProblemRelationship, "This checklist does not record relationships between people.")
		}
		return
	}
	where := map[string]*scope{}
	for _, list := range ev.insts {
		for _, s := range list {
			where[s.inst.ID] = s
		}
	}
	linked := map[string]bool{}
	for i, r := range ev.e.Relationships {
		from, to := where[r.From], where[r.To]
		switch {
		case from == nil || to == nil:
			ev.problem(nil, "", "", ProblemRelationship, fmt.Sprintf("Relationship %d links a person who is not in this entry.", i+1))
		case !ev.cp.relTypes[r.Type]:
			ev.problem(nil, ev.cp.firstSec[to.group], "", ProblemRelationship, fmt.Sprintf("Relationship %d has an unknown type %q.", i+1, r.Type))
		case !ev.cp.relFrom[from.group] || !ev.cp.relTo[to.group]:
			ev.problem(nil, ev.cp.firstSec[to.group], "", ProblemRelationship,
				fmt.Sprintf("Relationship %d links %s to %s; link %s to %s.", i+1,
					ev.label(from.group, from.index), ev.label(to.group, to.index),
					strings.Join(rel.From, " or "), strings.Join(rel.To, " or ")))
		default:
			linked[r.To] = true
		}
	}
	for _, g := range rel.RequiredFor {
		for _, s := range ev.insts[g] {
			if !linked[s.inst.ID] {
				ev.problem(s, ev.cp.firstSec[g], "", ProblemUnlinked, "not linked to anyone. Record who they live with and who holds parental responsibility.")
			}
		}
	}
}

func (ev *evaluation) grade() {
	res := ev.res
	fire := func(r *Rule, s *scope) {
		reason := Reason{Rule: r.ID, Level: r.Level, Text: r.Reason.In(ev.lang)}
		if s != nil {
			reason.Group, reason.Instance = s.group, s.inst.ID
			reason.Text = ev.who(s) + ": " + reason.Text
		}
		res.Reasons = append(res.Reasons, reason)
	}
	actionsFor := map[string][]string{} // rule id -> actions
	fired := ev.fireEach()
	for i := range ev.c.Rules {
		r := &ev.c.Rules[i]
		prog := ev.cp.rules[i]
		actionsFor[r.ID] = r.Actions
		if r.Each == "" {
			if ev.runBool(prog, ev.env, false) {
				fire(r, nil)
			}
			continue
		}
		for k, s := range ev.insts[r.Each] {
			if fired[i][k] {
				fire(r, s)
			}
		}
	}
	for _, t := range ev.cp.tools {
		if !ev.top.secRel[t.sec.ID] {
			continue
		}
		as := assess(t.tool, func(id string) Answer {
			if p, ok := ev.cp.questions[id]; !ok || p.group != "" || !ev.top.relevant[p.idx] {
				return Answer{}
			}
			return ev.top.answers[id]
		})
		if as.Level == LevelNone {
			continue
		}
		id := "tool:" + t.use.Tool
		text := as.Reason
		// In the evaluation's language when the checklist carries it (a
		// checklist in English only reads in English throughout).
		if t := as.Texts[ev.lang]; t != "" && slices.Contains(ev.c.Languages, ev.lang) {
			text = t
		}
		res.Reasons = append(res.Reasons, Reason{Rule: id, Level: as.Level, Text: text})
		if as.Level >= LevelHigh {
			actionsFor[id] = append(actionsFor[id], t.use.Actions...)
		}
		if !as.Complete {
			actionsFor[id] = append(actionsFor[id], t.use.IncompleteActions...)
		}
	}
	ev.recognise(actionsFor) // disclosures in the free text: prompts, and reasons once confirmed (recognise.go)
	sort.SliceStable(res.Reasons, func(i, j int) bool { return res.Reasons[i].Level > res.Reasons[j].Level })

	res.Computed = LevelStandard
	seen := map[string]bool{}
	for _, r := range res.Reasons {
		if r.Level > res.Computed {
			res.Computed = r.Level
		}
		for _, a := range actionsFor[r.Rule] {
			if !seen[a] {
				seen[a] = true
				res.Actions = append(res.Actions, Action{ID: a, Text: ev.c.Actions[a].In(ev.lang)})
			}
		}
	}
	res.Reasons = ev.mergeFacts(res.Reasons)
	res.Immediate = res.Computed == LevelImmediate
	res.Grade = res.Computed
	g := ev.e.Grading
	switch {
	case g == nil || g.Level == LevelNone || g.Level == res.Computed:
	case g.Level > res.Computed:
		res.Grade = g.Level
	case strings.TrimSpace(g.Reason) == "":
		ev.problem(nil, "", "", ProblemGrading, fmt.Sprintf("You graded this %s, below the %s the answers show: say why, or keep %s.", g.Level, res.Computed, res.Computed))
	default:
		res.Grade, res.Lowered, res.LoweredReason = g.Level, true, g.Reason
	}
}

// fireEach runs the rules that apply to each instance of a group, instance
// by instance (so the environment is filled once per instance, not once
// per rule and instance), and returns, by rule index, whether each rule
// fired for each instance of its group, in entry order.
func (ev *evaluation) fireEach() [][]bool {
	fired := make([][]bool, len(ev.c.Rules))
	for _, g := range ev.c.Groups {
		insts := ev.insts[g.ID]
		if len(insts) == 0 {
			continue
		}
		var rules []int
		for i := range ev.c.Rules {
			if ev.c.Rules[i].Each == g.ID {
				rules = append(rules, i)
				fired[i] = make([]bool, len(insts))
			}
		}
		if len(rules) == 0 {
			continue
		}
		for k, s := range insts {
			env := ev.envFor(s)
			for _, i := range rules {
				fired[i][k] = ev.runBool(ev.cp.rules[i], env, false)
			}
		}
	}
	return fired
}

// typed converts an answer's value to the type expressions see for the
// question's kind, or says in plain words why it cannot.
func (cp *compiled) typed(p *qpos, a Answer, attach map[string]bool) (any, string) {
	q := p.q
	switch q.Kind {
	case KindYesNo:
		s, ok := a.Value.(string)
		if !ok || (s != "yes" && s != "no") {
			return nil, "answer yes or no"
		}
		return s, ""
	case KindSingle:
		s, ok := a.Value.(string)
		if !ok || !p.options[s] {
			return nil, "choose one of the options"
		}
		return s, ""
	case KindMulti:
		list, ok := a.Value.([]string)
		if !ok {
			if s, isStr := a.Value.(string); isStr {
				list, ok = []string{s}, true
			}
		}
		if !ok {
			return nil, "choose from the options"
		}
		for _, s := range list {
			if !p.options[s] {
				return nil, fmt.Sprintf("%q is not one of the options", s)
			}
		}
		return list, ""
	case KindCode:
		s, ok := a.Value.(string)
		if !ok {
			return nil, "choose a code from the list"
		}
		code, known := cp.codes[q.CodeList][s]
		if !known {
			return nil, fmt.Sprintf("%q is not a code in the list", s)
		}
		return code, ""
	case KindText, KindLongText:
		s, ok := a.Value.(string)
		if !ok {
			return nil, "enter text"
		}
		return s, ""
	case KindNumber:
		f, ok := a.Value.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "enter a number"
		}
		return f, ""
	case KindDate:
		s, ok := a.Value.(string)
		if !ok {
			return nil, "enter a date"
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, "enter a date as YYYY-MM-DD"
		}
		return s, ""
	case KindDateTime:
		s, ok := a.Value.(string)
		if !ok {
			return nil, "enter a date and time"
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return nil, "enter a date and time (RFC 3339)"
		}
		return s, ""
	case KindScale:
		f, ok := a.Value.(float64)
		if !ok || f != math.Trunc(f) || f < float64(q.Scale.Min) || f > float64(q.Scale.Max) {
			return nil, fmt.Sprintf("choose a point from %d to %d", q.Scale.Min, q.Scale.Max)
		}
		return int(f), ""
	case KindPhoto:
		list, ok := a.Value.([]string)
		if !ok {
			return nil, "attach photos"
		}
		for _, h := range list {
			if !attach[h] {
				return nil, "a photo is missing from the entry's attachments"
			}
		}
		return list, ""
	}
	return nil, "unsupported question kind"
}
