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

type keyset map[Key]struct{}

func (k keyset) add(parts ...string) { k[makeKey(parts...)] = struct{}{} }

func (k keyset) list() []Key {
	out := make([]Key, 0, len(k))
	for x := range k {
		out = append(out, x)
	}
	slices.Sort(out)
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
	return keysOf(p, nick, false)
}

// QueryKeys returns the keys to search for candidates for a record: its
// own keys and those of its likeliest slips (given and family names
// swapped, day and month swapped, the birth year out by one).
func QueryKeys(p *Particulars, nick *Nicknames) []Key {
	return keysOf(p, nick, true)
}

func keysOf(p *Particulars, nick *Nicknames, query bool) []Key {
	ks := keyset{}
	var names []pname
	for _, n := range p.Names() {
		pn := prepName(n)
		names = append(names, pn)
		if query {
			names = append(names, pn.swapped())
		}
	}
	var dates []string
	years := map[int]bool{}
	for _, d := range p.DOBs() {
		if d.Known() {
			dates = append(dates, d.Date.String())
			years[d.Date.Year] = true
			if query {
				sw := Date{d.Date.Year, time.Month(d.Date.Day), int(d.Date.Month)}
				if sw != d.Date && sw.Valid() {
					dates = append(dates, sw.String())
				}
			}
		} else if lo, hi, ok := d.Range(); ok && hi.Year-lo.Year < maxEstimateYears {
			for y := lo.Year; y <= hi.Year; y++ {
				years[y] = true
			}
		}
	}
	var postcodes, homes []string
	for _, a := range p.Addresses {
		pa := prepAddr(a)
		if pa.postcode != "" && !slices.Contains(postcodes, pa.postcode) {
			postcodes = append(postcodes, pa.postcode)
		}
		if h := homeKey(pa); h != "" && !slices.Contains(homes, h) {
			homes = append(homes, h)
		}
	}
	for _, n := range names {
		given, family := nameSounds(n, nick)
		for _, f := range family {
			for y := range years {
				ks.add(keyFamilyYear, f, strconv.Itoa(y))
				if query {
					ks.add(keyFamilyYear, f, strconv.Itoa(y-1))
					ks.add(keyFamilyYear, f, strconv.Itoa(y+1))
				}
			}
			for _, d := range dates {
				ks.add(keyFamilyDate, f, d)
				ks.add(keyFamilyDay, f, d[5:])
			}
			for _, g := range given {
				ks.add(keyGivenFamily, g, f)
			}
		}
		for _, g := range given {
			for _, d := range dates {
				ks.add(keyGivenDate, g, d)
			}
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
		if len(n.given) > 0 && len(n.family) > 0 {
			for _, d := range dates {
				ks.add(keyDateInitials, d, n.given[0][:1], n.family[0][:1])
			}
		}
	}
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
	return ks.list()
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
