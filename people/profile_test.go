package people

import (
	"testing"

	"github.com/google/uuid"
)

func TestProfile(t *testing.T) {
	id := uuid.New()
	rec := func(day int, given, family string, dob DOB, sex Sex, pc string, phones ...string) Record {
		return Record{ID: uuid.New(), Seen: MakeDate(2025, 1, 1).AddDays(day), Particulars: Particulars{
			Name: Name{given, family}, DOB: dob, Sex: sex, Phones: phones,
			Addresses: []Address{{Line: "1 High St", Postcode: pc}}}}
	}
	d1, d2 := Exact(MakeDate(2012, 4, 3)), Exact(MakeDate(2012, 3, 4))
	recs := []Record{
		rec(0, "Katherine", "Smith", d1, SexFemale, "MF1 1AA", "07700 900123"),
		rec(10, "Kate", "Smith", d2, SexUnknown, "MF2 2BB", "+44 7700 900123"),
		rec(20, "KATHERINE", "SMITH", FromEstimatedAge(MakeDate(2025, 1, 21), 12), SexFemale, "mf2 2bb"),
	}
	p := Profile(id, recs)
	if p.ID != id || p.Records != 3 || p.LastSeen != MakeDate(2025, 1, 21) {
		t.Fatalf("profile %+v", p)
	}
	// Katherine Smith twice (once in capitals), the latest spelling kept.
	if p.Name.Given != "KATHERINE" || len(p.Aliases) != 1 || p.Aliases[0].Given != "Kate" {
		t.Fatalf("names %+v %+v", p.Name, p.Aliases)
	}
	// Exact dates win over an estimate; the first recorded on a tie.
	if len(p.DOBs()) != 2 || p.Sex != SexFemale {
		t.Fatalf("dates %+v sex %q", p.DOBs(), p.Sex)
	}
	if len(p.Addresses) != 2 || p.Addresses[0].Postcode != "mf2 2bb" {
		t.Fatalf("addresses %+v", p.Addresses)
	}
	if len(p.Phones) != 1 {
		t.Fatalf("phones %+v", p.Phones)
	}
	if q := Profile(id, nil); q.Records != 0 || !q.Name.IsZero() {
		t.Fatalf("empty profile %+v", q)
	}
}
