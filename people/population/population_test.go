package population

import (
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/memindex"
	"github.com/safeguard-uk/safeguard/people/sqlite"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestMatcherMeetsTargets runs the evaluation on a small population and
// holds the matcher to the targets (a correctness test: the
// figures, not the time). The index is the in-memory one, which passes
// the same contract as the databases and gives the same decisions
// (TestBackendsAgree); SQLite under the race detector would take minutes.
func TestMatcherMeetsTargets(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records, cfg.Background = 3000, 8000
	pop := Generate(cfg)
	res, err := Evaluate(t.Context(), memindex.New(), "memory", pop, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("precision %.4f recall %.4f (%d sure, %d wrong; %d to a supervisor; %d new, %d duplicates)",
		res.Precision, res.Recall, res.Counts.SureRight+res.Counts.SureWrong, res.Counts.SureWrong,
		res.Counts.PossibleRight+res.Counts.PossibleWrong, res.Counts.NewRight+res.Counts.NewMissed, res.Counts.NewMissed)
	if res.Records < 2900 || res.True < 3000 {
		t.Fatalf("population too small: %d records, %d true pairs", res.Records, res.True)
	}
	if res.Precision < TargetPrecision {
		t.Errorf("precision %.4f < %.2f", res.Precision, TargetPrecision)
	}
	if res.Recall < TargetRecall {
		t.Errorf("recall %.4f < %.2f", res.Recall, TargetRecall)
	}
	if res.Alerts[people.AlertRepeat] == 0 || res.Alerts[people.AlertLinkedImmediate] == 0 {
		t.Errorf("no alerts raised: %v", res.Alerts)
	}
}

// TestBackendsAgree evaluates one population on SQLite and in memory:
// the decisions must be the same.
func TestBackendsAgree(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records, cfg.Background, cfg.Seed = 300, 1000, 7
	pop := Generate(cfg)
	idx, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "people.db")+"?_pragma=synchronous(OFF)")
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	onDisk, err := Evaluate(t.Context(), idx, "SQLite", pop, quiet())
	if err != nil {
		t.Fatal(err)
	}
	inMemory, err := Evaluate(t.Context(), memindex.New(), "memory", pop, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if onDisk.Counts != inMemory.Counts || onDisk.Correct != inMemory.Correct || onDisk.Predicted != inMemory.Predicted {
		t.Fatalf("SQLite %+v (%d/%d pairs), memory %+v (%d/%d pairs)", onDisk.Counts, onDisk.Correct, onDisk.Predicted,
			inMemory.Counts, inMemory.Correct, inMemory.Predicted)
	}
	if onDisk.Counts.SureRight == 0 || onDisk.Precision < TargetPrecision {
		t.Fatalf("SQLite evaluation: %+v", onDisk.Counts)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records, cfg.Background = 300, 200
	a, b := Generate(cfg), Generate(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different populations")
	}
	cfg.Seed++
	if reflect.DeepEqual(a.Encounters, Generate(cfg).Encounters) {
		t.Fatal("different seeds, same population")
	}
}

// The population has what it promises: people seen more than once,
// variants, date errors, estimated ages, moves, relationships.
func TestGenerateShape(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records, cfg.Background = 3000, 1000
	pop := Generate(cfg)
	if len(pop.Background) != 1000 || pop.Records() < 2900 {
		t.Fatalf("%d background, %d records", len(pop.Background), pop.Records())
	}
	byPerson := map[uuid.UUID][]people.Record{}
	rels := 0
	for _, e := range pop.Encounters {
		rels += len(e.Entry.Relationships)
		for _, r := range e.Entry.Records {
			byPerson[e.Truth[r.ID]] = append(byPerson[e.Truth[r.ID]], r)
		}
	}
	var repeat, nameVaries, dobVaries, estimated, moved, children int
	for _, rs := range byPerson {
		if len(rs) > 1 {
			repeat++
		}
		names, dobs, pcs := map[string]bool{}, map[people.Date]bool{}, map[string]bool{}
		for _, r := range rs {
			names[r.Name.Given+"|"+r.Name.Family] = true
			if r.DOB.Known() {
				dobs[r.DOB.Date] = true
			} else {
				estimated++
			}
			for _, a := range r.Addresses {
				pcs[people.NormalisePostcode(a.Postcode)] = true
			}
			if r.Role == people.RoleChild {
				children++
			}
		}
		if len(names) > 1 {
			nameVaries++
		}
		if len(dobs) > 1 {
			dobVaries++
		}
		if len(pcs) > 1 {
			moved++
		}
	}
	t.Logf("%d people: %d seen again, %d names varied, %d dates varied, %d estimated ages, %d addresses varied, %d relationships",
		len(byPerson), repeat, nameVaries, dobVaries, estimated, moved, rels)
	for what, n := range map[string]int{"repeat": repeat, "name variants": nameVaries, "date errors": dobVaries,
		"estimated ages": estimated, "moves": moved, "children": children, "relationships": rels} {
		if n < 20 {
			t.Errorf("only %d %s", n, what)
		}
	}
}
