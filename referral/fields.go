package referral

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// notKnownText is how a "Not known" answer reads.
func (b *builder) notKnownText(reason string) string {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = b.t("no reason given")
	}
	return b.t("Not known — ") + reason
}

// field renders one answer in words. answers holds the answers of the
// same scope (top level or instance), for questions whose rendering
// depends on another answer (a date of birth shows the age).
func (b *builder) field(q *forms.Question, a forms.Answer, answers map[string]forms.Answer) Field {
	f := Field{Question: q.ID, Label: q.Label.In(b.clang), Sensitive: q.Sensitive}
	if a.NotKnown {
		f.NotKnown, f.Reason = true, a.Reason
		f.Value = b.notKnownText(a.Reason)
		if strings.TrimSpace(a.Reason) != "" {
			f.Lang = b.e.WrittenIn(a)
		}
		return f
	}
	switch q.Kind {
	case forms.KindYesNo:
		s := rawText(a.Value)
		f.Codes = []string{s}
		switch s {
		case "yes":
			f.Value = b.t("Yes")
		case "no":
			f.Value = b.t("No")
		default:
			f.Value = s
		}
	case forms.KindSingle, forms.KindMulti:
		vals := stringsOf(a.Value)
		f.Codes = vals
		labels := make([]string, len(vals))
		for i, v := range vals {
			labels[i] = optionLabel(q.Options, v, b.clang)
		}
		f.Value = strings.Join(labels, "; ")
	case forms.KindCode:
		s := rawText(a.Value)
		list := b.c.CodeLists[q.CodeList]
		if to, ok := list.Aliases[s]; ok {
			s = to
		}
		f.Codes = []string{s}
		f.Value = codeLabel(list, s, b.clang)
	case forms.KindNumber:
		f.Value = numberText(a.Value)
	case forms.KindScale:
		f.Value = numberText(a.Value)
		if n, ok := a.Value.(float64); ok && q.Scale != nil && n == math.Trunc(n) {
			if l := q.Scale.Labels[strconv.Itoa(int(n))].In(b.clang); l != "" {
				f.Value = fmt.Sprintf(b.t("%s (%d on a scale of %d to %d)"), l, int(n), q.Scale.Min, q.Scale.Max)
			}
		}
	case forms.KindDate:
		s := rawText(a.Value)
		f.Value = s
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			f.Value = formatDate(t, b.lang)
			if strings.HasSuffix(q.ID, suffixDOB) {
				if y, ok := yearsBetween(t, b.incidentTime()); ok {
					f.Value += fmt.Sprintf(b.t(" (aged %d at the incident)"), y)
				}
			}
		}
	case forms.KindDateTime:
		s := rawText(a.Value)
		f.Value = s
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			f.Value = formatDateTime(t.In(b.loc), b.lang)
		}
	case forms.KindPhoto:
		n := len(stringsOf(a.Value))
		f.Value = fmt.Sprintf(b.t("%d photo(s) held with the entry on the central system (not included here)"), n)
		if n == 1 {
			f.Value = b.t("1 photo held with the entry on the central system (not included here)")
		}
	default: // text, longtext and kinds this package does not know
		f.Value = rawText(a.Value)
		if _, ok := a.Value.(string); ok && strings.TrimSpace(f.Value) != "" {
			f.Lang = b.e.WrittenIn(a)
		}
	}
	return f
}

func optionLabel(opts []forms.Option, v, lang string) string {
	for _, o := range opts {
		if o.Value == v {
			if l := o.Label.In(lang); l != "" {
				return l
			}
			return v
		}
	}
	return v
}

func codeLabel(list forms.CodeList, v, lang string) string {
	if to, ok := list.Aliases[v]; ok {
		v = to
	}
	return optionLabel(list.Codes, v, lang)
}

// stringsOf returns a value as a list of strings: a list as it is, a
// string as a list of one, anything else as its text.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, rawText(e))
		}
		return out
	case string:
		return []string{x}
	}
	return []string{rawText(v)}
}

// rawText prints a value of any type an entry may hold.
func rawText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return numberText(x)
	case bool:
		if x {
			return "Yes"
		}
		return "No"
	case []string:
		return strings.Join(x, "; ")
	case []any:
		return strings.Join(stringsOf(x), "; ")
	}
	return fmt.Sprint(v)
}

func numberText(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return rawText(v)
}
