package people

import (
	"strconv"
	"strings"
)

// IDKind is the scheme of a typed identifier on a person.
type IDKind string

// Identifier schemes.
const (
	// IDNHS is the NHS number: ten digits, the last a modulus-11 check
	// digit (NHS Digital's data dictionary).
	IDNHS IDKind = "nhs"
	// IDPNC is the Police National Computer ID: a year, a slash, a
	// serial of up to seven digits and a check letter ("12/345678T").
	IDPNC IDKind = "pnc"
	// IDUPN is the school unique pupil number (DfE): a check letter,
	// eleven digits and a digit or (temporary UPNs) a letter.
	IDUPN IDKind = "upn"
	// IDLocal is a local system's reference (a social care case number,
	// a force's local nominal id); System names the system. It has no
	// check character, so only its system and spelling are checked.
	IDLocal IDKind = "local"
)

// Identifier is a typed identifier recorded for a person. Value is as
// written; Canonical gives the form compared.
type Identifier struct {
	Kind   IDKind `json:"kind"`
	Value  string `json:"value"`
	System string `json:"system,omitempty"` // IDLocal only
}

// Canonical returns the identifier in its compared form and "" with a
// reason code when it is malformed (wrong length, bad check character):
// a malformed identifier is ignored by the matcher, never held against a
// match. Reason codes never hold the value.
func (id Identifier) Canonical() (string, string) {
	v := strings.ToUpper(strings.Join(strings.FieldsFunc(id.Value, func(r rune) bool {
		return r == ' ' || r == '-' || r == '\t'
	}), ""))
	switch id.Kind {
	case IDNHS:
		return CanonicalNHS(v)
	case IDPNC:
		return CanonicalPNC(v)
	case IDUPN:
		return CanonicalUPN(v)
	case IDLocal:
		sys := strings.ToLower(strings.TrimSpace(id.System))
		if sys == "" {
			return "", "local:no_system"
		}
		if v == "" || len(v) > 64 {
			return "", "local:malformed"
		}
		return sys + ":" + v, ""
	}
	return "", "id:unknown_kind"
}

// CanonicalNHS checks an NHS number (spaces and dashes already removed):
// ten digits whose weighted sum (weights 10 down to 2 over the first
// nine) gives the tenth by 11 - sum mod 11 (11 means 0; 10 is never
// issued).
func CanonicalNHS(v string) (string, string) {
	if len(v) != 10 || !allDigits(v) {
		return "", "nhs:malformed"
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(v[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || check != int(v[9]-'0') {
		return "", "nhs:bad_check_digit"
	}
	return v, ""
}

// pncLetters are the PNC ID check characters by remainder mod 23 (I, O
// and S are not used).
const pncLetters = "ZABCDEFGHJKLMNPQRTUVWXY"

// CanonicalPNC checks a PNC ID ("YY/NNNNNNNC" or "YYYY/NNNNNNNC"): the
// check letter is pncLetters[n mod 23] where n is the two-digit year
// followed by the serial padded to seven digits. The canonical form is
// "YY/NNNNNNNC".
func CanonicalPNC(v string) (string, string) {
	year, rest, ok := strings.Cut(v, "/")
	if !ok || (len(year) != 2 && len(year) != 4) || !allDigits(year) || len(rest) < 2 || len(rest) > 8 {
		return "", "pnc:malformed"
	}
	serial, check := rest[:len(rest)-1], rest[len(rest)-1]
	if !allDigits(serial) {
		return "", "pnc:malformed"
	}
	yy := year[len(year)-2:]
	serial = strings.Repeat("0", 7-len(serial)) + serial
	n, err := strconv.ParseInt(yy+serial, 10, 64)
	if err != nil {
		return "", "pnc:malformed"
	}
	if pncLetters[n%23] != check {
		return "", "pnc:bad_check_letter"
	}
	return yy + "/" + serial + string(check), ""
}

// upnLetters are the UPN check letters by remainder mod 23 (and the values
// of a temporary UPN's last letter).
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// CanonicalUPN checks a unique pupil number: thirteen characters, a check
// letter then twelve characters (eleven digits and a digit or a letter);
// the check letter is upnLetters[sum mod 23], where sum weighs the
// characters 2 to 13 by their positions 2 to 13 (a letter counts as its
// place in upnLetters).
func CanonicalUPN(v string) (string, string) {
	if len(v) != 13 || !allDigits(v[1:12]) {
		return "", "upn:malformed"
	}
	sum := 0
	for i := 1; i < 13; i++ {
		c := v[i]
		val := int(c - '0')
		if !isDigit(c) {
			val = strings.IndexByte(upnLetters, c)
			if i != 12 || val < 0 {
				return "", "upn:malformed"
			}
		}
		sum += val * (i + 1)
	}
	if upnLetters[sum%23] != v[0] {
		return "", "upn:bad_check_letter"
	}
	return v, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// pid is an identifier made ready for comparison.
type pid struct {
	kind IDKind
	sys  string // IDLocal: the system, so refs of two systems never compare
	v    string
}

// prepIDs returns the valid identifiers, and the reason codes of those
// ignored as malformed.
func prepIDs(ids []Identifier) (valid []pid, ignored []string) {
	for _, id := range ids {
		c, why := id.Canonical()
		if why != "" {
			if id.Value != "" {
				ignored = append(ignored, why)
			}
			continue
		}
		p := pid{kind: id.Kind, v: c}
		if id.Kind == IDLocal {
			p.sys, _, _ = strings.Cut(c, ":")
		}
		dup := false
		for _, q := range valid {
			dup = dup || q == p
		}
		if !dup {
			valid = append(valid, p)
		}
	}
	return valid, ignored
}

// IDAgreement is how the identifiers of two records compare.
type IDAgreement int8

// Identifier agreements.
const (
	IDNone   IDAgreement = 0  // no scheme valid on both sides
	IDAgree  IDAgreement = 1  // a scheme valid on both sides agrees
	IDDiffer IDAgreement = -1 // a scheme valid on both sides disagrees, none agrees
)

// compareIDs compares valid identifiers scheme by scheme: any agreement
// wins (a person may hold two local refs), else any disagreement of a
// national scheme (one NHS number each) or of one local system counts
// against. kinds lists the schemes compared, for the reasons.
func compareIDs(a, b []pid) (IDAgreement, []string) {
	agree, differ := false, false
	var why []string
	for _, x := range a {
		for _, y := range b {
			if x.kind != y.kind || x.sys != y.sys {
				continue
			}
			if x.v == y.v {
				if !agree {
					why = append(why, string(x.kind)+":agree")
				}
				agree = true
			} else {
				differ = true
			}
		}
	}
	switch {
	case agree:
		return IDAgree, why
	case differ:
		for _, x := range a {
			for _, y := range b {
				if x.kind == y.kind && x.sys == y.sys {
					why = append(why, string(x.kind)+":differ")
					return IDDiffer, why
				}
			}
		}
	}
	return IDNone, nil
}
