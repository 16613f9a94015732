package forms

import (
	"maps"
	"slices"
)

// An Incremental's shortcut: when an entry differs from the one it last
// evaluated only in the values of inert questions, and each of those
// answers was and still is a plain valid answer, the result cannot differ
// and the last one is returned again (a copy), with nothing evaluated.
//
// A question is inert when nothing in an evaluation reads its value, only
// whether it is answered and valid: no expression names it (relevance,
// requirement, constraint or rule, in any scope; nor its group, whose
// list carries every instance's values), it has no constraint, no risk
// tool reads its section, the phrase list does not read it, it names no
// person (reasons and problems say who), and it is not a photo. A plain
// valid answer is present, not "Not known", not blank and of its kind,
// so the question raises no problem before or after. A free-text
// incident reference or a description is the usual inert answer.
//
// An entry that changes in anything else (an answer of another question,
// an answer added or removed, an instance, a relationship, an attachment,
// the grade, the checklist) is evaluated as before. FuzzIncremental holds
// the results equal to Evaluate's over random edits that take the
// shortcut and edits that do not.

// lastEntry is what an Incremental keeps of the entry it last evaluated:
// a copy of everything an evaluation reads, and the result.
type lastEntry struct {
	res       *Result
	checklist Ref
	answers   map[string]Answer
	groups    map[string][]lastInstance
	rels      []Relationship
	atts      []Attachment
	grading   *Grading
}

type lastInstance struct {
	id      string
	answers map[string]Answer
}

// pendingAnswer is an inert answer that changed, to write into the kept
// copy once the whole entry has been compared.
type pendingAnswer struct {
	m  map[string]Answer
	id string
	a  Answer
}

// inertQuestions returns the ids of c's inert questions (nil when the
// checklist has an expression whose result varies with time: then no
// result may be reused without evaluating).
func inertQuestions(c *Checklist) map[string]bool {
	cp := c.compiled
	cp.deps.init(c)
	read := map[string]bool{}
	for _, d := range cp.deps.of {
		if !d.pure {
			return nil
		}
		for _, n := range d.names {
			read[n] = true
		}
	}
	for _, t := range cp.tools {
		if t.sec != nil {
			for _, q := range t.sec.Questions {
				read[q.ID] = true
			}
		}
	}
	if br := c.recog; br != nil {
		for _, bf := range br.fields {
			read[bf.p.q.ID] = true
		}
	}
	for _, g := range c.Groups {
		read[g.NameQuestion] = true
	}
	inert := map[string]bool{}
	for _, s := range c.Sections {
		if s.Repeat != "" && read[s.Repeat] {
			continue
		}
		for _, q := range s.Questions {
			if read[q.ID] || cp.qCon[q.ID] != nil || q.Kind == KindPhoto {
				continue
			}
			inert[q.ID] = true
		}
	}
	return inert
}

// unchanged reports whether e differs from the entry last evaluated only
// in inert answers, plain and valid before and after; if so it brings the
// kept copy up to date.
func (in *Incremental) unchanged(e *Entry) bool {
	l := in.last
	if l == nil || l.res == nil || e.Checklist != l.checklist || in.recog != in.c.recog {
		return false
	}
	if !slices.Equal(e.Relationships, l.rels) || !slices.Equal(e.Attachments, l.atts) || !sameGrading(e.Grading, l.grading) {
		return false
	}
	in.pending = in.pending[:0]
	if !in.sameAnswers("", e.Answers, l.answers) || len(e.Groups) != len(l.groups) {
		return false
	}
	for g, list := range e.Groups {
		kept, ok := l.groups[g]
		if !ok || len(kept) != len(list) {
			return false
		}
		for i := range list {
			if list[i].ID != kept[i].id || !in.sameAnswers(g, list[i].Answers, kept[i].answers) {
				return false
			}
		}
	}
	for _, p := range in.pending {
		p.m[p.id] = keepAnswer(p.a)
	}
	return true
}

// sameAnswers compares one scope's answers with the kept copy, noting
// the inert ones that changed.
func (in *Incremental) sameAnswers(group string, now, kept map[string]Answer) bool {
	if len(now) != len(kept) {
		return false
	}
	for id, a := range now {
		k, ok := kept[id]
		if !ok {
			return false
		}
		if sameAnswer(a, k) {
			continue
		}
		if !in.inertChange(group, id, k, a) {
			return false
		}
		in.pending = append(in.pending, pendingAnswer{m: kept, id: id, a: a})
	}
	return true
}

// inertChange reports whether an answer to id in group changing from was
// to now leaves the result as it was.
func (in *Incremental) inertChange(group, id string, was, now Answer) bool {
	p, ok := in.c.compiled.questions[id]
	if !ok || p.group != group || !in.inert[id] || was.Lang != now.Lang {
		return false
	}
	return in.plain(p, was) && in.plain(p, now)
}

// plain reports whether a is a present, valid answer that is not "Not
// known": one that raises no problem for its question.
func (in *Incremental) plain(p *qpos, a Answer) bool {
	if a.NotKnown || a.Reason != "" || a.IsBlank() {
		return false
	}
	_, msg := in.c.compiled.typed(p, a, nil)
	return msg == ""
}

// remember keeps a copy of e and its result for the next call's shortcut.
func (in *Incremental) remember(e *Entry, res *Result) {
	if !in.inertKnown || in.recog != in.c.recog {
		in.inert, in.recog, in.inertKnown = inertQuestions(in.c), in.c.recog, true
		in.last = nil
	}
	if len(in.inert) == 0 {
		return
	}
	l := in.last
	if l == nil {
		l = &lastEntry{answers: map[string]Answer{}, groups: map[string][]lastInstance{}}
		in.last = l
	}
	l.res, l.checklist = cloneResult(res), e.Checklist
	copyAnswers(l.answers, e.Answers)
	for g := range l.groups {
		if _, ok := e.Groups[g]; !ok {
			delete(l.groups, g)
		}
	}
	for g, list := range e.Groups {
		kept := l.groups[g]
		if len(kept) > len(list) {
			kept = kept[:len(list)]
		}
		for i := range list {
			if i == len(kept) {
				kept = append(kept, lastInstance{answers: map[string]Answer{}})
			}
			kept[i].id = list[i].ID
			copyAnswers(kept[i].answers, list[i].Answers)
		}
		l.groups[g] = kept
	}
	l.rels = append(l.rels[:0], e.Relationships...)
	l.atts = append(l.atts[:0], e.Attachments...)
	l.grading = nil
	if e.Grading != nil {
		g := *e.Grading
		l.grading = &g
	}
}

func copyAnswers(dst, src map[string]Answer) {
	clear(dst)
	for id, a := range src {
		dst[id] = keepAnswer(a)
	}
}

// keepAnswer copies an answer whose list value the caller may change in
// place.
func keepAnswer(a Answer) Answer {
	switch v := a.Value.(type) {
	case []string:
		a.Value = slices.Clone(v)
	case []any:
		a.Value = slices.Clone(v)
	}
	return a
}

func sameAnswer(a, b Answer) bool {
	return a.NotKnown == b.NotKnown && a.Reason == b.Reason && a.Lang == b.Lang && sameAnswerValue(a.Value, b.Value)
}

// sameAnswerValue compares answer values as stored (not as expressions
// see them: "3" and 3 differ).
func sameAnswerValue(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameAnswerValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && maps.EqualFunc(x, y, sameAnswerValue)
	}
	return sameValue(a, b)
}

func sameGrading(a, b *Grading) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// cloneResult copies a result's lists, so a caller changing the one it
// was given cannot change the one kept.
func cloneResult(r *Result) *Result {
	c := *r
	c.Reasons = slices.Clone(r.Reasons)
	c.Actions = slices.Clone(r.Actions)
	c.Problems = slices.Clone(r.Problems)
	c.Sections = slices.Clone(r.Sections)
	c.Visible = slices.Clone(r.Visible)
	c.Prompts = slices.Clone(r.Prompts)
	return &c
}
