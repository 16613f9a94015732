package central

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Diff lists what changed from revision a to revision b of an entry: each
// answer added, removed or changed (by forms.Item path), each person added
// or removed, and the relationships, attachments and grading as wholes.
// It names places, never values.
func Diff(a, b *forms.Entry) []api.DiffItem {
	av, bv := flatten(a), flatten(b)
	var out []api.DiffItem
	for k, x := range av {
		y, ok := bv[k]
		switch {
		case !ok:
			out = append(out, api.DiffItem{Path: k, Change: "removed"})
		case !bytes.Equal(x, y):
			out = append(out, api.DiffItem{Path: k, Change: "changed"})
		}
	}
	for k := range bv {
		if _, ok := av[k]; !ok {
			out = append(out, api.DiffItem{Path: k, Change: "added"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	if out == nil {
		out = []api.DiffItem{}
	}
	return out
}

// flatten maps every place of an entry to its canonical JSON.
func flatten(e *forms.Entry) map[string][]byte {
	m := map[string][]byte{}
	put := func(k string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte("?")
		}
		m[k] = b
	}
	for q, a := range e.Answers {
		if !a.IsBlank() {
			put(q, a)
		}
	}
	for g, list := range e.Groups {
		for _, inst := range list {
			p := g + "[" + inst.ID + "]"
			put(p, true)
			for q, a := range inst.Answers {
				if !a.IsBlank() {
					put(p+"."+q, a)
				}
			}
		}
	}
	if len(e.Relationships) > 0 {
		rs := append([]forms.Relationship(nil), e.Relationships...)
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].From != rs[j].From {
				return rs[i].From < rs[j].From
			}
			if rs[i].To != rs[j].To {
				return rs[i].To < rs[j].To
			}
			return rs[i].Type < rs[j].Type
		})
		put("relationships", rs)
	}
	if len(e.Attachments) > 0 {
		as := append([]forms.Attachment(nil), e.Attachments...)
		sort.Slice(as, func(i, j int) bool { return as[i].SHA256 < as[j].SHA256 })
		put("attachments", as)
	}
	if e.Grading != nil {
		put("grading", e.Grading)
	}
	return m
}
