package population

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/people"
)

// Corruptor makes a duplicate of a record the way published record-linkage
// benchmark generators do, not the way this package's own generator
// (Noise, render) does, and written without reference to the matcher's
// rules. The shape follows the descriptions of FEBRL's data generator
// (Christen; a duplicate is an original with up to N modifications, each
// in a field chosen by a select probability, of a kind chosen by a
// per-field distribution: insert, delete, substitute or swap characters,
// swap fields, merge or split words, null the field, insert a new value)
// and GeCo (Tran, Vatsalan and Christen 2013: keyboard-adjacency typos,
// OCR confusions, phonetic variations, missing values, categorical value
// swaps). Dates get the errors people make writing a date of birth: day
// and month swapped, digits transposed, one digit off, the right day in
// the wrong year, an age estimated instead of the date, or another date.
//
// The probabilities were fixed before the matcher was run on the set and
// were not changed to suit it.
type Corruptor struct {
	// MaxPerRecord bounds the modifications of one duplicate: each
	// duplicate gets 1..MaxPerRecord (uniform), each in a field picked by
	// FieldSelect, at most MaxPerField in one field.
	MaxPerRecord, MaxPerField int
	// FieldSelect weighs the fields: given, family, dob, address, sex and
	// a swap of the given and family fields.
	FieldSelect [6]float64
	// IDBlank and IDTypo are the chances that a duplicate's identifier is
	// left out or has one digit mistyped (separate from the fields).
	IDBlank, IDTypo float64
	// NameKinds weighs the kinds of modification of a name field, in the
	// order of nameKinds (zero: DefaultNameKinds).
	NameKinds [9]float64
}

// nameKinds are the modifications of a name field, as NameKinds orders
// them.
var nameKinds = [9]string{"name:keyboard", "name:ocr", "name:insert", "name:delete", "name:transpose",
	"name:phonetic", "name:blank", "name:replaced", "name:merge_split"}

// DefaultNameKinds are this model's shares, fixed before the matcher was
// run: a name replaced by another from the table 15 in 100 modifications
// of a name, left blank 10.
var DefaultNameKinds = [9]float64{0.20, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.15, 0.05}

// FEBRLNameKinds are DefaultNameKinds with a name replaced and left blank
// as often as FEBRL's generator does by default (dsgen/generate.py,
// version 0.4.2: val_swap_prob 0.02 and miss_prob 0.02 of the given and
// surname fields' modifications), the other kinds as they are: a
// sensitivity, not the evaluation the targets are on.
var FEBRLNameKinds = [9]float64{0.20, 0.10, 0.10, 0.10, 0.10, 0.10, 0.02, 0.02, 0.05}

// Fields picked by Corruptor.FieldSelect.
const (
	fieldGiven = iota
	fieldFamily
	fieldDOB
	fieldAddress
	fieldSex
	fieldSwapNames
)

// DefaultCorruptor are FEBRL-like settings: up to three modifications a
// record, two a field.
var DefaultCorruptor = Corruptor{
	MaxPerRecord: 3, MaxPerField: 2,
	FieldSelect: [6]float64{0.25, 0.20, 0.25, 0.20, 0.05, 0.05},
	IDBlank:     0.05, IDTypo: 0.03,
}

// qwerty lists each key's neighbours (letters and the number row).
var qwerty = map[byte]string{
	'q': "wa", 'w': "qeas", 'e': "wrsd", 'r': "etdf", 't': "ryfg", 'y': "tugh", 'u': "yihj", 'i': "uojk", 'o': "ipkl",
	'p': "ol", 'a': "qwsz", 's': "weadzx", 'd': "erfsxc", 'f': "rtdgcv", 'g': "tyfhvb", 'h': "yugjbn", 'j': "uihknm",
	'k': "iojlm", 'l': "opk", 'z': "asx", 'x': "zsdc", 'c': "xdfv", 'v': "cfgb", 'b': "vghn", 'n': "bhjm", 'm': "njk",
	'1': "2q", '2': "13w", '3': "24e", '4': "35r", '5': "46t", '6': "57y", '7': "68u", '8': "79i", '9': "80o", '0': "9p",
}

// ocrPairs are character confusions of optical character recognition
// and of reading handwriting (either way).
var ocrPairs = [][2]string{
	{"m", "rn"}, {"w", "vv"}, {"d", "cl"}, {"h", "li"}, {"n", "ri"}, {"u", "ii"}, {"o", "0"}, {"l", "1"},
	{"i", "l"}, {"e", "c"}, {"a", "o"}, {"g", "q"}, {"b", "h"}, {"s", "5"}, {"z", "2"}, {"b", "6"},
}

// ocrDigits are digits read as one another (1 and 7, 3 and 8 ...).
var ocrDigits = map[byte]string{'0': "86", '1': "7", '2': "7", '3': "8", '4': "9", '5': "6", '6': "50", '7': "12", '8': "30", '9': "4"}

// phoneticRules are spelling variations that keep the sound (GeCo's
// phonetic corruptor works from such rules).
var phoneticRules = [][2]string{
	{"ph", "f"}, {"ck", "k"}, {"c", "k"}, {"ie", "y"}, {"y", "ie"}, {"ee", "ea"}, {"th", "t"}, {"ou", "ow"},
	{"ai", "ay"}, {"z", "s"}, {"x", "ks"}, {"v", "w"}, {"oo", "u"}, {"ey", "y"}, {"gh", "g"}, {"ll", "l"}, {"nn", "n"},
}

type corruptEnv struct {
	labels []string // the modifications of the last duplicate, by kind
	rng    *rand.Rand
	names  []people.Name    // the originals' names: new values are drawn from them
	addrs  []people.Address // and their addresses
}

// Corrupt returns a duplicate of rec, recorded on day seen.
func (c *Corruptor) corrupt(e *corruptEnv, rec people.Record, seen people.Date) people.Record {
	d := rec
	d.Seen = seen
	d.Aliases, d.AliasDOBs = nil, nil
	d.Addresses = append([]people.Address(nil), rec.Addresses...)
	d.Identifiers = append([]people.Identifier(nil), rec.Identifiers...)
	d.Phones, d.Accounts, d.Vehicles = nil, nil, nil
	d.Relatives = nil
	e.labels = e.labels[:0]
	n := 1 + e.rng.IntN(max(1, c.MaxPerRecord))
	per := map[int]int{}
	for range n {
		f := c.pickField(e.rng)
		for tries := 0; per[f] >= c.MaxPerField && tries < 10; tries++ {
			f = c.pickField(e.rng)
		}
		per[f]++
		switch f {
		case fieldGiven:
			d.Name.Given = c.corruptName(e, d.Name.Given, true)
		case fieldFamily:
			d.Name.Family = c.corruptName(e, d.Name.Family, false)
		case fieldDOB:
			d.DOB = corruptDOB(e, d.DOB, seen)
		case fieldAddress:
			d.Addresses = corruptAddress(e, d.Addresses)
		case fieldSex:
			e.label("sex")
			if e.rng.Float64() < 0.7 {
				d.Sex = people.SexUnknown
			} else if d.Sex == people.SexMale {
				d.Sex = people.SexFemale
			} else {
				d.Sex = people.SexMale
			}
		case fieldSwapNames:
			e.label("names:swapped")
			d.Name.Given, d.Name.Family = d.Name.Family, d.Name.Given
		}
	}
	for i := range d.Identifiers {
		switch u := e.rng.Float64(); {
		case u < c.IDBlank:
			d.Identifiers[i].Value = ""
		case u < c.IDBlank+c.IDTypo:
			d.Identifiers[i].Value = substituteDigit(e.rng, d.Identifiers[i].Value)
		}
	}
	return d
}

func (c *Corruptor) pickField(r *rand.Rand) int {
	total := 0.0
	for _, p := range c.FieldSelect {
		total += p
	}
	u := r.Float64() * total
	for i, p := range c.FieldSelect {
		if u < p {
			return i
		}
		u -= p
	}
	return fieldGiven
}

// corruptName applies one modification to a name field, of a kind drawn
// by c.NameKinds.
func (c *Corruptor) corruptName(e *corruptEnv, s string, given bool) string {
	r := e.rng
	if s == "" {
		// A blank field can only be filled in: a new value.
		e.label("name:filled")
		return newName(e, given)
	}
	kinds := c.NameKinds
	if kinds == ([9]float64{}) {
		kinds = DefaultNameKinds
	}
	total := 0.0
	for _, w := range kinds {
		total += w
	}
	u, k := r.Float64()*total, 0
	for k < len(kinds)-1 && u >= kinds[k] {
		u -= kinds[k]
		k++
	}
	e.label(nameKinds[k])
	b := []byte(strings.ToLower(s))
	switch k {
	case 0: // keyboard substitution
		return applyCase(s, keyboardSub(r, b))
	case 1: // OCR confusion
		return applyCase(s, ocr(r, string(b)))
	case 2: // insert a character (a neighbour of the one before)
		i := 1 + r.IntN(len(b))
		n := qwerty[b[i-1]]
		c := byte('a' + r.IntN(26))
		if n != "" {
			c = n[r.IntN(len(n))]
		}
		b = append(b[:i], append([]byte{c}, b[i:]...)...)
		return applyCase(s, string(b))
	case 3: // delete a character
		if len(b) > 2 {
			i := r.IntN(len(b))
			b = append(b[:i], b[i+1:]...)
		}
		return applyCase(s, string(b))
	case 4: // transpose two adjacent characters
		if len(b) > 2 {
			i := r.IntN(len(b) - 1)
			b[i], b[i+1] = b[i+1], b[i]
		}
		return applyCase(s, string(b))
	case 5: // phonetic variation
		return applyCase(s, phonetic(r, string(b)))
	case 6: // missing value
		return ""
	case 7: // a new value from the frequency table
		return newName(e, given)
	default: // merge or split words
		if strings.ContainsAny(s, " -") {
			return strings.NewReplacer(" ", "", "-", "").Replace(s)
		}
		if len(s) >= 6 {
			i := 2 + r.IntN(len(s)-3)
			return s[:i] + " " + s[i:]
		}
		return s
	}
}

func newName(e *corruptEnv, given bool) string {
	n := e.names[e.rng.IntN(len(e.names))]
	if given {
		return n.Given
	}
	return n.Family
}

// applyCase keeps the original's capitals when it was all in capitals or
// started with one.
func applyCase(orig, s string) string {
	switch {
	case orig == strings.ToUpper(orig):
		return strings.ToUpper(s)
	case len(orig) > 0 && orig[0] >= 'A' && orig[0] <= 'Z' && len(s) > 0:
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func keyboardSub(r *rand.Rand, b []byte) string {
	var pos []int
	for i, c := range b {
		if qwerty[c] != "" {
			pos = append(pos, i)
		}
	}
	if len(pos) == 0 {
		return string(b)
	}
	i := pos[r.IntN(len(pos))]
	n := qwerty[b[i]]
	b[i] = n[r.IntN(len(n))]
	return string(b)
}

func ocr(r *rand.Rand, s string) string {
	start := r.IntN(len(ocrPairs))
	for k := range ocrPairs {
		p := ocrPairs[(start+k)%len(ocrPairs)]
		from, to := p[0], p[1]
		if r.IntN(2) == 0 {
			from, to = to, from
		}
		if i := strings.Index(s, from); i >= 0 {
			return s[:i] + to + s[i+len(from):]
		}
	}
	return s
}

func phonetic(r *rand.Rand, s string) string {
	start := r.IntN(len(phoneticRules))
	for k := range phoneticRules {
		p := phoneticRules[(start+k)%len(phoneticRules)]
		if i := strings.Index(s, p[0]); i >= 0 {
			return s[:i] + p[1] + s[i+len(p[0]):]
		}
	}
	return s
}

// corruptDOB applies one date error.
func corruptDOB(e *corruptEnv, dob people.DOB, seen people.Date) people.DOB {
	r := e.rng
	if !dob.Known() {
		return dob
	}
	d := dob.Date
	valid := func(x people.Date) people.DOB {
		if x.Valid() && !seen.Before(x) {
			return people.Exact(x)
		}
		return dob
	}
	digitsOf := func() []byte { return []byte(d.String()) }
	parse := func(b []byte) people.DOB {
		x, err := people.ParseDate(string(b))
		if err != nil {
			return dob
		}
		return valid(x)
	}
	pos := []int{0, 1, 2, 3, 5, 6, 8, 9}
	switch u := r.Float64(); {
	case u < 0.15: // day and month swapped
		e.label("dob:day_month_swapped")
		return valid(people.MakeDate(d.Year, time.Month(d.Day), int(d.Month)))
	case u < 0.30: // two adjacent digits transposed (within a part)
		e.label("dob:transposed")
		b := digitsOf()
		pairs := [][2]int{{2, 3}, {5, 6}, {8, 9}}
		p := pairs[r.IntN(len(pairs))]
		b[p[0]], b[p[1]] = b[p[1]], b[p[0]]
		return parse(b)
	case u < 0.50: // one digit off: a neighbouring key
		e.label("dob:digit_keyboard")
		b := digitsOf()
		i := pos[2+r.IntN(len(pos)-2)]
		n := qwerty[b[i]]
		b[i] = n[r.IntN(len(n))]
		if b[i] < '0' || b[i] > '9' {
			b[i] = byte('0' + r.IntN(10))
		}
		return parse(b)
	case u < 0.55: // a digit misread
		e.label("dob:digit_ocr")
		b := digitsOf()
		i := pos[2+r.IntN(len(pos)-2)]
		n := ocrDigits[b[i]]
		b[i] = n[r.IntN(len(n))]
		return parse(b)
	case u < 0.65: // the right day in the wrong year
		e.label("dob:wrong_year")
		y := 1 + r.IntN(10)
		if r.IntN(2) == 0 {
			y = -y
		}
		return valid(people.MakeDate(d.Year+y, d.Month, d.Day))
	case u < 0.75: // missing
		e.label("dob:blank")
		return people.DOB{}
	case u < 0.90: // an age estimated instead, or an age range ("8 to 10")
		e.label("dob:estimated")
		age := float64(d.AgeOn(seen)) + r.NormFloat64()*(0.5+0.1*float64(d.AgeOn(seen)))
		if r.IntN(2) == 0 {
			lo := max(0, int(age)-1)
			return people.AgeRange(seen, float64(lo), float64(lo+2))
		}
		return people.FromEstimatedAge(seen, max(0, float64(int(age+0.5))))
	default: // another date altogether (within five years)
		e.label("dob:replaced")
		return valid(d.AddDays(r.IntN(3650) - 1825))
	}
}

// corruptAddress applies one address error.
func corruptAddress(e *corruptEnv, as []people.Address) []people.Address {
	r := e.rng
	if len(as) == 0 {
		if r.Float64() < 0.5 {
			return []people.Address{e.addrs[r.IntN(len(e.addrs))]}
		}
		return nil
	}
	a := as[0]
	switch u := r.Float64(); {
	case u < 0.20: // missing
		e.label("addr:blank")
		return nil
	case u < 0.45: // postcode left out
		e.label("addr:no_postcode")
		a.Postcode = ""
	case u < 0.60: // a typo in the line
		e.label("addr:line_typo")
		b := []byte(strings.ToLower(a.Line))
		a.Line = keyboardSub(r, b)
	case u < 0.70: // a typo in the postcode
		e.label("addr:postcode_typo")
		if a.Postcode != "" {
			b := []byte(strings.ToLower(a.Postcode))
			a.Postcode = strings.ToUpper(keyboardSub(r, b))
		}
	case u < 0.85: // abbreviated, town left out
		e.label("addr:abbreviated")
		f := strings.Split(a.Line, ",")
		if len(f) > 1 {
			a.Line = strings.Join(f[:len(f)-1], ",")
		}
		a.Line = strings.NewReplacer("Street", "St", "Road", "Rd", "Avenue", "Ave", "Flat ", "F").Replace(a.Line)
	default: // another address (a move)
		e.label("addr:replaced")
		a = e.addrs[r.IntN(len(e.addrs))]
	}
	return []people.Address{a}
}

func substituteDigit(r *rand.Rand, v string) string {
	b := []byte(v)
	var pos []int
	for i, c := range b {
		if c >= '0' && c <= '9' {
			pos = append(pos, i)
		}
	}
	if len(pos) == 0 {
		return v
	}
	i := pos[r.IntN(len(pos))]
	b[i] = byte('0' + (int(b[i]-'0')+1+r.IntN(9))%10)
	return string(b)
}

// nhsNumber returns a valid NHS number drawn from r.
func nhsNumber(r *rand.Rand) string {
	for {
		s := strconv.Itoa(400000000 + r.IntN(599999999))
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(s[i]-'0') * (10 - i)
		}
		c := 11 - sum%11
		if c == 11 {
			c = 0
		}
		if c != 10 {
			return s + strconv.Itoa(c)
		}
	}
}

func (e *corruptEnv) label(l string) { e.labels = append(e.labels, l) }
