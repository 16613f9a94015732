package forms

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Frames (phrase lists of format 2) are the compositional half of the
// recogniser: a frame is a short sequence of word classes with bounded
// gaps, matched over a sentence's words rather than its characters, so one
// frame covers "he touched my private parts", "my uncle touches my privates"
// and "he toutched me down there".
//
// A frame is written as elements separated by spaces:
//
//	@CLASS     any entry of the class (classes live in the phrase list)
//	word       the word itself, or (5 letters or more, same first letter)
//	           one letter added, dropped or two swapped, or (6 letters or
//	           more) one changed: a typo
//	stem*      any word starting with stem (the same typo tolerance)
//	^word      a Welsh word in any of its mutations (taro: daro, nharo, tharo)
//	a|b|@C     one of these
//	(a b)|(c d) one of these sequences (parentheses make a sequence one
//	           element)
//	X?         X or nothing
//	~N         up to N words of anything
//	$          the end of the clause (a break word, punctuation or the end)
//
// A class entry is itself a frame ("private parts", "feel* @OBJ up").
// Negation, questions and hypotheticals are judged on the clause the
// match stands in (see Negation): a negation cue before the match in its
// clause drops it, and so does one inside the matched words that no
// element of the frame matched ("would never hurt me"). A frame whose own
// words include a concord word (Negation.Concord: "dim", "no") is not
// negated again by a cue before it: that is negative concord ("dydyn ni
// ddim yn cael dim i'w fwyta", "we never get no tea"), not a denial;
// "heb" and "without" are not concord words ("byth ... heb fwyd" is
// "never without food").

// DisclosureFrame is one frame of one kind in one language, with examples
// that must and must not match (checked by the tests).
type DisclosureFrame struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Frame string `json:"frame"`
	// Unless is a frame that, matching anywhere in the sentence, drops
	// the match ("touched me on the shoulder").
	Unless string `json:"unless,omitempty"`
	// NotAfter is a frame that, ending just before the match, drops it
	// ("will" before "stab me": a threat, not an act).
	NotAfter string   `json:"notAfter,omitempty"`
	Match    []string `json:"match"`
	NoMatch  []string `json:"nomatch"`
	Note     string   `json:"note,omitempty"`
}

type fAtom struct {
	word  string
	forms []string // word and, for ^word, its mutations
	stem  bool
	class string
	group []fSeq // (a b): a sequence as one element
	mut   bool
	id    int // numbered at compile time: a scan remembers each word test
}

type fElem struct {
	gap  int // > 0: a gap of up to gap words; alts is empty
	alts []fAtom
	opt  bool
}

type fSeq []fElem

type compiledFrame struct {
	kind     string
	f        *DisclosureFrame
	seq      fSeq
	unless   fSeq
	notAfter fSeq
	// net is the net the frame was made from (one of its two orders);
	// its finding names the concepts.
	net      *DisclosureNet
	concepts string
}

// maxFrameSteps bounds the work of one frame on one sentence.
const maxFrameSteps = 20000

var classRef = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// parseFrame parses frame text into elements; classes are checked by the
// caller.
func parseFrame(s string) (fSeq, error) {
	var seq fSeq
	parts, err := splitTop(s, ' ')
	if err != nil {
		return nil, err
	}
	for _, part := range parts {
		if n, ok := strings.CutPrefix(part, "~"); ok {
			g, err := strconv.Atoi(n)
			if err != nil || g < 1 || g > 12 {
				return nil, fmt.Errorf("gap %q: want ~1 to ~12", part)
			}
			seq = append(seq, fElem{gap: g})
			continue
		}
		var el fElem
		if p, ok := strings.CutSuffix(part, "?"); ok && p != "" {
			el.opt, part = true, p
		}
		alts, err := splitTop(part, '|')
		if err != nil {
			return nil, err
		}
		for _, a := range alts {
			var at fAtom
			switch {
			case strings.HasPrefix(a, "(") && strings.HasSuffix(a, ")"):
				g, err := parseFrame(a[1 : len(a)-1])
				if err != nil {
					return nil, fmt.Errorf("in %s: %w", a, err)
				}
				at.group = []fSeq{g}
			case a == "$":
				at.word = "$"
			case strings.HasPrefix(a, "@"):
				if !classRef.MatchString(a[1:]) {
					return nil, fmt.Errorf("class %q: want @ and capitals", a)
				}
				at.class = a[1:]
			default:
				mut := strings.HasPrefix(a, "^")
				a = strings.TrimPrefix(a, "^")
				if w, ok := strings.CutSuffix(a, "*"); ok {
					at.stem, a = true, w
				}
				if a == "" || strings.IndexFunc(a, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
					return nil, fmt.Errorf("word %q: letters and digits only (apostrophes are dropped before matching)", part)
				}
				at.word, at.forms = a, []string{a}
				if mut {
					at.forms, at.mut = welshMutations(a), true
				}
			}
			el.alts = append(el.alts, at)
		}
		seq = append(seq, el)
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("empty frame")
	}
	if seq[0].gap > 0 || seq[0].opt || seq[len(seq)-1].gap > 0 {
		return nil, fmt.Errorf("a frame starts and ends with a word that must be there")
	}
	return seq, nil
}

var welshSoft = [][2]string{{"p", "b"}, {"t", "d"}, {"c", "g"}, {"b", "f"}, {"d", "dd"}, {"g", ""}, {"m", "f"}, {"ll", "l"}, {"rh", "r"}}
var welshNasal = [][2]string{{"p", "mh"}, {"t", "nh"}, {"c", "ngh"}, {"b", "m"}, {"d", "n"}, {"g", "ng"}}
var welshAspirate = [][2]string{{"p", "ph"}, {"t", "th"}, {"c", "ch"}}

// splitTop splits s at sep outside parentheses (empty parts dropped).
func splitTop(s string, sep byte) ([]string, error) {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				if depth < 0 {
					return nil, fmt.Errorf("%q: ')' without '('", s)
				}
				continue
			}
			if s[i] != sep || depth > 0 {
				continue
			}
		}
		if p := strings.TrimSpace(s[start:i]); p != "" {
			out = append(out, p)
		}
		start = i + 1
	}
	if depth != 0 {
		return nil, fmt.Errorf("%q: '(' without ')'", s)
	}
	return out, nil
}

// welshMutations returns w and its soft, nasal and aspirate mutations
// (and h- before a vowel).
func welshMutations(w string) []string {
	out := []string{w}
	add := func(s string) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, table := range [][][2]string{welshSoft, welshNasal, welshAspirate} {
		for _, m := range table {
			if strings.HasPrefix(w, m[0]) && !(m[0] == "d" && strings.HasPrefix(w, "dd")) && !(m[0] == "c" && strings.HasPrefix(w, "ch")) &&
				!(m[0] == "p" && strings.HasPrefix(w, "ph")) && !(m[0] == "t" && strings.HasPrefix(w, "th")) {
				if s := m[1] + w[len(m[0]):]; s != "" {
					add(s)
				}
			}
		}
	}
	if w != "" && strings.ContainsRune("aeiouwy", rune(w[0])) {
		add("h" + w)
	}
	return out
}

// wordMatches reports whether token tok is the word (or, stem, starts
// with it), allowing one typo in words of five letters or more that keep
// their first letter. Welsh mutated forms (exact) get no typo allowance:
// mutations already make near neighbours of other words (dyrnu, dynnu).
func wordMatches(forms []string, stem, exact bool, tok string) bool {
	for _, w := range forms {
		if tok == w || (stem && strings.HasPrefix(tok, w)) {
			return true
		}
		if exact || len(w) < 5 || len(tok) < 4 || tok[0] != w[0] {
			continue
		}
		if !stem {
			if typo(tok, w) {
				return true
			}
			continue
		}
		for k := len(w) - 1; k <= len(w)+1 && k <= len(tok); k++ {
			if typo(tok[:k], w) {
				return true
			}
		}
	}
	return false
}

// typo reports whether tok is word w mistyped: one edit, but in words of
// five letters a changed letter only as two swapped ("stash" is not a
// typo of "smash", nor "couch" of "touch").
func typo(tok, w string) bool {
	if len(tok) == len(w) && len(w) < 6 {
		i := 0
		for i < len(w) && tok[i] == w[i] {
			i++
		}
		return i+1 < len(w) && tok[i] == w[i+1] && tok[i+1] == w[i] && tok[i+2:] == w[i+2:]
	}
	return oneEdit(tok, w)
}

// oneEdit reports whether a and b differ by exactly one insertion,
// deletion, substitution or swap of neighbours (Damerau-Levenshtein 1).
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // swap
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// ftok is one word of a sentence: its text (folded, apostrophes dropped),
// where it is in the folded sentence and the clause it stands in.
type ftok struct {
	w          string
	start, end int
	clause     int
}

// welshClitics are the endings after an apostrophe that are Welsh words of
// their own ("e'n" is "e yn", "i'w" is "i ei"); any other ending is joined
// to the word ("didn't" reads "didnt", as officers often type it).
var welshClitics = map[string]bool{"n": true, "r": true, "w": true, "i": true, "ch": true, "th": true, "u": true}

// frameTokens splits folded text into words. Punctuation other than an
// apostrophe inside a word ends a clause, and so does a break word
// (which starts the new clause).
func frameTokens(folded string, breaks func(string) bool) []ftok {
	var out []ftok
	clause := 0
	rs := []rune(folded)
	byteAt := make([]int, len(rs)+1)
	b := 0
	for i, c := range rs {
		byteAt[i] = b
		b += len(string(c))
	}
	byteAt[len(rs)] = b
	isWord := func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }
	for i := 0; i < len(rs); {
		c := rs[i]
		if !isWord(c) {
			if !unicode.IsSpace(c) && c != '\'' {
				clause++
			}
			i++
			continue
		}
		j := i
		var w strings.Builder
		for j < len(rs) {
			if isWord(rs[j]) {
				w.WriteRune(rs[j])
				j++
				continue
			}
			if rs[j] == '\'' && j+1 < len(rs) && isWord(rs[j+1]) && j > i {
				k := j + 1
				for k < len(rs) && isWord(rs[k]) {
					k++
				}
				if welshClitics[string(rs[j+1:k])] {
					break // the clitic is a word of its own
				}
				j++ // drop the apostrophe, keep reading the word
				continue
			}
			break
		}
		word := w.String()
		if breaks(word) {
			clause++
		}
		out = append(out, ftok{w: word, start: byteAt[i], end: byteAt[j], clause: clause})
		i = j
		if i < len(rs) && rs[i] == '\'' {
			i++
		}
	}
	return out
}

// frameMatcher runs frames over one sentence's words. memo keeps each
// word atom's test on each token (frames share classes, so the same
// test comes up again and again): 1 matches, 2 does not.
type frameMatcher struct {
	classes map[string][]fSeq
	toks    []ftok
	hits    []int
	steps   int
	memo    []uint8
}

// numberAtoms gives every word atom of seq (and of its groups) an id from
// *next on.
func numberAtoms(seq fSeq, next *int) {
	for ei := range seq {
		for ai := range seq[ei].alts {
			a := &seq[ei].alts[ai]
			for _, g := range a.group {
				numberAtoms(g, next)
			}
			if a.word != "" {
				*next++
				a.id = *next
			}
		}
	}
}

func (m *frameMatcher) wordAt(a *fAtom, pos int) bool {
	if a.id == 0 || m.memo == nil {
		return wordMatches(a.forms, a.stem, a.mut, m.toks[pos].w)
	}
	k := a.id*len(m.toks) + pos
	if k >= len(m.memo) {
		return wordMatches(a.forms, a.stem, a.mut, m.toks[pos].w)
	}
	switch m.memo[k] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := wordMatches(a.forms, a.stem, a.mut, m.toks[pos].w)
	m.memo[k] = 2
	if ok {
		m.memo[k] = 1
	}
	return ok
}

// match tries seq from token pos and calls k with the position after each
// way it matches, first the shortest gaps; it stops at the first k that
// returns true.
func (m *frameMatcher) match(seq fSeq, ei, pos int, k func(int) bool) bool {
	m.steps++
	if m.steps > maxFrameSteps {
		return false
	}
	if ei == len(seq) {
		return k(pos)
	}
	el := seq[ei]
	if el.gap > 0 {
		for g := 0; g <= el.gap && pos+g <= len(m.toks); g++ {
			if m.match(seq, ei+1, pos+g, k) {
				return true
			}
		}
		return false
	}
	next := func(p int) bool { return m.match(seq, ei+1, p, k) }
	for ai := range el.alts {
		a := &el.alts[ai]
		if a.class != "" || a.group != nil {
			entries := a.group
			if a.class != "" {
				entries = m.classes[a.class]
			}
			for _, entry := range entries {
				if m.match(entry, 0, pos, next) {
					return true
				}
			}
			continue
		}
		if a.word == "$" {
			if (pos == len(m.toks) || (pos > 0 && m.toks[pos].clause != m.toks[pos-1].clause)) && next(pos) {
				return true
			}
			continue
		}
		if pos < len(m.toks) && m.wordAt(a, pos) {
			m.hits = append(m.hits, pos)
			if next(pos + 1) {
				return true
			}
			m.hits = m.hits[:len(m.hits)-1]
		}
	}
	if el.opt {
		return next(pos)
	}
	return false
}

// find returns the first match of seq starting at or after from: its
// first and last+1 token and the tokens its words matched.
func (m *frameMatcher) find(seq fSeq, from int) (start, end int, hits []int, ok bool) {
	for s := from; s < len(m.toks); s++ {
		m.hits, m.steps = m.hits[:0], 0
		e := -1
		if m.match(seq, 0, s, func(p int) bool { e = p; return true }) {
			return s, e, append([]int(nil), m.hits...), true
		}
	}
	return 0, 0, nil, false
}

// compileClasses parses every class entry and checks the references.
func compileClasses(classes map[string][]string, l *linter) map[string][]fSeq {
	out := map[string][]fSeq{}
	for name, entries := range classes {
		where := "/classes/" + name
		if !classRef.MatchString(name) {
			l.add(where, "class name %q: want capitals", name)
		}
		if len(entries) == 0 {
			l.add(where, "a class needs at least one entry")
		}
		for _, e := range entries {
			seq, err := parseFrame(e)
			if err != nil {
				l.add(where, "entry %q: %v", e, err)
				continue
			}
			out[name] = append(out[name], seq)
		}
	}
	// Every reference names a class, and no class reaches itself.
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name, where string)
	visit = func(name, where string) {
		switch state[name] {
		case 1:
			l.add(where, "class %s refers to itself", name)
			return
		case 2:
			return
		}
		state[name] = 1
		var refs func(seq fSeq)
		refs = func(seq fSeq) {
			for _, el := range seq {
				for _, a := range el.alts {
					for _, g := range a.group {
						refs(g)
					}
					if a.class == "" {
						continue
					}
					if _, ok := classes[a.class]; !ok {
						l.add("/classes/"+name, "class @%s is not defined", a.class)
						continue
					}
					visit(a.class, "/classes/"+name)
				}
			}
		}
		for _, seq := range out[name] {
			refs(seq)
		}
		state[name] = 2
	}
	for name := range out {
		visit(name, "/classes/"+name)
	}
	return out
}

func checkFrameClasses(seq fSeq, classes map[string][]string, where string, l *linter) {
	for _, el := range seq {
		for _, a := range el.alts {
			for _, g := range a.group {
				checkFrameClasses(g, classes, where, l)
			}
			if a.class != "" {
				if _, ok := classes[a.class]; !ok {
					l.add(where, "class @%s is not defined", a.class)
				}
			}
		}
	}
}

// scan2 is Scan for phrase lists of format 2: regular-expression patterns
// and frames, both judged on the clause they stand in.
func (r *Recogniser) scan2(text string) []Finding {
	var out []Finding
	for _, sent := range sentences(text) {
		ss := r.newSentenceScan(sent)
		out = ss.scanPatterns(out)
		out = ss.scanFrames(out)
	}
	return out
}

// sentenceScan holds what scan2 works out once per sentence: the folded
// text, a frame matcher per language, whether the sentence is a question
// in each language and which kinds it excludes.
type sentenceScan struct {
	r          *Recogniser
	sent       sentence
	folded     string
	trimmed    string
	byLang     map[string]*frameMatcher
	question   map[string]string
	kindUnless map[string]string
}

// newSentenceScan prepares sent for scanning, finding the kinds whose
// unless frames rule them out in the sentence.
func (r *Recogniser) newSentenceScan(sent sentence) *sentenceScan {
	ss := &sentenceScan{r: r, sent: sent,
		folded:   foldText(sent.text),
		trimmed:  strings.TrimSpace(sent.text),
		byLang:   map[string]*frameMatcher{},
		question: map[string]string{},
	}
	ss.kindUnless = ss.excludedKinds()
	return ss
}

// matcherFor returns the sentence's frame matcher for lang, tokenising the
// sentence with lang's clause breaks the first time.
func (ss *sentenceScan) matcherFor(lang string) *frameMatcher {
	if m, ok := ss.byLang[lang]; ok {
		return m
	}
	n := ss.r.Negation[lang]
	t := frameTokens(ss.folded, func(w string) bool { return containsWord(n.Breaks, w) })
	m := &frameMatcher{classes: ss.r.classes, toks: t, memo: make([]uint8, (ss.r.atoms+1)*len(t))}
	ss.byLang[lang] = m
	return m
}

// toksFor returns the sentence's tokens for lang.
func (ss *sentenceScan) toksFor(lang string) []ftok { return ss.matcherFor(lang).toks }

// isQuestion says why the sentence is a question rather than an account in
// lang, empty when it is not one.
func (ss *sentenceScan) isQuestion(lang string) string {
	if ss.sent.question {
		return "a question, not an account"
	}
	if q, ok := ss.question[lang]; ok {
		return q
	}
	q := ""
	m := ss.matcherFor(lang)
	for _, seq := range ss.r.questions[lang] {
		if len(m.toks) > 0 && m.match(seq, 0, 0, func(int) bool { return true }) {
			q = "a question, not an account (“" + m.toks[0].w + "…”)"
			break
		}
	}
	ss.question[lang] = q
	return q
}

// excludedKinds maps each kind one of whose unless frames is in the
// sentence to the reason its findings are dropped.
func (ss *sentenceScan) excludedKinds() map[string]string {
	kindUnless := map[string]string{}
	for _, k := range ss.r.Kinds {
		m := ss.matcherFor(DefaultLanguage)
		toks := m.toks
		for _, u := range k.unless {
			if s, e, _, ok := m.find(u, 0); ok {
				kindUnless[k.ID] = "excluded for the kind by “" + ss.folded[toks[s].start:toks[e-1].end] + "”"
				break
			}
		}
	}
	return kindUnless
}

// judge says why the words toks[start:end] (hits being the pattern's own
// words) do not count in lang — a question, hypothetical or negated — or
// returns empty when they count.
func (ss *sentenceScan) judge(lang string, toks []ftok, start, end int, hits []int) string {
	if q := ss.isQuestion(lang); q != "" {
		return q
	}
	n := ss.r.Negation[lang]
	before := clauseBefore(toks, start)
	for _, h := range n.Hypothetical {
		if hasPhrase(before, h) {
			return "hypothetical: “" + h + "”"
		}
	}
	var sentBefore []string
	for i := 0; i < start && i < len(toks); i++ {
		sentBefore = append(sentBefore, toks[i].w)
	}
	for _, w := range n.Wide {
		if hasPhrase(sentBefore, w) {
			return "negated by “" + w + "”"
		}
	}
	return negatedInClause(n, toks, before, start, end, hits)
}

// clauseBefore returns the words of the clause before toks[start] (the
// last clause's words when start is past the end).
func clauseBefore(toks []ftok, start int) []string {
	var before []string
	if start < len(toks) {
		for i := start - 1; i >= 0 && toks[i].clause == toks[start].clause; i-- {
			before = append([]string{toks[i].w}, before...)
		}
	} else if len(toks) > 0 {
		for i := len(toks) - 1; i >= 0 && toks[i].clause == toks[len(toks)-1].clause; i-- {
			before = append([]string{toks[i].w}, before...)
		}
	}
	return before
}

// negatedInClause says which negation cue, before the words in their
// clause or among them, negates toks[start:end]; empty when none does. A
// cue that is one of the pattern's own concord words does not negate
// ("we never get no food").
func negatedInClause(n Negation, toks []ftok, before []string, start, end int, hits []int) string {
	hit := map[int]bool{}
	concord := false // the pattern's own words negate: "we never get no food"
	for _, h := range hits {
		hit[h] = true
		concord = concord || containsWord(n.Concord, toks[h].w)
	}
	for _, c := range n.Cues {
		if !concord && hasPhrase(before, c) {
			return "negated by “" + c + "”"
		}
	}
	for i := start; i < end && i < len(toks); i++ {
		if !hit[i] && containsWord(n.Cues, toks[i].w) {
			return "negated by “" + toks[i].w + "” inside the words"
		}
	}
	return ""
}

// scanPatterns appends to out a finding for every regular-expression
// pattern match in the sentence, with why it is dropped if it is.
func (ss *sentenceScan) scanPatterns(out []Finding) []Finding {
	for _, cp := range ss.r.pats {
		if cp.anchors != nil && !containsAny(ss.folded, cp.anchors) {
			continue
		}
		for _, loc := range cp.re.FindAllStringIndex(ss.folded, -1) {
			out = append(out, ss.patternFinding(cp, loc))
		}
	}
	return out
}

// patternFinding judges pattern cp's match at loc in the folded sentence.
func (ss *sentenceScan) patternFinding(cp *compiledPattern, loc []int) Finding {
	folded := ss.folded
	f := Finding{Kind: cp.kind, Pattern: cp.p.ID, Lang: cp.p.Lang, Sentence: ss.trimmed, Phrase: folded[loc[0]:loc[1]]}
	toks := ss.toksFor(cp.p.Lang)
	start, end := tokenSpan(toks, loc)
	var hits []int
	if !cp.p.NegatedInside {
		for i := start; i < end; i++ {
			hits = append(hits, i)
		}
	} else if end > start {
		hits = []int{end - 1}
	}
	switch {
	case ss.kindUnless[cp.kind] != "":
		f.Dropped = ss.kindUnless[cp.kind]
	case cp.unless != nil && cp.unless.MatchString(folded):
		f.Dropped = "excluded: “" + cp.unless.FindString(folded) + "”"
	case cp.notAfter != nil && cp.notAfter.MatchString(folded[:loc[0]]):
		f.Dropped = "after “" + strings.TrimSpace(cp.notAfter.FindString(folded[:loc[0]])) + "”"
	default:
		f.Dropped = ss.judge(cp.p.Lang, toks, start, end, hits)
	}
	return f
}

// tokenSpan returns the tokens [start, end) the byte range loc covers,
// len(toks) for either when it runs past the last token.
func tokenSpan(toks []ftok, loc []int) (start, end int) {
	start, end = len(toks), len(toks)
	for i, t := range toks {
		if t.end > loc[0] && start == len(toks) {
			start = i
		}
		if t.start >= loc[1] {
			end = i
			break
		}
	}
	return start, end
}

// scanFrames appends to out a finding for every frame match in the
// sentence, with why it is dropped if it is.
func (ss *sentenceScan) scanFrames(out []Finding) []Finding {
	for _, cf := range ss.r.frames {
		m := ss.matcherFor(cf.f.Lang)
		toks := m.toks
		for from := 0; from < len(toks); {
			start, end, hits, ok := m.find(cf.seq, from)
			if !ok {
				break
			}
			out = append(out, ss.frameFinding(cf, m, start, end, hits))
			from = max(end, start+1)
		}
	}
	return out
}

// frameFinding judges frame cf's match on the tokens [start, end).
func (ss *sentenceScan) frameFinding(cf *compiledFrame, m *frameMatcher, start, end int, hits []int) Finding {
	toks := m.toks
	f := Finding{Kind: cf.kind, Pattern: cf.f.ID, Lang: cf.f.Lang, Sentence: ss.trimmed,
		Phrase: ss.folded[toks[start].start:toks[end-1].end]}
	if cf.net != nil {
		f.Concepts = cf.concepts
	}
	f.Dropped = ss.kindUnless[cf.kind]
	if f.Dropped == "" && cf.notAfter != nil {
		for s := max(0, start-6); s < start && f.Dropped == ""; s++ {
			m.steps = 0
			if m.match(cf.notAfter, 0, s, func(p int) bool { return p == start }) {
				f.Dropped = "after “" + ss.folded[toks[s].start:toks[start-1].end] + "”"
			}
		}
	}
	if f.Dropped == "" && cf.unless != nil {
		if _, _, _, ok := m.find(cf.unless, 0); ok {
			f.Dropped = "excluded by the frame’s exception"
		}
	}
	if f.Dropped == "" {
		f.Dropped = ss.judge(cf.f.Lang, toks, start, end, hits)
	}
	return f
}
