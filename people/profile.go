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
	order := latestFirst(recs)
	p.LastSeen = order[0].Seen
	p.Name, p.Aliases = profileNames(order)
	p.DOB, p.AliasDOBs = profileDOBs(order)
	p.Sex = profileSex(order)
	p.foldLocations(order)
	return p
}

// latestFirst returns pointers to recs, latest first; stable on the
// record id for equal days.
func latestFirst(recs []Record) []*Record {
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
	return order
}

// tally counts the votes for one value of a profile's field.
type tally struct {
	n     int
	first int // position of first (latest) use
}

// pick returns the value with the most votes, the latest used on a tie
// ("" when there are none).
func pick(counts map[string]*tally) string {
	best, bk := (*tally)(nil), ""
	for k, t := range counts {
		if best == nil || t.n > best.n || (t.n == best.n && t.first < best.first) {
			best, bk = t, k
		}
	}
	return bk
}

// profileNames returns the name recorded most often and every other name
// the records give, latest first, as aliases.
func profileNames(order []*Record) (Name, []Name) {
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
	var name Name
	var aliases []Name
	if main := pick(names); main != "" {
		name = spelled[main]
		for _, k := range nameOrder {
			if k != main {
				aliases = append(aliases, spelled[k])
			}
		}
	}
	return name, aliases
}

// profileDOBs returns the date of birth recorded most often and every
// other date, latest first, as aliases; estimated dates are dropped when
// any record has an exact one.
func profileDOBs(order []*Record) (DOB, []DOB) {
	dobs := map[string]*tally{}
	dobOf := map[string]DOB{}
	var dobOrder []string
	exact := false
	for _, r := range order {
		if r.DOB.Known() {
			exact = true
		}
	}
	pos := 0
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
	var dob DOB
	var aliases []DOB
	if main := pick(dobs); main != "" {
		dob = dobOf[main]
		for _, k := range dobOrder {
			if k != main {
				aliases = append(aliases, dobOf[k])
			}
		}
	}
	return dob, aliases
}

// profileSex returns the sex recorded most often (the latest on a tie).
func profileSex(order []*Record) Sex {
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
	return Sex(pick(sexes))
}

// foldLocations adds the records' locations and objects to p, latest
// first, without repeats.
func (p *Person) foldLocations(order []*Record) {
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
}
