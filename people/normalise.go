package people

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// special maps letters that do not decompose into a base letter and a
// combining mark (Polish ł, Danish ø, German ß ...).
var special = map[rune]string{
	'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'ß': "ss", 'ẞ': "ss", 'đ': "d", 'Đ': "d",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ı': "i", 'þ': "th", 'Þ': "th",
	'ð': "d", 'Ð': "d", 'ħ': "h", 'Ħ': "h", 'ŀ': "l", 'Ŀ': "l",
}

// Fold lowercases s, removes diacritics (é -> e, ł -> l), drops
// apostrophes (O'Brien -> obrien) and turns every other character that is
// not a letter of the Latin alphabet into a space, collapsing runs of
// spaces. Letters of other scripts are dropped: a name written in Arabic
// or Cyrillic script must be transliterated before it is compared.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading and repeated spaces
	put := func(c byte) {
		if c == ' ' {
			if space {
				return
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(c)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				put(c)
			case 'A' <= c && c <= 'Z':
				put(c + 'a' - 'A')
			case c == '\'' || c == '`':
				// O'Brien, D'Souza: the apostrophe joins.
			default:
				put(' ')
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '’' || r == 'ʼ' || r == '‘' {
			continue
		}
		if rep, ok := special[r]; ok {
			for j := 0; j < len(rep); j++ {
				put(rep[j])
			}
			continue
		}
		if !unicode.IsLetter(r) {
			if !unicode.Is(unicode.Mn, r) {
				put(' ')
			}
			continue
		}
		// Decompose and keep the ASCII base letters (é -> e + U+0301).
		var buf [utf8.UTFMax * 4]byte
		n := utf8.EncodeRune(buf[:], r)
		for _, d := range norm.NFKD.String(string(buf[:n])) {
			if d < utf8.RuneSelf {
				c := byte(d)
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if 'a' <= c && c <= 'z' {
					put(c)
				}
			}
		}
	}
	out := b.String()
	return strings.TrimRight(out, " ")
}

// StripAccents removes diacritics from s (José -> Jose, Łukasz ->
// Lukasz), keeping case and everything else.
func StripAccents(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if rep, ok := special[r]; ok {
			if unicode.IsUpper(r) {
				rep = strings.ToUpper(rep[:1]) + rep[1:]
			}
			b.WriteString(rep)
			continue
		}
		kept := false
		for _, d := range norm.NFD.String(string(r)) {
			if d < utf8.RuneSelf {
				b.WriteRune(d)
				kept = true
			}
		}
		if !kept {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NameTokens returns the normalised words of a name: folded (see Fold),
// with "Mac" spelt "mc" (MacDonald and McDonald are the same name to an
// officer), and "Mc", "Mac" and "O" joined to the word that follows
// ("Mc Donald", "O Brien").
func NameTokens(s string) []string {
	f := Fold(nameDigits.Replace(s))
	if f == "" {
		return nil
	}
	raw := strings.Fields(f)
	out := make([]string, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		if (t == "mc" || t == "mac" || t == "o") && i+1 < len(raw) {
			if t == "mac" {
				t = "mc"
			}
			t += raw[i+1]
			i++
		}
		if len(t) > 5 && strings.HasPrefix(t, "mac") && !isVowel(t[3]) {
			t = "mc" + t[3:]
		}
		out = append(out, t)
	}
	return out
}

// nameDigits reads digits inside a name as the letters they are taken
// for when handwriting or a scan is read (Vict0ria, Ru6y, 1ee): names
// hold no digits.
var nameDigits = strings.NewReplacer("0", "o", "1", "l", "2", "z", "3", "e", "4", "a", "5", "s", "6", "b", "7", "t", "8", "b", "9", "g")

// NormaliseName returns the name's tokens (NameTokens) joined by single
// spaces: the form in which two spellings are compared.
func NormaliseName(s string) string { return strings.Join(NameTokens(s), " ") }

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// NormalisePostcode returns a UK postcode in its standard form ("MF1 2AB":
// upper case, one space before the three-character inward code), or "" if
// s does not look like a postcode. Common slips are mended: a letter O
// where the inward code's digit belongs.
func NormalisePostcode(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	if len(b) < 5 || len(b) > 7 {
		return ""
	}
	in := b[len(b)-3:]
	if in[0] == 'O' {
		in[0] = '0'
	}
	if !isDigit(in[0]) || !isLetter(in[1]) || !isLetter(in[2]) {
		return ""
	}
	out := b[:len(b)-3]
	if !isLetter(out[0]) {
		return ""
	}
	for _, c := range out[1:] {
		if !isDigit(c) && !isLetter(c) {
			return ""
		}
	}
	// The outward code has a digit after its one or two area letters.
	if !isDigit(out[1]) && (len(out) < 3 || !isDigit(out[2])) {
		return ""
	}
	return string(out) + " " + string(in)
}

// PostcodeDistrict returns the outward code of a normalised postcode
// ("MF1 2AB" -> "MF1").
func PostcodeDistrict(pc string) string {
	if i := strings.IndexByte(pc, ' '); i > 0 {
		return pc[:i]
	}
	return ""
}

// PostcodeSector returns the outward code and the inward digit ("MF1 2").
func PostcodeSector(pc string) string {
	if i := strings.IndexByte(pc, ' '); i > 0 && i+1 < len(pc) {
		return pc[:i+2]
	}
	return ""
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

// NormalisePhone returns the digits of a UK phone number in national form
// ("+44 7700 900123" and "07700900123" both give "07700900123"), or "" if
// fewer than 9 digits remain.
func NormalisePhone(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	d := string(b)
	switch {
	case strings.HasPrefix(d, "0044"):
		d = "0" + d[4:]
	case strings.HasPrefix(d, "44") && len(d) >= 12:
		d = "0" + d[2:]
	}
	if len(d) < 9 || len(d) > 15 {
		return ""
	}
	return d
}

// NormaliseVehicle returns a registration mark without spaces, upper case
// ("ab12 cde" -> "AB12CDE"), or "" if none is left.
func NormaliseVehicle(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// NormaliseHandle returns an online handle lowercased, without a leading
// "@" and surrounding space.
func NormaliseHandle(s string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "@")
}

// streetWords shortens the usual words of a UK address line.
var streetWords = map[string]string{
	"street": "st", "road": "rd", "avenue": "ave", "av": "ave", "close": "cl", "lane": "ln",
	"drive": "dr", "court": "ct", "crescent": "cres", "place": "pl", "gardens": "gdns",
	"terrace": "ter", "grove": "gr", "square": "sq", "walk": "wlk", "way": "way",
	"flat": "flat", "apartment": "flat", "apt": "flat", "house": "ho", "north": "n",
	"south": "s", "east": "e", "west": "w", "mount": "mt", "park": "pk", "green": "grn",
}

// NormaliseAddressLine folds an address line (as Fold, keeping digits)
// and shortens the usual street words ("12 High Street" -> "12 high st").
func NormaliseAddressLine(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c == '\'':
			default:
				b = append(b, ' ')
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '’' {
			continue
		}
		b = append(b, Fold(string(r))...)
	}
	words := strings.Fields(string(b))
	for i, w := range words {
		if r, ok := streetWords[w]; ok {
			words[i] = r
		}
	}
	return strings.Join(words, " ")
}

// Premises returns the numbers in a normalised address line ("flat 3 12
// high st" -> "3 12"): with the postcode they tell one dwelling from
// another.
func Premises(line string) string {
	var nums []string
	for _, w := range strings.Fields(line) {
		if isDigit(w[0]) {
			nums = append(nums, w)
		}
	}
	return strings.Join(nums, " ")
}
