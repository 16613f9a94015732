package people

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseFullName(t *testing.T) {
	for in, want := range map[string]Name{
		"Mia Rose Fairweather":  {"Mia Rose", "Fairweather"},
		"FAIRWEATHER, Mia Rose": {"Mia Rose", "FAIRWEATHER"},
		"  Ahmed   Al Hassan ":  {"Ahmed", "Al Hassan"},
		"Sophie van der Berg":   {"Sophie", "van der Berg"},
		"Osama bin Laden-Smith": {"Osama", "bin Laden-Smith"},
		"Kai":                   {"Kai", ""},
		"O'Brien, Seán":         {"Seán", "O'Brien"},
		"Mohammed Ali Khan":     {"Mohammed Ali", "Khan"},
		"":                      {},
		"   ":                   {},
		"De Souza":              {"De", "Souza"}, // two words: forename and surname
		"Smith,":                {"Smith", ""},
	} {
		if got := ParseFullName(in); got != want {
			t.Errorf("ParseFullName(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestParseAliases(t *testing.T) {
	got := ParseAliases("Mo; Mohammed Ali Khan, KHAN, Mo / Moe\nM. Khan")
	want := []Name{{"Mo", ""}, {"Mohammed Ali", "Khan"}, {"Mo", "KHAN"}, {"Moe", ""}, {"M.", "Khan"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseAliases = %+v\nwant %+v", got, want)
	}
}

func TestParseAddress(t *testing.T) {
	for in, want := range map[string]Address{
		"Flat 3, 14 Larch Close, Oakbridge OB4 7QT":                   {"Flat 3, 14 Larch Close, Oakbridge", "OB4 7QT"},
		"Same as incident: Flat 3, 14 Larch Close, Oakbridge OB4 7QT": {"Same as incident: Flat 3, 14 Larch Close, Oakbridge", "OB4 7QT"},
		"12 High St, Millford, mf12ab.":                               {"12 High St, Millford", "MF1 2AB"},
		"SW1A 1AA, 10 Downing Street":                                 {"10 Downing Street", "SW1A 1AA"},
		"9 Elm Court, Millford":                                       {"9 Elm Court, Millford", ""},
		"":                                                            {},
	} {
		if got := ParseAddress(in); got != want {
			t.Errorf("ParseAddress(%q) = %+v, want %+v", in, got, want)
		}
	}
	if got := ParseAddresses("1 A Road MF1 1AA\n2 B Street MF2 2BB; no fixed abode"); len(got) != 3 || got[1].Postcode != "MF2 2BB" {
		t.Errorf("ParseAddresses = %+v", got)
	}
}

func TestParseObjects(t *testing.T) {
	if got := ParsePhones("07700 900123 / +44 7700 900456 or 999, unknown"); !reflect.DeepEqual(got, []string{"07700 900123", "+44 7700 900456"}) {
		t.Errorf("ParsePhones = %q", got)
	}
	if got := ParseVehicles("AB12 CDE, silver Golf; YX65ABC"); !reflect.DeepEqual(got, []string{"AB12CDE", "YX65ABC"}) {
		t.Errorf("ParseVehicles = %q", got)
	}
	want := []Account{{"snapchat", "kai_h2010"}, {"instagram", "@kaih"}, {"", "@mia.f"}}
	if got := ParseAccounts("Snapchat: kai_h2010, @kaih on Instagram; @mia.f, some words here"); !reflect.DeepEqual(got, want) {
		t.Errorf("ParseAccounts = %+v", got)
	}
}

// FuzzParseFreeText checks the parsers of the checklist's free-text boxes
// never panic and only return what was written (no invented text).
func FuzzParseFreeText(f *testing.F) {
	for _, s := range []string{"FAIRWEATHER, Mia Rose", "Flat 3, 14 Larch Close OB4 7QT", "07700 900123 / 0161 496 0000",
		"snapchat: kai", "a,b,,c;;/", "Ahmed Al", "\xff, \xfe", "AB12 CDE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := func(x string) bool {
			for _, w := range strings.Fields(x) {
				if !strings.Contains(s, strings.Trim(w, ",")) {
					return false
				}
			}
			return true
		}
		n := ParseFullName(s)
		if !words(n.Given) || !words(n.Family) {
			t.Fatalf("ParseFullName(%q) = %+v", s, n)
		}
		for _, a := range ParseAliases(s) {
			if a.IsZero() || !words(a.Given) || !words(a.Family) {
				t.Fatalf("ParseAliases(%q) gave %+v", s, a)
			}
		}
		a := ParseAddress(s)
		if a.Postcode != "" && NormalisePostcode(a.Postcode) != a.Postcode {
			t.Fatalf("ParseAddress(%q) postcode %q", s, a.Postcode)
		}
		for _, p := range ParsePhones(s) {
			if NormalisePhone(p) == "" || !strings.Contains(s, p) {
				t.Fatalf("ParsePhones(%q) gave %q", s, p)
			}
		}
		ParseVehicles(s)
		for _, acc := range ParseAccounts(s) {
			if acc.Handle == "" || strings.ContainsAny(acc.Handle, " \t\n") {
				t.Fatalf("ParseAccounts(%q) gave %+v", s, acc)
			}
		}
	})
}
