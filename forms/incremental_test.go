package forms_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// editor applies edits chosen by a byte stream to an entry: answers set,
// cleared, made "Not known" or invalid, at the top level and in group
// instances; instances added and removed; relationships and the
// officer's grade changed. Every value pool mixes valid and invalid
// answers of each kind.
type editor struct {
	c    *forms.Checklist
	e    *forms.Entry
	data []byte
	n    int // instances made, for fresh ids
}

func (ed *editor) byte() int {
	if len(ed.data) == 0 {
		return 0
	}
	b := ed.data[0]
	ed.data = ed.data[1:]
	return int(b)
}

func (ed *editor) pick(n int) int {
	if n <= 0 {
		return 0
	}
	return ed.byte() % n
}

func (ed *editor) value(q *forms.Question) forms.Answer {
	switch ed.pick(8) {
	case 0:
		return forms.Answer{}
	case 1:
		return forms.Answer{NotKnown: true, Reason: "not said"}
	case 2:
		return forms.Answer{NotKnown: true}
	}
	var pool []any
	switch q.Kind {
	case forms.KindYesNo:
		pool = []any{"yes", "no", "maybe"}
	case forms.KindSingle, forms.KindMulti:
		for _, o := range q.Options {
			pool = append(pool, o.Value)
		}
		pool = append(pool, "bogus")
		if q.Kind == forms.KindMulti && len(q.Options) > 1 {
			pool = append(pool, []string{q.Options[0].Value, q.Options[1].Value}, []string{})
		}
	case forms.KindCode:
		cl := ed.c.CodeLists[q.CodeList]
		for i, o := range cl.Codes {
			if i < 6 {
				pool = append(pool, o.Value)
			}
		}
		for from := range cl.Aliases {
			pool = append(pool, from)
			break
		}
		pool = append(pool, "ZZ")
	case forms.KindText, forms.KindLongText:
		pool = []any{"x", "Someone said so", "", "Seen at the door at 10pm"}
	case forms.KindNumber:
		pool = []any{0.0, 3.0, -1.0, 1e9, "three"}
	case forms.KindDate:
		pool = []any{"2012-03-04", "2025-11-25", "2026-11-26", "2026-13-40"}
	case forms.KindDateTime:
		pool = []any{"2026-11-25T03:00:00Z", "2026-11-20T22:00:00Z", "yesterday"}
	case forms.KindScale:
		pool = []any{float64(q.Scale.Min), float64(q.Scale.Max), float64(q.Scale.Max + 1), 1.5}
	case forms.KindPhoto:
		var list []string
		for _, a := range ed.e.Attachments {
			list = append(list, a.SHA256)
		}
		pool = []any{list, []string{"0000000000000000000000000000000000000000000000000000000000000000"}}
	}
	if len(pool) == 0 {
		return forms.Answer{}
	}
	return forms.Answer{Value: pool[ed.pick(len(pool))]}
}

// set sets or (for an empty answer) removes the answer to id.
func set(m map[string]forms.Answer, id string, a forms.Answer) {
	if a.Value == nil && !a.NotKnown {
		delete(m, id)
		return
	}
	m[id] = a
}

// step applies one edit.
func (ed *editor) step() {
	c, e := ed.c, ed.e
	switch ed.pick(10) {
	case 0, 1, 2, 3: // a top-level answer
		var qs []*forms.Question
		for si := range c.Sections {
			if c.Sections[si].Repeat == "" {
				for qi := range c.Sections[si].Questions {
					qs = append(qs, &c.Sections[si].Questions[qi])
				}
			}
		}
		if len(qs) > 0 {
			q := qs[ed.pick(len(qs))]
			set(e.Answers, q.ID, ed.value(q))
		}
	case 4, 5, 6: // an answer of a group instance
		var secs []*forms.Section
		for si := range c.Sections {
			if c.Sections[si].Repeat != "" && len(c.Sections[si].Questions) > 0 {
				secs = append(secs, &c.Sections[si])
			}
		}
		if len(secs) == 0 {
			return
		}
		s := secs[ed.pick(len(secs))]
		list := e.Groups[s.Repeat]
		if len(list) == 0 {
			ed.add(s.Repeat)
			list = e.Groups[s.Repeat]
		}
		inst := &list[ed.pick(len(list))]
		q := &s.Questions[ed.pick(len(s.Questions))]
		set(inst.Answers, q.ID, ed.value(q))
	case 7: // add or remove an instance
		if len(c.Groups) == 0 {
			return
		}
		g := c.Groups[ed.pick(len(c.Groups))].ID
		if list := e.Groups[g]; len(list) > 0 && ed.pick(2) == 0 {
			i := ed.pick(len(list))
			gone := list[i].ID
			e.Groups[g] = append(list[:i:i], list[i+1:]...)
			var keep []forms.Relationship
			for _, r := range e.Relationships {
				if r.From != gone && r.To != gone {
					keep = append(keep, r)
				}
			}
			e.Relationships = keep
			return
		}
		ed.add(g)
	case 8: // link two people
		var ids []string
		for _, list := range e.Groups {
			for _, inst := range list {
				ids = append(ids, inst.ID)
			}
		}
		if len(ids) < 2 {
			return
		}
		types := []string{"parent", "carer", "sibling", "bogus"}
		if rel := c.Relationships; rel != nil {
			for _, o := range c.CodeLists[rel.CodeList].Codes {
				types = append(types, o.Value)
			}
		}
		from, to := ids[ed.pick(len(ids))], ids[ed.pick(len(ids))]
		if from != to {
			e.Relationships = append(e.Relationships, forms.Relationship{From: from, To: to, Type: types[ed.pick(len(types))]})
		}
	case 9: // the officer's grade
		switch ed.pick(3) {
		case 0:
			e.Grading = nil
		case 1:
			e.Grading = &forms.Grading{Level: forms.Level(ed.pick(5))}
		default:
			e.Grading = &forms.Grading{Level: forms.Level(ed.pick(5)), Reason: "seen before"}
		}
	}
}

func (ed *editor) add(g string) {
	ed.n++
	if ed.e.Groups == nil {
		ed.e.Groups = map[string][]forms.Instance{}
	}
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", ed.n, ed.n)
	ed.e.Groups[g] = append(ed.e.Groups[g], forms.Instance{ID: id, Answers: map[string]forms.Answer{}})
}

// agree runs the edits of data over e, checking after each that the
// incremental evaluation equals the full one. It returns the expression
// runs reused and the evaluations answered by the shortcut (nothing
// changed but inert answers).
func agree(t *testing.T, c *forms.Checklist, e *forms.Entry, data []byte) (reused, shortcuts int) {
	t.Helper()
	inc := forms.NewIncremental(c, forms.Options{})
	ed := &editor{c: c, e: e, data: data}
	for step := 0; ; step++ {
		got, err := inc.Evaluate(e)
		if err != nil {
			t.Fatalf("step %d: incremental: %v", step, err)
		}
		reused += inc.Reused
		if inc.Unchanged {
			shortcuts++
		}
		want, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatalf("step %d: full: %v", step, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: incremental and full evaluation differ: %s", step, firstDiff(got, want))
		}
		if len(ed.data) == 0 {
			return reused, shortcuts
		}
		ed.step()
	}
}

func childAtRisk(tb testing.TB) (*forms.Checklist, *forms.Entry) {
	tb.Helper()
	c, data := fullEntry(tb, 6, 4)
	e, err := forms.DecodeEntry(data)
	if err != nil {
		tb.Fatal(err)
	}
	return c, e
}

// TestIncrementalAgreesWithFull walks random edits over the real
// checklist's full entry and the mini checklist's: after every edit the
// incremental result must equal Evaluate's, and results must be reused
// (else the memo does nothing), and some edits must take the shortcut
// (else it goes untested here).
func TestIncrementalAgreesWithFull(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 17))
	edits := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	}
	c, e := childAtRisk(t)
	n, short := agree(t, c, e, edits(2000))
	if n == 0 {
		t.Error("no expression result was reused on the child-at-risk checklist")
	}
	if short == 0 {
		t.Error("no edit took the shortcut on the child-at-risk checklist")
	}
	t.Logf("child-at-risk: %d expression results reused, %d evaluations answered by the shortcut", n, short)
	mini := loadMini(t)
	if n, _ := agree(t, mini, readyMini(), edits(2000)); n == 0 {
		t.Error("no expression result was reused on the mini checklist")
	}
}

// TestIncrementalReusesUnchanged: evaluating the same entry twice
// evaluates nothing the second time (the shortcut); an answer no
// expression reads, made "Not known", reruns no expression but reuses
// them all; changing one child's answer reruns only a part.
func TestIncrementalReusesUnchanged(t *testing.T) {
	c, e := childAtRisk(t)
	inc := forms.NewIncremental(c, forms.Options{})
	if _, err := inc.Evaluate(e); err != nil {
		t.Fatal(err)
	}
	all := inc.Ran + inc.Reused
	if _, err := inc.Evaluate(e); err != nil {
		t.Fatal(err)
	}
	if !inc.Unchanged || inc.Ran != 0 || inc.Reused != 0 {
		t.Fatalf("unchanged entry: shortcut %v, ran %d, reused %d (first time %d runs)", inc.Unchanged, inc.Ran, inc.Reused, all)
	}
	e.Answers["incident_ref"] = forms.Answer{NotKnown: true, Reason: "control room down"}
	if _, err := inc.Evaluate(e); err != nil {
		t.Fatal(err)
	}
	if inc.Unchanged || inc.Ran != 0 || inc.Reused != all {
		t.Fatalf("unread answer made not known: shortcut %v, ran %d, reused %d (first time %d runs)", inc.Unchanged, inc.Ran, inc.Reused, all)
	}
	ch := e.Groups["child"][3]
	for id, a := range ch.Answers {
		if s, ok := a.Value.(string); ok && (s == "yes" || s == "no") {
			a.Value = map[string]string{"yes": "no", "no": "yes"}[s]
			ch.Answers[id] = a
			break
		}
	}
	if _, err := inc.Evaluate(e); err != nil {
		t.Fatal(err)
	}
	if inc.Unchanged || inc.Ran == 0 || inc.Ran >= all {
		t.Fatalf("one answer changed: shortcut %v, ran %d of %d", inc.Unchanged, inc.Ran, all)
	}
}

// TestIncrementalShortcut: a new incident reference (read by no
// expression, tool or phrase list) is answered from the last result, equal
// to Evaluate's; a change that can alter the result never is: a yes/no
// the rules read, the reference cleared or made "Not known", the phrase
// list's free text, a person's name, a relationship, the grade.
func TestIncrementalShortcut(t *testing.T) {
	c, e := childAtRisk(t)
	inc := forms.NewIncremental(c, forms.Options{})
	check := func(what string, shortcut bool) {
		t.Helper()
		got, err := inc.Evaluate(e)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Unchanged != shortcut {
			t.Errorf("%s: shortcut %v, want %v", what, inc.Unchanged, shortcut)
		}
		want, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: incremental and full evaluation differ: %s", what, firstDiff(got, want))
		}
	}
	check("first", false)
	for i := range 3 {
		e.Answers["incident_ref"] = forms.Answer{Value: fmt.Sprintf("INC-%d", i)}
		check("new reference", true)
	}
	delete(e.Answers, "incident_ref")
	check("reference cleared", false)
	e.Answers["incident_ref"] = forms.Answer{Value: "INC-9"}
	check("reference given again", false)
	e.Answers["incident_ref"] = forms.Answer{Value: "INC-10"}
	check("and changed", true)
	e.Answers["incident_ref"] = forms.Answer{NotKnown: true, Reason: "no signal"}
	check("reference not known", false)
	e.Answers["incident_ref"] = forms.Answer{Value: "INC-11"}
	check("reference known", false)
	ch := e.Groups["child"][0].Answers
	for id, a := range ch {
		if s, ok := a.Value.(string); ok && (s == "yes" || s == "no") {
			a.Value = map[string]string{"yes": "no", "no": "yes"}[s]
			ch[id] = a
			check("a child's "+id, false)
			break
		}
	}
	name := c.Groups[0].NameQuestion
	ch[name] = forms.Answer{Value: "Someone Else"}
	check("a child's name", false)
	if _, _, ok := c.Question("child_words"); !ok {
		t.Fatal("no child_words question: the phrase list reads it")
	}
	ch["child_words"] = forms.Answer{Value: "He hit me, she said."}
	check("the child's words (phrase list)", false)
	ch["child_words"] = forms.Answer{Value: "He hit me again, she said."}
	check("the child's words changed", false)
	ch["child_words"] = forms.Answer{Value: "We had tea."}
	check("the child's words changed again", false)
	e.Relationships = e.Relationships[1:]
	check("a relationship gone", false)
	e.Grading = &forms.Grading{Level: forms.LevelImmediate}
	check("graded", false)
	e.Answers["incident_ref"] = forms.Answer{Value: "INC-12"}
	check("reference after all that", true)
}

// FuzzIncremental: for any sequence of edits, incremental and full
// evaluation agree.
func FuzzIncremental(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte("incremental evaluation must equal the full one"))
	f.Add([]byte{7, 0, 7, 1, 4, 0, 0, 3, 4, 1, 2, 5, 8, 0, 1, 9, 2, 3})
	c, full := fullEntry(f, 6, 4)
	mini := loadMini(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			data = data[:400]
		}
		e, err := forms.DecodeEntry(full)
		if err != nil {
			t.Fatal(err)
		}
		agree(t, c, e, data)
		agree(t, mini, readyMini(), data)
	})
}

// firstDiff names the first field where two results differ, with both
// values.
func firstDiff(a, b *forms.Result) string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return fmt.Sprintf("%s\nincremental: %+v\nfull:        %+v", va.Type().Field(i).Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	return "(no field differs)"
}

// BenchmarkIncremental measures re-evaluating the full entry after one
// child's answer changes, incrementally, against Evaluate of the same
// entry (the baseline).
func BenchmarkIncremental(b *testing.B) {
	c, e := childAtRisk(b)
	ch := e.Groups["child"][3].Answers
	flip := func(i int) {
		a := ch["child_seen"]
		a.Value = []string{"yes", "no"}[i%2]
		ch["child_seen"] = a
	}
	b.Run("baseline", func(b *testing.B) {
		i := 0
		for b.Loop() {
			flip(i)
			i++
			if _, err := forms.Evaluate(c, e, forms.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("incremental", func(b *testing.B) {
		inc := forms.NewIncremental(c, forms.Options{})
		i := 0
		for b.Loop() {
			flip(i)
			i++
			if _, err := inc.Evaluate(e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
