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
	s = dropSilentStart(s)
	k := phoneticKey{s: s}
	for i := 0; i < len(s); i++ {
		i = k.letter(i)
	}
	if k.n == 0 {
		// Only silent letters ("h", "wh"): keep the first.
		k.out[0], k.n = s[0]-'a'+'A', 1
	}
	return string(k.out[:k.n])
}

// dropSilentStart drops the silent letter of an initial kn, gn, pn, wr,
// ps or wh.
func dropSilentStart(s []byte) []byte {
	if len(s) > 2 {
		switch string(s[:2]) {
		case "kn", "gn", "pn", "wr", "ps":
			s = s[1:]
		case "wh":
			s = append(s[:1], s[2:]...)
		}
	}
	return s
}

// maxPhoneticKey is the most letters a Phonetic key has.
const maxPhoneticKey = 10

// plainCodes are the letters that always sound the same, whatever is
// around them (0: the letter has its own rule in letter).
var plainCodes = [26]byte{
	'b' - 'a': 'B', 'f' - 'a': 'F', 'j' - 'a': 'J', 'l' - 'a': 'L', 'm' - 'a': 'M',
	'n' - 'a': 'N', 'q' - 'a': 'K', 'r' - 'a': 'R', 'v' - 'a': 'F',
}

// phoneticKey builds a Phonetic key from the letters s.
type phoneticKey struct {
	s    []byte
	out  [maxPhoneticKey]byte // the key so far: out[:n]
	n    int
	last byte // last code emitted since the last vowel
}

// at returns s[i], 0 past either end.
func (k *phoneticKey) at(i int) byte {
	if i >= 0 && i < len(k.s) {
		return k.s[i]
	}
	return 0
}

// phoneticVowel says whether c is a vowel (y included).
func phoneticVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// emit adds code c unless it repeats the last code since a vowel or the
// key is full.
func (k *phoneticKey) emit(c byte) {
	if c != k.last && k.n < maxPhoneticKey {
		k.out[k.n] = c
		k.n++
	}
	k.last = c
}

// letter codes the letter at i and returns the index of the last letter
// it used (i, or more when letters after it go with it: ch, dg, sch…).
func (k *phoneticKey) letter(i int) int {
	c, next := k.s[i], k.at(i+1)
	if code := plainCodes[c-'a']; code != 0 {
		k.emit(code)
		return i
	}
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		if i == 0 {
			k.emit('A')
		}
		k.last = 0
	case 'y':
		if i == 0 && phoneticVowel(next) {
			k.emit('J')
		} else if i == 0 {
			k.emit('A')
		}
		k.last = 0
	case 'c':
		return k.letterC(i, next)
	case 'd':
		return k.letterD(i, next)
	case 'g':
		return k.letterG(i, next)
	case 'h':
		if i == 0 && phoneticVowel(next) {
			k.emit('H')
		}
	case 'k':
		k.emit('K')
		if next == 'h' {
			i++
		}
	case 'p':
		if next == 'h' {
			k.emit('F')
			i++
		} else {
			k.emit('P')
		}
	case 's':
		return k.letterS(i, next)
	case 't':
		return k.letterT(i, next)
	case 'w':
		if phoneticVowel(next) {
			k.emit('F')
		}
	case 'x':
		if i == 0 {
			k.emit('S')
		} else {
			k.emit('K')
			k.emit('S')
		}
	case 'z':
		if next == 'h' {
			k.emit('J')
			i++
		} else {
			k.emit('S')
		}
	}
	return i
}

// letterC codes a c: ch (X at the start, else K), cz (X), a soft c (S),
// ck and cq (K), else K.
func (k *phoneticKey) letterC(i int, next byte) int {
	switch {
	case next == 'h':
		if i == 0 {
			k.emit('X')
		} else {
			k.emit('K')
		}
		i++
	case next == 'z':
		k.emit('X')
		i++
	case next == 'e' || next == 'i' || next == 'y':
		k.emit('S')
	case next == 'k' || next == 'q':
		k.emit('K')
		i++
	default:
		k.emit('K')
	}
	return i
}

// letterD codes a d: a soft dg (J), else T (dh as T).
func (k *phoneticKey) letterD(i int, next byte) int {
	if next == 'g' && (k.at(i+2) == 'e' || k.at(i+2) == 'i' || k.at(i+2) == 'y') {
		k.emit('J')
		i++
	} else {
		k.emit('T')
		if next == 'h' {
			i++
		}
	}
	return i
}

// letterG codes a g: gh (K at the start, silent inside), a soft g (J), a
// silent final -gn, else K.
func (k *phoneticKey) letterG(i int, next byte) int {
	switch {
	case next == 'h':
		if i == 0 {
			k.emit('K')
		}
		i++ // gh: silent inside a word (Hugh, Leigh)
	case next == 'e' || next == 'i' || next == 'y':
		k.emit('J')
	case next == 'n' && i+2 == len(k.s):
		// final -gn: the g is silent
	default:
		k.emit('K')
	}
	return i
}

// letterS codes an s, sh, sz or sch, all as S.
func (k *phoneticKey) letterS(i int, next byte) int {
	switch {
	case next == 'h', next == 'z':
		i++
	case next == 'c' && k.at(i+2) == 'h':
		i += 2
	}
	k.emit('S')
	return i
}

// letterT codes a t or th as T, and tch as X.
func (k *phoneticKey) letterT(i int, next byte) int {
	switch {
	case next == 'h':
		i++
	case next == 'c' && k.at(i+2) == 'h':
		k.emit('X')
		return i + 2
	}
	k.emit('T')
	return i
}
