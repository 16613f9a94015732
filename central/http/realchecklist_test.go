package http_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestRealChecklistExamples pushes the project's own example entries of the
// published checklist: the complete one is accepted (a training entry: TR
// receipt, trainer's queue), the incomplete one rejected with its problems.
func TestRealChecklistExamples(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	load := func(name string) *forms.Entry {
		b, err := fs.ReadFile(assets.FS, "examples/"+name)
		if err != nil {
			t.Skipf("no example %s: %v", name, err)
		}
		e, err := forms.DecodeEntry(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := srv.Service.Registry().Get(e.Checklist); !ok {
			t.Skipf("checklist %s not published", e.Checklist)
		}
		e.Officer = officer
		return e
	}
	complete, incomplete := load("complete-entry.json"), load("incomplete-entry.json")
	res := srv.Push(t, dev, centraltest.Item(complete, ""), centraltest.Item(incomplete, ""))
	if r := res.Results[0]; r.Status != api.StatusAccepted || (complete.Training && !strings.HasPrefix(r.Receipt, "TR-")) {
		t.Fatalf("complete example: %+v", r)
	}
	if r := res.Results[1]; r.Status != api.StatusRejected || !r.Permanent || len(r.Reasons) == 0 {
		t.Fatalf("incomplete example: %+v", r)
	}
	t.Logf("server grade of the complete example: %s; reasons for the incomplete one: %d", res.Results[0].Grade, len(res.Results[1].Reasons))
}
