package referral

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestNeglectReferral: a 2.0.0 neglect entry's referral carries the
// neglect screen as a concern, the conditions where the child was found,
// the concerns not ticked as "no concern", and the engine's reason texts
// unchanged (the review screen and the supervisor show the same).
func TestNeglectReferral(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := reg.Get(forms.Ref{ID: "child-at-risk", Version: "2.0.0"})
	if !ok {
		t.Fatal("no child-at-risk 2.0.0")
	}
	e := example(t, "neglect-entry-v2.json")
	res := evaluate(t, c, e)
	if !res.Ready {
		t.Fatalf("example not ready: %+v", res.Problems)
	}
	d, err := Build(c, e, res, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Risks.Concerns, func(s Section) bool { return s.ID == "screen_neglect" })
	if i < 0 {
		t.Fatalf("no neglect concern in %+v", d.Risks.Concerns)
	}
	neg := d.Risks.Concerns[i]
	if j := slices.IndexFunc(neg.Fields, func(f Field) bool { return f.Question == "neg_physical" }); j < 0 || !strings.Contains(neg.Fields[j].Value, "Dental") {
		t.Errorf("neglect screen fields %+v lack the dental decay", neg.Fields)
	}
	if !strings.HasPrefix(d.Home.Title, "Where the child was found") {
		t.Errorf("home section titled %q", d.Home.Title)
	}
	if !slices.Contains(d.Risks.NoConcern, "Physical abuse") || slices.ContainsFunc(d.Risks.NoConcern, func(s string) bool { return strings.HasPrefix(s, "Neglect") }) {
		t.Errorf("no concern %v: want the unticked concerns, not neglect", d.Risks.NoConcern)
	}
	var texts []string
	for _, g := range d.Risks.ByGrade {
		for _, r := range g.Reasons {
			texts = append(texts, r.Text)
		}
	}
	for _, r := range res.Reasons {
		if !slices.Contains(texts, r.Text) {
			t.Errorf("the referral does not show the reason %q as the engine wrote it; it has %q", r.Text, texts)
		}
	}
	var pdf bytes.Buffer
	if err := d.PDF(&pdf); err != nil || pdf.Len() == 0 {
		t.Fatalf("PDF: %v (%d bytes)", err, pdf.Len())
	}
}
