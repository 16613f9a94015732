package people

import (
	"slices"
	"testing"
)

// Every usual slip still shares a blocking key with the stored record.
func TestQueryFindsVariants(t *testing.T) {
	stored := Keys(&Particulars{
		Name: Name{Given: "Mohammed", Family: "Hussain"}, DOB: Exact(MakeDate(2013, 8, 2)),
		Addresses: []Address{{Line: "4 Mill Lane", Postcode: "MF4 4QT"}},
	}, DefaultNicknames)
	for _, q := range []Particulars{
		{Name: Name{Given: "Muhammad", Family: "Hussein"}, DOB: Exact(MakeDate(2013, 8, 2))},
		{Name: Name{Given: "Mo", Family: "Hussain"}, DOB: Exact(MakeDate(2013, 8, 2))},
		{Name: Name{Given: "Hussain", Family: "Mohammed"}, DOB: Exact(MakeDate(2013, 8, 2))},
		{Name: Name{Given: "Mohammed", Family: "Hussain"}, DOB: Exact(MakeDate(2013, 2, 8))},
		{Name: Name{Given: "Mohammed", Family: "Hussain"}, DOB: Exact(MakeDate(2014, 8, 2))},
		{Name: Name{Given: "Mohammed", Family: "Hussain"}, DOB: Exact(MakeDate(2031, 8, 2))},
		{Name: Name{Given: "Mohammed", Family: "Hussian"}, DOB: FromEstimatedAge(MakeDate(2025, 1, 1), 11)},
		{Name: Name{Given: "Mohamed", Family: "Husain"}, Addresses: []Address{{Line: "4 Mill Lane, Millford"}}},
		{Name: Name{Given: "Mhd", Family: "Hsn"}, DOB: Exact(MakeDate(2013, 8, 2))},
	} {
		found := false
		for _, p := range QueryProbes(&q, DefaultNicknames) {
			if _, ok := slices.BinarySearch(stored, p.Key); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("no key in common for %+v", q)
		}
	}
}

func TestKeysStable(t *testing.T) {
	p := kid()
	a, b := Keys(&p, DefaultNicknames), Keys(&p, DefaultNicknames)
	if !slices.Equal(a, b) || len(a) < 8 || !slices.IsSorted(a) {
		t.Fatalf("keys %d %v", len(a), a)
	}
	if _, ok := NameKey(&p); !ok {
		t.Fatal("no name key")
	}
	if _, ok := NameKey(&Particulars{Name: Name{Given: "Kai"}}); ok {
		t.Fatal("name key without a family name")
	}
}
