package forms_test

// Tests of child-at-risk 3.0.0 (issue 14): 2.0.0 with a Welsh text for
// every English one, and the loader's rule that a declared language has
// every text.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

var v3Ref = forms.Ref{ID: "child-at-risk", Version: "3.0.0"}

// withoutLanguage is c's content (as JSON) with every text of lang
// removed, languages and version set as given.
func withoutLanguage(t *testing.T, c *forms.Checklist, lang, version string, languages []string) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var cp forms.Checklist
	if err := json.Unmarshal(b, &cp); err != nil {
		t.Fatal(err)
	}
	forms.WalkTexts(&cp, func(_ string, tx forms.Text) { delete(tx, lang) })
	cp.Version, cp.Languages = version, languages
	out, err := json.Marshal(&cp)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestV3IsV2WithWelsh: 3.0.0 declares English and Welsh, has a Welsh text for every text, and
// with its Welsh taken away is 2.0.0 exactly: the same ids, rules,
// expressions and English words.
func TestV3IsV2WithWelsh(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v3, ok := reg.Get(v3Ref)
	if !ok {
		t.Fatalf("registry has no %s", v3Ref)
	}
	if !reflect.DeepEqual(v3.Languages, []string{"en", "cy"}) {
		t.Errorf("languages %v, want [en cy]", v3.Languages)
	}
	v2, ok := reg.Get(v2Ref)
	if !ok {
		t.Fatalf("registry has no %s", v2Ref)
	}
	if !reflect.DeepEqual(v2.Languages, []string{"en"}) {
		t.Errorf("2.0.0 languages %v, want [en]", v2.Languages)
	}
	texts, welsh, same := 0, 0, 0
	forms.WalkTexts(v3, func(ptr string, tx forms.Text) {
		texts++
		if cy := strings.TrimSpace(tx["cy"]); cy != "" {
			welsh++
			if cy == strings.TrimSpace(tx["en"]) {
				same++
			}
		}
	})
	if texts < 900 || welsh != texts {
		t.Errorf("%d texts, %d in Welsh: want at least 900, all in Welsh", texts, welsh)
	}
	// Codes and names that read the same in both languages (FGM, MARAC,
	// Prevent, PMLD ...) are allowed, but they must stay few.
	if same > 12 {
		t.Errorf("%d Welsh texts are the English unchanged; want at most 12", same)
	}
	got := withoutLanguage(t, v3, "cy", v2.Version, v2.Languages)
	want, err := json.Marshal(v2)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("3.0.0 without its Welsh is not 2.0.0")
	}
	// English-only output is the same: reasons and actions of a check
	// evaluated in English read as on 2.0.0.
	e := v2New(1, 0)
	e.Answers["triage_now"] = forms.Answer{Value: []string{"life"}}
	r2, err := forms.Evaluate(v2, e, forms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.Checklist = v3Ref
	r3, err := forms.Evaluate(v3, e, forms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Reasons) == 0 {
		t.Fatal("a life at risk gives no reason on 2.0.0")
	}
	if !reflect.DeepEqual(r2.Reasons, r3.Reasons) || !reflect.DeepEqual(r2.Actions, r3.Actions) || r2.Computed != r3.Computed {
		t.Errorf("English evaluation differs:\n2.0.0 %v %v\n3.0.0 %v %v", r2.Reasons, r2.Actions, r3.Reasons, r3.Actions)
	}
	rcy, err := forms.Evaluate(v3, e, forms.Options{Language: "cy"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rcy.Reasons) == 0 || rcy.Reasons[0].Text == r3.Reasons[0].Text {
		t.Errorf("Welsh evaluation gives no Welsh reason: %v", rcy.Reasons)
	}
}

// TestLoaderRefusesMissingLanguageText: a checklist that declares Welsh
// and lacks one Welsh text is refused, naming that text by its JSON
// pointer; given the text, the same file loads.
func TestLoaderRefusesMissingLanguageText(t *testing.T) {
	b, err := os.ReadFile("testdata/missing-cy.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = forms.Parse(b)
	var le *forms.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("want a LoadError, got %v", err)
	}
	if len(le.Problems) != 1 || le.Problems[0].String() != `/sections/3/questions/2/hint: no "cy" text` {
		t.Fatalf("problems %v, want exactly /sections/3/questions/2/hint: no \"cy\" text", le.Problems)
	}
	if !strings.Contains(err.Error(), `/sections/3/questions/2/hint: no "cy" text`) {
		t.Errorf("error does not name the text: %v", err)
	}
	fixed := strings.Replace(string(b), `"hint": {"en": "Use quotation marks."}`,
		`"hint": {"en": "Use quotation marks.", "cy": "Defnyddiwch ddyfynodau."}`, 1)
	if fixed == string(b) {
		t.Fatal("fixture lacks the hint")
	}
	if _, err := forms.Parse([]byte(fixed)); err != nil {
		t.Fatalf("complete fixture: %v", err)
	}
	blank := strings.Replace(fixed, `"cy": "Defnyddiwch ddyfynodau."`, `"cy": "  "`, 1)
	if _, err := forms.Parse([]byte(blank)); err == nil || !strings.Contains(err.Error(), `/sections/3/questions/2/hint: no "cy" text`) {
		t.Errorf("a blank Welsh text: %v", err)
	}
}

// TestLoaderNamesFirstMissingInV3: taking any one Welsh text out of 3.0.0
// is refused with that text's pointer (a sample of places: code lists,
// options, hints, guidance, rules, actions, scale labels, relationships).
func TestLoaderNamesFirstMissingInV3(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v3, _ := reg.Get(v3Ref)
	var ptrs []string
	forms.WalkTexts(v3, func(ptr string, _ forms.Text) { ptrs = append(ptrs, ptr) })
	kinds := map[string]bool{}
	for i, ptr := range ptrs {
		parts := strings.Split(ptr, "/")
		kind := parts[1] + "/" + parts[len(parts)-1]
		if kinds[kind] && i%97 != 0 {
			continue
		}
		kinds[kind] = true
		b, _ := json.Marshal(v3)
		var c forms.Checklist
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		forms.WalkTexts(&c, func(p string, tx forms.Text) {
			if p == ptr {
				delete(tx, "cy")
			}
		})
		b, _ = json.Marshal(&c)
		_, err := forms.Parse(b)
		want := ptr + `: no "cy" text`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("without the Welsh of %s: %v", ptr, err)
		}
	}
	if len(kinds) < 15 {
		t.Errorf("only %d kinds of text tried: %v", len(kinds), kinds)
	}
}

// TestEnglishOnlyChecklistsLoad: 1.0.0 and 2.0.0 declare English only and
// still load: a checklist is not asked for languages it does not declare.
func TestEnglishOnlyChecklistsLoad(t *testing.T) {
	for _, name := range []string{"checklists/child-at-risk-v1.json", "checklists/child-at-risk-v2.json"} {
		c, err := forms.Load(assets.FS, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(c.Languages) > 1 {
			t.Errorf("%s declares %v", name, c.Languages)
		}
	}
}

// TestDASHReasonInWelsh: the DASH tool's reason is Welsh in a Welsh
// evaluation (not assessed, partly assessed, graded, raised by judgement)
// and the English one is unchanged.
func TestDASHReasonInWelsh(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v3, _ := reg.Get(v3Ref)
	v2, _ := reg.Get(v2Ref)
	tests := []struct {
		name   string
		set    func(e *forms.Entry)
		en, cy string
	}{
		{"all not known", func(e *forms.Entry) {
			for i := 1; i <= forms.DASHQuestions; i++ {
				e.Answers[fmt.Sprintf("dash_q%02d", i)] = forms.Answer{NotKnown: true, Reason: "victim would not answer"}
			}
		}, "Domestic abuse risk (DASH) not assessed: 27 of 27 not known. Treat as at least medium until it is completed.",
			"Risg cam-drin domestig (DASH) heb ei asesu: 27 o 27 yn anhysbys. Dylid ei drin fel risg ganolig o leiaf nes iddo gael ei gwblhau."},
		{"partly", func(e *forms.Entry) {
			for i := 1; i <= 20; i++ {
				e.Answers[fmt.Sprintf("dash_q%02d", i)] = forms.Answer{Value: "yes"}
			}
		}, "Domestic abuse risk (DASH) not fully assessed: 0 of 27 not known, 7 not answered, 20 answered yes so far. Treat as at least high until it is completed.",
			"Risg cam-drin domestig (DASH) heb ei asesu'n llawn: 0 o 27 yn anhysbys, 7 heb eu hateb, 20 wedi'u hateb ag ie hyd yma. Dylid ei drin fel risg uchel o leiaf nes iddo gael ei gwblhau."},
		{"complete, raised", func(e *forms.Entry) {
			for i := 1; i <= forms.DASHQuestions; i++ {
				e.Answers[fmt.Sprintf("dash_q%02d", i)] = forms.Answer{Value: "no"}
			}
			e.Answers["dash_judgement"] = forms.Answer{Value: "high"}
		}, "Domestic abuse risk (DASH): 0 of 27 answered yes, standard risk; raised to high by the officer's professional judgement.",
			"Risg cam-drin domestig (DASH): 0 o 27 wedi'u hateb ag ie, risg safonol; wedi'i godi i risg uchel ar sail barn broffesiynol y swyddog."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := v2New(1, 0)
			e.Checklist = v3Ref
			e.Answers["reason"] = forms.Answer{Value: "domestic_abuse"}
			tc.set(e)
			for _, lang := range []string{"", "cy"} {
				r, err := forms.Evaluate(v3, e, forms.Options{Language: lang})
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				for _, x := range r.Reasons {
					if x.Rule == "tool:dash2009" {
						got = x.Text
					}
				}
				want := tc.en
				if lang == "cy" {
					want = tc.cy
				}
				if got != want {
					t.Errorf("lang %q: reason\n %q, want\n %q", lang, got, want)
				}
				// 2.0.0 declares English only: its DASH reason stays English.
				e2 := *e
				e2.Checklist = v2Ref
				r2, err := forms.Evaluate(v2, &e2, forms.Options{Language: lang})
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range r2.Reasons {
					if x.Rule == "tool:dash2009" && x.Text != tc.en {
						t.Errorf("2.0.0 in %q: DASH reason %q, want the English", lang, x.Text)
					}
				}
			}
		})
	}
}

// TestWalkTextsPointers: pointers escape "~" and "/" in map keys (RFC
// 6901), so a scale label or action keyed "a/b" is named unambiguously.
func TestWalkTextsPointers(t *testing.T) {
	c := &forms.Checklist{Title: forms.Text{"en": "T"}, Actions: map[string]forms.Text{"a/b~c": {"en": "A"}, "plain": {"en": "P"}}}
	var got []string
	forms.WalkTexts(c, func(ptr string, _ forms.Text) { got = append(got, ptr) })
	want := []string{"/title", "/actions/a~1b~0c", "/actions/plain"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pointers %v, want %v", got, want)
	}
}
