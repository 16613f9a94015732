package forms_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/safeguard-uk/safeguard/forms"
)

func miniBytes(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/mini.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadErrorsNameThePlace(t *testing.T) {
	base := string(miniBytes(t))
	tests := []struct {
		name      string
		old, new  string
		wantWhere string
		wantMsg   string
	}{
		{"typo in relevance", `"relevant": "reason == 'other'"`, `"relevant": "reasn == 'other'"`,
			"(reason_other)", "reasn"},
		{"type mismatch in rule", `"when": "life_risk == 'yes'"`, `"when": "life_risk > 3"`,
			"(life)", "life_risk > 3"},
		{"non-boolean required", `"required": "kid_dob == ''"`, `"required": "kid_dob"`,
			"(kid_age)", "kid_dob"},
		{"typo in each rule field", `{.grown_drunk == 'yes'}`, `{.grown_drnk == 'yes'}`,
			"(drunk_carer)", "grown_drnk"},
		{"unknown code list", `"codelist": "ic"`, `"codelist": "icx"`, "(kid_ic)", "icx"},
		{"duplicate id", `"id": "grown_drunk"`, `"id": "kid_name"`, "", "already used"},
		{"reserved id", `"id": "notes"`, `"id": "value"`, "", "reserved"},
		{"unknown kind", `"kind": "longtext"`, `"kind": "essay"`, "/sections/0/questions/9", ""},
		{"missing english", `"title": {"en": "Incident"}`, `"title": {"cy": "Digwyddiad"}`, "/sections/0/title", "en"},
		{"unknown field", `"immediate": true`, `"immediat": true`, "/sections/0/questions/4", "immediat"},
		{"undeclared action", `"actions": ["see_doctor"]`, `"actions": ["see_a_doctor"]`, "(baby_injured)", "see_a_doctor"},
		{"undeclared group", `"repeat": "grown"`, `"repeat": "grownup"`, "(adults)", "grownup"},
		{"bad version", `"version": "1.0.0"`, `"version": "one"`, "/version", ""},
		{"unknown risk tool", `"tool": "dash2009"`, `"tool": "dash2099"`, "(dash2099)", "not known"},
		{"risk tool missing questions", `{"id": "dash_q27", "kind": "yesno", "label": {"en": "Q27"}},`, ``, "(dash2009)", "dash_q27"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := forms.Parse([]byte(strings.Replace(base, tc.old, tc.new, 1)))
			var le *forms.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("want a LoadError, got %v", err)
			}
			found := false
			for _, p := range le.Problems {
				if strings.Contains(p.Where, tc.wantWhere) && strings.Contains(p.String(), tc.wantMsg) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem at %q mentioning %q in:\n%v", tc.wantWhere, tc.wantMsg, err)
			}
		})
	}
}

func TestNotJSON(t *testing.T) {
	for _, in := range []string{"", "{", "[]", "null", `{"id": 3}`} {
		if _, err := forms.Parse([]byte(in)); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}

func TestHashIgnoresFormatting(t *testing.T) {
	a, err := forms.Parse(miniBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	squashed := strings.Join(strings.Fields(string(miniBytes(t))), " ")
	b, err := forms.Parse([]byte(squashed))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() != b.Hash() || len(a.Hash()) != 64 {
		t.Fatalf("hashes differ: %s %s", a.Hash(), b.Hash())
	}
	changed := strings.Replace(string(miniBytes(t)), "Rooms must be 0 to 50.", "Rooms must be 0 to 40.", 1)
	c, err := forms.Parse([]byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash() == a.Hash() {
		t.Fatal("changed content kept its hash")
	}
}

func TestRegistryRefusesChangedVersion(t *testing.T) {
	orig := miniBytes(t)
	changed := []byte(strings.Replace(string(orig), "Rooms must be 0 to 50.", "Rooms must be 0 to 40.", 1))
	a, _ := forms.Parse(orig)
	b, _ := forms.Parse(changed)

	r := forms.NewRegistry()
	if err := r.Publish(a); err != nil {
		t.Fatal(err)
	}
	if err := r.Publish(a); err != nil {
		t.Fatalf("republishing the same content: %v", err)
	}
	if err := r.Publish(b); !errors.Is(err, forms.ErrChangedVersion) {
		t.Fatalf("want ErrChangedVersion, got %v", err)
	}

	// From files: published.json pins the hash.
	pub := `[{"id":"mini","version":"1.0.0","sha256":"` + a.Hash() + `"}]`
	fsys := fstest.MapFS{
		"checklists/mini-v1.json":   {Data: orig},
		"checklists/published.json": {Data: []byte(pub)},
	}
	reg, err := forms.LoadRegistry(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Get(forms.Ref{ID: "mini", Version: "1.0.0"}); !ok {
		t.Fatal("mini not in registry")
	}
	fsys["checklists/mini-v1.json"] = &fstest.MapFile{Data: changed}
	if _, err := forms.LoadRegistry(fsys); !errors.Is(err, forms.ErrChangedVersion) {
		t.Fatalf("changed published file: want ErrChangedVersion, got %v", err)
	}
	delete(fsys, "checklists/published.json")
	if _, err := forms.LoadRegistry(fsys); err == nil || !strings.Contains(err.Error(), "not in") {
		t.Fatalf("unpublished file: want an error, got %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"1.0.0", "1.0.0", 0}, {"1.0.10", "1.0.9", 1}, {"1.2.0", "2.0.0", -1}} {
		if got := forms.CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%s, %s) = %d", tc.a, tc.b, got)
		}
	}
}
