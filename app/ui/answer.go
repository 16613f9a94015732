package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// AnswerText is an answer as a reader sees it: option and code labels
// rather than values, dates written out, "Not known" with its reason.
func AnswerText(c *forms.Checklist, q *forms.Question, a forms.Answer, lng string) string {
	if a.NotKnown {
		if a.Reason != "" {
			return lang.L("Not known: ") + a.Reason
		}
		return lang.L("Not known")
	}
	switch q.Kind {
	case forms.KindYesNo:
		switch a.Value {
		case "yes":
			return lang.L("Yes")
		case "no":
			return lang.L("No")
		}
	case forms.KindSingle:
		if s, ok := a.Value.(string); ok {
			return optionLabel(q.Options, s, lng)
		}
	case forms.KindMulti:
		var out []string
		for _, v := range strings_(a.Value) {
			out = append(out, optionLabel(q.Options, v, lng))
		}
		return strings.Join(out, "; ")
	case forms.KindCode:
		if s, ok := a.Value.(string); ok {
			cl := c.CodeLists[q.CodeList]
			if alias, ok := cl.Aliases[s]; ok {
				s = alias
			}
			for _, o := range cl.Codes {
				if o.Value == s {
					return o.Value + " " + o.Label.In(lng)
				}
			}
			return s
		}
	case forms.KindDate:
		if s, ok := a.Value.(string); ok {
			return theme.WireText(s)
		}
	case forms.KindDateTime:
		if s, ok := a.Value.(string); ok {
			return theme.WireText(s)
		}
	case forms.KindScale:
		n, ok := number(a.Value)
		if ok && q.Scale != nil {
			key := strconv.Itoa(int(n))
			if l, ok := q.Scale.Labels[key]; ok {
				return fmt.Sprintf("%s (%s)", l.In(lng), key)
			}
			return key
		}
	case forms.KindNumber:
		if n, ok := number(a.Value); ok {
			return strconv.FormatFloat(n, 'f', -1, 64)
		}
	case forms.KindPhoto:
		n := len(strings_(a.Value))
		return lang.N("{{.Count}} photos", n, map[string]any{"Count": n})
	}
	switch v := a.Value.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil
	}
	return 0, false
}

func strings_(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		return []string{l}
	}
	return nil
}

func optionLabel(opts []forms.Option, v, lng string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label.In(lng)
		}
	}
	return v
}

// LevelName is a grade in words ("Immediate", "High"...).
func LevelName(s string) string {
	if s == "" {
		return lang.L("Not graded")
	}
	return lang.L(strings.ToUpper(s[:1]) + s[1:]) // the keys "Standard", "Medium", "High", "Immediate"
}
