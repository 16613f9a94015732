package api

import (
	"encoding/json"
	"strconv"
)

// decodePushFast decodes a push request of the plain shape every device
// sends (the keys deviceId and items, each item's keys entryId, revision,
// contentHash, deviceGrade and entry, each at most once and spelled
// exactly; strings of printable ASCII without escapes; the revision a
// plain integer; each entry a JSON object) without reflection, the entry
// documents kept as slices of one copy of data (not copied each). It reports false for
// anything else, and then the caller decodes with encoding/json, whose
// result or error stands: where it reports true, req is what
// encoding/json would have made (FuzzPushDecode checks it).
func decodePushFast(data []byte, req *PushRequest) bool {
	// One copy, which the entries slice: like encoding/json's copies, they
	// do not alias the caller's buffer.
	d := pushDecoder{data: append([]byte(nil), data...)}
	var out PushRequest
	if !d.object(func(key string) bool {
		switch key {
		case "deviceId":
			s, ok := d.plainString()
			out.DeviceID = s
			return ok
		case "items":
			return d.items(&out.Items)
		}
		return false
	}) {
		return false
	}
	d.space()
	if d.i != len(d.data) {
		return false
	}
	*req = out
	return true
}

type pushDecoder struct {
	data []byte
	i    int
}

func (d *pushDecoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *pushDecoder) byte(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads {"key": value, ...}, calling field for each key (which
// reads the value); a key seen twice is refused.
func (d *pushDecoder) object(field func(key string) bool) bool {
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return true
	}
	var seen []string
	for {
		d.space()
		key, ok := d.plainString()
		if !ok || !d.byte(':') {
			return false
		}
		for _, k := range seen {
			if k == key {
				return false
			}
		}
		seen = append(seen, key)
		if !field(key) {
			return false
		}
		if d.byte(',') {
			continue
		}
		return d.byte('}')
	}
}

// plainString reads a string of printable ASCII without escapes.
func (d *pushDecoder) plainString() (string, bool) {
	d.space()
	if d.i >= len(d.data) || d.data[d.i] != '"' {
		return "", false
	}
	start := d.i + 1
	for j := start; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			d.i = j + 1
			return string(d.data[start:j]), true
		case c < 0x20 || c > 0x7e || c == '\\':
			return "", false
		}
	}
	return "", false
}

func (d *pushDecoder) items(out *[]PushItem) bool {
	if !d.byte('[') {
		return false
	}
	items := []PushItem{}
	if d.byte(']') {
		*out = items
		return true
	}
	for {
		var it PushItem
		ok := d.object(func(key string) bool {
			var ok bool
			switch key {
			case "entryId":
				it.EntryID, ok = d.plainString()
			case "contentHash":
				it.ContentHash, ok = d.plainString()
			case "deviceGrade":
				it.DeviceGrade, ok = d.plainString()
			case "revision":
				it.Revision, ok = d.integer()
			case "entry":
				it.Entry, ok = d.rawObject()
			}
			return ok
		})
		if !ok {
			return false
		}
		items = append(items, it)
		if d.byte(',') {
			continue
		}
		if !d.byte(']') {
			return false
		}
		*out = items
		return true
	}
}

// integer reads an optionally negative run of digits that fits an int
// (what encoding/json accepts for an int field, less exponents and
// fractions, left to it).
func (d *pushDecoder) integer() (int, bool) {
	d.space()
	start := d.i
	j := start
	if j < len(d.data) && d.data[j] == '-' {
		j++
	}
	digits := j
	for j < len(d.data) && d.data[j] >= '0' && d.data[j] <= '9' {
		j++
	}
	if j == digits || (d.data[digits] == '0' && j > digits+1) {
		return 0, false
	}
	if j < len(d.data) {
		switch d.data[j] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(d.data[start:j]), 10, strconv.IntSize)
	if err != nil {
		return 0, false
	}
	d.i = j
	return int(n), true
}

// rawObject returns the JSON object starting here, as it is in data,
// once json.Valid has checked it.
func (d *pushDecoder) rawObject() (json.RawMessage, bool) {
	d.space()
	if d.i >= len(d.data) || d.data[d.i] != '{' {
		return nil, false
	}
	start, depth := d.i, 0
	for j := start; j < len(d.data); j++ {
		switch d.data[j] {
		case '"':
			// Skip the string: up to the next quote not escaped.
			for j++; j < len(d.data) && d.data[j] != '"'; j++ {
				if d.data[j] == '\\' {
					j++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				raw := d.data[start : j+1]
				if !json.Valid(raw) {
					return nil, false
				}
				d.i = j + 1
				return json.RawMessage(raw[:len(raw):len(raw)]), true
			}
		}
	}
	return nil, false
}
