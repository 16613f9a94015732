package people

import "testing"

func TestIdentifierChecks(t *testing.T) {
	cases := []struct {
		id   Identifier
		want string // canonical, "" when malformed
		why  string
	}{
		{Identifier{Kind: IDNHS, Value: "943 476 5919"}, "9434765919", ""},
		{Identifier{Kind: IDNHS, Value: "943-476-5910"}, "", "nhs:bad_check_digit"},
		{Identifier{Kind: IDNHS, Value: "94347659"}, "", "nhs:malformed"},
		{Identifier{Kind: IDPNC, Value: "12/345678U"}, "12/0345678U", ""},
		{Identifier{Kind: IDPNC, Value: "2012/0345678u"}, "12/0345678U", ""},
		{Identifier{Kind: IDPNC, Value: "12/345678T"}, "", "pnc:bad_check_letter"},
		{Identifier{Kind: IDPNC, Value: "12345678U"}, "", "pnc:malformed"},
		{Identifier{Kind: IDUPN, Value: "J201234512001"}, "J201234512001", ""},
		{Identifier{Kind: IDUPN, Value: "K201234512001"}, "", "upn:bad_check_letter"},
		{Identifier{Kind: IDUPN, Value: "J2012345120"}, "", "upn:malformed"},
		{Identifier{Kind: IDLocal, System: "LCS", Value: "case 77"}, "lcs:CASE77", ""},
		{Identifier{Kind: IDLocal, Value: "77"}, "", "local:no_system"},
	}
	for _, c := range cases {
		got, why := c.id.Canonical()
		if got != c.want || why != c.why {
			t.Errorf("%+v: got %q %q, want %q %q", c.id, got, why, c.want, c.why)
		}
	}
}

func TestAddressParts(t *testing.T) {
	for line, want := range map[string][2]string{
		"flat 2 14 high st newtown": {"high st", "newtown"},
		"12 high st millford":       {"high st", "millford"},
		"12 acacia":                 {"acacia", ""},
		"":                          {"", ""},
	} {
		s, tw := AddressParts(line)
		if s != want[0] || tw != want[1] {
			t.Errorf("%q: %q %q, want %q", line, s, tw, want)
		}
	}
}

func TestParseAge(t *testing.T) {
	seen := MakeDate(2025, 6, 1)
	for _, s := range []string{"8", "about 8", "8-10", "8 to 10", "approx 35 years"} {
		if d, ok := ParseAge(s, seen); !ok || !d.Estimated() {
			t.Errorf("%q: %v %v", s, d, ok)
		}
	}
	for _, s := range []string{"", "unknown", "8-x"} {
		if _, ok := ParseAge(s, seen); ok {
			t.Errorf("%q read as an age", s)
		}
	}
}
