package referral

import (
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// checklist returns the embedded child-at-risk v1 checklist.
func checklist(t testing.TB) *forms.Checklist {
	t.Helper()
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatalf("load registry: %v", err)
	}
	c, ok := reg.Get(forms.Ref{ID: "child-at-risk", Version: "1.0.0"})
	if !ok {
		t.Fatal("child-at-risk 1.0.0 is not in assets")
	}
	return c
}

// example decodes an example entry from assets.
func example(t testing.TB, name string) *forms.Entry {
	t.Helper()
	data, err := assets.FS.ReadFile("examples/" + name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	e, err := forms.DecodeEntry(data)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return e
}

func evaluate(t testing.TB, c *forms.Checklist, e *forms.Entry) *forms.Result {
	t.Helper()
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return res
}

func testMeta() Meta {
	return Meta{
		Receipt:            "R-20251114-000417",
		Force:              "Oakbridge Police",
		Team:               "Oakbridge North response",
		OfficerName:        "PC Sam Okafor",
		OfficerID:          "pc-4471",
		SupervisorName:     "Sgt Zoë Ó Briain",
		SupervisorID:       "sgt-2210",
		Submitted:          time.Date(2025, 11, 14, 4, 20, 0, 0, time.UTC),
		Approved:           time.Date(2025, 11, 14, 5, 2, 0, 0, time.UTC),
		SupervisorGrade:    forms.LevelHigh,
		SupervisorComments: "Agree high. MARAC referral for Dana to follow today; ABE for Mia to be arranged by CAIT.",
		Partner:            "Oakbridge Children's Services MASH",
		History: []api.DecisionInfo{{Kind: "returned", Revision: 1, By: "sgt-2210",
			At: time.Date(2025, 11, 14, 4, 40, 0, 0, time.UTC), Reason: "Add the GP for both children."}},
	}
}

// completeDoc builds the referral of the complete example.
func completeDoc(t testing.TB) *Document {
	t.Helper()
	c := checklist(t)
	e := example(t, "complete-entry.json")
	d, err := Build(c, e, evaluate(t, c, e), testMeta())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return d
}
