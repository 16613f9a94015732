package people

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormaliseName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  O'Brien ", "obrien"},
		{"O’BRIEN", "obrien"},
		{"O Brien", "obrien"},
		{"MacDonald", "mcdonald"},
		{"Mac Donald", "mcdonald"},
		{"mc donald", "mcdonald"},
		{"Mack", "mack"},   // too short to be Mac-
		{"Macey", "macey"}, // Mac + vowel: not the prefix
		{"Smith-Jones", "smith jones"},
		{"José  Álvarez", "jose alvarez"},
		{"Łukasz Wiśniewski", "lukasz wisniewski"},
		{"Zoë", "zoe"},
		{"Søren Ærø", "soren aero"},
		{"Straße", "strasse"},
		{"D'Souza", "dsouza"},
		{"AL-HASSAN", "al hassan"},
		{"Mohammed  (Mo)", "mohammed mo"},
		{"محمد", ""}, // another script: transliterate first
		{"", ""},
	} {
		if got := NormaliseName(tc.in); got != tc.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStripAccents(t *testing.T) {
	for in, want := range map[string]string{"José": "Jose", "Łukasz": "Lukasz", "ŁUKASZ": "LUKASZ", "Ševčenko": "Sevcenko", "O'Brien": "O'Brien", "Straße": "Strasse"} {
		if got := StripAccents(in); got != want {
			t.Errorf("StripAccents(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalisePostcode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"mf1 2ab", "MF1 2AB"},
		{"MF12AB", "MF1 2AB"},
		{"SW1A 1AA", "SW1A 1AA"},
		{"sw1a1aa", "SW1A 1AA"},
		{"M1 1AE", "M1 1AE"},
		{"B33 8TH", "B33 8TH"},
		{"CR2 6XH", "CR2 6XH"},
		{"DN55 1PT", "DN55 1PT"},
		{"MF1 OAB", "MF1 0AB"}, // letter O typed for zero
		{"12345", ""},
		{"MF1", ""},
		{"not a postcode", ""},
		{"", ""},
	} {
		if got := NormalisePostcode(tc.in); got != tc.want {
			t.Errorf("NormalisePostcode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if d, s := PostcodeDistrict("MF1 2AB"), PostcodeSector("MF1 2AB"); d != "MF1" || s != "MF1 2" {
		t.Errorf("district %q sector %q", d, s)
	}
}

func TestNormalisePhoneVehicleHandle(t *testing.T) {
	for in, want := range map[string]string{
		"07700 900123": "07700900123", "+44 7700 900123": "07700900123", "0044 7700 900 123": "07700900123",
		"(0161) 496 0000": "01614960000", "999": "",
	} {
		if got := NormalisePhone(in); got != want {
			t.Errorf("NormalisePhone(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormaliseVehicle("ab12 cde"); got != "AB12CDE" {
		t.Errorf("NormaliseVehicle = %q", got)
	}
	if got := NormaliseHandle(" @Kai_H2010 "); got != "kai_h2010" {
		t.Errorf("NormaliseHandle = %q", got)
	}
}

func TestNormaliseAddressLine(t *testing.T) {
	for in, want := range map[string]string{
		"12 High Street, Millford":   "12 high st millford",
		"12 HIGH ST., MILLFORD":      "12 high st millford",
		"Flat 3, 27 Station Road":    "flat 3 27 station rd",
		"Apartment 3, 27 Station Rd": "flat 3 27 station rd",
		"12a Rue de l'Église":        "12a rue de leglise",
	} {
		if got := NormaliseAddressLine(in); got != want {
			t.Errorf("NormaliseAddressLine(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Premises("flat 3 27 station rd"); got != "3 27" {
		t.Errorf("Premises = %q", got)
	}
}

// FuzzNormaliseName checks the normaliser's promises on any input: only
// a-z and single spaces, idempotent, and a phonetic key of A-Z for each
// word.
func FuzzNormaliseName(f *testing.F) {
	for _, s := range []string{"O'Brien", "Mac Donald", "Łukasz", "José-María", "محمد علی", "\xff\xfe", "mc o brien", "  ", "Ævar Þór"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormaliseName(s)
		if strings.Contains(n, "  ") || strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") {
			t.Fatalf("spacing in %q", n)
		}
		for i := 0; i < len(n); i++ {
			if c := n[i]; c != ' ' && (c < 'a' || c > 'z') {
				t.Fatalf("NormaliseName(%q) = %q has %q", s, n, c)
			}
		}
		if again := NormaliseName(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		for _, w := range strings.Fields(n) {
			k := Phonetic(w)
			if len(k) == 0 || len(k) > 10 {
				t.Fatalf("Phonetic(%q) = %q", w, k)
			}
			for i := 0; i < len(k); i++ {
				if k[i] < 'A' || k[i] > 'Z' {
					t.Fatalf("Phonetic(%q) = %q", w, k)
				}
			}
		}
		if a := StripAccents(s); utf8.ValidString(s) && !utf8.ValidString(a) {
			t.Fatalf("StripAccents(%q) = %q: invalid UTF-8", s, a)
		}
	})
}

// FuzzNormalisePostcode checks a normalised postcode is well formed and
// normalises to itself.
func FuzzNormalisePostcode(f *testing.F) {
	for _, s := range []string{"MF1 2AB", "sw1a1aa", "MF1 OAB", "", "A1 1AA", "AA11A 1AA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pc := NormalisePostcode(s)
		if pc == "" {
			return
		}
		if NormalisePostcode(pc) != pc {
			t.Fatalf("%q -> %q -> %q", s, pc, NormalisePostcode(pc))
		}
		if d := PostcodeDistrict(pc); d == "" || len(pc)-len(d) != 4 {
			t.Fatalf("district of %q = %q", pc, d)
		}
	})
}
