package forms_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// wordsContext is what the checklist asks beside the child's words.
var wordsContext = []any{"child_words_time", "2025-11-14T03:02:00Z", "child_words_present", "PC 4471 only", "child_words_asked", "Nothing: the child spoke first."}

func evalV1(t *testing.T, c *forms.Checklist, e *forms.Entry, lang string) *forms.Result {
	t.Helper()
	res, err := forms.Evaluate(c, e, forms.Options{Language: lang})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func actionIDs(r *forms.Result) []string {
	var ids []string
	for _, a := range r.Actions {
		ids = append(ids, a.ID)
	}
	return ids
}

// A child's words describing sexual abuse, with no box ticked: a prompt
// beside the words blocks the entry; "yes" escalates exactly as the
// disclosure tick does (immediate, its actions); "no" lets it go at the
// grade the ticks give; changed words ask again.
func TestRecogniserPromptsInEvaluate(t *testing.T) {
	c := v1Checklist(t)
	e := v1Neutral(t)
	base := evalV1(t, c, e, "")
	if !base.Ready || len(base.Prompts) != 0 || base.Computed != forms.LevelStandard {
		t.Fatalf("neutral entry: ready %v, prompts %v, grade %s", base.Ready, base.Prompts, base.Computed)
	}
	if !strings.HasPrefix(base.Recogniser, "disclosures@1.1.0 ") {
		t.Errorf("result names recogniser %q", base.Recogniser)
	}
	mia := e.Groups["child"][0].Answers
	v1Put(mia, wordsContext)
	mia["child_words"] = v("He comes into my room at night and touches me. I don't like it.")
	res := evalV1(t, c, e, "")
	if res.Ready || len(res.Prompts) != 1 {
		t.Fatalf("ready %v, prompts %+v", res.Ready, res.Prompts)
	}
	p := res.Prompts[0]
	wantKey := "child[" + v1Mia + "].child_words#sexual"
	if p.Key != wantKey || p.Kind != "sexual" || p.Question != "child_words" || p.Instance != v1Mia || p.Answer != "" {
		t.Errorf("prompt = %+v, want key %s", p, wantKey)
	}
	if p.Text != "The child's words may describe sexual abuse: is this a disclosure?" {
		t.Errorf("prompt text %q", p.Text)
	}
	if len(p.Findings) != 1 || p.Findings[0].Sentence != "He comes into my room at night and touches me" {
		t.Errorf("findings %+v", p.Findings)
	}
	var prob *forms.Problem
	for i := range res.Problems {
		if res.Problems[i].Code == forms.ProblemDisclosure {
			prob = &res.Problems[i]
		}
	}
	if prob == nil || prob.Question != "child_words" || prob.Instance != v1Mia || !strings.Contains(prob.Message, "Child 1") {
		t.Errorf("problem %+v", prob)
	}
	if res.Computed != forms.LevelStandard {
		t.Errorf("an unanswered prompt graded %s: it must never grade silently", res.Computed)
	}

	// Welsh.
	cy := evalV1(t, c, e, "cy")
	if len(cy.Prompts) != 1 || !strings.HasPrefix(cy.Prompts[0].Text, "Gall geiriau'r plentyn ddisgrifio cam-drin rhywiol") {
		t.Errorf("Welsh prompt %+v", cy.Prompts)
	}

	// "Yes": like the tick.
	mia[p.AnswerID] = forms.PromptAnswer(p, true)
	yes := evalV1(t, c, e, "")
	ticked := v1Neutral(t)
	ticked.Groups["child"][0].Answers["child_disclosed"] = v("yes")
	v1Put(ticked.Groups["child"][0].Answers, []any{"child_disclosure_type", []string{"sexual"},
		"child_words", "He comes into my room at night and touches me.", "child_words_time", "2025-11-14T03:02:00Z",
		"child_words_present", "PC 4471 only", "child_words_asked", "Nothing"})
	tick := evalV1(t, c, ticked, "")
	if !yes.Ready || !yes.Immediate || yes.Computed != forms.LevelImmediate || len(yes.Prompts) != 1 || yes.Prompts[0].Answer != "yes" {
		t.Fatalf("after yes: ready %v immediate %v grade %s prompts %+v problems %+v", yes.Ready, yes.Immediate, yes.Computed, yes.Prompts, yes.Problems)
	}
	for _, a := range actionIDs(tick) {
		if !slices.Contains(actionIDs(yes), a) {
			t.Errorf("the tick asks for %s; the confirmed disclosure does not (%v)", a, actionIDs(yes))
		}
	}
	var reason *forms.Reason
	for i := range yes.Reasons {
		if yes.Reasons[i].Rule == "disclosure:sexual" {
			reason = &yes.Reasons[i]
		}
	}
	if reason == nil || reason.Instance != v1Mia || !strings.Contains(reason.Text, "Child 1") || !strings.Contains(reason.Text, "sexual abuse") {
		t.Errorf("reason %+v in %+v", reason, yes.Reasons)
	}
	if len(tick.Prompts) != 0 {
		t.Errorf("the tick is there: no prompt wanted, got %+v", tick.Prompts)
	}

	// "No": ready, nothing raised.
	mia[p.AnswerID] = forms.PromptAnswer(p, false)
	no := evalV1(t, c, e, "")
	if !no.Ready || no.Computed != forms.LevelStandard || no.Prompts[0].Answer != "no" {
		t.Errorf("after no: ready %v grade %s prompts %+v", no.Ready, no.Computed, no.Prompts)
	}

	// The words change: the answer was about other words, so ask again.
	mia["child_words"] = v("He comes into my room at night and touches me. He touches me down there.")
	again := evalV1(t, c, e, "")
	if again.Ready || again.Prompts[0].Answer != "" {
		t.Errorf("changed words: ready %v, prompt %+v", again.Ready, again.Prompts[0])
	}

	// Words that do not disclose: no prompt, and the stale answer is no problem.
	mia["child_words"] = v("He never hit me. I hit the ball at school.")
	quiet := evalV1(t, c, e, "")
	if !quiet.Ready || len(quiet.Prompts) != 0 {
		t.Errorf("negation and everyday speech: ready %v prompts %+v problems %+v", quiet.Ready, quiet.Prompts, quiet.Problems)
	}
}

// Two boxes with the same kind for one child give two prompts but one
// reason; a hidden box is not read; a top-level box prompts for the entry.
func TestRecogniserScopes(t *testing.T) {
	c := v1Checklist(t)
	e := v1Neutral(t)
	mia := e.Groups["child"][0].Answers
	v1Put(mia, wordsContext)
	mia["child_words"] = v("Dad slapped me really hard.")
	mia["child_wishes"] = v("She said Dad hits her and she wants it to stop.")
	res := evalV1(t, c, e, "")
	if len(res.Prompts) != 2 {
		t.Fatalf("prompts %+v", res.Prompts)
	}
	for _, p := range res.Prompts {
		mia[p.AnswerID] = forms.PromptAnswer(p, true)
	}
	res = evalV1(t, c, e, "")
	n := 0
	for _, r := range res.Reasons {
		if r.Rule == "disclosure:hurt" {
			n++
		}
	}
	if n != 1 || res.Computed != forms.LevelHigh || !res.Ready {
		t.Errorf("%d hurt reasons, grade %s, ready %v: want one, high, ready", n, res.Computed, res.Ready)
	}

	// Hidden: the child was not seen, so the words are not shown or read.
	e2 := v1Neutral(t)
	leo := e2.Groups["child"][1].Answers
	leo["child_demeanour_text"] = v("He said they starve me.")
	if got := evalV1(t, c, e2, ""); len(got.Prompts) != 1 || got.Prompts[0].Instance != v1Leo {
		t.Fatalf("Leo's box: %+v", got.Prompts)
	}
	leo["child_seen"] = v("no")
	leo["child_not_seen_why"] = v("Asleep upstairs, not woken")
	for _, p := range evalV1(t, c, e2, "").Prompts {
		if p.Question == "child_demeanour_text" {
			t.Errorf("a hidden box was read: %+v", p)
		}
	}

	// Top level: the entry, not a child.
	e3 := v1Neutral(t)
	e3.Answers["home_observed"] = v("The boy said they lock the fridge so he can't have any food.")
	got := evalV1(t, c, e3, "")
	if len(got.Prompts) != 1 || got.Prompts[0].Instance != "" || got.Prompts[0].Key != "home_observed#food" {
		t.Fatalf("top-level prompt %+v", got.Prompts)
	}
	if !strings.HasPrefix(got.Prompts[0].Text, "The words in “") {
		t.Errorf("prompt text %q", got.Prompts[0].Text)
	}
}

// The answer keys never trouble a checklist without a recogniser: an entry
// keeping prompt answers is still evaluated, and they are not reported as
// unknown questions.
func TestPromptAnswersAreNotUnknownQuestions(t *testing.T) {
	c := v1Checklist(t)
	e := v1Neutral(t)
	e.Groups["child"][0].Answers[forms.PromptAnswerID("child_words", "sexual")] = forms.Answer{Value: "no", Reason: "0000"}
	e.Answers[forms.PromptAnswerID("home_observed", "food")] = forms.Answer{Value: "yes"}
	res := evalV1(t, c, e, "")
	for _, p := range res.Problems {
		if p.Code == forms.ProblemUnknownQuestion {
			t.Errorf("unexpected %+v", p)
		}
	}
	if !res.Ready || res.Computed != forms.LevelStandard {
		t.Errorf("stale answers graded: ready %v, %s", res.Ready, res.Computed)
	}
}
