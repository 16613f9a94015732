package devicestore

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/forms"
)

// Benchmarks. Compare BenchmarkAutosave with BenchmarkBareCommit (same
// pragmas, one-row table, same folder): cmd/storebench prints the ratio
// from one interleaved run. No test asserts a timing.

func BenchmarkAutosave(b *testing.B) {
	s, _, _ := newBenchStore(b)
	e := mustEntry(b, s)
	child, err := s.AddInstance(e.ID, "child")
	must(b, err)
	i := 0
	for b.Loop() {
		q := fmt.Sprintf("q%02d", i%40)
		must(b, s.SetAnswer(e.ID, "child", child, q, forms.Answer{Value: fmt.Sprintf("answer number %d", i)}))
		i++
	}
}

func BenchmarkBareCommit(b *testing.B) {
	p, err := OpenCommitProbe(filepath.Join(b.TempDir(), "probe.db"))
	must(b, err)
	defer p.Close()
	for b.Loop() {
		must(b, p.Commit())
	}
}

// BenchmarkUnlock uses the production argon2id parameters.
func BenchmarkUnlock(b *testing.B) {
	c := newClock()
	o := testOptions(c)
	o.KDF, o.InsecureKDF = DefaultKDF, false
	s, err := Open(filepath.Join(b.TempDir(), "device.db"), o)
	must(b, err)
	defer s.Close()
	must(b, s.EnrolOfficer(testOfficer, "PC", testPIN))
	for b.Loop() {
		s.Lock()
		must(b, s.Unlock(testOfficer, testPIN))
	}
}

func BenchmarkListDrafts10k(b *testing.B) {
	s, _, _ := newBenchStore(b)
	must(b, s.ImportDrafts(SyntheticDrafts(10000, testChecklist)))
	var n int
	for b.Loop() {
		list, err := s.ListEntries(Filter{States: []State{StateDraft}})
		must(b, err)
		n = len(list)
	}
	if n != 10000 {
		b.Fatalf("listed %d drafts", n)
	}
}

func newBenchStore(b *testing.B) (*Store, *fakeClock, string) {
	s, c, path := newTestStore(b)
	s.opts.IdleLock = -1
	return s, c, path
}

// SyntheticDrafts makes n realistic drafts (a dozen answers, two people,
// a link, a title) for benchmarks.
func SyntheticDrafts(n int, ref forms.Ref) []Draft {
	out := make([]Draft, n)
	for i := range out {
		child, adult := uuid.NewString(), uuid.NewString()
		e := &forms.Entry{ID: uuid.NewString(), Checklist: ref, Revision: 1, Answers: map[string]forms.Answer{
			"incident_ref": {Value: fmt.Sprintf("CAD-%06d", i)},
			"reason":       {Value: "domestic_abuse"},
			"triage_life":  {Value: "no"},
			"triage_harm":  {Value: "no"},
			"demeanour":    {Value: []string{"withdrawn", "quiet"}},
			"home_scale":   {Value: float64(2)},
			"home_notes":   {Value: "Kitchen without food; broken glass in the hall; smell of cannabis."},
		}, Groups: map[string][]forms.Instance{
			"child": {{ID: child, Answers: map[string]forms.Answer{
				"name":  {Value: fmt.Sprintf("Child %d", i)},
				"dob":   {Value: "2016-03-14"},
				"words": {Value: "mummy and him were shouting again"},
			}}},
			"adult": {{ID: adult, Answers: map[string]forms.Answer{
				"name": {Value: fmt.Sprintf("Adult %d", i)},
				"role": {Value: "parent"},
			}}},
		}, Relationships: []forms.Relationship{{From: adult, To: child, Type: "parent"}}}
		out[i] = Draft{Entry: e, Title: fmt.Sprintf("Child %d, %d Acacia Road", i, i%200)}
	}
	return out
}
