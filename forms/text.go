package forms

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// DefaultLanguage is the language every checklist must provide; other
// languages (for example "cy" for Welsh) fall back to it per text.
const DefaultLanguage = "en"

// Text is a translatable string keyed by BCP 47 language tag ("en", "cy").
type Text map[string]string

// In returns the text in lang, falling back to English when the
// translation is missing.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t[DefaultLanguage]
}

// String returns the English text.
func (t Text) String() string { return t[DefaultLanguage] }

// WalkTexts calls fn with the JSON pointer ("/sections/3/questions/2/hint")
// and value of every Text the checklist carries, empty optional texts
// (a question without a hint) left out. Structs are walked in field order,
// lists in order and maps (code lists, actions, scale labels) by sorted key,
// so the order is the same on every call.
func WalkTexts(c *Checklist, fn func(ptr string, t Text)) {
	walkTexts(reflect.ValueOf(c).Elem(), make([]string, 0, 8), func(path []string, t Text) {
		fn(joinPointer(path), t)
	})
}

// joinPointer makes a JSON pointer of its reference tokens (escaped
// already).
func joinPointer(path []string) string {
	n := 0
	for _, p := range path {
		n += 1 + len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(p)
	}
	return b.String()
}

var textType = reflect.TypeOf(Text(nil))

// textField is an exported struct field with a JSON name: its index and
// its pointer token.
type textField struct {
	index int
	token string
}

// textFields caches each struct type's textFields (reading the tags for
// every struct of a checklist was a fifth of the language check).
var textFields sync.Map // reflect.Type -> []textField

func fieldsOf(t reflect.Type) []textField {
	if fs, ok := textFields.Load(t); ok {
		return fs.([]textField)
	}
	var fs []textField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fs = append(fs, textField{index: i, token: pointerToken(name)})
	}
	textFields.Store(t, fs)
	return fs
}

// walkTexts walks v as WalkTexts describes, with the pointer as its
// reference tokens (path), so that no pointer is made unless asked for.
// fn must not keep path.
func walkTexts(v reflect.Value, path []string, fn func([]string, Text)) {
	if v.Type() == textType {
		if v.Len() > 0 {
			fn(path, v.Interface().(Text))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			walkTexts(v.Field(f.index), append(path, f.token), fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkTexts(v.Index(i), append(path, strconv.Itoa(i)), fn)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkTexts(v.MapIndex(k), append(path, pointerToken(k.String())), fn)
		}
	}
}

// pointerToken escapes one JSON pointer reference token (RFC 6901).
func pointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// checkLanguages reports, for each language the checklist declares, the
// first text (in WalkTexts order) that has no non-blank text in it, and how
// many more lack it. A checklist that declares Welsh must be Welsh
// throughout: a missing text would silently fall back to English.
func (l *linter) checkLanguages(c *Checklist) {
	if len(c.Languages) == 0 {
		return
	}
	// One walk for every language (the walk, not the look-ups, is the cost).
	first := make([]string, len(c.Languages))
	more := make([]int, len(c.Languages))
	walkTexts(reflect.ValueOf(c).Elem(), make([]string, 0, 8), func(path []string, t Text) {
		for i, lang := range c.Languages {
			if strings.TrimSpace(t[lang]) != "" {
				continue
			}
			if first[i] == "" {
				first[i] = joinPointer(path)
			} else {
				more[i]++
			}
		}
	})
	for i, lang := range c.Languages {
		switch {
		case first[i] == "":
		case more[i] > 0:
			l.add(first[i], "no %q text (and %d more texts lack one)", lang, more[i])
		default:
			l.add(first[i], "no %q text", lang)
		}
	}
}
