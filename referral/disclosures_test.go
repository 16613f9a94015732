package referral

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// The referral shows what the recogniser flagged in a child's words and
// what the officer answered, in the JSON and in the PDF; the confirmed
// disclosure is among the reasons for the grade.
func TestReferralShowsDisclosures(t *testing.T) {
	c := checklist(t)
	e := example(t, "complete-entry.json")
	e.Grading = nil // the example's officer graded high; the disclosure makes it immediate
	mia := e.Groups["child"][0].Answers
	mia["child_words"] = forms.Answer{Value: "He comes into my room at night and touches me. Don't tell him I said."}
	res := evaluate(t, c, e)
	if len(res.Prompts) != 1 || res.Prompts[0].Kind != "sexual" {
		t.Fatalf("prompts %+v", res.Prompts)
	}
	mia[res.Prompts[0].AnswerID] = forms.PromptAnswer(res.Prompts[0], true)
	res = evaluate(t, c, e)
	if !res.Ready {
		t.Fatalf("not ready: %+v", res.Problems)
	}
	d, err := Build(c, e, res, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Risks.Disclosures) != 1 {
		t.Fatalf("disclosures %+v", d.Risks.Disclosures)
	}
	got := d.Risks.Disclosures[0]
	if got.Person == "" || got.Answer != "yes" || got.Kind != "sexual" || got.Question != "The child's own words" ||
		len(got.Flagged) != 1 || got.Flagged[0] != "He comes into my room at night and touches me" {
		t.Errorf("disclosure %+v", got)
	}
	found := false
	for _, g := range d.Risks.ByGrade {
		for _, r := range g.Reasons {
			if r.Rule == "disclosure:sexual" && g.Grade == forms.LevelImmediate && r.Person == got.Person {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the confirmed disclosure is not an immediate reason about %s: %+v", got.Person, d.Risks.ByGrade)
	}
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(js, &back); err != nil || len(back.Risks.Disclosures) != 1 {
		t.Fatalf("JSON round trip: %v %+v", err, back.Risks.Disclosures)
	}
	text := pdfText(t, renderPDF(t, d))
	for _, want := range []string{"Disclosures read in the free text", "He comes into my room at night and touches me", "the officer answered: yes, a disclosure"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
