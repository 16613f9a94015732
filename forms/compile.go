package forms

import (
	"fmt"
	"reflect"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// qpos places a question in its checklist.
type qpos struct {
	q       *Question
	s       *Section
	group   string // the repeat group, "" at top level
	idx     int    // position among the top-level questions, or the group's
	options map[string]bool
}

// compiled is what Parse derives from a checklist once, so that Evaluate
// does no parsing, type-checking or lookups by scanning.
type compiled struct {
	questions  map[string]*qpos
	top        []*qpos            // questions of non-repeating sections, in order
	groupQs    map[string][]*qpos // per group, in order
	groupType  map[string]reflect.Type
	groupField map[string]map[string]int // group -> question id -> struct field index
	firstSec   map[string]string         // group -> first section repeating over it

	sectionRel map[string]*vm.Program
	qRel       map[string]*vm.Program
	qReq       map[string]*vm.Program
	qAlways    map[string]bool
	qCon       map[string]*vm.Program
	rules      []*vm.Program
	codes      map[string]map[string]string // code list -> code or alias -> code
	relTypes   map[string]bool
	relFrom    map[string]bool
	relTo      map[string]bool
	tools      []compiledTool
	ruleFact   map[string]string          // rule id -> Rule.Fact, for rules that name one
	known      map[string]map[string]bool // group ("" top level) -> its question ids
	deps       exprDeps                   // incremental.go: what each expression reads
}

type compiledTool struct {
	use  RiskToolUse
	tool RiskTool
	sec  *Section
}

// zeroOf is the expression value of a blank answer of kind k; its type is
// the type the expression checker sees for questions of that kind.
func zeroOf(k Kind) any {
	switch k {
	case KindMulti, KindPhoto:
		return []string(nil)
	case KindNumber:
		return float64(0)
	case KindScale:
		return 0
	}
	return ""
}

// exprFuncs are the functions available in every expression.
var exprFuncs = []expr.Option{
	expr.Function("yearsBetween", func(p ...any) (any, error) {
		return yearsBetween(p[0].(string), p[1].(string)), nil
	}, new(func(string, string) int)),
	expr.Function("hoursBetween", func(p ...any) (any, error) {
		return hoursBetween(p[0].(string), p[1].(string)), nil
	}, new(func(string, string) float64)),
}

func parseWhen(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// yearsBetween returns the whole years from one date to another (an age),
// or -1 when either is blank or unreadable.
func yearsBetween(from, to string) int {
	a, ok1 := parseWhen(from)
	b, ok2 := parseWhen(to)
	if !ok1 || !ok2 {
		return -1
	}
	y := b.Year() - a.Year()
	if b.Month() < a.Month() || (b.Month() == a.Month() && b.Day() < a.Day()) {
		y--
	}
	return y
}

// hoursBetween returns the hours from one time to another, or -1 when
// either is blank or unreadable.
func hoursBetween(from, to string) float64 {
	a, ok1 := parseWhen(from)
	b, ok2 := parseWhen(to)
	if !ok1 || !ok2 {
		return -1
	}
	return b.Sub(a).Hours()
}

// compile builds the checklist's compiled form: where each question sits,
// a struct type per group, and every expression compiled against the
// environment it runs in (problems are reported to l).
func (l *linter) compile(c *Checklist) *compiled {
	cp := &compiled{
		questions:  map[string]*qpos{},
		groupQs:    map[string][]*qpos{},
		groupType:  map[string]reflect.Type{},
		groupField: map[string]map[string]int{},
		firstSec:   map[string]string{},
		sectionRel: map[string]*vm.Program{},
		qRel:       map[string]*vm.Program{},
		qReq:       map[string]*vm.Program{},
		qAlways:    map[string]bool{},
		qCon:       map[string]*vm.Program{},
		codes:      map[string]map[string]string{},
	}
	cp.addCodeLists(c)
	cp.placeQuestions(c)
	cp.addGroupTypes(c)
	ec := &exprCompiler{l: l, envs: cp.exprEnvs()}
	ec.compileSections(c, cp)
	ec.compileRules(c, cp)
	cp.addRelationships(c)
	cp.addRiskTools(c)
	return cp
}

// addCodeLists maps each code list's codes, and its aliases, to the code
// they stand for.
func (cp *compiled) addCodeLists(c *Checklist) {
	for name, cl := range c.CodeLists {
		m := map[string]string{}
		for _, o := range cl.Codes {
			m[o.Value] = o.Value
		}
		for from, to := range cl.Aliases {
			m[from] = to
		}
		cp.codes[name] = m
	}
}

// placeQuestions records where each question sits: its section, its group
// (if any) and its place among the top-level or the group's questions.
func (cp *compiled) placeQuestions(c *Checklist) {
	for si := range c.Sections {
		s := &c.Sections[si]
		if s.Repeat != "" {
			if _, ok := cp.firstSec[s.Repeat]; !ok {
				cp.firstSec[s.Repeat] = s.ID
			}
		}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			p := &qpos{q: q, s: s, group: s.Repeat}
			if len(q.Options) > 0 {
				p.options = map[string]bool{}
				for _, o := range q.Options {
					p.options[o.Value] = true
				}
			}
			cp.questions[q.ID] = p
			cp.know(s.Repeat, q.ID)
			if s.Repeat == "" {
				p.idx = len(cp.top)
				cp.top = append(cp.top, p)
			} else {
				p.idx = len(cp.groupQs[s.Repeat])
				cp.groupQs[s.Repeat] = append(cp.groupQs[s.Repeat], p)
			}
		}
	}
}

// addGroupTypes makes one struct type per group: the instance as
// expressions see it.
func (cp *compiled) addGroupTypes(c *Checklist) {
	for _, g := range c.Groups {
		fields := []reflect.StructField{{Name: "ID", Type: reflect.TypeFor[string](), Tag: `expr:"id"`}}
		idx := map[string]int{}
		for _, p := range cp.groupQs[g.ID] {
			idx[p.q.ID] = len(fields)
			fields = append(fields, reflect.StructField{
				Name: "Q_" + p.q.ID,
				Type: reflect.TypeOf(zeroOf(p.q.Kind)),
				Tag:  reflect.StructTag(fmt.Sprintf(`expr:%q`, p.q.ID)),
			})
		}
		cp.groupType[g.ID] = reflect.StructOf(fields)
		cp.groupField[g.ID] = idx
	}
}

// exprEnvs are the environments expressions compile against: the top
// level's, and each group's (the top level's plus the group's questions).
type exprEnvs struct {
	top   map[string]any
	group map[string]map[string]any
}

// exprEnvs builds the expression environments from the placed questions
// and group types.
func (cp *compiled) exprEnvs() exprEnvs {
	topEnv := map[string]any{}
	for _, p := range cp.top {
		topEnv[p.q.ID] = zeroOf(p.q.Kind)
	}
	for g, t := range cp.groupType {
		topEnv[g] = reflect.MakeSlice(reflect.SliceOf(t), 0, 0).Interface()
	}
	groupEnv := map[string]map[string]any{}
	for g := range cp.groupType {
		env := make(map[string]any, len(topEnv)+len(cp.groupQs[g]))
		for k, v := range topEnv {
			env[k] = v
		}
		for _, p := range cp.groupQs[g] {
			env[p.q.ID] = zeroOf(p.q.Kind)
		}
		groupEnv[g] = env
	}
	return exprEnvs{top: topEnv, group: groupEnv}
}

// envFor returns the environment of group ("" for the top level).
func (e exprEnvs) envFor(group string) map[string]any {
	if group == "" {
		return e.top
	}
	return e.group[group]
}

// exprCompiler compiles a checklist's expressions, reporting those that
// do not compile to l.
type exprCompiler struct {
	l    *linter
	envs exprEnvs
	// cache: exprenv.go: each environment described once
	cache envCache
	// done holds each expression compiled so far, by source and
	// environment: a checklist repeats many (149 expressions in 1.0.0, 79
	// different), and a program depends on nothing else. Sharing one is
	// safe: programs are read-only when run, and an Incremental's memo of
	// a shared program is keyed by scope, and its result by its inputs.
	done map[compileKey]compileResult
}

type compileKey struct {
	src string
	env uintptr
}

type compileResult struct {
	prog *vm.Program
	err  error
}

// comp compiles the boolean expression src (what, at where) against env,
// nil when it does not compile.
func (ec *exprCompiler) comp(where, what, src string, env map[string]any) *vm.Program {
	key := compileKey{src, mapID(env)}
	r, ok := ec.done[key]
	if !ok {
		r.prog, r.err = ec.cache.compileBool(src, env) // expr.Compile(src, expr.Env(env), expr.AsBool(), exprFuncs...)
		if ec.done == nil {
			ec.done = map[compileKey]compileResult{}
		}
		ec.done[key] = r
	}
	prog, err := r.prog, r.err
	if err != nil {
		ec.l.add(where, "%s %q does not compile: %v", what, src, err)
		return nil
	}
	return prog
}

// compileSections compiles each section's relevance and its questions'
// relevance, required and constraint expressions.
func (ec *exprCompiler) compileSections(c *Checklist, cp *compiled) {
	for si := range c.Sections {
		s := &c.Sections[si]
		swhere := at(fmt.Sprintf("/sections/%d", si), s.ID)
		env := ec.envs.envFor(s.Repeat)
		if s.Relevant != "" {
			cp.sectionRel[s.ID] = ec.comp(swhere+"/relevant", "relevant", s.Relevant, env)
		}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			qwhere := at(fmt.Sprintf("/sections/%d/questions/%d", si, qi), q.ID)
			if q.Relevant != "" {
				cp.qRel[q.ID] = ec.comp(qwhere, "relevant", q.Relevant, env)
			}
			switch q.Required {
			case "", "never":
			case "always":
				cp.qAlways[q.ID] = true
			default:
				cp.qReq[q.ID] = ec.comp(qwhere, "required", q.Required, env)
			}
			if q.Constraint != nil {
				cp.qCon[q.ID] = ec.comp(qwhere, "constraint", q.Constraint.Expr, ec.cache.constraintEnv(env, q.Kind))
			}
		}
	}
}

// compileRules compiles each rule's when, in its group's environment, and
// notes the facts rules set.
func (ec *exprCompiler) compileRules(c *Checklist, cp *compiled) {
	for i, r := range c.Rules {
		if r.Fact != "" {
			if cp.ruleFact == nil {
				cp.ruleFact = map[string]string{}
			}
			cp.ruleFact[r.ID] = r.Fact
		}
		cp.rules = append(cp.rules, ec.comp(at(fmt.Sprintf("/rules/%d", i), r.ID), "when", r.When, ec.envs.envFor(r.Each)))
	}
}

// addRelationships notes the relationship types and the groups
// relationships may run from and to.
func (cp *compiled) addRelationships(c *Checklist) {
	if rel := c.Relationships; rel != nil {
		cp.relTypes = map[string]bool{}
		for _, o := range c.CodeLists[rel.CodeList].Codes {
			cp.relTypes[o.Value] = true
		}
		cp.relFrom, cp.relTo = map[string]bool{}, map[string]bool{}
		for _, g := range rel.From {
			cp.relFrom[g] = true
		}
		for _, g := range rel.To {
			cp.relTo[g] = true
		}
	}
}

// addRiskTools resolves each risk tool use to its tool and section.
func (cp *compiled) addRiskTools(c *Checklist) {
	for _, u := range c.RiskTools {
		tool, _ := lookupRiskTool(u.Tool)
		s, _ := c.Section(u.Section)
		cp.tools = append(cp.tools, compiledTool{use: u, tool: tool, sec: s})
	}
}
