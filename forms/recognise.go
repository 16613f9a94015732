package forms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// The recogniser reads the free-text boxes (the child's own words, what was
// seen and heard, the officer's details) for disclosure language and asks
// the officer, beside the question, whether it is a disclosure. It never
// grades by itself: only the officer's "yes" escalates, and then exactly as
// the matching tick would (the tick's rule level and actions). Until every
// prompt is answered the entry is not ready.
//
// The phrase list is a JSON file (assets/recognise/disclosures-v1.json):
// patterns per kind and language, each with examples that must and must
// not match, negation cues per language, and bindings that say which
// checklist questions are read and which rule each kind escalates like.

// RecogniserDir is the folder of an assets file system holding phrase
// lists (and their published.json of frozen hashes).
const RecogniserDir = "recognise"

// MaxRecogniserBytes bounds a phrase-list file.
const MaxRecogniserBytes = 2 << 20

// PromptAnswerPrefix starts the answer id under which the officer's answer
// to a prompt is kept, in the same answers map as the question it is about:
// "disclosure:child_words:sexual". Question ids cannot contain ':', so these
// never clash with a question.
const PromptAnswerPrefix = "disclosure:"

// ProblemDisclosure is a prompt the officer has not answered (or whose
// flagged words changed since the answer).
const ProblemDisclosure ProblemCode = "disclosure_prompt"

// RuleDisclosurePrefix starts the rule id of a reason raised by a
// confirmed disclosure: "disclosure:sexual".
const RuleDisclosurePrefix = "disclosure:"

// PromptAnswerID is the answer id keeping the officer's answer to the
// prompt of kind about question.
func PromptAnswerID(question, kind string) string {
	return PromptAnswerPrefix + question + ":" + kind
}

func isPromptAnswerID(id string) bool { return strings.HasPrefix(id, PromptAnswerPrefix) }

// Recogniser is a compiled phrase list. It is safe for concurrent use.
type Recogniser struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// Format 2 adds word classes and frames (recognise_frames.go) and
	// judges every match on its clause: negation, questions and
	// hypotheticals (Negation). Absent or 1: regular expressions only,
	// negation by a window of words, as phrase lists 1.x were made.
	Format int `json:"format,omitempty"`
	// Classes are the word classes frames are made of (format 2).
	Classes   map[string][]string `json:"classes,omitempty"`
	Macros    map[string]string   `json:"macros,omitempty"`
	Negation  map[string]Negation `json:"negation"`
	Kinds     []DisclosureKind    `json:"kinds"`
	Templates PromptTemplates     `json:"templates"`
	Bindings  []RecogniserBinding `json:"bindings"`

	hash      string
	kinds     map[string]*DisclosureKind
	pats      []*compiledPattern
	frames    []*compiledFrame
	classes   map[string][]fSeq
	questions map[string][]fSeq
	atoms     int // word atoms numbered (numberAtoms)
	cache     scanCache
}

// Negation says how negation is recognised in one language: a cue among
// the last Window words before a match, in the same clause, drops it ("he
// never hit me"); a wide cue anywhere earlier in the clause drops it too
// ("she denied that anyone had touched her").
type Negation struct {
	Cues []string `json:"cues"`
	// Suffixes are word endings that negate ("n't").
	Suffixes []string `json:"suffixes,omitempty"`
	Wide     []string `json:"wide,omitempty"`
	Window   int      `json:"window"`
	// Breaks are words that end a clause for negation's scope ("but",
	// "because"); punctuation (, ; :) always does.
	Breaks []string `json:"breaks,omitempty"`
	// Format 2 only. A cue or wide cue anywhere before the match in its
	// clause negates it (Window is not used), and so does a cue among the
	// matched words that the pattern itself did not match.
	// Hypothetical phrases before the match in its clause drop it ("what
	// if", "might"). Questions are frames matched at a sentence's start:
	// a sentence they match is a question even without its "?" ("did he
	// touch you").
	Hypothetical []string `json:"hypothetical,omitempty"`
	// Concord are negation words that, matched by a frame itself, make a
	// cue before the match negative concord, not a denial ("ddim yn cael
	// dim bwyd").
	Concord   []string `json:"concord,omitempty"`
	Questions []string `json:"questions,omitempty"`
}

// DisclosureKind is one kind of disclosure the recogniser looks for.
type DisclosureKind struct {
	ID string `json:"id"`
	// Name completes "may describe …" in each language.
	Name     Text                `json:"name"`
	Patterns []DisclosurePattern `json:"patterns,omitempty"`
	// Frames (format 2) are word-class sequences (recognise_frames.go).
	Frames []DisclosureFrame `json:"frames,omitempty"`
	// Nets (format 2) are the broad layer: an act and a context of the
	// kind in one clause, in either order (recognise_nets.go).
	Nets []DisclosureNet `json:"nets,omitempty"`
	// Unless (format 2) are frames that, matching anywhere in a sentence,
	// drop every finding of the kind in it, pattern or frame ("beat me
	// at fifa" is a game, not a threat).
	Unless []string `json:"unless,omitempty"`

	unless []fSeq
}

// DisclosurePattern is one pattern of one kind in one language. Re is an
// RE2 expression over folded text (lower case, Welsh diacritics removed,
// curly quotes straightened); {NAME} is replaced by the macro NAME.
type DisclosurePattern struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	Re   string `json:"re"`
	// Unless drops a match when it matches anywhere in the sentence.
	Unless string `json:"unless,omitempty"`
	// NotAfter drops a match when it matches the text just before it
	// ("would" before "hurt me": a threat, not an act).
	NotAfter string `json:"notAfter,omitempty"`
	// NegatedInside also drops a match with a negation cue among its own
	// words before the last ("said he would never hurt me"); for patterns
	// whose words carry no negation of their own.
	NegatedInside bool `json:"negatedInside,omitempty"`
	// Match and NoMatch are examples checked by the tests: each Match
	// sentence must be flagged by this pattern, no NoMatch sentence may be
	// flagged as this kind.
	Match   []string `json:"match"`
	NoMatch []string `json:"nomatch"`
	Note    string   `json:"note,omitempty"`
}

// PromptTemplates are the texts prompts and reasons are made from:
// {subject}, {kind} and {question} are replaced.
type PromptTemplates struct {
	Prompt  Text `json:"prompt"`
	Reason  Text `json:"reason"`
	Subject Text `json:"subject"`
}

// RecogniserBinding ties a phrase list to a checklist: which questions are
// read and which rule each kind escalates like.
type RecogniserBinding struct {
	Checklist string `json:"checklist"`
	// Versions limits the binding to these checklist versions (all when
	// empty).
	Versions []string         `json:"versions,omitempty"`
	Fields   []RecogniseField `json:"fields"`
	Ticks    map[string]Tick  `json:"ticks"`
}

// RecogniseField is one free-text question read by the recogniser.
type RecogniseField struct {
	Question string `json:"question"`
	// Subject names the words in prompts ("The child's words"); when empty
	// the templates' subject is used with the question's label.
	Subject Text `json:"subject,omitempty"`
}

// Tick is the checklist answer a kind stands for: Rules are the rules the
// ticked box fires (the child's disclosure type "sexual" fires the sexual
// disclosure rule and, since it means the child disclosed, the disclosure
// rule), whose highest level and every action a confirmed disclosure
// takes. When the first rule or any of Covers has already fired for the
// same child (or the entry) the tick is there and no prompt is raised.
type Tick struct {
	Rules  []string `json:"rules"`
	Covers []string `json:"covers,omitempty"`
	Note   string   `json:"note,omitempty"`
}

type compiledPattern struct {
	kind string
	p    *DisclosurePattern
	// anchors are strings one of which every match contains (nil: not
	// known): a sentence with none of them is not run through re, which
	// keeps a scan cheap (Go's regexp costs ~100 µs a pattern a sentence).
	anchors  []string
	re       *regexp.Regexp
	unless   *regexp.Regexp
	notAfter *regexp.Regexp
}

// Hash returns the hex SHA-256 of the phrase list's canonical JSON.
func (r *Recogniser) Hash() string { return r.hash }

// Ref returns "id@version".
func (r *Recogniser) Ref() string { return r.ID + "@" + r.Version }

// Kind returns the kind with the given id.
func (r *Recogniser) Kind(id string) (*DisclosureKind, bool) {
	k, ok := r.kinds[id]
	return k, ok
}

// LoadRecogniser reads and compiles the phrase list at name in fsys.
func LoadRecogniser(fsys fs.FS, name string) (*Recogniser, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read phrase list: %w", err)
	}
	r, err := ParseRecogniser(data)
	var le *LoadError
	if errors.As(err, &le) {
		le.File = name
	}
	return r, err
}

var macroRef = regexp.MustCompile(`\{([A-Z][A-Z0-9_]*)\}`)

// ParseRecogniser checks and compiles a phrase-list document. Every problem
// found is reported in one *LoadError.
func ParseRecogniser(data []byte) (*Recogniser, error) {
	r, err := decodeRecogniser(data)
	if err != nil {
		return nil, err
	}
	var l linter
	if r.ID == "" || r.Version == "" {
		l.add("", "id and version are required")
	}
	mx := &macroExpander{macros: r.Macros, l: &l}
	r.lintFormat(&l)
	r.compileNegation(&l)
	r.compileKinds(mx, &l)
	r.lintTemplates(&l)
	r.lintBindings(&l)
	if len(l.problems) > 0 {
		return nil, &LoadError{Problems: l.problems}
	}
	r.numberAllAtoms()
	r.cache.max = 512
	return r, nil
}

// decodeRecogniser reads a phrase-list document strictly (no unknown
// fields, nothing after it) and records the hash of its canonical JSON.
func decodeRecogniser(data []byte) (*Recogniser, error) {
	fail := func(msg string) error {
		return &LoadError{File: "phrase list", Problems: []LoadProblem{{Message: msg}}}
	}
	if len(data) > MaxRecogniserBytes {
		return nil, fail(fmt.Sprintf("file is %d bytes, more than the %d allowed", len(data), MaxRecogniserBytes))
	}
	var r Recogniser
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fail("not a valid phrase list: " + err.Error())
	}
	if dec.More() {
		return nil, fail("unexpected data after the phrase list")
	}
	var canon any
	if err := json.Unmarshal(data, &canon); err != nil {
		return nil, fail("not valid JSON: " + err.Error())
	}
	cb, err := json.Marshal(canon)
	if err != nil {
		return nil, fmt.Errorf("canonical phrase list: %w", err)
	}
	sum := sha256.Sum256(cb)
	r.hash = hex.EncodeToString(sum[:])
	return &r, nil
}

// macroExpander replaces {MACRO} references in a phrase list's regular
// expressions, reporting undefined or too deeply nested macros.
type macroExpander struct {
	macros map[string]string
	l      *linter
}

// expand returns s with its macros replaced, up to four levels deep.
func (mx *macroExpander) expand(where, s string) string {
	for i := 0; i < 4 && macroRef.MatchString(s); i++ {
		s = macroRef.ReplaceAllStringFunc(s, func(m string) string {
			name := m[1 : len(m)-1]
			v, ok := mx.macros[name]
			if !ok {
				mx.l.add(where, "macro {%s} is not defined", name)
				return ""
			}
			return "(?:" + v + ")"
		})
	}
	if macroRef.MatchString(s) {
		mx.l.add(where, "macros nest too deep")
	}
	return s
}

// compile expands and compiles s, nil when s is empty or does not compile
// (the error is reported as what).
func (mx *macroExpander) compile(where, what, s string) *regexp.Regexp {
	if s == "" {
		return nil
	}
	re, err := regexp.Compile(mx.expand(where, s))
	if err != nil {
		mx.l.add(where, "%s: %v", what, err)
		return nil
	}
	return re
}

// lintFormat checks the format number and compiles format 2's classes.
func (r *Recogniser) lintFormat(l *linter) {
	switch r.Format {
	case 0, 1:
		if len(r.Classes) > 0 {
			l.add("/classes", "classes need format 2")
		}
	case 2:
		r.classes = compileClasses(r.Classes, l)
	default:
		l.add("/format", "format %d is not known (1 or 2)", r.Format)
	}
}

// compileNegation checks each language's negation rules and parses their
// question frames.
func (r *Recogniser) compileNegation(l *linter) {
	r.questions = map[string][]fSeq{}
	for lang, n := range r.Negation {
		if r.Format < 2 && (n.Window < 1 || n.Window > 12) {
			l.add("/negation/"+lang, "window must be 1 to 12 words, found %d", n.Window)
		}
		if r.Format < 2 && (len(n.Hypothetical) > 0 || len(n.Questions) > 0 || len(n.Concord) > 0) {
			l.add("/negation/"+lang, "hypothetical, questions and concord need format 2")
		}
		for _, q := range n.Questions {
			seq, err := parseFrame(q)
			if err != nil {
				l.add("/negation/"+lang+"/questions", "%q: %v", q, err)
				continue
			}
			checkFrameClasses(seq, r.Classes, "/negation/"+lang+"/questions", l)
			r.questions[lang] = append(r.questions[lang], seq)
		}
	}
}

// compileKinds checks every disclosure kind and compiles its frames and
// patterns; pattern and frame ids must be unique across all kinds.
func (r *Recogniser) compileKinds(mx *macroExpander, l *linter) {
	r.kinds = map[string]*DisclosureKind{}
	patIDs := map[string]bool{}
	for ki := range r.Kinds {
		k := &r.Kinds[ki]
		kwhere := at(fmt.Sprintf("/kinds/%d", ki), k.ID)
		r.lintKind(k, kwhere, l)
		r.kinds[k.ID] = k
		r.compileKindUnless(k, kwhere, l)
		for fi := range k.Frames {
			r.compileFrame(k, fi, kwhere, patIDs, l)
		}
		for ni := range k.Nets {
			r.compileNet(k, ni, kwhere, patIDs, l)
		}
		for pi := range k.Patterns {
			r.compilePattern(k, pi, kwhere, patIDs, mx, l)
		}
	}
}

// lintKind checks a kind's id, name and what it needs for its format.
func (r *Recogniser) lintKind(k *DisclosureKind, kwhere string, l *linter) {
	if k.ID == "" || strings.ContainsAny(k.ID, ": ") {
		l.add(kwhere, "kind id %q must be a word without ':' or spaces", k.ID)
	}
	if r.kinds[k.ID] != nil {
		l.add(kwhere, "kind %q is listed twice", k.ID)
	}
	if k.Name[DefaultLanguage] == "" {
		l.add(kwhere, "name needs an English text")
	}
	if len(k.Patterns) == 0 && len(k.Frames) == 0 {
		l.add(kwhere, "a kind needs at least one pattern or frame")
	}
	if (len(k.Frames) > 0 || len(k.Nets) > 0) && r.Format < 2 {
		l.add(kwhere, "frames and nets need format 2")
	}
	if len(k.Unless) > 0 && r.Format < 2 {
		l.add(kwhere, "unless needs format 2")
	}
}

// compileKindUnless parses the frames that rule a whole kind out.
func (r *Recogniser) compileKindUnless(k *DisclosureKind, kwhere string, l *linter) {
	for _, u := range k.Unless {
		seq, err := parseFrame(u)
		if err != nil {
			l.add(kwhere, "unless %q: %v", u, err)
			continue
		}
		checkFrameClasses(seq, r.Classes, kwhere, l)
		k.unless = append(k.unless, seq)
	}
}

// checkHead checks what frames and nets (what) share: an id not used
// before (recorded in patIDs), a language with negation rules, examples
// that must match and examples that must not.
func (r *Recogniser) checkHead(where, what, id, lang string, match, noMatch int, patIDs map[string]bool, l *linter) {
	if id == "" || patIDs[id] {
		l.add(where, "%s id %q is empty or used twice", what, id)
	}
	patIDs[id] = true
	if _, ok := r.Negation[lang]; !ok {
		l.add(where, "language %q has no negation rules", lang)
	}
	if match == 0 || noMatch == 0 {
		l.add(where, "a %s needs examples that must match and examples that must not", what)
	}
}

// compileFrame checks and parses frame fi of kind k, adding it to r.frames
// when it and its unless and notAfter frames parse.
func (r *Recogniser) compileFrame(k *DisclosureKind, fi int, kwhere string, patIDs map[string]bool, l *linter) {
	f := &k.Frames[fi]
	where := at(fmt.Sprintf("%s/frames/%d", kwhere, fi), f.ID)
	r.checkHead(where, "frame", f.ID, f.Lang, len(f.Match), len(f.NoMatch), patIDs, l)
	seq, err := parseFrame(f.Frame)
	if err != nil {
		l.add(where, "frame: %v", err)
		return
	}
	checkFrameClasses(seq, r.Classes, where, l)
	cf := &compiledFrame{kind: k.ID, f: f, seq: seq}
	if f.Unless != "" {
		if cf.unless, err = parseFrame(f.Unless); err != nil {
			l.add(where, "unless: %v", err)
			return
		}
		checkFrameClasses(cf.unless, r.Classes, where, l)
	}
	if f.NotAfter != "" {
		if cf.notAfter, err = parseFrame(f.NotAfter); err != nil {
			l.add(where, "notAfter: %v", err)
			return
		}
		checkFrameClasses(cf.notAfter, r.Classes, where, l)
	}
	r.frames = append(r.frames, cf)
}

// compilePattern checks and compiles pattern pi of kind k, adding it to
// r.pats.
func (r *Recogniser) compilePattern(k *DisclosureKind, pi int, kwhere string, patIDs map[string]bool, mx *macroExpander, l *linter) {
	p := &k.Patterns[pi]
	where := at(fmt.Sprintf("%s/patterns/%d", kwhere, pi), p.ID)
	if p.ID == "" || patIDs[p.ID] {
		l.add(where, "pattern id %q is empty or used twice", p.ID)
	}
	patIDs[p.ID] = true
	if _, ok := r.Negation[p.Lang]; !ok {
		l.add(where, "language %q has no negation rules", p.Lang)
	}
	if len(p.Match) == 0 || len(p.NoMatch) == 0 {
		l.add(where, "a pattern needs examples that must match and examples that must not")
	}
	cp := &compiledPattern{kind: k.ID, p: p,
		re:       mx.compile(where, "re", p.Re),
		unless:   mx.compile(where, "unless", p.Unless),
		notAfter: mx.compile(where, "notAfter", p.NotAfter)}
	if cp.re == nil && p.Re == "" {
		l.add(where, "re is required")
	}
	if cp.re != nil {
		if tree, err := syntax.Parse(mx.expand(where, p.Re), syntax.Perl); err == nil {
			cp.anchors = anchorSet(tree.Simplify())
		}
	}
	if cp.notAfter != nil {
		cp.notAfter = mx.compile(where, "notAfter", "(?:"+mx.expand(where, p.NotAfter)+`)\s*$`)
	}
	r.pats = append(r.pats, cp)
}

// lintTemplates checks every prompt template has an English text.
func (r *Recogniser) lintTemplates(l *linter) {
	for _, t := range []struct {
		name string
		text Text
	}{{"prompt", r.Templates.Prompt}, {"reason", r.Templates.Reason}, {"subject", r.Templates.Subject}} {
		if t.text[DefaultLanguage] == "" {
			l.add("/templates/"+t.name, "needs an English text")
		}
	}
}

// lintBindings checks each binding names a checklist and fields and ticks
// exactly the known kinds.
func (r *Recogniser) lintBindings(l *linter) {
	for bi, b := range r.Bindings {
		where := at(fmt.Sprintf("/bindings/%d", bi), b.Checklist)
		if b.Checklist == "" || len(b.Fields) == 0 {
			l.add(where, "a binding names a checklist and at least one field")
		}
		for _, k := range r.Kinds {
			if _, ok := b.Ticks[k.ID]; !ok {
				l.add(where, "kind %q has no tick (the rule a confirmed disclosure escalates like)", k.ID)
			}
		}
		for id := range b.Ticks {
			if r.kinds[id] == nil {
				l.add(where, "tick for unknown kind %q", id)
			}
		}
	}
}

// numberAllAtoms numbers the atoms of every frame sequence, in a fixed
// order: classes, questions, kinds' unless frames, then frames.
func (r *Recogniser) numberAllAtoms() {
	for _, name := range sortedKeys(r.classes) {
		for _, seq := range r.classes[name] {
			numberAtoms(seq, &r.atoms)
		}
	}
	for _, lang := range sortedKeys(r.questions) {
		for _, seq := range r.questions[lang] {
			numberAtoms(seq, &r.atoms)
		}
	}
	for ki := range r.Kinds {
		for _, seq := range r.Kinds[ki].unless {
			numberAtoms(seq, &r.atoms)
		}
	}
	for _, cf := range r.frames {
		numberAtoms(cf.seq, &r.atoms)
		numberAtoms(cf.unless, &r.atoms)
		numberAtoms(cf.notAfter, &r.atoms)
	}
}

// Finding is one pattern matching one sentence. Dropped says why it does
// not count ("negated by “never”"), empty when it counts.
type Finding struct {
	Kind     string `json:"kind"`
	Pattern  string `json:"pattern"`
	Lang     string `json:"lang"`
	Sentence string `json:"sentence"`
	Phrase   string `json:"phrase"`
	// Concepts, for a net's finding, name the act and the context that
	// fired with their words ("act photograph: pics · context body: boobs").
	Concepts string `json:"concepts,omitempty"`
	Dropped  string `json:"dropped,omitempty"`
}

// Scan returns every pattern match in text, those dropped (negated,
// excluded, in a question) with the reason. Patterns of every language run
// on every text: officers and children mix languages.
func (r *Recogniser) Scan(text string) []Finding {
	if v, ok := r.cache.get(text); ok {
		return v
	}
	var out []Finding
	if r.Format >= 2 {
		out = r.scan2(text)
	} else {
		out = r.scan(text, true)
	}
	r.cache.put(text, out)
	return out
}

func (r *Recogniser) scan(text string, useAnchors bool) []Finding {
	var out []Finding
	for _, sent := range sentences(text) {
		folded := foldText(sent.text)
		for _, cp := range r.pats {
			if useAnchors && cp.anchors != nil && !containsAny(folded, cp.anchors) {
				continue
			}
			for _, loc := range cp.re.FindAllStringIndex(folded, -1) {
				f := Finding{Kind: cp.kind, Pattern: cp.p.ID, Lang: cp.p.Lang, Sentence: strings.TrimSpace(sent.text), Phrase: folded[loc[0]:loc[1]]}
				switch {
				case sent.question:
					f.Dropped = "a question, not an account"
				case cp.unless != nil && cp.unless.MatchString(folded):
					f.Dropped = "excluded: “" + cp.unless.FindString(folded) + "”"
				case cp.notAfter != nil && cp.notAfter.MatchString(folded[:loc[0]]):
					f.Dropped = "after “" + strings.TrimSpace(cp.notAfter.FindString(folded[:loc[0]])) + "”"
				default:
					cue := r.negated(cp.p.Lang, folded[:loc[0]])
					if cue == "" && cp.p.NegatedInside {
						if last := strings.LastIndexByte(strings.TrimSpace(f.Phrase), ' '); last > 0 {
							cue = r.negated(cp.p.Lang, f.Phrase[:last])
						}
					}
					if cue != "" {
						f.Dropped = "negated by “" + cue + "”"
					}
				}
				out = append(out, f)
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// maxAnchors bounds an anchor set: past it, checking them costs more than
// it saves.
const maxAnchors = 64

// anchorSet returns strings one of which every match of re contains, or
// nil when it cannot tell. A concatenation needs every part, so the part
// with the longest shortest anchor serves; an alternation needs one of its
// branches, so the union of theirs.
func anchorSet(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture:
		return anchorSet(re.Sub[0])
	case syntax.OpPlus:
		return anchorSet(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return anchorSet(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			set := anchorSet(sub)
			if set == nil {
				continue
			}
			shortest := len(set[0])
			for _, x := range set {
				shortest = min(shortest, len(x))
			}
			if shortest > bestLen {
				best, bestLen = set, shortest
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			set := anchorSet(sub)
			if set == nil || len(all)+len(set) > maxAnchors {
				return nil
			}
			all = append(all, set...)
		}
		return all
	}
	return nil
}

// Match returns the findings of text that count, at most one per kind and
// sentence.
func (r *Recogniser) Match(text string) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, f := range r.Scan(text) {
		key := f.Kind + "\x00" + f.Sentence
		if f.Dropped != "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out
}

// KindsIn returns the ids of the kinds text discloses, in phrase-list order.
func (r *Recogniser) KindsIn(text string) []string {
	found := map[string]bool{}
	for _, f := range r.Match(text) {
		found[f.Kind] = true
	}
	var out []string
	for _, k := range r.Kinds {
		if found[k.ID] {
			out = append(out, k.ID)
		}
	}
	return out
}

// negated returns the negation cue in scope at the end of before, or "".
func (r *Recogniser) negated(lang, before string) string {
	n := r.Negation[lang]
	clause := before
	if i := strings.LastIndexAny(clause, ",;:\"()"); i >= 0 {
		clause = clause[i+1:]
	}
	words := strings.Fields(clause)
	for i := len(words) - 1; i >= 0; i-- {
		if containsWord(n.Breaks, words[i]) {
			words = words[i+1:]
			break
		}
	}
	for _, w := range n.Wide {
		if hasPhrase(words, w) {
			return w
		}
	}
	for _, c := range n.Cues {
		// A cue of several words ("no one") counts as one word of the window.
		win := n.Window + len(strings.Fields(c)) - 1
		if hasPhrase(words[max(0, len(words)-win):], c) {
			return c
		}
	}
	if len(words) > n.Window {
		words = words[len(words)-n.Window:]
	}
	for _, w := range words {
		for _, s := range n.Suffixes {
			if strings.HasSuffix(w, s) {
				return w
			}
		}
	}
	return ""
}

func containsWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// hasPhrase reports whether the words contain phrase (one or more words)
// as consecutive whole words.
func hasPhrase(words []string, phrase string) bool {
	ps := strings.Fields(phrase)
	if len(ps) == 0 {
		return false
	}
	for i := 0; i+len(ps) <= len(words); i++ {
		ok := true
		for j, p := range ps {
			if words[i+j] != p {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

type sentence struct {
	text     string
	question bool
}

// sentences splits text at . ! ? and line ends. A sentence ending in '?'
// is a question (what the officer or someone asked), not an account.
func sentences(text string) []sentence {
	var out []sentence
	start := 0
	emit := func(end int, q bool) {
		if s := text[start:end]; strings.TrimSpace(s) != "" {
			out = append(out, sentence{text: s, question: q})
		}
	}
	for i, c := range text {
		switch c {
		case '.', '!', '?', '\n':
			emit(i, c == '?')
			start = i + 1
		}
	}
	emit(len(text), false)
	return out
}

var foldMap = map[rune]string{
	'â': "a", 'á': "a", 'à': "a", 'ä': "a", 'ê': "e", 'é': "e", 'è': "e", 'ë': "e",
	'î': "i", 'í': "i", 'ì': "i", 'ï': "i", 'ô': "o", 'ó': "o", 'ò': "o", 'ö': "o",
	'û': "u", 'ú': "u", 'ù': "u", 'ü': "u", 'ŵ': "w", 'ẃ': "w", 'ẁ': "w", 'ẅ': "w",
	'ŷ': "y", 'ý': "y", 'ỳ': "y", 'ÿ': "y",
	'’': "'", '‘': "'", '`': "'", '“': "\"", '”': "\"",
}

// foldText lower-cases text, removes Welsh (and other Latin) diacritics,
// straightens quotes and collapses white space, so patterns are written
// once for "tŷ" and "ty", "he’s" and "he's".
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	space := true
	for _, c := range strings.ToLower(s) {
		if unicode.IsSpace(c) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		if f, ok := foldMap[c]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(c)
	}
	return strings.TrimSpace(dropQuoteMarks(b.String()))
}

// dropQuoteMarks removes apostrophes used as quotation marks (not between
// two letters): "to get 'cut'" reads "to get cut", "he'll" stays.
func dropQuoteMarks(s string) string {
	if !strings.ContainsRune(s, '\'') {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, c := range rs {
		if c == '\'' && (i == 0 || i == len(rs)-1 || !unicode.IsLetter(rs[i-1]) || !unicode.IsLetter(rs[i+1])) {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// scanCache keeps recent scans: an entry is evaluated on every change, and
// its texts rarely change between two evaluations.
type scanCache struct {
	mu  sync.Mutex
	max int
	m   map[string][]Finding
}

func (c *scanCache) get(k string) ([]Finding, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *scanCache) put(k string, v []Finding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = map[string][]Finding{}
	}
	c.m[k] = v
}

// --- binding to a checklist ---------------------------------------------

// boundRecogniser is a phrase list checked against one checklist version.
type boundRecogniser struct {
	r      *Recogniser
	fields []boundField
	ticks  map[string]boundTick
}

type boundField struct {
	p       *qpos
	subject Text
}

type boundTick struct {
	level   Level
	actions []string
	covers  map[string]bool
}

// UseRecogniser makes Evaluate read c's free-text questions with r, as
// r's binding for c's id says. It checks the binding against c (questions
// exist and are text, tick rules exist) and fails with every problem. Call
// it before the checklist is shared (LoadRegistry does). A checklist
// version is read by one phrase list only: entries are evaluated the same
// way for ever.
func (c *Checklist) UseRecogniser(r *Recogniser) error {
	if c.compiled == nil {
		return ErrNotCompiled
	}
	if c.recog != nil {
		if c.recog.r.Ref() == r.Ref() && c.recog.r.Hash() == r.Hash() {
			return nil // already read by it
		}
		// An entry is always evaluated as it was made: a checklist version
		// is read by one phrase list, so a new list needs a new version.
		return fmt.Errorf("checklist %s is already read by phrase list %s: bind %s to a new checklist version", c.Ref(), c.recog.r.Ref(), r.Ref())
	}
	var b *RecogniserBinding
	for i := range r.Bindings {
		x := &r.Bindings[i]
		if x.Checklist == c.ID && (len(x.Versions) == 0 || containsWord(x.Versions, c.Version)) {
			b = x
			break
		}
	}
	if b == nil {
		return fmt.Errorf("phrase list %s has no binding for checklist %s", r.Ref(), c.Ref())
	}
	var l linter
	br := &boundRecogniser{r: r, ticks: map[string]boundTick{}}
	for i, f := range b.Fields {
		where := fmt.Sprintf("%s binding for %s: fields/%d", r.Ref(), c.Ref(), i)
		p, ok := c.compiled.questions[f.Question]
		switch {
		case !ok:
			l.add(where, "question %q is not in the checklist", f.Question)
		case p.q.Kind != KindText && p.q.Kind != KindLongText:
			l.add(where, "question %q is %s, not text", f.Question, p.q.Kind)
		default:
			br.fields = append(br.fields, boundField{p: p, subject: f.Subject})
		}
	}
	rules := map[string]*Rule{}
	for i := range c.Rules {
		rules[c.Rules[i].ID] = &c.Rules[i]
	}
	kinds := make([]string, 0, len(b.Ticks))
	for k := range b.Ticks {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t := b.Ticks[k]
		where := fmt.Sprintf("%s binding for %s: ticks/%s", r.Ref(), c.Ref(), k)
		if len(t.Rules) == 0 {
			l.add(where, "a tick names at least one rule")
			continue
		}
		bt := boundTick{covers: map[string]bool{t.Rules[0]: true}}
		seen := map[string]bool{}
		for _, id := range t.Rules {
			rule, ok := rules[id]
			if !ok {
				l.add(where, "rule %q is not in the checklist", id)
				continue
			}
			bt.level = max(bt.level, rule.Level)
			for _, a := range rule.Actions {
				if !seen[a] {
					seen[a] = true
					bt.actions = append(bt.actions, a)
				}
			}
		}
		for _, id := range t.Covers {
			if _, ok := rules[id]; !ok {
				l.add(where, "covering rule %q is not in the checklist", id)
			}
			bt.covers[id] = true
		}
		br.ticks[k] = bt
	}
	if len(l.problems) > 0 {
		return &LoadError{File: r.Ref(), Problems: l.problems}
	}
	c.recog = br
	return nil
}

// Recogniser returns the phrase list c's free text is read with, or nil.
func (c *Checklist) Recogniser() *Recogniser {
	if c.recog == nil {
		return nil
	}
	return c.recog.r
}

// loadRecognisers attaches every phrase list in fsys's recognise/ folder
// to the registry's checklists it binds, each checked against the hash
// frozen in recognise/published.json. No folder: nothing to attach.
// recogniserPins reads the phrase lists' published hashes, by id@version.
func recogniserPins(fsys fs.FS) (map[string]string, error) {
	pubs, err := ReadPublished(fsys, RecogniserDir)
	if err != nil {
		return nil, err
	}
	pinned := map[string]string{}
	for _, p := range pubs {
		pinned[p.ID+"@"+p.Version] = p.SHA256
	}
	return pinned, nil
}

// checkPinned refuses a phrase list (from file name) that is not
// published, or whose content changed since.
func checkPinned(name string, r *Recogniser, pinned map[string]string) error {
	switch pin, ok := pinned[r.Ref()]; {
	case !ok:
		return fmt.Errorf("%s: %s is not in %s/%s: record its hash %s there", name, r.Ref(), RecogniserDir, PublishedFile, r.Hash())
	case pin != r.Hash():
		return fmt.Errorf("%s: %s: %w (published %s, this file %s)", name, r.Ref(), ErrChangedVersion, short(pin), short(r.Hash()))
	}
	return nil
}

func loadRecognisers(fsys fs.FS, reg *Registry) error {
	names, err := fs.Glob(fsys, RecogniserDir+"/*.json")
	if err != nil || len(names) == 0 {
		return err
	}
	pinned, err := recogniserPins(fsys)
	if err != nil {
		return err
	}
	for _, name := range names {
		if path.Base(name) == PublishedFile {
			continue
		}
		r, err := LoadRecogniser(fsys, name)
		if err != nil {
			return err
		}
		if err := checkPinned(name, r, pinned); err != nil {
			return err
		}
		for _, ref := range reg.Refs() {
			c, _ := reg.Get(ref)
			for _, b := range r.Bindings {
				if b.Checklist == c.ID && (len(b.Versions) == 0 || containsWord(b.Versions, c.Version)) {
					if err := c.UseRecogniser(r); err != nil {
						return fmt.Errorf("%s: %w", name, err)
					}
				}
			}
		}
	}
	return nil
}

// --- evaluation -----------------------------------------------------------

// Prompt is a question the recogniser puts to the officer beside a
// free-text question: may these words be a disclosure of Kind?
type Prompt struct {
	Item
	// Key is stable: the item's path and the kind
	// ("child[<instance>].child_words#sexual").
	Key string `json:"key"`
	// AnswerID is where the officer's answer is kept in the item's answers
	// map (PromptAnswerID).
	AnswerID string `json:"answerId"`
	Kind     string `json:"kind"`
	KindName string `json:"kindName"`
	// Text is the prompt in the evaluation's language: "The child's words
	// may describe sexual abuse: is this a disclosure?"
	Text string `json:"text"`
	// Findings are what was flagged: the sentences and the phrases.
	Findings []Finding `json:"findings"`
	// Fingerprint identifies the flagged sentences; an answer counts only
	// for the words it was given about.
	Fingerprint string `json:"fingerprint"`
	// Answer is "yes", "no" or "" (not answered, or answered about other
	// words).
	Answer string `json:"answer,omitempty"`
}

// Fingerprint returns the fingerprint of flagged findings: the first 16
// hex digits of the SHA-256 of their sentences.
func Fingerprint(fs []Finding) string {
	var sents []string
	for _, f := range fs {
		sents = append(sents, f.Sentence)
	}
	sort.Strings(sents)
	sum := sha256.Sum256([]byte(strings.Join(sents, "\n")))
	return hex.EncodeToString(sum[:8])
}

// PromptAnswer is the answer that records the officer's reply to p
// ("yes" or "no"), to save under p.AnswerID.
func PromptAnswer(p Prompt, yes bool) Answer {
	v := "no"
	if yes {
		v = "yes"
	}
	return Answer{Value: v, Reason: p.Fingerprint}
}

// recognise reads the bound free-text questions of every visible scope,
// adds a prompt (and, while unanswered, a problem) for each kind found
// whose tick is not already there, and a reason with the tick rule's level
// and actions for each prompt answered "yes". Called from grade, after the
// rules and risk tools, before the grade is computed.
func (ev *evaluation) recognise(actionsFor map[string][]string) {
	br := ev.c.recog
	if br == nil {
		return
	}
	res := ev.res
	res.Recogniser = br.r.Ref() + " " + short(br.r.Hash())
	fired := map[string]bool{} // rule id + "\x00" + instance ("" for the entry)
	for _, rs := range res.Reasons {
		fired[rs.Rule+"\x00"+rs.Instance] = true
	}
	covered := func(kind, instance string) bool {
		for id := range br.ticks[kind].covers {
			if fired[id+"\x00"] || (instance != "" && fired[id+"\x00"+instance]) {
				return true
			}
		}
		return false
	}
	scopes := []*scope{ev.top}
	for _, g := range ev.c.Groups {
		scopes = append(scopes, ev.insts[g.ID]...)
	}
	for _, bf := range br.fields {
		for _, s := range scopes {
			if bf.p.group != s.group || !s.relevant[bf.p.idx] {
				continue
			}
			text, _ := s.vals[bf.p.idx].(string)
			if strings.TrimSpace(text) == "" {
				continue
			}
			byKind := map[string][]Finding{}
			for _, f := range br.r.Match(text) {
				byKind[f.Kind] = append(byKind[f.Kind], f)
			}
			instance := ""
			if s.inst != nil {
				instance = s.inst.ID
			}
			for _, k := range br.r.Kinds {
				found := byKind[k.ID]
				if len(found) == 0 || covered(k.ID, instance) {
					continue
				}
				ev.prompt(br, bf, s, &k, found, actionsFor)
			}
		}
	}
}

func (ev *evaluation) prompt(br *boundRecogniser, bf boundField, s *scope, k *DisclosureKind, found []Finding, actionsFor map[string][]string) {
	q := bf.p.q
	it := Item{Section: bf.p.s.ID, Question: q.ID}
	if s.inst != nil {
		it.Group, it.Instance = s.group, s.inst.ID
	}
	subject := bf.subject.In(ev.lang)
	if subject == "" {
		subject = strings.ReplaceAll(br.r.Templates.Subject.In(ev.lang), "{question}", q.Label.In(ev.lang))
	}
	fill := func(t Text) string {
		return strings.NewReplacer("{subject}", subject, "{kind}", k.Name.In(ev.lang), "{question}", q.Label.In(ev.lang)).Replace(t.In(ev.lang))
	}
	p := Prompt{Item: it, Key: it.Path() + "#" + k.ID, AnswerID: PromptAnswerID(q.ID, k.ID), Kind: k.ID,
		KindName: k.Name.In(ev.lang), Text: fill(br.r.Templates.Prompt), Findings: found, Fingerprint: Fingerprint(found)}
	if a, ok := s.answers[p.AnswerID]; ok && !a.NotKnown && a.Reason == p.Fingerprint {
		if v, _ := a.Value.(string); v == "yes" || v == "no" {
			p.Answer = v
		}
	}
	ev.res.Prompts = append(ev.res.Prompts, p)
	switch p.Answer {
	case "":
		ev.problem(s, it.Section, q.ID, ProblemDisclosure, p.Text)
	case "yes":
		tick := br.ticks[k.ID]
		id := RuleDisclosurePrefix + k.ID
		reason := Reason{Rule: id, Level: tick.level, Text: fill(br.r.Templates.Reason)}
		if s.inst != nil {
			reason.Group, reason.Instance = s.group, s.inst.ID
			reason.Text = ev.label(s.group, s.index) + ": " + reason.Text
		}
		for _, r := range ev.res.Reasons {
			if r.Rule == id && r.Instance == reason.Instance {
				return // one reason per kind and child, however many boxes said it
			}
		}
		ev.res.Reasons = append(ev.res.Reasons, reason)
		actionsFor[id] = tick.actions
	}
}

var promptSummaryWords = map[string][4]string{
	// flagged, yes, no, unanswered
	"en": {"flagged", "the officer answered: yes, a disclosure", "the officer answered: no, not a disclosure", "the officer has not answered"},
	"cy": {"wedi'i nodi", "atebodd y swyddog: ydy, datgeliad", "atebodd y swyddog: nac ydy, nid datgeliad", "nid yw'r swyddog wedi ateb"},
}

// Summary says in one line what was flagged and what the officer
// answered, for the supervisor and the referral: "sexual abuse — flagged:
// “…” — the officer answered: yes, a disclosure".
func (p Prompt) Summary(lang string) string {
	w, ok := promptSummaryWords[lang]
	if !ok {
		w = promptSummaryWords[DefaultLanguage]
	}
	var quoted []string
	for _, f := range p.Findings {
		quoted = append(quoted, "“"+f.Sentence+"”")
	}
	answer := w[3]
	switch p.Answer {
	case "yes":
		answer = w[1]
	case "no":
		answer = w[2]
	}
	return p.KindName + " — " + w[0] + ": " + strings.Join(quoted, " · ") + " — " + answer
}
