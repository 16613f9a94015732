package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/peopletest"
	"github.com/safeguard-uk/safeguard/people/sqlite"
)

func open(t *testing.T) people.Index {
	idx, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "people.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestContract(t *testing.T) { peopletest.Run(t, open) }

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "people.db")
	idx, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	r := peopletest.Rec("Maya", "Patel", people.MakeDate(2012, 1, 2), "MF1 1AA")
	id, err := idx.Add(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	idx.Close()
	idx, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	p, err := idx.Person(t.Context(), id)
	if err != nil || p.Name != r.Name {
		t.Fatalf("after reopen: %+v, %v", p, err)
	}
}
