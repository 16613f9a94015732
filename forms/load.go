package forms

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// MaxChecklistBytes bounds a checklist file. The child-at-risk checklist is
// well under 200 KB; anything near this limit is a mistake.
const MaxChecklistBytes = 8 << 20

//go:embed schema/checklist.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema every checklist file is checked against.
func Schema() []byte { return bytes.Clone(schemaJSON) }

var (
	schemaOnce sync.Once
	schemaErr  error
	schema     *jsonschema.Schema
)

func checklistSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			schemaErr = fmt.Errorf("checklist schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		const url = "checklist.schema.json"
		if err := c.AddResource(url, doc); err != nil {
			schemaErr = fmt.Errorf("checklist schema: %w", err)
			return
		}
		schema, schemaErr = c.Compile(url)
	})
	return schema, schemaErr
}

// LoadProblem is one thing wrong with a checklist file.
type LoadProblem struct {
	// Where is a JSON pointer into the file ("/sections/2/questions/4"),
	// followed by the id of the thing when it has one.
	Where   string `json:"where"`
	Message string `json:"message"`
}

func (p LoadProblem) String() string {
	if p.Where == "" {
		return p.Message
	}
	return p.Where + ": " + p.Message
}

// LoadError lists every problem found in a checklist file.
type LoadError struct {
	File     string
	Problems []LoadProblem
}

func (e *LoadError) Error() string {
	var b strings.Builder
	name := e.File
	if name == "" {
		name = "checklist"
	}
	fmt.Fprintf(&b, "%s: %d problem(s)", name, len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Load reads, checks and compiles the checklist at path in fsys.
func Load(fsys fs.FS, path string) (*Checklist, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read checklist: %w", err)
	}
	c, err := Parse(data)
	var le *LoadError
	if errors.As(err, &le) {
		le.File = path
	}
	return c, err
}

// Parse checks a checklist document against the schema, then its ids,
// references and expressions, and compiles it. Every problem found is
// reported in one *LoadError.
func Parse(data []byte) (*Checklist, error) {
	return parse(data, PublishedVersion{})
}

// ParsePublished is Parse for a file of published version pub (its entry
// in published.json). When the file's bytes are those published
// (pub.FileSHA256), or its canonical form hashes to pub.SHA256, the
// content is the very document that passed the schema at publication, so
// the schema pass (about half of Parse) is not run again, nor, for the
// same bytes, the canonical re-encoding; the checks of ids, references and
// expressions and the compile always are. Any other content is parsed in
// full, as by Parse, and keeps its own hash, so the registry's pin refuses
// it. (The tests parse every published file in full against the current
// schema.)
func ParsePublished(data []byte, pub PublishedVersion) (*Checklist, error) {
	return parse(data, pub)
}

func parse(data []byte, pub PublishedVersion) (*Checklist, error) {
	if len(data) > MaxChecklistBytes {
		return nil, &LoadError{Problems: []LoadProblem{{Message: fmt.Sprintf("file is %d bytes, more than the %d allowed", len(data), MaxChecklistBytes)}}}
	}
	sch, err := checklistSchema()
	if err != nil {
		return nil, err
	}
	// The schema check (with the canonical form that is hashed) and the
	// decode into the checklist's types read the same bytes independently,
	// so they run side by side; the outcome is the sequential one (schema
	// problems first), and the decode is always waited for.
	var c Checklist
	decoded := make(chan error, 1)
	go func() {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		decoded <- dec.Decode(&c)
	}()
	hash := published(data, pub)
	if hash == "" {
		canon, err := validated(sch, data)
		if err != nil {
			<-decoded
			return nil, err
		}
		sum := sha256.Sum256(canon)
		hash = hex.EncodeToString(sum[:])
	}
	if err := <-decoded; err != nil {
		return nil, &LoadError{Problems: []LoadProblem{{Message: err.Error()}}}
	}
	c.hash = hash

	var l linter
	l.check(&c)
	if len(l.problems) == 0 {
		c.compiled = l.compile(&c)
	}
	if len(l.problems) > 0 {
		return nil, &LoadError{Problems: l.problems}
	}
	return &c, nil
}

// published returns the canonical hash of data when data is the published
// version pub (its bytes, or its canonical form), else "".
func published(data []byte, pub PublishedVersion) string {
	if pub.SHA256 == "" {
		return ""
	}
	if pub.FileSHA256 != "" {
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) == pub.FileSHA256 {
			return pub.SHA256
		}
	}
	doc, ok := decodeGeneric(data)
	if !ok {
		return ""
	}
	canon, err := canonicalJSON(doc)
	if err != nil {
		return ""
	}
	if sum := sha256.Sum256(canon); hex.EncodeToString(sum[:]) != pub.SHA256 {
		return ""
	}
	return pub.SHA256
}

// validated checks data against the schema and returns its canonical
// form (compact, keys sorted), which the checklist's hash is taken over.
func validated(sch *jsonschema.Schema, data []byte) ([]byte, error) {
	doc, ok := decodeGeneric(data)
	if !ok {
		// Not valid JSON (or nested beyond decodeGeneric's bound): encoding/json
		// says what is wrong, as it always has.
		var err error
		if doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(data)); err != nil {
			return nil, &LoadError{Problems: []LoadProblem{{Message: "not valid JSON: " + err.Error()}}}
		}
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("checklist schema: %w", err)
		}
		return nil, &LoadError{Problems: schemaProblems(ve)}
	}
	canon, err := canonicalJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("canonical checklist: %w", err)
	}
	return canon, nil
}

func schemaProblems(ve *jsonschema.ValidationError) []LoadProblem {
	var ps []LoadProblem
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		where := "/" + strings.Join(e.InstanceLocation, "/")
		msg := e.ErrorKind.LocalizedString(printer)
		if key := where + "|" + msg; !seen[key] {
			seen[key] = true
			ps = append(ps, LoadProblem{Where: where, Message: msg})
		}
	}
	walk(ve)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Where < ps[j].Where })
	return ps
}

var printer = message.NewPrinter(language.English)

// reserved names cannot be question or group ids: they are expression
// keywords, built-ins or the engine's own variables.
var reserved = map[string]bool{
	"value": true, "id": true, "true": true, "false": true, "nil": true, "not": true, "and": true,
	"or": true, "in": true, "matches": true, "contains": true, "startswith": true, "endswith": true,
	"let": true, "if": true, "else": true, "all": true, "any": true, "none": true, "one": true,
	"filter": true, "map": true, "count": true, "len": true, "abs": true, "int": true, "float": true,
	"string": true, "now": true, "date": true, "duration": true, "sum": true, "find": true,
	"yearsbetween": true, "hoursbetween": true, "max": true, "min": true, "keys": true, "values": true,
}

type linter struct {
	problems []LoadProblem
}

func (l *linter) add(where, format string, args ...any) {
	l.problems = append(l.problems, LoadProblem{Where: where, Message: fmt.Sprintf(format, args...)})
}

func at(ptr, id string) string {
	if id == "" {
		return ptr
	}
	return fmt.Sprintf("%s (%s)", ptr, id)
}

func (l *linter) check(c *Checklist) {
	ids := map[string]string{} // id -> where first used
	claim := func(where, id, what string) {
		if reserved[strings.ToLower(id)] {
			l.add(where, "%s id %q is reserved (an expression keyword or built-in)", what, id)
			return
		}
		if first, ok := ids[id]; ok {
			l.add(where, "%s id %q is already used at %s", what, id, first)
			return
		}
		ids[id] = where
	}
	if len(c.Languages) > 0 && c.Languages[0] != DefaultLanguage {
		l.add("/languages", "the first language must be %q", DefaultLanguage)
	}
	l.checkLanguages(c)
	for name, cl := range c.CodeLists {
		where := "/codelists/" + name
		vals := map[string]bool{}
		for i, o := range cl.Codes {
			if vals[o.Value] {
				l.add(fmt.Sprintf("%s/codes/%d", where, i), "code %q is listed twice", o.Value)
			}
			vals[o.Value] = true
		}
		for from, to := range cl.Aliases {
			if !vals[to] {
				l.add(where+"/aliases/"+from, "alias %q points to %q, which is not a code of the list", from, to)
			}
			if vals[from] {
				l.add(where+"/aliases/"+from, "alias %q is also a code", from)
			}
		}
	}
	groups := map[string]bool{}
	for i, g := range c.Groups {
		where := at(fmt.Sprintf("/groups/%d", i), g.ID)
		claim(where, g.ID, "group")
		groups[g.ID] = true
		if g.Max > 0 && g.Max < g.Min {
			l.add(where, "max %d is less than min %d", g.Max, g.Min)
		}
	}
	qgroup := map[string]string{} // question id -> group ("" for top level)
	for si := range c.Sections {
		s := &c.Sections[si]
		swhere := at(fmt.Sprintf("/sections/%d", si), s.ID)
		claim(swhere, s.ID, "section")
		if s.Repeat != "" && !groups[s.Repeat] {
			l.add(swhere, "repeat names group %q, which the checklist does not declare", s.Repeat)
		}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			qwhere := at(fmt.Sprintf("/sections/%d/questions/%d", si, qi), q.ID)
			claim(qwhere, q.ID, "question")
			qgroup[q.ID] = s.Repeat
			l.checkQuestion(c, qwhere, q)
		}
	}
	for i, g := range c.Groups {
		if g.NameQuestion == "" {
			continue
		}
		if grp, ok := qgroup[g.NameQuestion]; !ok || grp != g.ID {
			l.add(at(fmt.Sprintf("/groups/%d", i), g.ID), "nameQuestion %q is not a question of a section repeating over %q", g.NameQuestion, g.ID)
		}
	}
	for i, r := range c.Rules {
		where := at(fmt.Sprintf("/rules/%d", i), r.ID)
		claim(where, r.ID, "rule")
		if r.Each != "" && !groups[r.Each] {
			l.add(where, "each names group %q, which the checklist does not declare", r.Each)
		}
		for _, a := range r.Actions {
			if _, ok := c.Actions[a]; !ok {
				l.add(where, "action %q is not declared in actions", a)
			}
		}
	}
	if rel := c.Relationships; rel != nil {
		if _, ok := c.CodeLists[rel.CodeList]; !ok {
			l.add("/relationships", "code list %q is not declared", rel.CodeList)
		}
		for _, list := range [][]string{rel.From, rel.To, rel.RequiredFor} {
			for _, g := range list {
				if !groups[g] {
					l.add("/relationships", "group %q is not declared", g)
				}
			}
		}
	}
	for i, u := range c.RiskTools {
		where := at(fmt.Sprintf("/riskTools/%d", i), u.Tool)
		tool, ok := lookupRiskTool(u.Tool)
		if !ok {
			l.add(where, "risk tool %q is not known to this engine (known: %s)", u.Tool, strings.Join(riskToolIDs(), ", "))
			continue
		}
		s, ok := c.Section(u.Section)
		if !ok {
			l.add(where, "section %q does not exist", u.Section)
			continue
		}
		if err := tool.Check(s); err != nil {
			l.add(where, "%v", err)
		}
		for _, a := range append(append([]string(nil), u.Actions...), u.IncompleteActions...) {
			if _, ok := c.Actions[a]; !ok {
				l.add(where, "action %q is not declared in actions", a)
			}
		}
	}
}

func (l *linter) checkQuestion(c *Checklist, where string, q *Question) {
	switch q.Kind {
	case KindSingle, KindMulti:
		vals := map[string]bool{}
		for i, o := range q.Options {
			if vals[o.Value] {
				l.add(fmt.Sprintf("%s/options/%d", where, i), "option %q is listed twice", o.Value)
			}
			vals[o.Value] = true
		}
	case KindCode:
		if _, ok := c.CodeLists[q.CodeList]; !ok {
			l.add(where, "code list %q is not declared", q.CodeList)
		}
	case KindScale:
		if q.Scale.Max <= q.Scale.Min {
			l.add(where, "scale max %d must be more than min %d", q.Scale.Max, q.Scale.Min)
		}
	}
	if q.Kind != KindSingle && q.Kind != KindMulti && len(q.Options) > 0 {
		l.add(where, "options are only for single and multi questions, not %s", q.Kind)
	}
	if q.Kind != KindCode && q.CodeList != "" {
		l.add(where, "codelist is only for code questions, not %s", q.Kind)
	}
	if q.Immediate && q.Kind != KindYesNo {
		l.add(where, "only yes/no questions can be marked immediate")
	}
}
