package forms_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// netFinding returns the first finding of net id in text.
func netFinding(r *forms.Recogniser, id, text string) (forms.Finding, bool) {
	for _, f := range r.Scan(text) {
		if f.Pattern == id {
			return f, true
		}
	}
	return forms.Finding{}, false
}

// A net fires on an act and a context in either order, names the two
// concepts, and is judged like a frame: negated, hypothetical, questioned,
// after a modal (its notAfter) or beside its exception, it is dropped.
func TestRecogniserNets(t *testing.T) {
	r := loadRecogniserV2(t)
	for _, c := range []struct {
		id, text, dropped string // dropped: "" counts, else a word of the reason
	}{
		{"n-photo-exposed-en", "he films me naked", ""},
		{"n-photo-exposed-en", "naked is how he films me", ""},
		{"n-photo-exposed-en", "he never films me naked", "negated"},
		{"n-photo-exposed-en", "i am scared he might film me naked", "hypothetical"},
		{"n-photo-exposed-en", "does he film you naked", "question"},
		{"n-hurt-act-ctx-en", "he smashed my face into the radiator", ""},
		{"n-hurt-act-ctx-en", "he said hed smash my face in", "after"},
		{"n-hurt-act-ctx-en", "the ball smashed my face", "exception"},
	} {
		f, ok := netFinding(r, c.id, c.text)
		if !ok {
			t.Errorf("%s: no finding in %q", c.id, c.text)
			continue
		}
		if (c.dropped == "") != (f.Dropped == "") || !strings.Contains(f.Dropped, c.dropped) {
			t.Errorf("%s on %q: dropped %q, want %q", c.id, c.text, f.Dropped, c.dropped)
		}
		if !strings.HasPrefix(f.Concepts, "act ") || !strings.Contains(f.Concepts, " + context ") {
			t.Errorf("%s on %q: concepts %q do not name an act and a context", c.id, c.text, f.Concepts)
		}
	}
	if f, _ := netFinding(r, "n-photo-exposed-en", "he films me naked"); f.Concepts != "act n_photoact + context n_exposed" {
		t.Errorf("concepts %q", f.Concepts)
	}
	// Beyond the window, act and context do not make a finding.
	if _, ok := netFinding(r, "n-photo-exposed-en", "he films the birds in the garden every single morning before he goes to work and then he gets naked"); ok {
		t.Error("a net matched an act and a context further apart than its window")
	}
}

// A net with an undefined class, or without examples, does not load.
func TestRecogniserNetLint(t *testing.T) {
	data, err := assets.FS.ReadFile(recogniserV5File)
	if err != nil {
		t.Fatal(err)
	}
	for name, net := range map[string]map[string]any{
		"undefined class": {"id": "n-x", "lang": "en", "acts": []string{"NO_SUCH"}, "contexts": []string{"N_EXPOSED"}, "match": []string{"a"}, "nomatch": []string{"b"}},
		"no examples":     {"id": "n-y", "lang": "en", "acts": []string{"N_PHOTOACT"}, "contexts": []string{"N_EXPOSED"}},
		"no contexts":     {"id": "n-z", "lang": "en", "acts": []string{"N_PHOTOACT"}, "match": []string{"a"}, "nomatch": []string{"b"}},
	} {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		k := doc["kinds"].([]any)[0].(map[string]any)
		nets, _ := k["nets"].([]any)
		k["nets"] = append(nets, net)
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := forms.ParseRecogniser(b); err == nil {
			t.Errorf("%s: the list loaded", name)
		}
	}
}
