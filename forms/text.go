package forms

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
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
	walkTexts(reflect.ValueOf(c).Elem(), "", fn)
}

var textType = reflect.TypeOf(Text(nil))

func walkTexts(v reflect.Value, ptr string, fn func(string, Text)) {
	if v.Type() == textType {
		if v.Len() > 0 {
			fn(ptr, v.Interface().(Text))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkTexts(v.Elem(), ptr, fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			walkTexts(v.Field(i), ptr+"/"+pointerToken(name), fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkTexts(v.Index(i), ptr+"/"+strconv.Itoa(i), fn)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkTexts(v.MapIndex(k), ptr+"/"+pointerToken(k.String()), fn)
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
	for _, lang := range c.Languages {
		first, more := "", 0
		WalkTexts(c, func(ptr string, t Text) {
			if strings.TrimSpace(t[lang]) != "" {
				return
			}
			if first == "" {
				first = ptr
			} else {
				more++
			}
		})
		if first == "" {
			continue
		}
		if more > 0 {
			l.add(first, "no %q text (and %d more texts lack one)", lang, more)
		} else {
			l.add(first, "no %q text", lang)
		}
	}
}
