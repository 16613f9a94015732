package people

import (
	"strings"
	"unicode"
)

// particles join the word after them into a family name ("Van Dijk",
// "Al Hassan", "bin Laden" are surnames, not a middle name and a
// surname).
var particles = map[string]bool{
	"van": true, "von": true, "de": true, "der": true, "den": true, "da": true, "del": true, "della": true,
	"di": true, "du": true, "le": true, "la": true, "al": true, "el": true, "bin": true, "ibn": true,
	"bint": true, "abu": true, "st": true, "ter": true, "ten": true, "dos": true, "das": true,
}

// ParseFullName splits a name written in one box (as the checklist asks
// for it) into forenames and family name: "Mia Rose Fairweather" gives
// Mia Rose / Fairweather; "FAIRWEATHER, Mia Rose" (the police convention
// of the surname first, with a comma) gives the same; particles stay with
// the family name ("Ahmed Al Hassan" gives Ahmed / Al Hassan). A single
// word is taken as a forename. Spelling and case are kept (normalising is
// the matcher's business).
func ParseFullName(s string) Name {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' }), " ")
	if s == "" {
		return Name{}
	}
	if fam, given, ok := strings.Cut(s, ","); ok {
		fam, given = strings.TrimSpace(fam), strings.TrimSpace(strings.ReplaceAll(given, ",", " "))
		if fam != "" && given != "" {
			return Name{Given: strings.Join(strings.Fields(given), " "), Family: fam}
		}
		s = strings.TrimSpace(fam + " " + given)
	}
	w := strings.Fields(s)
	switch len(w) {
	case 0:
		return Name{}
	case 1:
		return Name{Given: w[0]}
	}
	i := len(w) - 1
	for i > 1 && particles[strings.ToLower(strings.Trim(w[i-1], ".'’"))] {
		i--
	}
	return Name{Given: strings.Join(w[:i], " "), Family: strings.Join(w[i:], " ")}
}

// splitList splits free text holding several items ("07700 900123 /
// 07700 900456", "Mo; Mohammed Ali") at commas, semicolons, slashes,
// newlines and the word "or".
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '\n' || r == '|' })
	var out []string
	for _, p := range parts {
		for _, q := range strings.Split(p, " or ") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

// ParseAliases reads the other names a person uses, written as a list
// ("Mo; Mohammed Ali Khan, KHAN, Mo"): items are separated by semicolons,
// slashes, new lines or commas, except the comma of the surname-first
// convention (one word in capitals before it).
func ParseAliases(s string) []Name {
	var out []Name
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '/' || r == '\n' || r == '|' }) {
		var items []string
		for rest := part; rest != ""; {
			before, after, ok := strings.Cut(rest, ",")
			if !ok {
				items = append(items, rest)
				break
			}
			if capitalWord(before) && strings.TrimSpace(after) != "" {
				// "KHAN, Mo": up to the next comma is one name.
				name, more, _ := strings.Cut(after, ",")
				items = append(items, before+","+name)
				rest = more
				continue
			}
			items = append(items, before)
			rest = after
		}
		for _, it := range items {
			if n := ParseFullName(it); !n.IsZero() {
				out = append(out, n)
			}
		}
	}
	return out
}

// capitalWord reports whether s is one word of capital letters.
func capitalWord(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t") {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 1
}

// ParseAddress reads an address written in one box: the UK postcode is
// found wherever it is (usually at the end) and the rest is the line.
func ParseAddress(s string) Address {
	f := strings.Fields(s)
	for i := len(f) - 1; i >= 0; i-- {
		// A postcode written as one word ("OB47QT") or as two.
		if pc := NormalisePostcode(strings.Trim(f[i], ",.;")); pc != "" && strings.ContainsAny(f[i], "0123456789") && len(strings.Trim(f[i], ",.;")) >= 5 {
			return Address{Line: strings.TrimRight(strings.Join(append(f[:i:i], f[i+1:]...), " "), ", "), Postcode: pc}
		}
		if i > 0 {
			out, in := strings.Trim(f[i-1], ",.;"), strings.Trim(f[i], ",.;")
			if len(in) == 3 && len(out) >= 2 && len(out) <= 4 {
				if pc := NormalisePostcode(out + in); pc != "" {
					rest := append(f[:i-1:i-1], f[i+1:]...)
					return Address{Line: strings.TrimRight(strings.Join(rest, " "), ", "), Postcode: pc}
				}
			}
		}
	}
	return Address{Line: strings.Join(f, " ")}
}

// ParseAddresses reads several addresses, one a line or separated by
// semicolons.
func ParseAddresses(s string) []Address {
	var out []Address
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if a := ParseAddress(p); a.Line != "" || a.Postcode != "" {
			out = append(out, a)
		}
	}
	return out
}

// ParsePhones reads phone numbers written as a list; what is not a phone
// number is dropped.
func ParsePhones(s string) []string {
	var out []string
	for _, p := range splitList(s) {
		if NormalisePhone(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseVehicles reads registration marks written as a list ("AB12 CDE,
// silver Golf" keeps AB12 CDE: a mark has letters and digits, at most
// eight of them).
func ParseVehicles(s string) []string {
	var out []string
	for _, p := range splitList(s) {
		for _, cand := range []string{p, firstTwoWords(p), firstWord(p)} {
			v := NormaliseVehicle(cand)
			if len(v) >= 2 && len(v) <= 8 && strings.ContainsAny(v, "0123456789") && strings.IndexFunc(v, unicode.IsLetter) >= 0 {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

func firstTwoWords(s string) string {
	if f := strings.Fields(s); len(f) > 1 {
		return f[0] + f[1]
	}
	return ""
}

// ParseAccounts reads online accounts written as a list ("snapchat:
// kai_h2010, @kaih on Instagram").
func ParseAccounts(s string) []Account {
	var out []Account
	for _, p := range splitList(s) {
		a := Account{}
		if svc, h, ok := strings.Cut(p, ":"); ok {
			a.Service, a.Handle = strings.ToLower(strings.TrimSpace(svc)), strings.TrimSpace(h)
		} else if h, svc, ok := strings.Cut(p, " on "); ok {
			a.Service, a.Handle = strings.ToLower(strings.TrimSpace(svc)), strings.TrimSpace(h)
		} else {
			a.Handle = strings.TrimSpace(p)
		}
		if f := strings.Fields(a.Handle); len(f) == 1 {
			a.Handle = f[0]
			out = append(out, a)
		}
	}
	return out
}
