package main

// checklist translate: a translation memory (English -> another language,
// one distinct English text a line) extracted from a checklist and merged
// back into a new version of it.
//
//	checklist translate extract -lang cy FILE TM.tsv
//	    add FILE's distinct English texts not yet in TM.tsv (with an empty
//	    translation), keeping every row already there
//	checklist translate merge -lang cy -version 3.0.0 -tm TM.tsv -out NEW.json FILE
//	    write NEW.json: FILE with every text given its translation, the
//	    language added to "languages" and the new version; refused while
//	    any text of FILE has no translation in TM.tsv
//
// The memory is a TSV file: lines starting with "#" are comments (kept at
// the top), then "English<TAB>translation" rows; a tab, a newline and a
// backslash inside a text are written \t, \n and \\.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/safeguard-uk/safeguard/forms"
)

const translateUsage = `  checklist translate extract -lang LANG FILE TM.tsv
  checklist translate merge -lang LANG -version VERSION -tm TM.tsv -out NEW.json FILE
`

// memory is a translation memory: English texts in first-seen order, each
// with its translation ("" while untranslated).
type memory struct {
	comments []string
	order    []string
	to       map[string]string
}

func escapeTSV(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`).Replace(s)
}

func unescapeTSV(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i == len(s) {
			return "", errors.New("a lone backslash at the end")
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		default:
			return "", fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return b.String(), nil
}

// readMemory reads a translation memory; a missing file is an empty one.
func readMemory(name string) (*memory, error) {
	m := &memory{to: map[string]string{}}
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			m.comments = append(m.comments, line)
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		en, tr, ok := strings.Cut(line, "\t")
		if !ok || strings.Contains(tr, "\t") {
			return nil, fmt.Errorf("%s:%d: want two tab-separated columns", name, n)
		}
		if en, err = unescapeTSV(en); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if tr, err = unescapeTSV(tr); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if _, dup := m.to[en]; dup {
			return nil, fmt.Errorf("%s:%d: %q is listed twice", name, n, en)
		}
		m.order = append(m.order, en)
		m.to[en] = tr
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

func (m *memory) write(name string) error {
	var b bytes.Buffer
	for _, c := range m.comments {
		b.WriteString(c + "\n")
	}
	for _, en := range m.order {
		b.WriteString(escapeTSV(en) + "\t" + escapeTSV(m.to[en]) + "\n")
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

func translate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, translateUsage)
		return exitUsage
	}
	switch args[0] {
	case "extract":
		return translateExtract(args[1:], stdout, stderr)
	case "merge":
		return translateMerge(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "checklist: unknown translate command %q\n%s", args[0], translateUsage)
	return exitUsage
}

func translateExtract(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("translate extract", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "", "the language translated to (cy)")
	if err := fset.Parse(args); err != nil || fset.NArg() != 2 || *lang == "" {
		fmt.Fprint(stderr, translateUsage)
		return exitUsage
	}
	c, err := loadFile(fset.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	m, err := readMemory(fset.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	if len(m.comments) == 0 {
		m.comments = []string{fmt.Sprintf("# Translation memory for %s: English<TAB>%s, one distinct text a line (checklist translate).", c.ID, *lang)}
	}
	added := 0
	forms.WalkTexts(c, func(_ string, t forms.Text) {
		en := t[forms.DefaultLanguage]
		if _, ok := m.to[en]; ok {
			return
		}
		m.order = append(m.order, en)
		m.to[en] = t[*lang]
		added++
	})
	if err := m.write(fset.Arg(1)); err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s: %d texts, %d added\n", fset.Arg(1), len(m.order), added)
	return exitOK
}

func translateMerge(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("translate merge", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "", "the language merged in (cy)")
	version := fset.String("version", "", "the new version (3.0.0)")
	tm := fset.String("tm", "", "the translation memory (TSV)")
	out := fset.String("out", "", "the new checklist file")
	if err := fset.Parse(args); err != nil || fset.NArg() != 1 || *lang == "" || *version == "" || *tm == "" || *out == "" {
		fmt.Fprint(stderr, translateUsage)
		return exitUsage
	}
	src := fset.Arg(0)
	c, err := loadFile(src)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitProblems
	}
	m, err := readMemory(*tm)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	data, err := os.ReadFile(src)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	doc, err := parseOrdered(data)
	if err != nil {
		fmt.Fprintf(stderr, "checklist: %s: %v\n", src, err)
		return exitUsage
	}
	var missing []string
	var setErr error
	forms.WalkTexts(c, func(ptr string, t forms.Text) {
		tr := strings.TrimSpace(m.to[t[forms.DefaultLanguage]])
		if tr == "" {
			missing = append(missing, ptr)
			return
		}
		if err := doc.setText(ptr, *lang, tr); err != nil && setErr == nil {
			setErr = err
		}
	})
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "checklist: %d texts have no %q translation in %s, the first %s\n", len(missing), *lang, *tm, missing[0])
		return exitProblems
	}
	if setErr != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", setErr)
		return exitUsage
	}
	doc.set("version", &node{kind: nodeScalar, raw: strconv.Quote(*version)})
	langs := doc.getObj("languages")
	if langs == nil {
		langs = &node{kind: nodeArray, arr: []*node{{kind: nodeScalar, raw: `"en"`}}}
		doc.set("languages", langs)
	}
	quoted := strconv.Quote(*lang)
	has := false
	for _, l := range langs.arr {
		has = has || l.raw == quoted
	}
	if !has {
		langs.arr = append(langs.arr, &node{kind: nodeScalar, raw: quoted})
	}
	var b bytes.Buffer
	doc.encode(&b, "")
	b.WriteByte('\n')
	nc, err := forms.Parse(b.Bytes())
	if err != nil {
		fmt.Fprintf(stderr, "checklist: the merged checklist does not load: %v\n", err)
		return exitProblems
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "checklist: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s (%s, languages %v, sha256 %s)\n", *out, nc.Ref(), nc.Languages, nc.Hash())
	return exitOK
}

// An ordered JSON tree: the merge keeps the source's key order and layout
// so the new version reads as a diff of the old one.
type nodeKind int

const (
	nodeScalar nodeKind = iota // raw holds the JSON literal
	nodeObject
	nodeArray
)

type member struct {
	key string
	val *node
}

type node struct {
	kind nodeKind
	raw  string
	obj  members
	arr  []*node
}

type members []member

func (ms members) get(k string) *node {
	for _, m := range ms {
		if m.key == k {
			return m.val
		}
	}
	return nil
}

func (n *node) set(k string, v *node) {
	for i := range n.obj {
		if n.obj[i].key == k {
			n.obj[i].val = v
			return
		}
	}
	n.obj = append(n.obj, member{k, v})
}

func (n *node) getObj(k string) *node { return n.obj.get(k) }

func parseOrdered(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the top-level value")
	}
	return n, nil
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: nodeObject}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.obj = append(n.obj, member{kt.(string), v})
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &node{kind: nodeArray}
			for dec.More() {
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.arr = append(n.arr, v)
			}
			_, err := dec.Token()
			return n, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case string:
		return &node{kind: nodeScalar, raw: quoteJSON(t)}, nil
	case json.Number:
		return &node{kind: nodeScalar, raw: t.String()}, nil
	case bool:
		return &node{kind: nodeScalar, raw: strconv.FormatBool(t)}, nil
	case nil:
		return &node{kind: nodeScalar, raw: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// quoteJSON quotes s as encoding/json does, without HTML escaping.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// setText adds lang to the Text object at ptr, just after its English.
func (n *node) setText(ptr, lang, text string) error {
	cur := n
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch cur.kind {
		case nodeObject:
			next := cur.getObj(tok)
			if next == nil {
				return fmt.Errorf("%s: no member %q", ptr, tok)
			}
			cur = next
		case nodeArray:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.arr) {
				return fmt.Errorf("%s: no item %q", ptr, tok)
			}
			cur = cur.arr[i]
		default:
			return fmt.Errorf("%s: %q is inside a scalar", ptr, tok)
		}
	}
	if cur.kind != nodeObject || cur.getObj(forms.DefaultLanguage) == nil {
		return fmt.Errorf("%s: not a text", ptr)
	}
	val := &node{kind: nodeScalar, raw: quoteJSON(text)}
	for i, m := range cur.obj {
		if m.key == lang {
			cur.obj[i].val = val
			return nil
		}
	}
	for i, m := range cur.obj {
		if m.key == forms.DefaultLanguage {
			cur.obj = append(cur.obj[:i+1], append(members{{lang, val}}, cur.obj[i+1:]...)...)
			return nil
		}
	}
	return nil
}

// encode writes n as encoding/json's MarshalIndent does with a two-space
// indent.
func (n *node) encode(b *bytes.Buffer, indent string) {
	switch n.kind {
	case nodeScalar:
		b.WriteString(n.raw)
	case nodeObject:
		if len(n.obj) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range n.obj {
			b.WriteString(indent + "  " + quoteJSON(m.key) + ": ")
			m.val.encode(b, indent+"  ")
			if i < len(n.obj)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case nodeArray:
		if len(n.arr) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, v := range n.arr {
			b.WriteString(indent + "  ")
			v.encode(b, indent+"  ")
			if i < len(n.arr)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	}
}
