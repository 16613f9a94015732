package sqlite_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

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

// TestContractSealed: the whole contract holds with particulars sealed and
// keys blinded.
func TestContractSealed(t *testing.T) {
	s := peopletest.NewSealer()
	peopletest.Run(t, func(t *testing.T) people.Index {
		idx, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "people.db"), sqlite.WithSealer(s))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		return idx
	})
}

// TestSealedNameNotInFile: a planted name, date, street and NHS number
// are nowhere in the database files (main and WAL), yet the record is
// found and read back; opened without the sealer it cannot be read.
func TestSealedNameNotInFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "people.db")
	s := peopletest.NewSealer()
	idx, err := sqlite.Open(t.Context(), path, sqlite.WithSealer(s))
	if err != nil {
		t.Fatal(err)
	}
	r := peopletest.Rec("Zebedee", "Quixotefarnsworth", people.MakeDate(2013, 7, 19), "MF1 1AA")
	r.Addresses[0].Line = "47 Wolverstone Crescent"
	r.Identifiers = []people.Identifier{{Kind: people.IDNHS, Value: "9434765919"}}
	id, err := idx.Add(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	bulk := peopletest.Rec("Philomena", "Quixotefarnsworth", people.MakeDate(2011, 2, 3), "MF1 1AA")
	if _, err := idx.BulkLoad(t.Context(), func(yield func(people.BulkItem) bool) {
		yield(people.BulkItem{Person: uuid.New(), Record: bulk})
	}, nil); err != nil {
		t.Fatal(err)
	}
	m := people.NewMatcher(idx)
	d, err := m.Match(t.Context(), peopletest.Rec("Zebedee", "Quixotefarnsworth", people.MakeDate(2013, 7, 19), "MF1 1AA"))
	if err != nil || d.Kind != people.Sure || d.Match != id {
		t.Fatalf("sealed record not found: %+v %v", d, err)
	}
	idx.Close()
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		low := bytes.ToLower(b)
		for _, planted := range []string{"zebedee", "quixote", "philomena", "wolverstone", "2013-07-19", "9434765919"} {
			if bytes.Contains(low, []byte(planted)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(f), planted)
			}
		}
	}
	// Without the sealer (or with another key), a sealed record is an
	// error, never an empty person.
	plain, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.Person(t.Context(), id); err == nil {
		t.Fatal("sealed record read without the sealer")
	}
	other, err := sqlite.Open(t.Context(), path, sqlite.WithSealer(peopletest.NewSealer()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Person(t.Context(), id); err == nil {
		t.Fatal("sealed record read under another key")
	}
}
