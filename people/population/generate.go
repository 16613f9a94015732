// Package population generates a synthetic population with ground truth
// (families whose households change, people who move, name variants and
// date errors as officers record them) and measures the person matcher on
// it: precision and recall (Evaluate) and match time against a large
// index (Bench). cmd/population is its command line.
//
// Every person, place and phone number is invented. The generator knows
// the truth (which records are one human being); the matcher never sees
// it: Evaluate hands the matcher only the records, as an officer's device
// would, and compares its decisions with the truth afterwards.
package population

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// Config sets the size and shape of a population.
type Config struct {
	Seed int64
	// Records is the number of encounter records (people as recorded in
	// entries) to generate, about.
	Records int
	// Background is the number of people known before the encounters
	// begin (one earlier record each, bulk-loaded into the index): the
	// crowd a new record must not be wrongly linked to. Some of the
	// encounters' people are among them.
	Background int
	// Start is the first day of the encounters; Years how long they run.
	Start people.Date
	Years int
	Noise Noise
}

// DefaultConfig is the population `population eval` uses.
func DefaultConfig() Config {
	return Config{Seed: 1, Records: 3000, Background: 20000, Start: people.MakeDate(2023, 1, 1), Years: 3, Noise: DefaultNoise}
}

// Person is one (synthetic) human being: the truth.
type Person struct {
	ID          uuid.UUID
	culture     *culture
	Given       []string // official forenames
	givenGroup  []string // spellings of the first forename
	Family      string
	familyGroup []string
	Sex         people.Sex
	DOB         people.Date
	phone       string
	handle      string
	parents     []*Person
	partner     *Person
	married     bool // to their partner: a step-parent rather than a partner to the children
}

func (p *Person) ageOn(d people.Date) int { return p.DOB.AgeOn(d) }

// address is a home.
type address struct {
	flat     int
	number   int
	street   string
	town     string
	postcode string
}

type household struct {
	members []*Person
	home    address
	rate    float64 // entries a year
	exes    []*Person
	grand   *Person // a grandparent living in, if any
	prHeld  bool    // the grandparent holds parental responsibility
}

// world is the simulation state.
type world struct {
	cfg  Config
	rng  *rand.Rand
	now  people.Date
	hhs  []*household
	used map[string]bool // addresses in use
}

func newWorld(cfg Config) *world {
	return &world{cfg: cfg, rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5afe)), now: cfg.Start, used: map[string]bool{}}
}

func (w *world) chance(p float64) bool { return w.rng.Float64() < p }

func (w *world) uuid() uuid.UUID {
	var u uuid.UUID
	a, b := w.rng.Uint64(), w.rng.Uint64()
	for i := range 8 {
		u[i], u[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u
}

// zipf picks an index of a list of n, the first most often (exponent s,
// 0 < s < 1).
func (w *world) zipf(n int, s float64) int {
	// Inverse of the continuous 1/x^s distribution over [1, n+1).
	u := w.rng.Float64()
	a := math.Pow(float64(n+1), 1-s) - 1
	x := math.Pow(1+u*a, 1/(1-s))
	i := int(x) - 1
	return max(0, min(n-1, i))
}

func (w *world) pickCulture() *culture {
	u := w.rng.Float64()
	for _, c := range cultures {
		if u < c.weight {
			return c
		}
		u -= c.weight
	}
	return cultures[0]
}

func split(s string) []string { return strings.Fields(s) }

// spellings returns the spellings of a list entry ("A|B|C").
func spellings(s string) []string { return strings.Split(s, "|") }

// pickSpelling returns one spelling of a group, the first most often.
func (w *world) pickSpelling(g []string) string {
	if len(g) == 1 || w.chance(0.55) {
		return g[0]
	}
	return g[1+w.rng.IntN(len(g)-1)]
}

func feminine(family string) string {
	for _, suf := range [][2]string{{"ski", "ska"}, {"cki", "cka"}, {"ov", "ova"}, {"ev", "eva"}} {
		if strings.HasSuffix(family, suf[0]) {
			return strings.TrimSuffix(family, suf[0]) + suf[1]
		}
	}
	return family
}

func genderedGroup(c *culture, g []string, sex people.Sex) []string {
	if !c.gendered || sex != people.SexFemale {
		return g
	}
	out := make([]string, len(g))
	for i, s := range g {
		out[i] = feminine(s)
	}
	return out
}

// familyName draws a family name (the spelling group).
func (w *world) familyName(c *culture) []string {
	if len(c.tailHead) > 0 && !w.chance(c.listShare) {
		return []string{c.tailHead[w.rng.IntN(len(c.tailHead))] + c.tailEnd[w.rng.IntN(len(c.tailEnd))]}
	}
	return spellings(c.family[w.zipf(len(c.family), c.familyS)])
}

// newPerson makes a person born on dob with a family name group.
func (w *world) newPerson(c *culture, sex people.Sex, dob people.Date, family []string, avoid []*Person) *Person {
	p := &Person{ID: w.uuid(), culture: c, Sex: sex, DOB: dob}
	pool := c.male
	if sex == people.SexFemale {
		pool = c.female
	}
	// Siblings do not share a name (nor a spelling of one).
	for tries := 0; ; tries++ {
		g := spellings(pool[w.zipf(len(pool), c.givenS)])
		clash := false
		for _, o := range avoid {
			for _, s := range o.givenGroup {
				if s == g[0] || people.Phonetic(people.NormaliseName(s)) == people.Phonetic(people.NormaliseName(g[0])) {
					clash = true
				}
			}
		}
		if !clash || tries > 20 {
			p.givenGroup = g
			break
		}
	}
	p.Given = []string{w.pickSpelling(p.givenGroup)}
	if w.chance(0.4) {
		m := spellings(pool[w.zipf(len(pool), c.givenS)])[0]
		if m != p.Given[0] {
			p.Given = append(p.Given, m)
		}
	}
	p.familyGroup = genderedGroup(c, family, sex)
	p.Family = w.pickSpelling(p.familyGroup)
	if dob.AgeOn(w.now) >= 12 && w.chance(0.8) {
		p.phone = w.phoneNumber()
	}
	if age := dob.AgeOn(w.now); age >= 11 && age <= 25 && w.chance(0.3) {
		p.handle = strings.ToLower(people.Fold(p.Given[0])) + fmt.Sprintf("_%d", dob.Year%100+w.rng.IntN(90))
	}
	return p
}

func (w *world) phoneNumber() string {
	return fmt.Sprintf("07%03d%06d", 700+w.rng.IntN(300), w.rng.IntN(1000000))
}

// birthday returns a random date of birth for someone aged between lo and
// hi years on day on.
func (w *world) birthday(on people.Date, lo, hi int) people.Date {
	days := lo*365 + w.rng.IntN((hi-lo+1)*365)
	return on.AddDays(-days)
}

const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

// newAddress returns a home nobody else has.
func (w *world) newAddress() address {
	for {
		si, ti, wi := w.rng.IntN(len(streetNames)), w.rng.IntN(len(streetTypes)), w.rng.IntN(len(towns))
		street := streetNames[si] + " " + streetTypes[ti]
		id := (si*len(streetTypes)+ti)*len(towns) + wi
		a := address{number: 1 + w.rng.IntN(160), street: street, town: towns[wi]}
		if w.chance(0.12) {
			a.flat = 1 + w.rng.IntN(12)
		}
		block := a.number / 12
		h := uint32(id*7919+block*104729) * 2654435761
		a.postcode = fmt.Sprintf("MF%d %d%c%c", 1+id%60, (id/60)%10,
			inwardLetters[h%20], inwardLetters[(h/20)%20])
		k := fmt.Sprintf("%d/%d/%d", id, a.number, a.flat)
		if !w.used[k] {
			w.used[k] = true
			return a
		}
	}
}

// newHousehold makes a household as of w.now.
func (w *world) newHousehold() *household {
	c := w.pickCulture()
	hh := &household{home: w.newAddress()}
	switch u := w.rng.Float64(); {
	case u < 0.6:
		hh.rate = 0.25
	case u < 0.9:
		hh.rate = 0.9
	default:
		hh.rate = 3
	}
	fam := w.familyName(c)
	kids := []int{1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5}[w.rng.IntN(11)]
	mum := w.newPerson(c, people.SexFemale, w.birthday(w.now, 22, 45), fam, nil)
	kind := w.rng.Float64()
	var dad *Person
	if kind < 0.57 || kind >= 0.92 {
		dadFam := fam
		if w.chance(0.45) { // not married: the mother kept her own name
			mum.familyGroup = genderedGroup(c, w.familyName(c), people.SexFemale)
			mum.Family = w.pickSpelling(mum.familyGroup)
		}
		dad = w.newPerson(c, people.SexMale, mum.DOB.AddDays(-w.rng.IntN(6*365)+365), dadFam, nil)
		dad.partner, mum.partner = mum, dad
	}
	if kind >= 0.87 && kind < 0.92 {
		// A lone father.
		mum, dad = nil, w.newPerson(c, people.SexMale, w.birthday(w.now, 24, 50), fam, nil)
	}
	var parents []*Person
	for _, p := range []*Person{mum, dad} {
		if p != nil {
			parents = append(parents, p)
			hh.members = append(hh.members, p)
		}
	}
	eldest := parents[0].ageOn(w.now) - 18
	childFam := fam
	if dad == nil && mum != nil {
		childFam = mum.familyGroup
		if w.chance(0.5) { // children with their absent father's name
			childFam = w.familyName(c)
		}
	} else if dad != nil {
		childFam = genderedGroup(c, dad.familyGroup, people.SexMale)
		if mum != nil && mum.Family != dad.Family && w.chance(0.08) && !c.gendered {
			childFam = []string{mum.familyGroup[0] + "-" + dad.familyGroup[0]}
		}
	}
	var children []*Person
	for i := 0; i < kids; i++ {
		dob := w.birthday(w.now, 0, max(0, min(17, eldest)))
		sex := people.SexFemale
		if w.chance(0.51) {
			sex = people.SexMale
		}
		ch := w.newPerson(c, sex, dob, childFam, children)
		ch.parents = parents
		// A son named after his father, now and then.
		if dad != nil && sex == people.SexMale && c.name == "british" && w.chance(0.04) {
			ch.Given, ch.givenGroup = []string{dad.Given[0]}, dad.givenGroup
		}
		children = append(children, ch)
		if w.chance(0.02) { // twins
			sex2 := people.SexFemale
			if w.chance(0.5) {
				sex2 = people.SexMale
			}
			tw := w.newPerson(c, sex2, dob, childFam, children)
			tw.parents = parents
			children = append(children, tw)
		}
	}
	hh.members = append(hh.members, children...)
	if kind >= 0.57 && kind < 0.87 && mum != nil && w.chance(0.3) {
		// A blended family: the mother's partner is the children's
		// step-parent (married) or her partner.
		p := w.newPerson(c, people.SexMale, mum.DOB.AddDays(-w.rng.IntN(8*365)), w.familyName(c), nil)
		p.partner, mum.partner = mum, p
		p.married = w.chance(0.5)
		hh.members = append(hh.members, p)
	}
	if kind >= 0.92 && mum != nil {
		// A grandparent living in.
		g := w.newPerson(c, people.SexFemale, mum.DOB.AddDays(-365*(20+w.rng.IntN(10))), mum.familyGroup, nil)
		hh.grand, hh.prHeld = g, w.chance(0.3)
		hh.members = append(hh.members, g)
	}
	return hh
}

// adults returns the household's members aged 18 or over on day d.
func (hh *household) adults(d people.Date) []*Person {
	var out []*Person
	for _, m := range hh.members {
		if m.ageOn(d) >= 18 {
			out = append(out, m)
		}
	}
	return out
}

func (hh *household) children(d people.Date) []*Person {
	var out []*Person
	for _, m := range hh.members {
		if m.ageOn(d) < 18 {
			out = append(out, m)
		}
	}
	return out
}

func (hh *household) remove(p *Person) {
	for i, m := range hh.members {
		if m == p {
			hh.members = append(hh.members[:i], hh.members[i+1:]...)
			return
		}
	}
}

// relation returns how adult a stands to child c, if at all.
func (hh *household) relation(a, c *Person, d people.Date) (people.RelType, bool) {
	for _, p := range c.parents {
		if p == a {
			return people.RelParent, true
		}
	}
	for _, p := range c.parents {
		if p.partner == a {
			if a.married {
				return people.RelStepParent, true
			}
			return people.RelPartnerOfParent, true
		}
	}
	if a == hh.grand {
		if hh.prHeld {
			return people.RelPRHolder, true
		}
		return people.RelHouseholdMember, true
	}
	if len(a.parents) > 0 && len(c.parents) > 0 && a.parents[0] == c.parents[0] {
		return people.RelSibling, true
	}
	return people.RelHouseholdMember, true
}

// month advances a household by a month: moves, separations, new
// partners, births.
func (w *world) month(hh *household) {
	d := w.now
	if w.chance(1.0 / 40) {
		hh.home = w.newAddress()
	}
	adults := hh.adults(d)
	var couple []*Person
	for _, a := range adults {
		if a.partner != nil && a.partner.partner == a && contains(hh.members, a.partner) {
			couple = append(couple, a)
		}
	}
	if len(couple) == 2 && w.chance(1.0/150) {
		// One leaves (the man, mostly) and lives alone elsewhere.
		leaver := couple[1]
		if couple[0].Sex == people.SexMale && w.chance(0.8) {
			leaver = couple[0]
		}
		stay := leaver.partner
		hh.remove(leaver)
		hh.exes = append(hh.exes, leaver)
		leaver.partner, stay.partner = nil, nil
		w.hhs = append(w.hhs, &household{members: []*Person{leaver}, home: w.newAddress(), rate: hh.rate / 3})
		return
	}
	if len(couple) == 0 && len(adults) >= 1 && len(hh.children(d)) > 0 && w.chance(1.0/80) {
		parent := adults[0]
		sex := people.SexMale
		if parent.Sex == people.SexMale {
			sex = people.SexFemale
		}
		var np *Person
		if len(hh.exes) > 0 && w.chance(0.2) {
			// Back together.
			np = hh.exes[w.rng.IntN(len(hh.exes))]
			for _, o := range w.hhs {
				if o != hh && contains(o.members, np) {
					o.remove(np)
				}
			}
		} else {
			c := parent.culture
			if w.chance(0.15) {
				c = w.pickCulture()
			}
			np = w.newPerson(c, sex, parent.DOB.AddDays(w.rng.IntN(12*365)-6*365), w.familyName(c), nil)
			np.married = w.chance(0.4)
			if w.chance(0.3) {
				// Bringing a child of their own.
				ch := w.newPerson(c, people.SexFemale, w.birthday(d, 2, 12), genderedGroup(c, np.familyGroup, people.SexMale), nil)
				if w.chance(0.5) {
					ch.Sex = people.SexMale
				}
				ch.parents = []*Person{np}
				hh.members = append(hh.members, ch)
			}
		}
		np.partner, parent.partner = parent, np
		hh.members = append(hh.members, np)
		return
	}
	if len(couple) == 2 {
		mum := couple[0]
		if mum.Sex != people.SexFemale {
			mum = couple[1]
		}
		if mum.Sex == people.SexFemale && mum.ageOn(d) < 43 && w.chance(1.0/70) {
			dad := mum.partner
			fam := dad.familyGroup
			kids := hh.children(d)
			if len(kids) > 0 {
				fam = genderedGroup(kids[0].culture, kids[0].familyGroup, people.SexMale)
			}
			sex := people.SexFemale
			if w.chance(0.51) {
				sex = people.SexMale
			}
			b := w.newPerson(mum.culture, sex, d.AddDays(-w.rng.IntN(28)), fam, kids)
			b.parents = []*Person{mum, dad}
			hh.members = append(hh.members, b)
		}
	}
	// Phones change.
	for _, m := range hh.members {
		if m.phone != "" && w.chance(1.0/30) {
			m.phone = w.phoneNumber()
		}
	}
}

func contains(ps []*Person, p *Person) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// Encounter is one entry's people with the truth: which person each
// record is of.
type Encounter struct {
	Entry people.EntryPeople
	Truth map[uuid.UUID]uuid.UUID // record id -> Person id
}

// Known is a person known before the encounters: one earlier record.
type Known struct {
	Truth  uuid.UUID // Person id
	Record people.Record
	// Rels are relationships recorded with it (to other Known records of
	// the same earlier entry).
	Rels []people.Relationship
}

// Population is a generated population.
type Population struct {
	Encounters []Encounter
	Background []Known
	// People is the number of distinct people in the encounters.
	People int
}

// Records returns the number of encounter records.
func (p *Population) Records() int {
	n := 0
	for _, e := range p.Encounters {
		n += len(e.Entry.Records)
	}
	return n
}

var grades = []struct {
	g people.Grade
	p float64
}{{people.GradeStandard, 0.45}, {people.GradeMedium, 0.30}, {people.GradeHigh, 0.18}, {people.GradeImmediate, 0.07}}

func (w *world) grade() people.Grade {
	u := w.rng.Float64()
	for _, g := range grades {
		if u < g.p {
			return g.g
		}
		u -= g.p
	}
	return people.GradeStandard
}

// Generate builds a population from cfg, deterministically from its
// seed.
func Generate(cfg Config) *Population {
	if cfg.Years <= 0 {
		cfg.Years = 3
	}
	if cfg.Start.IsZero() {
		cfg.Start = people.MakeDate(2023, 1, 1)
	}
	w := newWorld(cfg)
	pop := &Population{}
	// About seven records a household over three years.
	n := max(1, cfg.Records*3/(7*cfg.Years))
	for range n {
		w.hhs = append(w.hhs, w.newHousehold())
	}
	// A third of them were known before (an earlier entry each).
	earlier := cfg.Start.AddDays(-400)
	for i, hh := range w.hhs {
		if i%3 == 0 {
			pop.Background = append(pop.Background, w.knownHousehold(hh, earlier)...)
		}
	}
	seen := map[uuid.UUID]bool{}
	months := cfg.Years * 12
	for m := 0; m < months && pop.Records() < cfg.Records; m++ {
		w.now = DateAddMonths(cfg.Start, m)
		var month []Encounter
		for i := 0; i < len(w.hhs); i++ {
			hh := w.hhs[i]
			w.month(hh)
			// Entries this month (Poisson).
			k := poisson(w.rng, hh.rate/12)
			for range k {
				d := w.now.AddDays(w.rng.IntN(28))
				if e, ok := w.entry(hh, d); ok {
					month = append(month, e)
				}
			}
		}
		sortEncounters(month)
		for _, e := range month {
			if pop.Records() >= cfg.Records {
				break
			}
			pop.Encounters = append(pop.Encounters, e)
			for _, t := range e.Truth {
				seen[t] = true
			}
		}
	}
	pop.People = len(seen)
	// The crowd: people known before, never in the encounters.
	for len(pop.Background) < cfg.Background {
		w.now = cfg.Start
		hh := w.newHousehold()
		pop.Background = append(pop.Background, w.knownHousehold(hh, earlier.AddDays(-w.rng.IntN(1500)))...)
	}
	if len(pop.Background) > cfg.Background {
		pop.Background = pop.Background[:cfg.Background]
		// Drop relationships to records cut off.
		kept := map[uuid.UUID]bool{}
		for _, k := range pop.Background {
			kept[k.Record.ID] = true
		}
		for i := range pop.Background {
			var rs []people.Relationship
			for _, r := range pop.Background[i].Rels {
				if kept[r.From] && kept[r.To] {
					rs = append(rs, r)
				}
			}
			pop.Background[i].Rels = rs
		}
	}
	return pop
}

// DateAddMonths returns d plus m months (day clamped to 28).
func DateAddMonths(d people.Date, m int) people.Date {
	t := time.Date(d.Year, d.Month+time.Month(m), min(d.Day, 28), 0, 0, 0, 0, time.UTC)
	return people.DateOf(t)
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func sortEncounters(es []Encounter) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].Entry.Entry.Date.Before(es[j-1].Entry.Entry.Date); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// knownHousehold records a household's members in one earlier entry.
func (w *world) knownHousehold(hh *household, on people.Date) []Known {
	entry := w.uuid()
	saved := w.now
	w.now = on
	defer func() { w.now = saved }()
	var out []Known
	recs := map[*Person]uuid.UUID{}
	for _, m := range hh.members {
		if m.DOB.Days() > on.Days() {
			continue // not born yet
		}
		r := w.render(m, hh, on, entry)
		recs[m] = r.ID
		out = append(out, Known{Truth: m.ID, Record: r})
	}
	for i := range out {
		m := memberByID(hh, out[i].Truth)
		if m == nil || m.ageOn(on) >= 18 {
			continue
		}
		for _, a := range hh.adults(on) {
			if rt, ok := hh.relation(a, m, on); ok && recs[a] != uuid.Nil {
				out[i].Rels = append(out[i].Rels, people.Relationship{ID: w.uuid(), EntryID: entry, From: recs[a], To: out[i].Record.ID, Type: rt})
			}
		}
	}
	return out
}

func memberByID(hh *household, id uuid.UUID) *Person {
	for _, m := range hh.members {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// entry records an incident at a household on day d.
func (w *world) entry(hh *household, d people.Date) (Encounter, bool) {
	saved := w.now
	w.now = d
	defer func() { w.now = saved }()
	kids := hh.children(d)
	var present []*Person
	for _, k := range kids {
		if k.DOB.Days() <= d.Days() && w.chance(0.9) {
			present = append(present, k)
		}
	}
	if len(present) == 0 {
		return Encounter{}, false
	}
	var adults []*Person
	for _, a := range hh.adults(d) {
		if w.chance(0.75) {
			adults = append(adults, a)
		}
	}
	if len(adults) == 0 && len(hh.adults(d)) > 0 {
		adults = hh.adults(d)[:1]
	}
	e := Encounter{Entry: people.EntryPeople{Entry: people.Entry{ID: w.uuid(), Date: d, Grade: w.grade()}},
		Truth: map[uuid.UUID]uuid.UUID{}}
	recOf := map[*Person]uuid.UUID{}
	add := func(p *Person, role people.Role) {
		r := w.render(p, hh, d, e.Entry.Entry.ID)
		r.Role = role
		recOf[p] = r.ID
		e.Entry.Records = append(e.Entry.Records, r)
		e.Truth[r.ID] = p.ID
	}
	for _, k := range present {
		add(k, people.RoleChild)
	}
	for _, a := range adults {
		rt, _ := hh.relation(a, present[0], d)
		add(a, people.Role(rt))
	}
	// An ex-partner as the suspect, now and then.
	var suspect *Person
	if len(hh.exes) > 0 && w.chance(0.25) {
		suspect = hh.exes[w.rng.IntN(len(hh.exes))]
		if _, dup := recOf[suspect]; !dup {
			add(suspect, people.RoleSuspect)
		} else {
			suspect = nil
		}
	}
	for _, k := range present {
		for _, a := range adults {
			if rt, ok := hh.relation(a, k, d); ok && w.chance(0.9) {
				e.Entry.Relationships = append(e.Entry.Relationships,
					people.Relationship{ID: w.uuid(), EntryID: e.Entry.Entry.ID, From: recOf[a], To: recOf[k], Type: rt})
			}
		}
		if suspect != nil {
			e.Entry.Relationships = append(e.Entry.Relationships,
				people.Relationship{ID: w.uuid(), EntryID: e.Entry.Entry.ID, From: recOf[suspect], To: recOf[k], Type: people.RelSuspect})
		}
	}
	return e, true
}
