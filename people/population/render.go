package population

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// Noise sets how often officers' records differ from the truth. Rates
// are per record (per name part where it says so).
type Noise struct {
	ShortForm       float64 // a given name written as a short form (when it has one)
	Spelling        float64 // a name written in another of its spellings (when it has one)
	GivenTypo       float64 // a slip of one letter in the given name
	FamilyTypo      float64 // ... in the family name
	Swapped         float64 // given and family names the wrong way round (more for swap-prone communities)
	MiddleName      float64 // the middle name written too (when there is one)
	DoubleBarrel    float64 // only one half of a double-barrelled name
	McMac           float64 // Mc written Mac or the reverse
	Punctuation     float64 // apostrophe or hyphen dropped or spaced
	Diacritics      float64 // accents kept (otherwise dropped)
	Upper           float64 // the name in capitals
	StepSurname     float64 // a child recorded under a step-parent's surname
	DOBSwapped      float64 // day and month swapped (when both could be months)
	DOBDigit        float64 // one digit of the date wrong
	DOBYear         float64 // the year out by one
	DOBUnknownKid   float64 // a child's date of birth not known: an estimated age
	DOBUnknownAdult float64
	SexWrong        float64
	SexUnknown      float64
	NoAddress       float64 // no address recorded
	Elsewhere       float64 // the address where the incident was, not home
	NoPostcode      float64
	PostcodeTypo    float64
	PhoneAdult      float64 // an adult's phone recorded (when they have one)
	PhoneChild      float64
	Account         float64 // an online handle recorded (when they have one)
}

// DefaultNoise is set from what inspections and data-quality audits of
// police systems report (dates of birth wrong in a few per cent of
// records, names misspelt or varied in more than one in ten), erring on
// the noisy side.
var DefaultNoise = Noise{
	ShortForm: 0.12, Spelling: 0.20, GivenTypo: 0.03, FamilyTypo: 0.03, Swapped: 0.02,
	MiddleName: 0.3, DoubleBarrel: 0.3, McMac: 0.2, Punctuation: 0.3, Diacritics: 0.4, Upper: 0.25,
	StepSurname: 0.15,
	DOBSwapped:  0.015, DOBDigit: 0.025, DOBYear: 0.01, DOBUnknownKid: 0.06, DOBUnknownAdult: 0.12,
	SexWrong: 0.005, SexUnknown: 0.03,
	NoAddress: 0.06, Elsewhere: 0.08, NoPostcode: 0.06, PostcodeTypo: 0.02,
	PhoneAdult: 0.5, PhoneChild: 0.2, Account: 0.1,
}

// render writes down person p as an officer would on day d.
func (w *world) render(p *Person, hh *household, d people.Date, entry uuid.UUID) people.Record {
	nz := &w.cfg.Noise
	r := people.Record{ID: w.uuid(), EntryID: entry, Seen: d}
	age := p.ageOn(d)

	// Given names.
	first := p.Given[0]
	if w.chance(nz.Spelling) && len(p.givenGroup) > 1 {
		first = p.givenGroup[w.rng.IntN(len(p.givenGroup))]
	}
	if sf := shortForms[first]; len(sf) > 0 && w.chance(nz.ShortForm) {
		first = sf[w.rng.IntN(len(sf))]
	}
	given := first
	if len(p.Given) > 1 && w.chance(nz.MiddleName) {
		given += " " + p.Given[1]
	}
	if w.chance(nz.GivenTypo) {
		given = w.typo(given)
	}

	// Family name.
	family := p.Family
	if w.chance(nz.Spelling) && len(p.familyGroup) > 1 {
		family = p.familyGroup[w.rng.IntN(len(p.familyGroup))]
	}
	if age < 18 && w.chance(nz.StepSurname) {
		for _, par := range p.parents {
			if par.partner != nil && contains(hh.members, par.partner) && !contains(p.parents, par.partner) {
				family = genderedGroup(p.culture, par.partner.familyGroup, p.Sex)[0]
			}
		}
	}
	if strings.Contains(family, "-") && w.chance(nz.DoubleBarrel) {
		parts := strings.Split(family, "-")
		family = parts[w.rng.IntN(len(parts))]
	}
	if w.chance(nz.McMac) {
		switch {
		case strings.HasPrefix(family, "Mc"):
			family = "Mac" + family[2:]
		case strings.HasPrefix(family, "Mac"):
			family = "Mc" + family[3:]
		}
	}
	if w.chance(nz.Punctuation) {
		family = strings.NewReplacer("'", "", "-", " ").Replace(family)
		if w.chance(0.5) {
			family = strings.ReplaceAll(family, " ", "")
		}
	}
	if w.chance(nz.FamilyTypo) {
		family = w.typo(family)
	}
	if !w.chance(nz.Diacritics) {
		given, family = people.StripAccents(given), people.StripAccents(family)
	}
	if w.chance(nz.Upper) {
		given, family = strings.ToUpper(given), strings.ToUpper(family)
	}
	swap := nz.Swapped
	if p.culture.swapProneNames {
		swap *= 3
	}
	if w.chance(swap) {
		given, family = family, given
	}
	r.Name = people.Name{Given: given, Family: family}

	// Date of birth.
	unknown := nz.DOBUnknownAdult
	if age < 18 {
		unknown = nz.DOBUnknownKid
	}
	switch {
	case w.chance(unknown):
		est := float64(age) + 0.5 + w.rng.NormFloat64()*(0.6+0.1*float64(age))
		if age < 2 {
			est = math.Round(est*2) / 2
		} else {
			est = math.Round(est)
		}
		r.DOB = people.FromEstimatedAge(d, max(0, est))
	default:
		dob := w.dobSlip(p.DOB)
		if d.Before(dob) {
			dob = p.DOB // the form refuses a birth after the incident
		}
		r.DOB = people.Exact(dob)
	}

	// Sex.
	r.Sex = p.Sex
	switch {
	case w.chance(nz.SexUnknown):
		r.Sex = people.SexUnknown
	case w.chance(nz.SexWrong):
		if p.Sex == people.SexMale {
			r.Sex = people.SexFemale
		} else {
			r.Sex = people.SexMale
		}
	}

	// Address.
	if !w.chance(nz.NoAddress) {
		a := hh.home
		if w.chance(nz.Elsewhere) {
			a = w.newAddress()
		}
		r.Addresses = []people.Address{w.writeAddress(a)}
	}

	// Objects.
	if p.phone != "" {
		rate := nz.PhoneAdult
		if age < 18 {
			rate = nz.PhoneChild
		}
		if w.chance(rate) {
			r.Phones = []string{w.writePhone(p.phone)}
		}
	}
	if p.handle != "" && w.chance(nz.Account) {
		r.Accounts = []people.Account{{Service: "snapchat", Handle: "@" + p.handle}}
	}
	return r
}

// dobSlip returns the date as written: mostly right.
func (w *world) dobSlip(d people.Date) people.Date {
	nz := &w.cfg.Noise
	switch u := w.rng.Float64(); {
	case u < nz.DOBSwapped:
		if d.Day <= 12 && d.Day != int(d.Month) {
			return people.MakeDate(d.Year, time.Month(d.Day), int(d.Month))
		}
	case u < nz.DOBSwapped+nz.DOBDigit:
		for range 10 {
			s := []byte(d.String())
			pos := []int{2, 3, 5, 6, 8, 9}[w.rng.IntN(6)]
			s[pos] = byte('0' + w.rng.IntN(10))
			if x, err := people.ParseDate(string(s)); err == nil && x != d {
				return x
			}
		}
	case u < nz.DOBSwapped+nz.DOBDigit+nz.DOBYear:
		if w.chance(0.5) {
			return d.AddYears(1)
		}
		return d.AddYears(-1)
	}
	return d
}

var keyboard = map[byte]string{
	'q': "wa", 'w': "qes", 'e': "wrd", 'r': "etf", 't': "ryg", 'y': "tuh", 'u': "yij", 'i': "uok", 'o': "ipl",
	'p': "ol", 'a': "qsz", 's': "awdz", 'd': "sefx", 'f': "drgc", 'g': "fthv", 'h': "gyjb", 'j': "hukn",
	'k': "jilm", 'l': "kop", 'z': "asx", 'x': "zsdc", 'c': "xdfv", 'v': "cfgb", 'b': "vghn", 'n': "bhjm", 'm': "njk",
}

// typo makes one slip in an ASCII letter of s (not the first): a
// neighbouring key, a letter dropped, doubled, or two swapped.
func (w *world) typo(s string) string {
	b := []byte(s)
	var pos []int
	for i := 1; i < len(b); i++ {
		if c := b[i] | 0x20; c >= 'a' && c <= 'z' && b[i-1] != ' ' {
			pos = append(pos, i)
		}
	}
	if len(pos) < 3 {
		return s
	}
	i := pos[w.rng.IntN(len(pos))]
	upper := b[i] < 'a'
	switch w.rng.IntN(4) {
	case 0:
		n := keyboard[b[i]|0x20]
		c := n[w.rng.IntN(len(n))]
		if upper {
			c -= 'a' - 'A'
		}
		b[i] = c
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i+1], b[i:]...)
	default:
		if i+1 < len(b) && b[i+1] != ' ' {
			b[i], b[i+1] = b[i+1], b[i]
		} else {
			b[i], b[i-1] = b[i-1], b[i]
		}
	}
	return string(b)
}

// writeAddress writes an address as an officer would.
func (w *world) writeAddress(a address) people.Address {
	nz := &w.cfg.Noise
	street := a.street
	if w.chance(0.3) {
		f := strings.Fields(street)
		last := f[len(f)-1]
		if ab, ok := map[string]string{"Street": "St", "Road": "Rd", "Avenue": "Ave", "Close": "Cl", "Lane": "Ln",
			"Drive": "Dr", "Court": "Ct", "Crescent": "Cres", "Place": "Pl", "Gardens": "Gdns", "Terrace": "Ter"}[last]; ok {
			street = strings.Join(f[:len(f)-1], " ") + " " + ab
		}
	}
	line := fmt.Sprintf("%d %s", a.number, street)
	if a.flat > 0 {
		line = fmt.Sprintf("Flat %d, %s", a.flat, line)
	}
	if w.chance(0.7) {
		line += ", " + a.town
	}
	if w.chance(0.2) {
		line = strings.ToUpper(line)
	}
	pc := a.postcode
	switch {
	case w.chance(nz.NoPostcode):
		pc = ""
	case w.chance(nz.PostcodeTypo):
		b := []byte(pc)
		i := len(b) - 1 - w.rng.IntN(2)
		b[i] = inwardLetters[w.rng.IntN(len(inwardLetters))]
		pc = string(b)
	case w.chance(0.3):
		pc = strings.ReplaceAll(strings.ToLower(pc), " ", "")
	}
	return people.Address{Line: line, Postcode: pc}
}

func (w *world) writePhone(p string) string {
	switch w.rng.IntN(3) {
	case 0:
		return p[:5] + " " + p[5:]
	case 1:
		return "+44 " + p[1:5] + " " + p[5:]
	}
	return p
}
