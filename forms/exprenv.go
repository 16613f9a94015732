package forms

import (
	"errors"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/vm"
)

// exprEnv is an expression environment with its type description worked
// out once. expr.Env(env) describes the whole environment again for every
// expression compiled against it (every question of the checklist, for
// each of a few hundred expressions): that was a third of Parse's time.
type exprEnv struct {
	obj    any
	nat    nature.Nature
	strict bool
}

func newExprEnv(env map[string]any) *exprEnv {
	var c conf.Config
	c.WithEnv(env)
	return &exprEnv{obj: env, nat: c.Env, strict: c.Strict}
}

// option sets the environment as expr.Env(env) would.
func (x *exprEnv) option() expr.Option {
	return func(c *conf.Config) {
		c.EnvObject, c.Env, c.Strict = x.obj, x.nat, x.strict
	}
}

// compileBool compiles src as expr.Compile(src, expr.Env(env),
// expr.AsBool(), exprFuncs...) does, step for step, but from a base
// configuration made once: expr.Compile builds a fresh configuration,
// with a table of every built-in, for each expression (a tenth of Parse).
// The base is copied, never changed, so each compile sees a fresh one.
func (ec *envCache) compileBool(src string, env map[string]any) (*vm.Program, error) {
	if ec.base == nil {
		ec.base = conf.CreateNew()
		for _, op := range append([]expr.Option{expr.AsBool()}, exprFuncs...) {
			op(ec.base)
		}
		for name := range ec.base.Disabled {
			delete(ec.base.Builtins, name)
		}
	}
	cfg := *ec.base
	cfg.ConstFns = make(map[string]reflect.Value, len(ec.base.ConstFns))
	for k, v := range ec.base.ConstFns {
		cfg.ConstFns[k] = v
	}
	ec.option(env)(&cfg)
	cfg.Check()
	tree, err := checker.ParseCheck(src, &cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Optimize {
		if err := optimizer.Optimize(&tree.Node, &cfg); err != nil {
			var fileError *file.Error
			if errors.As(err, &fileError) {
				return nil, fileError.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return compiler.Compile(tree, &cfg)
}

// envCache hands out one exprEnv per environment map, and one
// constraint environment (the scope's plus "value") per scope and kind.
type envCache struct {
	base  *conf.Config
	byMap map[uintptr]*exprEnv
	con   map[conKey]map[string]any
}

type conKey struct {
	env  uintptr
	kind Kind
}

func mapID(env map[string]any) uintptr { return uintptr(reflect.ValueOf(env).UnsafePointer()) }

func (ec *envCache) option(env map[string]any) expr.Option {
	if ec.byMap == nil {
		ec.byMap = map[uintptr]*exprEnv{}
	}
	id := mapID(env)
	x, ok := ec.byMap[id]
	if !ok {
		x = newExprEnv(env)
		ec.byMap[id] = x
	}
	return x.option()
}

// constraintEnv returns env with "value" of kind k's type added (a copy,
// shared by every constraint of that kind in the scope).
func (ec *envCache) constraintEnv(env map[string]any, k Kind) map[string]any {
	if ec.con == nil {
		ec.con = map[conKey]map[string]any{}
	}
	key := conKey{mapID(env), k}
	if c, ok := ec.con[key]; ok {
		return c
	}
	cenv := make(map[string]any, len(env)+1)
	for name, v := range env {
		cenv[name] = v
	}
	cenv["value"] = zeroOf(k)
	ec.con[key] = cenv
	return cenv
}

// know records question id as one of group's ("" for the top level).
func (cp *compiled) know(group, id string) {
	if cp.known == nil {
		cp.known = map[string]map[string]bool{}
	}
	if cp.known[group] == nil {
		cp.known[group] = map[string]bool{}
	}
	cp.known[group][id] = true
}

// visibleCap returns an empty list with room for every question of the
// entry, so Result.Visible grows without copying.
func (ev *evaluation) visibleCap() []Item {
	n := len(ev.cp.top)
	for g, qs := range ev.cp.groupQs {
		n += len(qs) * len(ev.e.Groups[g])
	}
	return make([]Item, 0, n)
}
