package people

import (
	"slices"
	"testing"
)

// kid is the record the scenarios vary.
func kid() Particulars {
	return Particulars{
		Name: Name{Given: "Katherine", Family: "Smith"}, DOB: Exact(MakeDate(2014, 4, 3)), Sex: SexFemale,
		Addresses: []Address{{Line: "12 High Street, Millford", Postcode: "MF1 2AB"}},
	}
}

func TestScorerSamePerson(t *testing.T) {
	s := NewScorer()
	mum := []Relative{{Type: RelParent, Outgoing: true, Name: Name{Given: "Sarah", Family: "Smith"}, DOB: Exact(MakeDate(1988, 1, 2))}}
	for _, tc := range []struct {
		name   string
		change func(p *Particulars)
		rel    bool
		reason string
	}{
		{"same", func(p *Particulars) {}, false, "given:exact"},
		{"capitals", func(p *Particulars) { p.Name = Name{"KATHERINE", "SMITH"} }, false, "family:exact"},
		{"nickname", func(p *Particulars) { p.Name.Given = "Kate" }, false, "given:nickname"},
		{"spelling", func(p *Particulars) { p.Name.Given = "Catherine" }, false, "given:phonetic"},
		{"typo", func(p *Particulars) { p.Name.Family = "Snith" }, false, "family:typo"},
		{"swapped", func(p *Particulars) { p.Name = Name{"Smith", "Katherine"} }, false, "name:swapped"},
		{"middle name", func(p *Particulars) { p.Name.Given = "Katherine Mary" }, false, "given:exact"},
		{"day and month swapped", func(p *Particulars) { p.DOB = Exact(MakeDate(2014, 3, 4)) }, false, "dob:day_month_swapped"},
		{"digit", func(p *Particulars) { p.DOB = Exact(MakeDate(2014, 4, 8)) }, false, "dob:typo"},
		{"year", func(p *Particulars) { p.DOB = Exact(MakeDate(2015, 4, 3)) }, false, "dob:typo"},
		{"estimated age, same home", func(p *Particulars) { p.DOB = FromEstimatedAge(MakeDate(2025, 1, 1), 10) }, false, "dob:consistent"},
		{"moved, same mother", func(p *Particulars) { p.Addresses = []Address{{Line: "4 Elm Close", Postcode: "MF9 9ZZ"}} }, true, "relatives:shared"},
		{"step-parent's surname, same mother", func(p *Particulars) { p.Name.Family = "Okafor" }, true, "family:differ"},
		{"postcode in the line", func(p *Particulars) { p.Addresses = []Address{{Line: "12 High St, Millford MF1 2AB"}} }, false, "address:same"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := kid()
			tc.change(&rec)
			var rr, pr []Relative
			if tc.rel {
				rr, pr = mum, mum
			}
			p := kid()
			c := s.Compare(&rec, rr, &p, pr, Env{})
			if !c.Strong() || c.Score < DefaultSureAt {
				t.Fatalf("score %.4f strong %v, want a sure match: %v", c.Score, c.Strong(), c.Reasons())
			}
			if !slices.Contains(c.Reasons(), tc.reason) {
				t.Fatalf("reasons %v lack %q", c.Reasons(), tc.reason)
			}
		})
	}
}

func TestScorerNotSure(t *testing.T) {
	s := NewScorer()
	for _, tc := range []struct {
		name   string
		change func(p *Particulars)
	}{
		// A twin: everything agrees but the given name.
		{"twin", func(p *Particulars) { p.Name.Given = "Charlotte" }},
		// A father and son of one name: the dates conflict.
		{"father", func(p *Particulars) { p.DOB = Exact(MakeDate(1984, 9, 21)) }},
		// Only a name and an age in common.
		{"namesake elsewhere", func(p *Particulars) {
			p.DOB = FromEstimatedAge(MakeDate(2025, 1, 1), 10)
			p.Addresses = []Address{{Line: "4 Elm Close", Postcode: "MF9 9ZZ"}}
		}},
		{"other sex", func(p *Particulars) { p.Sex = SexMale; p.Name.Given = "Kieran" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := kid()
			tc.change(&rec)
			p := kid()
			c := s.Compare(&rec, nil, &p, nil, Env{})
			if c.Strong() && c.Score >= DefaultSureAt {
				t.Fatalf("score %.4f, strong: a sure link where there must be none: %v", c.Score, c.Reasons())
			}
		})
	}
}

func TestScorerNameFrequency(t *testing.T) {
	s := NewScorer()
	rec, p := kid(), kid()
	p.Addresses = nil
	rare := s.Compare(&rec, nil, &p, nil, Env{Records: 1e6, NameCount: 1})
	common := s.Compare(&rec, nil, &p, nil, Env{Records: 1e6, NameCount: 5000})
	if !(rare.Score > common.Score) || rare.NameFreq <= 0 || common.NameFreq >= 0 {
		t.Fatalf("rare %.4f (%+.1f bits), common %.4f (%+.1f bits)", rare.Score, rare.NameFreq, common.Score, common.NameFreq)
	}
	small := s.Compare(&rec, nil, &p, nil, Env{Records: 1e4})
	big := s.Compare(&rec, nil, &p, nil, Env{Records: 1e7})
	if !(small.Score > big.Score) {
		t.Fatalf("a bigger index should need more evidence: %.6f vs %.6f", small.Score, big.Score)
	}
}

func TestReasonsHoldNoPersonalData(t *testing.T) {
	rec, p := kid(), kid()
	c := NewScorer().Compare(&rec, nil, &p, nil, Env{})
	for _, r := range c.Reasons() {
		for _, bad := range []string{"Katherine", "katherine", "Smith", "smith", "2014", "MF1"} {
			if slices.Contains([]string{r}, bad) || len(r) > 40 {
				t.Fatalf("reason %q", r)
			}
		}
	}
}
