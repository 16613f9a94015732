package forms

import (
	"fmt"
	"strings"
)

// who names a group instance in reasons and problems: "Amira (Child 2)"
// once the name question is answered, "Child 2" before.
func (ev *evaluation) who(s *scope) string {
	base := ev.label(s.group, s.index)
	g, ok := ev.c.Group(s.group)
	if !ok || g.NameQuestion == "" {
		return base
	}
	if n, _ := s.answers[g.NameQuestion].Value.(string); strings.TrimSpace(n) != "" {
		return fmt.Sprintf("%s (%s)", strings.Join(strings.Fields(n), " "), base)
	}
	return base
}

// mergeFacts keeps one reason per fact (Rule.Fact), chosen by design, not
// by comparing texts: for each fact, the most serious reason about each
// named person; a reason about no one in particular is dropped when a
// reason about a person says the same fact at least as seriously. Reasons
// come sorted most serious first, and stay in that order.
func (ev *evaluation) mergeFacts(reasons []Reason) []Reason {
	fact := ev.cp.ruleFact
	if len(fact) == 0 {
		return reasons
	}
	type key struct{ fact, inst string }
	best := map[key]int{}             // index of the kept reason
	personLevel := map[string]Level{} // fact -> most serious level about a person
	for i, r := range reasons {
		f := fact[r.Rule]
		if f == "" {
			continue
		}
		k := key{f, r.Instance}
		if j, ok := best[k]; !ok || reasons[j].Level < r.Level {
			best[k] = i
		}
		if r.Instance != "" && r.Level > personLevel[f] {
			personLevel[f] = r.Level
		}
	}
	out := reasons[:0:0]
	for i, r := range reasons {
		f := fact[r.Rule]
		if f == "" {
			out = append(out, r)
			continue
		}
		if best[key{f, r.Instance}] != i {
			continue
		}
		if r.Instance == "" && personLevel[f] >= r.Level {
			continue
		}
		out = append(out, r)
	}
	return out
}
