package people

import (
	"cmp"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Profile folds a person's records (any order) into the person's profile:
// the name and date of birth recorded most often (the latest on a tie)
// first, every other name and date as an alias, the sex recorded most
// often, and every address, phone, vehicle and account, the latest
// first. Estimated dates of birth are kept only while no exact date is
// known.
func Profile(id uuid.UUID, recs []Record) Person {
	p := Person{ID: id, Records: len(recs)}
	if len(recs) == 0 {
		return p
	}
	// Latest first; stable on the record id for equal days.
	order := make([]*Record, len(recs))
	for i := range recs {
		order[i] = &recs[i]
	}
	slices.SortStableFunc(order, func(a, b *Record) int {
		if c := cmp.Compare(b.Seen.Days(), a.Seen.Days()); c != 0 {
			return c
		}
		return cmp.Compare(a.ID.String(), b.ID.String())
	})
	p.LastSeen = order[0].Seen

	type tally struct {
		n     int
		first int // position of first (latest) use
	}
	pick := func(counts map[string]*tally) string {
		best, bk := (*tally)(nil), ""
		for k, t := range counts {
			if best == nil || t.n > best.n || (t.n == best.n && t.first < best.first) {
				best, bk = t, k
			}
		}
		return bk
	}

	// Names.
	names := map[string]*tally{}
	spelled := map[string]Name{}
	var nameOrder []string
	pos := 0
	for _, r := range order {
		for i, n := range r.Names() {
			k := NormaliseName(n.Given) + "|" + NormaliseName(n.Family)
			if k == "|" {
				continue
			}
			t := names[k]
			if t == nil {
				t = &tally{first: pos}
				names[k] = t
				spelled[k] = n
				nameOrder = append(nameOrder, k)
			}
			if i == 0 {
				t.n++ // only the recorded name votes; aliases are kept
			}
			pos++
		}
	}
	if main := pick(names); main != "" {
		p.Name = spelled[main]
		for _, k := range nameOrder {
			if k != main {
				p.Aliases = append(p.Aliases, spelled[k])
			}
		}
	}

	// Dates of birth.
	dobs := map[string]*tally{}
	dobOf := map[string]DOB{}
	var dobOrder []string
	exact := false
	for _, r := range order {
		if r.DOB.Known() {
			exact = true
		}
	}
	pos = 0
	for _, r := range order {
		for i, d := range r.DOBs() {
			if exact && !d.Known() {
				continue
			}
			k := d.String()
			t := dobs[k]
			if t == nil {
				t = &tally{first: pos}
				dobs[k] = t
				dobOf[k] = d
				dobOrder = append(dobOrder, k)
			}
			if i == 0 {
				t.n++
			}
			pos++
		}
	}
	if main := pick(dobs); main != "" {
		p.DOB = dobOf[main]
		for _, k := range dobOrder {
			if k != main {
				p.AliasDOBs = append(p.AliasDOBs, dobOf[k])
			}
		}
	}

	// Sex.
	sexes := map[string]*tally{}
	for i, r := range order {
		if r.Sex != SexUnknown {
			if t := sexes[string(r.Sex)]; t != nil {
				t.n++
			} else {
				sexes[string(r.Sex)] = &tally{n: 1, first: i}
			}
		}
	}
	p.Sex = Sex(pick(sexes))

	// Locations and objects, latest first, without repeats.
	seenAddr := map[string]bool{}
	seenPhone, seenVeh, seenAcc := map[string]bool{}, map[string]bool{}, map[string]bool{}
	seenID := map[string]bool{}
	for _, r := range order {
		for _, a := range r.Addresses {
			k := strings.ToLower(strings.Join(strings.Fields(a.Line), " ")) + "|" +
				strings.ToUpper(strings.ReplaceAll(a.Postcode, " ", ""))
			if !seenAddr[k] {
				seenAddr[k] = true
				p.Addresses = append(p.Addresses, a)
			}
		}
		for _, ph := range r.Phones {
			k := NormalisePhone(ph)
			if k == "" {
				k = ph
			}
			if !seenPhone[k] {
				seenPhone[k] = true
				p.Phones = append(p.Phones, ph)
			}
		}
		for _, v := range r.Vehicles {
			if k := NormaliseVehicle(v); !seenVeh[k] {
				seenVeh[k] = true
				p.Vehicles = append(p.Vehicles, v)
			}
		}
		for _, a := range r.Accounts {
			if k := a.Service + "|" + NormaliseHandle(a.Handle); !seenAcc[k] {
				seenAcc[k] = true
				p.Accounts = append(p.Accounts, a)
			}
		}
		for _, id := range r.Identifiers {
			k, _ := id.Canonical()
			k = string(id.Kind) + "|" + id.System + "|" + k + "|" + id.Value
			if !seenID[k] {
				seenID[k] = true
				p.Identifiers = append(p.Identifiers, id)
			}
		}
	}
	return p
}
