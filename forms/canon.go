package forms

import (
	"bytes"
	"encoding/json"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the two halves of a checklist's schema check that
// encoding/json did by reflection: reading the file into the generic tree
// the schema validator walks (what jsonschema.UnmarshalJSON returns:
// map[string]any, []any, string, json.Number, bool, nil), and writing
// that tree back in canonical form (what json.Marshal writes: compact,
// keys sorted), which the checklist's hash is taken over. Both must agree
// with encoding/json byte for byte (published checklists are frozen by
// that hash); TestGenericDecodeMatchesEncodingJSON and
// FuzzGenericDecode check it. Together they were a third of Parse.

// maxGenericDepth bounds nesting for decodeGeneric; deeper documents go
// to encoding/json, which reports them.
const maxGenericDepth = 1000

// decodeGeneric reads data as jsonschema.UnmarshalJSON does (numbers as
// json.Number, one value and only white space after it). ok is false for
// anything it does not accept; the caller then asks encoding/json, whose
// error is the one reported, so decodeGeneric need only be right about
// valid documents and never accept an invalid one.
func decodeGeneric(data []byte) (v any, ok bool) {
	d := genericDecoder{data: data}
	d.space()
	v, ok = d.value(0)
	if !ok {
		return nil, false
	}
	d.space()
	return v, d.pos == len(d.data)
}

type genericDecoder struct {
	data []byte
	pos  int
	buf  []byte // scratch for strings with escapes
}

func (d *genericDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *genericDecoder) value(depth int) (any, bool) {
	if d.pos >= len(d.data) || depth > maxGenericDepth {
		return nil, false
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		s, ok := d.str()
		return s, ok
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, false
}

func (d *genericDecoder) literal(word string) bool {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(word)) {
		return false
	}
	d.pos += len(word)
	return true
}

func (d *genericDecoder) object(depth int) (any, bool) {
	d.pos++ // '{'
	m := map[string]any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return m, true
	}
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, false
		}
		k, ok := d.str()
		if !ok {
			return nil, false
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, false
		}
		d.pos++
		d.space()
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		m[k] = v
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
			d.space()
		case '}':
			d.pos++
			return m, true
		default:
			return nil, false
		}
	}
}

func (d *genericDecoder) array(depth int) (any, bool) {
	d.pos++ // '['
	a := []any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return a, true
	}
	for {
		d.space()
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return a, true
		default:
			return nil, false
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numberEnd returns where the JSON number starting at s[p] ends, by
// the grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and false
// when none starts there. Both decoders read numbers through it.
func numberEnd(s []byte, p int) (int, bool) {
	if p < len(s) && s[p] == '-' {
		p++
	}
	switch {
	case p < len(s) && s[p] == '0':
		p++
	case p < len(s) && s[p] >= '1' && s[p] <= '9':
		for p < len(s) && isDigit(s[p]) {
			p++
		}
	default:
		return 0, false
	}
	if p < len(s) && s[p] == '.' {
		p++
		if p >= len(s) || !isDigit(s[p]) {
			return 0, false
		}
		for p < len(s) && isDigit(s[p]) {
			p++
		}
	}
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		p++
		if p < len(s) && (s[p] == '+' || s[p] == '-') {
			p++
		}
		if p >= len(s) || !isDigit(s[p]) {
			return 0, false
		}
		for p < len(s) && isDigit(s[p]) {
			p++
		}
	}
	return p, true
}

// number reads a JSON number (numberEnd) as a json.Number.
func (d *genericDecoder) number() (any, bool) {
	p, ok := numberEnd(d.data, d.pos)
	if !ok {
		return nil, false
	}
	n := json.Number(d.data[d.pos:p])
	d.pos = p
	return n, true
}

// str reads a string as encoding/json unquotes it: escapes decoded, a
// lone or broken surrogate and each byte of invalid UTF-8 read as U+FFFD.
func (d *genericDecoder) str() (string, bool) {
	d.pos++ // '"'
	s := d.data
	start := d.pos
	p := start
	for p < len(s) {
		c := s[p]
		if c == '"' {
			d.pos = p + 1
			return string(s[start:p]), true
		}
		if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
			break
		}
		p++
	}
	b := append(d.buf[:0], s[start:p]...)
	for p < len(s) {
		c := s[p]
		switch {
		case c == '"':
			d.pos = p + 1
			d.buf = b
			return string(b), true
		case c < ' ':
			return "", false
		case c == '\\':
			if p+1 >= len(s) {
				return "", false
			}
			var ok bool
			if b, p, ok = d.escape(b, p); !ok {
				return "", false
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p++
		default:
			r, size := utf8.DecodeRune(s[p:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[p:p+size]...)
			}
			p += size
		}
	}
	return "", false
}

// escape decodes the escape at s[p] ('\\') onto b.
func (d *genericDecoder) escape(b []byte, p int) ([]byte, int, bool) {
	s := d.data
	switch s[p+1] {
	case '"', '\\', '/':
		return append(b, s[p+1]), p + 2, true
	case 'b':
		return append(b, '\b'), p + 2, true
	case 'f':
		return append(b, '\f'), p + 2, true
	case 'n':
		return append(b, '\n'), p + 2, true
	case 'r':
		return append(b, '\r'), p + 2, true
	case 't':
		return append(b, '\t'), p + 2, true
	case 'u':
		r := u4(s[p:])
		if r < 0 {
			return nil, 0, false
		}
		p += 6
		if utf16.IsSurrogate(r) {
			if dec := utf16.DecodeRune(r, u4(s[p:])); dec != utf8.RuneError {
				return utf8.AppendRune(b, dec), p + 6, true
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(b, r), p, true
	}
	return nil, 0, false
}

// u4 reads \uXXXX at the start of s, -1 when it is not one.
func u4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// canonicalJSON writes doc (a generic tree) as json.Marshal does.
func canonicalJSON(doc any) ([]byte, error) {
	b, ok := appendCanonical(make([]byte, 0, 64<<10), doc)
	if !ok {
		return json.Marshal(doc)
	}
	return b, nil
}

// appendCanonical appends v; ok is false for a value outside the generic
// tree's types (the caller then leaves it to json.Marshal).
func appendCanonical(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		if v {
			return append(b, "true"...), true
		}
		return append(b, "false"...), true
	case string:
		return appendJSONString(b, v), true
	case json.Number:
		if v == "" {
			return append(b, '0'), true
		}
		if !validNumber(string(v)) {
			return b, false
		}
		return append(b, v...), true
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendCanonical(b, x); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			var ok bool
			if b, ok = appendCanonical(b, v[k]); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	}
	return b, false
}

// validNumber reports whether s is a JSON number (json.Marshal refuses
// a json.Number that is not).
func validNumber(s string) bool {
	if s == "" || (s[0] != '-' && !isDigit(s[0])) {
		return false
	}
	d := genericDecoder{data: []byte(s)}
	_, ok := d.number()
	return ok && d.pos == len(s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does with HTML
// escaping on: <, > and & as \u003c, \u003e, \u0026, U+2028 and U+2029
// escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
