package forms

import (
	"strconv"
	"time"
)

// This file reads and writes entry documents without reflection: what
// DecodeEntry and Encode did through encoding/json was most of the central
// system's per-item work on push (decoding 60 µs, encoding 30 µs for an
// entry of five children, against 30 µs to evaluate it).
//
// Both halves must agree with encoding/json exactly: content hashes are
// taken over Encode's bytes on devices and servers of every version, and
// DecodeEntry's errors are encoding/json's. So each half only handles the
// documents and values it knows to be plain, and hands everything else to
// encoding/json:
//   - decodeEntryFast accepts a document only if it is compact-or-spaced
//     JSON with exactly the field names Encode writes (encoding/json also
//     matches names without regard to case), no field twice, no null, a
//     value of the field's own JSON type, answer values that are strings,
//     numbers, booleans or lists of strings, and no grading. Anything else
//     (including every malformed document) is decoded by encoding/json,
//     whose result or error is the one returned.
//   - appendEntry writes an entry whose answer values are nil, strings,
//     float64, booleans or []string, and whose times encode; else Encode
//     asks json.Marshal.
//
// TestEntryCodecMatchesEncodingJSON, FuzzEntryCodec and
// TestEntryCodecKnowsEveryField check the agreement; the last fails when a
// field is added to Entry (or its parts) that this file does not know.

// decodeEntryFast reads data into e. ok is false when the document is not
// one it handles (see above); e is then to be discarded.
func decodeEntryFast(data []byte, e *Entry) (ok bool) {
	d := entryDecoder{genericDecoder: genericDecoder{data: data}}
	d.space()
	if !d.entry(e) {
		return false
	}
	d.space()
	return d.pos == len(d.data)
}

type entryDecoder struct {
	genericDecoder
	bad bool // a value it does not handle was met
}

// byte reports whether the next byte is c, and steps over it.
func (d *entryDecoder) byte(c byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// field steps to an object's next member and returns its key, the reader
// then at its value; false at the object's end ('}' read) or when the
// object is not one it handles (d.bad set). *n counts the members read
// (0 before the first: the object's '{' is read then).
func (d *entryDecoder) field(n *int) ([]byte, bool) {
	d.space()
	if *n == 0 {
		if !d.byte('{') {
			d.bad = true
			return nil, false
		}
		d.space()
		if d.byte('}') {
			return nil, false
		}
	} else {
		if d.byte('}') {
			return nil, false
		}
		if !d.byte(',') {
			d.bad = true
			return nil, false
		}
		d.space()
	}
	*n++
	k, ok := d.key()
	if ok {
		d.space()
		ok = d.byte(':')
	}
	if !ok {
		d.bad = true
		return nil, false
	}
	d.space()
	return k, true
}

// elem steps to an array's next element; false at its end (']' read) or
// when it is not an array (d.bad set). *n counts as for field.
func (d *entryDecoder) elem(n *int) bool {
	d.space()
	if *n == 0 {
		if !d.byte('[') {
			d.bad = true
			return false
		}
		d.space()
		if d.byte(']') {
			return false
		}
	} else {
		if d.byte(']') {
			return false
		}
		if !d.byte(',') {
			d.bad = true
			return false
		}
		d.space()
	}
	*n++
	return true
}

// key reads a member's name: the document's own bytes when it is plain
// ASCII without escapes (the usual case: no allocation), else decoded.
func (d *entryDecoder) key() ([]byte, bool) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, false
	}
	for p := d.pos + 1; p < len(d.data); p++ {
		c := d.data[p]
		if c == '"' {
			k := d.data[d.pos+1 : p]
			d.pos = p + 1
			return k, true
		}
		if c == '\\' || c < ' ' || c >= 0x80 {
			break
		}
	}
	s, ok := d.str()
	return []byte(s), ok
}

func (d *entryDecoder) string(dst *string) bool {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return false
	}
	s, ok := d.str()
	*dst = s
	return ok
}

func (d *entryDecoder) bool(dst *bool) bool {
	switch {
	case d.literal("true"):
		*dst = true
		return true
	case d.literal("false"):
		*dst = false
		return true
	}
	return false
}

// numberEnd steps over a JSON number (numberEnd) and returns its text.
func (d *entryDecoder) numberEnd() ([]byte, bool) {
	p, ok := numberEnd(d.data, d.pos)
	if !ok {
		return nil, false
	}
	n := d.data[d.pos:p]
	d.pos = p
	return n, true
}

// int reads an integer as encoding/json does into an int or int64 field
// (no fraction, no exponent, within 64 bits).
func (d *entryDecoder) int(dst *int64) bool {
	t, ok := d.numberEnd()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(string(t), 10, 64)
	if err != nil {
		return false
	}
	*dst = n
	return true
}

// seen marks field bit i; false when it was already read.
func seen(mask *uint32, i uint) bool {
	if *mask&(1<<i) != 0 {
		return false
	}
	*mask |= 1 << i
	return true
}

func (d *entryDecoder) entry(e *Entry) bool {
	var mask uint32
	for n := 0; ; {
		k, more := d.field(&n)
		if !more {
			break
		}
		ok := false
		switch string(k) {
		case "id":
			ok = seen(&mask, 0) && d.string(&e.ID)
		case "checklist":
			ok = seen(&mask, 1) && d.ref(&e.Checklist)
		case "revision":
			var r int64
			ok = seen(&mask, 2) && d.int(&r) && int64(int(r)) == r
			e.Revision = int(r)
		case "started":
			if seen(&mask, 3) && d.pos < len(d.data) && d.data[d.pos] == '"' {
				start := d.pos
				if _, ok = d.str(); ok {
					ok = e.Started.UnmarshalJSON(d.data[start:d.pos]) == nil
				}
			}
		case "officer":
			ok = seen(&mask, 4) && d.string(&e.Officer)
		case "training":
			ok = seen(&mask, 5) && d.bool(&e.Training)
		case "answers":
			ok = seen(&mask, 6) && d.answers(&e.Answers)
		case "groups":
			ok = seen(&mask, 7) && d.groups(e)
		case "relationships":
			ok = seen(&mask, 8) && d.relationships(e)
		case "attachments":
			ok = seen(&mask, 9) && d.attachments(e)
		case "language":
			ok = seen(&mask, 10) && d.string(&e.Language)
		}
		// grading, unknown or differently spelt names: encoding/json
		if !ok {
			return false
		}
	}
	return !d.bad
}

func (d *entryDecoder) ref(r *Ref) bool {
	var mask uint32
	for n := 0; ; {
		k, more := d.field(&n)
		if !more {
			return !d.bad
		}
		ok := false
		switch string(k) {
		case "id":
			ok = seen(&mask, 0) && d.string(&r.ID)
		case "version":
			ok = seen(&mask, 1) && d.string(&r.Version)
		}
		if !ok {
			return false
		}
	}
}

func (d *entryDecoder) groups(e *Entry) bool {
	e.Groups = map[string][]Instance{}
	for n := 0; ; {
		k, more := d.field(&n)
		if !more {
			return !d.bad
		}
		g := string(k)
		if _, dup := e.Groups[g]; dup {
			return false
		}
		list := []Instance{}
		for m := 0; d.elem(&m); {
			list = append(list, Instance{})
			if !d.instance(&list[len(list)-1]) {
				return false
			}
		}
		if d.bad {
			return false
		}
		e.Groups[g] = list
	}
}

func (d *entryDecoder) instance(inst *Instance) bool {
	var mask uint32
	for n := 0; ; {
		k, more := d.field(&n)
		if !more {
			return !d.bad
		}
		ok := false
		switch string(k) {
		case "id":
			ok = seen(&mask, 0) && d.string(&inst.ID)
		case "answers":
			ok = seen(&mask, 1) && d.answers(&inst.Answers)
		}
		if !ok {
			return false
		}
	}
}

func (d *entryDecoder) relationships(e *Entry) bool {
	e.Relationships = []Relationship{}
	for m := 0; d.elem(&m); {
		var r Relationship
		var mask uint32
		for n := 0; ; {
			k, more := d.field(&n)
			if !more {
				break
			}
			ok := false
			switch string(k) {
			case "from":
				ok = seen(&mask, 0) && d.string(&r.From)
			case "to":
				ok = seen(&mask, 1) && d.string(&r.To)
			case "type":
				ok = seen(&mask, 2) && d.string(&r.Type)
			}
			if !ok {
				return false
			}
		}
		if d.bad {
			return false
		}
		e.Relationships = append(e.Relationships, r)
	}
	return !d.bad
}

func (d *entryDecoder) attachments(e *Entry) bool {
	e.Attachments = []Attachment{}
	for m := 0; d.elem(&m); {
		var a Attachment
		var mask uint32
		for n := 0; ; {
			k, more := d.field(&n)
			if !more {
				break
			}
			ok := false
			switch string(k) {
			case "sha256":
				ok = seen(&mask, 0) && d.string(&a.SHA256)
			case "size":
				ok = seen(&mask, 1) && d.int(&a.Size)
			case "type":
				ok = seen(&mask, 2) && d.string(&a.Type)
			case "name":
				ok = seen(&mask, 3) && d.string(&a.Name)
			}
			if !ok {
				return false
			}
		}
		if d.bad {
			return false
		}
		e.Attachments = append(e.Attachments, a)
	}
	return !d.bad
}

func (d *entryDecoder) answers(dst *map[string]Answer) bool {
	m := map[string]Answer{}
	*dst = m
	for n := 0; ; {
		k, more := d.field(&n)
		if !more {
			return !d.bad
		}
		id := string(k)
		if _, dup := m[id]; dup {
			return false
		}
		var a Answer
		var mask uint32
		for j := 0; ; {
			k, more := d.field(&j)
			if !more {
				break
			}
			ok := false
			switch string(k) {
			case "value":
				ok = seen(&mask, 0) && d.answerValue(&a.Value)
			case "notKnown":
				ok = seen(&mask, 1) && d.bool(&a.NotKnown)
			case "reason":
				ok = seen(&mask, 2) && d.string(&a.Reason)
			case "lang":
				ok = seen(&mask, 3) && d.string(&a.Lang)
			}
			if !ok {
				return false
			}
		}
		if d.bad {
			return false
		}
		m[id] = a
	}
}

// answerValue reads a string, number (float64), boolean or list of
// strings ([]string, as normalise would make it).
func (d *entryDecoder) answerValue(dst *any) bool {
	if d.pos >= len(d.data) {
		return false
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		s, ok := d.str()
		*dst = s
		return ok
	case c == '-' || isDigit(c):
		t, ok := d.numberEnd()
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return false
		}
		*dst = f
		return true
	case c == 't' || c == 'f':
		var b bool
		ok := d.bool(&b)
		*dst = b
		return ok
	case c == '[':
		list := []string{}
		for n := 0; d.elem(&n); {
			var s string
			if !d.string(&s) {
				return false
			}
			list = append(list, s)
		}
		*dst = list
		return !d.bad
	}
	return false // null, objects: encoding/json
}

// appendEntry appends e as json.Marshal writes it; ok is false for an
// entry holding a value it does not write (the caller then asks
// json.Marshal).
func appendEntry(b []byte, e *Entry) ([]byte, bool) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.ID)
	b = append(b, `,"checklist":{"id":`...)
	b = appendJSONString(b, e.Checklist.ID)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, e.Checklist.Version)
	b = append(b, `},"revision":`...)
	b = strconv.AppendInt(b, int64(e.Revision), 10)
	b = append(b, `,"started":`...)
	var ok bool
	if b, ok = appendTime(b, e.Started); !ok {
		return b, false
	}
	if e.Officer != "" {
		b = append(b, `,"officer":`...)
		b = appendJSONString(b, e.Officer)
	}
	if e.Training {
		b = append(b, `,"training":true`...)
	}
	b = append(b, `,"answers":`...)
	if b, ok = appendAnswers(b, e.Answers); !ok {
		return b, false
	}
	if len(e.Groups) > 0 {
		b = append(b, `,"groups":{`...)
		for i, g := range sortedKeys(e.Groups) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, g)
			b = append(b, ':')
			list := e.Groups[g]
			if list == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j := range list {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendJSONString(b, list[j].ID)
				b = append(b, `,"answers":`...)
				if b, ok = appendAnswers(b, list[j].Answers); !ok {
					return b, false
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	if len(e.Relationships) > 0 {
		b = append(b, `,"relationships":[`...)
		for i, r := range e.Relationships {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"from":`...)
			b = appendJSONString(b, r.From)
			b = append(b, `,"to":`...)
			b = appendJSONString(b, r.To)
			b = append(b, `,"type":`...)
			b = appendJSONString(b, r.Type)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Attachments) > 0 {
		b = append(b, `,"attachments":[`...)
		for i, a := range e.Attachments {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"sha256":`...)
			b = appendJSONString(b, a.SHA256)
			b = append(b, `,"size":`...)
			b = strconv.AppendInt(b, a.Size, 10)
			if a.Type != "" {
				b = append(b, `,"type":`...)
				b = appendJSONString(b, a.Type)
			}
			if a.Name != "" {
				b = append(b, `,"name":`...)
				b = appendJSONString(b, a.Name)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e.Grading != nil {
		b = append(b, `,"grading":{"level":`...)
		b = appendJSONString(b, e.Grading.Level.String())
		if e.Grading.Reason != "" {
			b = append(b, `,"reason":`...)
			b = appendJSONString(b, e.Grading.Reason)
		}
		b = append(b, '}')
	}
	if e.Language != "" {
		b = append(b, `,"language":`...)
		b = appendJSONString(b, e.Language)
	}
	return append(b, '}'), true
}

// appendTime writes t as time.Time's MarshalJSON does (false where that
// fails: a year outside 0-9999, a zone hour outside 0-23).
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	j, err := t.MarshalJSON()
	if err != nil {
		return b, false
	}
	return append(b, j...), true
}

func appendAnswers(b []byte, m map[string]Answer) ([]byte, bool) {
	if m == nil {
		return append(b, "null"...), true
	}
	b = append(b, '{')
	for i, id := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
		b = append(b, ':', '{')
		a := m[id]
		comma := false
		if a.Value != nil {
			b = append(b, `"value":`...)
			var ok bool
			if b, ok = appendAnswerValue(b, a.Value); !ok {
				return b, false
			}
			comma = true
		}
		if a.NotKnown {
			if comma {
				b = append(b, ',')
			}
			b = append(b, `"notKnown":true`...)
			comma = true
		}
		if a.Reason != "" {
			if comma {
				b = append(b, ',')
			}
			b = append(b, `"reason":`...)
			b = appendJSONString(b, a.Reason)
			comma = true
		}
		if a.Lang != "" {
			if comma {
				b = append(b, ',')
			}
			b = append(b, `"lang":`...)
			b = appendJSONString(b, a.Lang)
		}
		b = append(b, '}')
	}
	return append(b, '}'), true
}

func appendAnswerValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case string:
		return appendJSONString(b, v), true
	case bool:
		if v {
			return append(b, "true"...), true
		}
		return append(b, "false"...), true
	case float64:
		return appendFloat(b, v)
	case []string:
		if v == nil {
			return append(b, "null"...), true
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']'), true
	}
	return b, false
}

// appendFloat writes f as encoding/json writes a float64 (false for NaN
// and the infinities, which it refuses).
func appendFloat(b []byte, f float64) ([]byte, bool) {
	if f != f || f > maxFloat || f < -maxFloat {
		return b, false
	}
	abs := f
	if abs < 0 {
		abs = -abs
	}
	fmt := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	b = strconv.AppendFloat(b, f, fmt, -1, 64)
	if fmt == 'e' {
		// e-09 as e-9, as encoding/json writes it
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

const maxFloat = 1.7976931348623157e308
