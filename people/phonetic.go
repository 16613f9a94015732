package people

// Phonetic returns a sound key for one normalised name token (lower-case
// a-z, as NameTokens gives): its consonant skeleton after the spelling
// rules that transliteration and English spelling blur. Spellings of one
// name share a key: Mohammed, Muhammad, Mohamed and Mehmet give "MMT";
// Aleksandr, Alexander and Oleksandr give "ALKSNTR"; Yusuf, Youssef and
// Joseph give "JSF"; Katherine, Catherine and Kathryn give "KTRN".
//
// It is in the family of Metaphone (Philips, 1990) but smaller and tuned
// for the names met in UK policing (English, South Asian, Arabic, Slavic,
// West African): vowels count only at the start (as "A"); d and t merge,
// as do v, w-before-a-vowel and f, z and s, and sh, sch, sz and s; c, ch,
// q, k and kh merge as K (initial ch and Polish cz are "X"); a g before
// e, i or y sounds as J, a y starting a name before a vowel as J; h is heard only at
// the start. Letters repeated without a vowel between count once.
//
// Characters other than a-z are skipped. The key is at most 10 letters.
func Phonetic(tok string) string {
	s := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; 'a' <= c && c <= 'z' {
			s = append(s, c)
		}
	}
	if len(s) == 0 {
		return ""
	}
	// Silent initial letters.
	if len(s) > 2 {
		switch string(s[:2]) {
		case "kn", "gn", "pn", "wr", "ps":
			s = s[1:]
		case "wh":
			s = append(s[:1], s[2:]...)
		}
	}
	at := func(i int) byte {
		if i >= 0 && i < len(s) {
			return s[i]
		}
		return 0
	}
	vowel := func(c byte) bool {
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			return true
		}
		return false
	}
	const maxKey = 10
	out := make([]byte, 0, 8)
	var last byte // last code emitted since the last vowel
	emit := func(c byte) {
		if c != last && len(out) < maxKey {
			out = append(out, c)
		}
		last = c
	}
	for i := 0; i < len(s); i++ {
		c, next := s[i], at(i+1)
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			if i == 0 {
				emit('A')
			}
			last = 0
		case 'y':
			if i == 0 && vowel(next) {
				emit('J')
			} else if i == 0 {
				emit('A')
			}
			last = 0
		case 'b':
			emit('B')
		case 'c':
			switch {
			case next == 'h':
				if i == 0 {
					emit('X')
				} else {
					emit('K')
				}
				i++
			case next == 'z':
				emit('X')
				i++
			case next == 'e' || next == 'i' || next == 'y':
				emit('S')
			case next == 'k' || next == 'q':
				emit('K')
				i++
			default:
				emit('K')
			}
		case 'd':
			if next == 'g' && (at(i+2) == 'e' || at(i+2) == 'i' || at(i+2) == 'y') {
				emit('J')
				i++
			} else {
				emit('T')
				if next == 'h' {
					i++
				}
			}
		case 'f':
			emit('F')
		case 'g':
			switch {
			case next == 'h':
				if i == 0 {
					emit('K')
				}
				i++ // gh: silent inside a word (Hugh, Leigh)
			case next == 'e' || next == 'i' || next == 'y':
				emit('J')
			case next == 'n' && i+2 == len(s):
				// final -gn: the g is silent
			default:
				emit('K')
			}
		case 'h':
			if i == 0 && vowel(next) {
				emit('H')
			}
		case 'j':
			emit('J')
		case 'k':
			emit('K')
			if next == 'h' {
				i++
			}
		case 'l':
			emit('L')
		case 'm':
			emit('M')
		case 'n':
			emit('N')
		case 'p':
			if next == 'h' {
				emit('F')
				i++
			} else {
				emit('P')
			}
		case 'q':
			emit('K')
		case 'r':
			emit('R')
		case 's':
			switch {
			case next == 'h', next == 'z':
				i++
			case next == 'c' && at(i+2) == 'h':
				i += 2
			}
			emit('S')
		case 't':
			switch {
			case next == 'h':
				i++
			case next == 'c' && at(i+2) == 'h':
				emit('X')
				i += 2
				continue
			}
			emit('T')
		case 'v':
			emit('F')
		case 'w':
			if vowel(next) {
				emit('F')
			}
		case 'x':
			if i == 0 {
				emit('S')
			} else {
				emit('K')
				emit('S')
			}
		case 'z':
			if next == 'h' {
				emit('J')
				i++
			} else {
				emit('S')
			}
		}
	}
	if len(out) == 0 {
		// Only silent letters ("h", "wh"): keep the first.
		out = append(out, s[0]-'a'+'A')
	}
	return string(out)
}
