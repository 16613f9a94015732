package people

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Key is a blocking key: a 64-bit hash of a short description of some
// particulars ("family name sound + birth year"). Two records of one
// person nearly always share at least one key, and a key is shared by few
// people, so candidates are found by index lookups among millions.
type Key uint64

// Blocking key kinds (the first part of the hashed text).
const (
	keyFamilyYear   = "FY" // family name sound, birth year
	keyGivenDate    = "GD" // given name sound, date of birth
	keyFamilyDate   = "FD" // family name sound, date of birth
	keyGivenFamily  = "GF" // given name sound, family name sound
	keyPostcodeYear = "PY" // postcode, birth year
	keyGivenPost    = "GP" // given name sound, postcode
	keyPhone        = "PH" // phone number
	keyAccount      = "AC" // online handle
	keyGivenYear    = "GY" // given name sound, birth year (a family name mistyped)
	keyFamilyDay    = "FM" // family name sound, day and month of birth (the year mistyped)
	keyDateInitials = "DI" // date of birth, initials (both names varied)
	keyGivenHome    = "GA" // given name sound, house number and street (no postcode)
	keyIdentifier   = "ID" // a valid identifier (NHS number, PNC ID, UPN, local ref)
	keyFamilyPost   = "FP" // family name sound, postcode (no given name or date needed)
	keyFamilyHome   = "FA" // family name sound, house number, street and town (no postcode)
	keyFamilyOnly   = "FO" // family name sound alone: filed only for records without a given name
	keyDwelling     = "DW" // postcode and house numbers, or house numbers and street: no name needed
)

// maxEstimateYears bounds the birth years an estimated date of birth is
// filed under (an adult's estimate spans about 13).
const maxEstimateYears = 15

func makeKey(parts ...string) Key {
	h := fnv.New64a()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return Key(h.Sum64())
}

// Probe is a key searched for and what a hit on it counts for when
// candidates are ranked: keys few people share (a phone, a full date of
// birth with a name) count for more than broad ones (a birth year with a
// name).
type Probe struct {
	Key    Key
	Weight int
}

// keyWeight is the ranking weight of each kind of key.
var keyWeight = map[string]int{
	keyPhone: 8, keyAccount: 8, keyGivenDate: 6, keyFamilyDate: 6, keyDateInitials: 5,
	keyGivenHome: 4, keyGivenPost: 4, keyGivenFamily: 3, keyFamilyDay: 3,
	keyFamilyYear: 2, keyGivenYear: 2, keyPostcodeYear: 2,
	keyIdentifier: 9, keyFamilyPost: 3, keyFamilyHome: 3, keyFamilyOnly: 1, keyDwelling: 2,
}

// keyset maps keys to their ranking weight. slip marks keys made from a
// guessed slip (swapped names, a year out by one), which count one less.
type keyset struct {
	m    map[Key]int
	slip bool
}

func (k *keyset) add(kind string, parts ...string) {
	w := keyWeight[kind]
	if k.slip {
		w = max(1, w-1)
	}
	key := makeKey(append([]string{kind}, parts...)...)
	if w > k.m[key] {
		k.m[key] = w
	}
}

func (k *keyset) keys() []Key {
	out := make([]Key, 0, len(k.m))
	for x := range k.m {
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

func (k *keyset) probes() []Probe {
	out := make([]Probe, 0, len(k.m))
	for x, w := range k.m {
		out = append(out, Probe{x, w})
	}
	slices.SortFunc(out, func(a, b Probe) int {
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	return out
}

// nameSounds returns the sound keys of a name's first given word (with
// the full names it is a nickname of) and of its family words (each, and
// all joined when there are several).
func nameSounds(n pname, nick *Nicknames) (given, family []string) {
	if len(n.given) > 0 {
		forms := []string{n.given[0]}
		if nick != nil {
			forms = nick.Forms(n.given[0])
		}
		for _, f := range forms {
			if ph := Phonetic(f); ph != "" && !slices.Contains(given, ph) {
				given = append(given, ph)
			}
		}
	}
	for _, ph := range n.familyPh {
		if len(ph) >= 1 && !slices.Contains(family, ph) {
			family = append(family, ph)
		}
	}
	if len(n.family) > 1 && n.familyAllPh != "" && !slices.Contains(family, n.familyAllPh) {
		family = append(family, n.familyAllPh)
	}
	return given, family
}

// Keys returns the blocking keys a record is filed under.
func Keys(p *Particulars, nick *Nicknames) []Key {
	ks := keyset{m: map[Key]int{}}
	addKeys(&ks, p, nick, false)
	return ks.keys()
}

// QueryProbes returns the keys to search for candidates for a record: its
// own keys and, counting a little less, those of its likeliest slips
// (given and family names swapped, day and month swapped, the birth year
// out by one).
func QueryProbes(p *Particulars, nick *Nicknames) []Probe {
	ks := keyset{m: map[Key]int{}}
	addKeys(&ks, p, nick, true)
	return ks.probes()
}

func addKeys(ks *keyset, p *Particulars, nick *Nicknames, query bool) {
	type nameSlip struct {
		n    pname
		slip bool
	}
	var names []nameSlip
	for _, n := range p.Names() {
		pn := prepName(n)
		names = append(names, nameSlip{pn, false})
		if query {
			names = append(names, nameSlip{pn.swapped(), true})
		}
	}
	type dateSlip struct {
		d    string
		slip bool
	}
	var dates []dateSlip
	years := map[int]bool{}
	for _, d := range p.DOBs() {
		if d.Known() {
			dates = append(dates, dateSlip{d.Date.String(), false})
			years[d.Date.Year] = true
			if query {
				sw := Date{d.Date.Year, time.Month(d.Date.Day), int(d.Date.Month)}
				if sw != d.Date && sw.Valid() {
					dates = append(dates, dateSlip{sw.String(), true})
				}
			}
		} else if lo, hi, ok := d.Range(); ok && hi.Year-lo.Year < maxEstimateYears {
			for y := lo.Year; y <= hi.Year; y++ {
				years[y] = true
			}
		}
	}
	var postcodes, homes, dwellings []string
	for _, a := range p.Addresses {
		pa := prepAddr(a)
		if pa.postcode != "" && pa.premises != "" {
			ks.add(keyDwelling, pa.postcode, pa.premises)
		}
		if h := dwellingKey(pa); h != "" {
			ks.add(keyDwelling, h)
			dwellings = append(dwellings, h)
		}
		if pa.postcode != "" && !slices.Contains(postcodes, pa.postcode) {
			postcodes = append(postcodes, pa.postcode)
		}
		if h := homeKey(pa); h != "" && !slices.Contains(homes, h) {
			homes = append(homes, h)
		}
	}
	for _, ns := range names {
		n := ns.n
		given, family := nameSounds(n, nick)
		for _, f := range family {
			for y := range years {
				ks.slip = ns.slip
				ks.add(keyFamilyYear, f, strconv.Itoa(y))
				if query {
					ks.slip = true
					ks.add(keyFamilyYear, f, strconv.Itoa(y-1))
					ks.add(keyFamilyYear, f, strconv.Itoa(y+1))
				}
			}
			for _, d := range dates {
				ks.slip = ns.slip || d.slip
				ks.add(keyFamilyDate, f, d.d)
				ks.add(keyFamilyDay, f, d.d[5:])
			}
			ks.slip = ns.slip
			for _, g := range given {
				ks.add(keyGivenFamily, g, f)
			}
		}
		for _, g := range given {
			for _, d := range dates {
				ks.slip = ns.slip || d.slip
				ks.add(keyGivenDate, g, d.d)
			}
			ks.slip = ns.slip
			for _, pc := range postcodes {
				ks.add(keyGivenPost, g, pc)
			}
			for _, h := range homes {
				ks.add(keyGivenHome, g, h)
			}
			for y := range years {
				ks.add(keyGivenYear, g, strconv.Itoa(y))
			}
		}
		ks.slip = ns.slip
		for _, f := range family {
			for _, pc := range postcodes {
				ks.add(keyFamilyPost, f, pc)
			}
			for _, h := range dwellings {
				ks.add(keyFamilyHome, f, h)
			}
			// An unnamed child ("Baby Smith") is filed under the family
			// name alone; every search looks there (few records lack a
			// given name).
			if query || len(n.given) == 0 {
				ks.add(keyFamilyOnly, f)
			}
		}
		if len(n.given) > 0 && len(n.family) > 0 {
			for _, d := range dates {
				ks.slip = ns.slip || d.slip
				ks.add(keyDateInitials, d.d, n.given[0][:1], n.family[0][:1])
			}
		}
	}
	ks.slip = false
	for _, pc := range postcodes {
		for y := range years {
			ks.add(keyPostcodeYear, pc, strconv.Itoa(y))
		}
	}
	for _, ph := range p.Phones {
		if n := NormalisePhone(ph); n != "" {
			ks.add(keyPhone, n)
		}
	}
	for _, a := range p.Accounts {
		if h := NormaliseHandle(a.Handle); h != "" {
			ks.add(keyAccount, h)
		}
	}
	ids, _ := prepIDs(p.Identifiers)
	for _, id := range ids {
		ks.add(keyIdentifier, string(id.kind), id.v)
	}
}

// homeKey identifies a dwelling without its postcode: the numbers of the
// line and the first word of the street ("133|queens"), or "".
func homeKey(a paddr) string {
	if a.premises == "" {
		return ""
	}
	for _, w := range strings.Fields(a.line) {
		if !isDigit(w[0]) && w != "flat" {
			return a.premises + "|" + w
		}
	}
	return ""
}

// dwellingKey identifies a dwelling by its numbers, street and town,
// without a postcode ("133|queens rd|millford"), or "".
func dwellingKey(a paddr) string {
	if a.premises == "" || a.street == "" || a.town == "" {
		return ""
	}
	return a.premises + "|" + a.street + "|" + a.town
}

// NameKey returns the key of a record's name by sound (the first given
// name with the family name), whose count of records tells how common
// the name is; ok is false when the name lacks a part.
func NameKey(p *Particulars) (Key, bool) {
	n := prepName(p.Name)
	if len(n.given) == 0 || len(n.family) == 0 {
		return 0, false
	}
	f := n.familyAllPh
	if len(n.family) == 1 {
		f = n.familyPh[0]
	}
	g := Phonetic(n.given[0])
	if g == "" || f == "" {
		return 0, false
	}
	return makeKey(keyGivenFamily, g, f), true
}
