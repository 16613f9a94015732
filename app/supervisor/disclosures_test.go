package supervisor_test

import (
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/forms"
)

// The supervisor sees what the recogniser flagged in the child's words and
// what the officer answered, and the grade the answer raised.
func TestSupervisorSeesDisclosurePrompts(t *testing.T) {
	h := newHarness(t, false)
	h.signIn("sergeant1")
	id := h.dev.Check(h.c, "INC-2026-0777", "Amy Example", false)
	h.dev.Set(id, "child", 0, "child_seen", "yes")
	h.dev.Set(id, "child", 0, "child_words", "He said Dad's friend raped him at the party. He hits me too.")
	var res *forms.Result
	for pass := 0; pass < 4; pass++ { // answer what seeing the child made required
		e, err := h.dev.Store.Entry(id)
		if err != nil {
			t.Fatal(err)
		}
		if res, err = forms.Evaluate(h.c, e, forms.Options{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			if p.Code != forms.ProblemRequired {
				continue
			}
			q, _, _ := h.c.Question(p.Question)
			var v any = "no"
			switch q.Kind {
			case forms.KindMulti:
				v = []string{q.Options[0].Value}
			case forms.KindDateTime:
				v = "2026-11-25T22:30:00Z"
			case forms.KindText, forms.KindLongText:
				v = "PC 4471 only"
			}
			h.dev.Set(id, "child", 0, p.Question, v)
		}
	}
	var sexual *forms.Prompt
	for i, p := range res.Prompts {
		a := forms.PromptAnswer(p, p.Kind == "sexual")
		if p.Kind == "sexual" {
			sexual = &res.Prompts[i]
		}
		if err := h.dev.Store.SetAnswer(id, p.Group, p.Instance, p.AnswerID, a); err != nil {
			t.Fatal(err)
		}
	}
	if sexual == nil {
		t.Fatalf("no sexual-abuse prompt: %+v", res.Prompts)
	}
	sent := h.dev.Submit(h.c, id)
	if !sent.Immediate {
		t.Fatalf("a confirmed sexual disclosure is immediate: %+v", sent.Reasons)
	}
	h.dev.Sync()
	u := h.u
	u.OpenEntry(id)
	h.wait("the check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	s := u.Entry
	if s.Disclosures == nil {
		t.Fatal("no disclosures on the entry screen")
	}
	text := s.Disclosures.Text
	t.Logf("supervisor sees:\n%s", text)
	for _, want := range []string{"Amy Example", "The child's own words", "sexual abuse", "raped him", "the officer answered: yes, a disclosure"} {
		if !strings.Contains(text, want) {
			t.Errorf("disclosures %q lack %q", text, want)
		}
	}
	if len(res.Prompts) > 1 && !strings.Contains(text, "the officer answered: no, not a disclosure") {
		t.Errorf("the officer's no is not shown: %q", text)
	}
	if !strings.Contains(s.Reasons.Text, "discloses sexual abuse") {
		t.Errorf("reasons %q", s.Reasons.Text)
	}
}

func TestPromptAnswerPathLabel(t *testing.T) {
	h := newHarness(t, false)
	got := supervisor.PathLabel(h.c, &forms.Entry{}, nil, "disclosure:child_words:sexual", "en")
	if !strings.HasSuffix(got, "The child's own words: is it a disclosure of sexual abuse?") {
		t.Errorf("label %q", got)
	}
}
