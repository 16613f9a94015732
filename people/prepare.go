package people

import (
	"slices"
	"strings"
)

// pname is a name made ready for comparison.
type pname struct {
	given, family     []string // NameTokens
	givenPh, familyPh []string // Phonetic of each token
	familyAll         string   // family tokens joined without spaces
	familyAllPh       string
}

func prepName(n Name) pname {
	n = CleanName(n)
	var p pname
	p.given = NameTokens(n.Given)
	p.family = NameTokens(n.Family)
	for _, t := range p.given {
		p.givenPh = append(p.givenPh, Phonetic(t))
	}
	for _, t := range p.family {
		p.familyPh = append(p.familyPh, Phonetic(t))
	}
	p.familyAll = strings.Join(p.family, "")
	p.familyAllPh = Phonetic(p.familyAll)
	return p
}

// swapped returns the name with given and family parts exchanged.
func (p pname) swapped() pname {
	q := pname{given: p.family, family: p.given, givenPh: p.familyPh, familyPh: p.givenPh}
	q.familyAll = strings.Join(q.family, "")
	q.familyAllPh = Phonetic(q.familyAll)
	return q
}

// paddr is an address made ready for comparison.
type paddr struct {
	postcode, sector, district string
	line, premises             string
	street, town               string // AddressParts
}

func prepAddr(a Address) paddr {
	pc := NormalisePostcode(a.Postcode)
	line := NormaliseAddressLine(a.Line)
	if pc == "" {
		// The postcode is often typed at the end of the line.
		if f := strings.Fields(strings.ToUpper(a.Line)); len(f) >= 2 {
			pc = NormalisePostcode(f[len(f)-2] + f[len(f)-1])
		}
	}
	if pc != "" {
		// Drop a postcode written at the end of the line ("... mf1 2ab").
		f := strings.Fields(line)
		if n := len(f); n >= 2 && NormalisePostcode(f[n-2]+f[n-1]) == pc {
			line = strings.Join(f[:n-2], " ")
		} else if n >= 1 && NormalisePostcode(f[n-1]) == pc {
			line = strings.Join(f[:n-1], " ")
		}
	}
	street, town := AddressParts(line)
	return paddr{postcode: pc, sector: PostcodeSector(pc), district: PostcodeDistrict(pc),
		line: line, premises: Premises(line), street: street, town: town}
}

// prepared is a Particulars (a record or a profile) made ready for
// comparison: normalised once, compared many times.
type prepared struct {
	names     []pname
	dobs      []DOB
	sex       Sex
	addrs     []paddr
	phones    []string
	vehicles  []string
	accounts  []string
	relatives []prelative
	ids       []pid
	badIDs    []string // reason codes of identifiers ignored as malformed
}

type prelative struct {
	name pname
	dob  DOB
}

func prepare(p *Particulars) *prepared {
	q := &prepared{sex: p.Sex, dobs: p.DOBs()}
	q.ids, q.badIDs = prepIDs(p.Identifiers)
	if q.sex == SexOther {
		q.sex = SexUnknown
	}
	for _, n := range p.Names() {
		q.names = append(q.names, prepName(n))
	}
	for _, a := range p.Addresses {
		if pa := prepAddr(a); pa.postcode != "" || pa.line != "" {
			q.addrs = append(q.addrs, pa)
		}
	}
	for _, ph := range p.Phones {
		if n := NormalisePhone(ph); n != "" && !slices.Contains(q.phones, n) {
			q.phones = append(q.phones, n)
		}
	}
	for _, v := range p.Vehicles {
		if n := NormaliseVehicle(v); n != "" && !slices.Contains(q.vehicles, n) {
			q.vehicles = append(q.vehicles, n)
		}
	}
	for _, a := range p.Accounts {
		if n := NormaliseHandle(a.Handle); n != "" && !slices.Contains(q.accounts, n) {
			q.accounts = append(q.accounts, n)
		}
	}
	return q
}

func prepRelatives(rs []Relative) []prelative {
	out := make([]prelative, 0, len(rs))
	for _, r := range rs {
		if !r.Name.IsZero() {
			out = append(out, prelative{name: prepName(r.Name), dob: r.DOB})
		}
	}
	return out
}
