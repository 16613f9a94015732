package forms

import (
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// Incremental evaluates successive states of one entry (an officer
// answering question after question) and re-runs only the expressions an
// answer can change: each expression's result is kept with the values of
// the names it reads (its dependencies, taken from its syntax tree once
// per checklist version), and is reused while those values are the same.
// Everything else is worked out again each time, the same way as
// Evaluate, so the result is always Evaluate's: the full evaluation is the
// reference, and the tests hold the two equal on every fuzz-generated
// entry.
//
// An Incremental is not safe for use by several goroutines at once.
type Incremental struct {
	c   *Checklist
	opt Options
	gen uint64
	// memo holds the kept results, by expression and scope.
	memo map[memoKey]*memoEntry
	// env is the expression environment, kept between evaluations so it
	// is not grown again each time. Every name an expression can read is
	// written before the expression runs (see buildEnvs and envFor).
	env map[string]any
	// lists holds each group's list as expressions see it, with the
	// values it was made from, by relevance pass (each evaluation begins
	// with every question shown, so pass n's lists of successive
	// evaluations are alike), to reuse while they are the same.
	lists map[listKey]*groupList
	// scopes are the last evaluation's scopes, by group and instance id,
	// whose buffers the next evaluation reuses.
	scopes map[scopeKey]*scope
	// Ran and Reused count expression runs and reuses since the last
	// Evaluate call began (for measures and tests).
	Ran, Reused int
	// Unchanged is set when the last Evaluate call found the entry changed
	// only in inert answers and returned the result before it again
	// (unchanged.go); the screen then has nothing to update from it.
	Unchanged bool

	// The shortcut's state (unchanged.go): the entry last evaluated, the
	// inert questions (worked out for the phrase list recog), and the
	// inert answers found changed by the comparison under way.
	last       *lastEntry
	inert      map[string]bool
	inertKnown bool
	recog      *boundRecogniser
	pending    []pendingAnswer
}

type memoKey struct {
	prog     *vm.Program
	scope    string // the instance id of a group expression; "" at the top level
	fallback bool
}

type memoEntry struct {
	vals []any // the dependencies' values when it last ran
	out  bool
	gen  uint64 // the evaluation that last used it
}

// NewIncremental returns an incremental evaluator of entries made with c.
func NewIncremental(c *Checklist, opt Options) *Incremental {
	return &Incremental{c: c, opt: opt, memo: map[memoKey]*memoEntry{}}
}

// Evaluate returns what Evaluate(c, e, opt) returns, re-running only the
// expressions whose inputs differ from the previous call's, and nothing at
// all when only inert answers changed (see unchanged.go). The caller may
// change the entry in place afterwards.
func (in *Incremental) Evaluate(e *Entry) (*Result, error) {
	c := in.c
	if c == nil || c.compiled == nil {
		return nil, ErrNotCompiled
	}
	if e.Checklist != c.Ref() {
		return nil, fmt.Errorf("%w: entry has %s, checklist is %s", ErrWrongChecklist, e.Checklist, c.Ref())
	}
	c.compiled.deps.init(c)
	in.Ran, in.Reused = 0, 0
	if in.unchanged(e) {
		in.Unchanged = true
		return cloneResult(in.last.res), nil
	}
	in.Unchanged = false
	in.gen++
	ev := &evaluation{c: c, cp: c.compiled, e: e, lang: in.opt.Language, inc: in, env: in.env}
	res := ev.run()
	in.env = ev.env
	in.remember(e, res)
	for k, m := range in.memo { // forget instances that are gone
		if m.gen != in.gen {
			delete(in.memo, k)
		}
	}
	for k, s := range in.scopes {
		if s.gen != in.gen {
			delete(in.scopes, k)
		}
	}
	return res, nil
}

// runBool is runBool, through the evaluation's Incremental when it has
// one.
func (ev *evaluation) runBool(prog *vm.Program, env map[string]any, fallback bool) bool {
	if ev.inc == nil {
		return runBool(prog, env, fallback)
	}
	return ev.inc.run(ev, prog, env, fallback)
}

func (in *Incremental) run(ev *evaluation, prog *vm.Program, env map[string]any, fallback bool) bool {
	d := ev.cp.deps.of[prog]
	if d == nil || !d.pure {
		in.Ran++
		return runBool(prog, env, fallback)
	}
	key := memoKey{prog: prog, fallback: fallback}
	if d.group != "" && ev.cur != nil {
		key.scope = ev.cur.inst.ID
	}
	m := in.memo[key]
	if m != nil && sameValues(m.vals, d.names, env) {
		m.gen = in.gen
		in.Reused++
		return m.out
	}
	in.Ran++
	out := runBool(prog, env, fallback)
	if m == nil {
		m = &memoEntry{}
		in.memo[key] = m
	}
	m.vals = m.vals[:0]
	for _, n := range d.names {
		m.vals = append(m.vals, env[n])
	}
	m.out, m.gen = out, in.gen
	return out
}

type scopeKey struct{ group, id string }

// scope returns a cleared scope for group's instance inst (nil at the top
// level) with room for n questions, reusing the buffers of the one the last
// evaluation had for it (an evaluation's scopes are not kept past it).
func (in *Incremental) scope(group string, inst *Instance, n int) *scope {
	if in.scopes == nil {
		in.scopes = map[scopeKey]*scope{}
	}
	k := scopeKey{group: group}
	if inst != nil {
		k.id = inst.ID
	}
	s := in.scopes[k]
	if s == nil || len(s.vals) != n || s.gen == in.gen {
		s = &scope{vals: make([]any, n), invalid: make([]string, n), relevant: make([]bool, n), secRel: map[string]bool{}}
		in.scopes[k] = s
	} else {
		clear(s.vals)
		clear(s.invalid)
		clear(s.relevant)
		clear(s.secRel)
		s.stale = false
	}
	s.gen = in.gen
	return s
}

type listKey struct {
	group string
	pass  int
}

// groupList is a group's list of instances as expressions see it (a slice
// of structs, made by reflection), kept with what it was made from.
type groupList struct {
	ids  []string
	vals []any // each instance's values in turn, in the order of its scope's questions
	list any
}

// cachedList returns group g's list kept from relevance pass pass of an
// earlier evaluation when its
// instances and their values (as expressions see them) are the same as
// insts'.
func (in *Incremental) cachedList(g string, pass int, insts []*scope) (any, bool) {
	gl := in.lists[listKey{g, pass}]
	if gl == nil || len(gl.ids) != len(insts) {
		return nil, false
	}
	j := 0
	for k, s := range insts {
		if gl.ids[k] != s.inst.ID {
			return nil, false
		}
		for _, p := range s.qs {
			if j >= len(gl.vals) || !sameValue(gl.vals[j], s.value(p)) {
				return nil, false
			}
			j++
		}
	}
	return gl.list, j == len(gl.vals)
}

// keepList records list as group g's in relevance pass pass, made from
// insts' values.
func (in *Incremental) keepList(g string, pass int, insts []*scope, list any) {
	if in.lists == nil {
		in.lists = map[listKey]*groupList{}
	}
	gl := in.lists[listKey{g, pass}]
	if gl == nil {
		gl = &groupList{}
		in.lists[listKey{g, pass}] = gl
	}
	gl.ids, gl.vals, gl.list = gl.ids[:0], gl.vals[:0], list
	for _, s := range insts {
		gl.ids = append(gl.ids, s.inst.ID)
		for _, p := range s.qs {
			gl.vals = append(gl.vals, s.value(p))
		}
	}
}

// sameValues reports whether env holds vals under names.
func sameValues(vals []any, names []string, env map[string]any) bool {
	if len(vals) != len(names) {
		return false
	}
	for i, n := range names {
		if !sameValue(vals[i], env[n]) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || x != x && y != y)
	case int:
		y, ok := b.(int)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []string:
		y, ok := b.([]string)
		return ok && (x == nil) == (y == nil) && slices.Equal(x, y)
	}
	return reflect.DeepEqual(a, b) // a group's instances, as a slice of structs
}

// exprDeps is what each compiled expression reads, worked out on first
// use by an Incremental (Evaluate never needs it).
type exprDeps struct {
	once sync.Once
	of   map[*vm.Program]*exprDep
}

type exprDep struct {
	group string   // the repeat group it is evaluated in; "" at the top level
	names []string // the identifiers it reads, sorted
	pure  bool     // false when it calls something whose result varies (now)
}

func (d *exprDeps) init(c *Checklist) {
	d.once.Do(func() {
		cp := c.compiled
		d.of = map[*vm.Program]*exprDep{}
		add := func(prog *vm.Program, group string) {
			if prog != nil {
				d.of[prog] = depsOf(prog, group)
			}
		}
		for _, s := range c.Sections {
			add(cp.sectionRel[s.ID], s.Repeat)
			for _, q := range s.Questions {
				add(cp.qRel[q.ID], s.Repeat)
				add(cp.qReq[q.ID], s.Repeat)
				add(cp.qCon[q.ID], s.Repeat)
			}
		}
		for i, r := range c.Rules {
			add(cp.rules[i], r.Each)
		}
	})
}

// impure names built-ins whose result is not fixed by their arguments.
var impure = map[string]bool{"now": true}

type depVisitor struct {
	names map[string]bool
	pure  bool
}

func (v *depVisitor) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		v.names[x.Value] = true
		if impure[x.Value] {
			v.pure = false
		}
	case *ast.BuiltinNode:
		if impure[x.Name] {
			v.pure = false
		}
	}
}

func depsOf(prog *vm.Program, group string) *exprDep {
	v := &depVisitor{names: map[string]bool{}, pure: true}
	node := prog.Node()
	ast.Walk(&node, v)
	d := &exprDep{group: group, pure: v.pure}
	for n := range v.names {
		d.names = append(d.names, n)
	}
	slices.Sort(d.names)
	return d
}

// keep returns v as an expression value that may be kept between
// incremental evaluations: a list is copied, since the caller may change
// the entry's own in place; strings and numbers are values already.
func keep(v any) any {
	if l, ok := v.([]string); ok {
		return slices.Clone(l)
	}
	return v
}
