package i18n

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// placeholder matches a Printf verb or a template field.
var placeholder = regexp.MustCompile(`%[-+#0-9.]*[a-zA-Z%]|\{\{[^}]*\}\}`)

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return strings.Join(p, " ")
}

// messages reads a translation file: key → plural form → text (a plain
// string is the form "other").
func messages(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	b, err := files.ReadFile("translations/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string]map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = map[string]string{"other": s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Fatalf("%s: %q: %v", name, k, err)
		}
		out[k] = forms
	}
	return out
}

// TestKeyParity: every key the code says is in en.json and cy.json, the
// two files hold the same keys, every text of a key has the key's
// placeholders, English plurals have one and other, Welsh plurals all six
// of Welsh's forms.
func TestKeyParity(t *testing.T) {
	_, used := scan(t, "..")
	en, cy := messages(t, "en.json"), messages(t, "cy.json")
	for k, where := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: %q is not in en.json", where, k)
		}
		if _, ok := cy[k]; !ok {
			t.Errorf("%s: %q is not in cy.json", where, k)
		}
	}
	for k := range en {
		if _, ok := cy[k]; !ok {
			t.Errorf("%q is in en.json, not cy.json", k)
		}
	}
	for k, forms := range cy {
		ef, ok := en[k]
		if !ok {
			t.Errorf("%q is in cy.json, not en.json", k)
			continue
		}
		want := placeholders(k)
		if k == "i18n.language" {
			want = ""
		}
		plural := len(ef) > 1
		for name, file := range map[string]map[string]string{"en": ef, "cy": forms} {
			for form, text := range file {
				got := placeholders(text)
				if got != want && !(plural && form == "one" && strings.Count(got, "{{.Count}}") < strings.Count(want, "{{.Count}}")) {
					t.Errorf("%s %q (%s): placeholders %q, the key has %q", name, k, form, got, want)
				}
			}
		}
		if plural {
			for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
				if forms[f] == "" {
					t.Errorf("cy %q lacks the plural form %q", k, f)
				}
			}
			if ef["one"] == "" || ef["other"] == "" {
				t.Errorf("en %q lacks one or other", k)
			}
		} else if len(forms) > 1 {
			t.Errorf("cy %q has plural forms, en has none", k)
		}
	}
}

// bracketPlural is a plural written as "thing(s)" or "child(ren)".
var bracketPlural = regexp.MustCompile(`[a-z]\((s|es|ren)\)`)

// TestPluralsAreWords: no English text counts with "thing(s)": a count is
// a plural through lang.N, in words.
func TestPluralsAreWords(t *testing.T) {
	for k, forms := range messages(t, "en.json") {
		for form, text := range forms {
			if bracketPlural.MatchString(k) || bracketPlural.MatchString(text) {
				t.Errorf("en.json %q (%s): %q counts with a bracketed plural", k, form, text)
			}
		}
	}
}
