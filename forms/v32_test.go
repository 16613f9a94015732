package forms_test

// Tests of child-at-risk 3.2.0: 3.1.0 with only its version changed, so
// that new checks read phrase list 2.4.0 while 3.1.0 entries keep 2.3.0
// and 3.0.0 entries keep 2.2.0.

import (
	"bytes"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

var v32Ref = forms.Ref{ID: "child-at-risk", Version: "3.2.0"}

// TestV32IsV31WithNewPhrases: 3.2.0 (new checks started on it until 3.3.0,
// v33_test.go), its file is 3.1.0's with the version line changed and
// nothing else, and it is read by phrase list 2.4.0 while 3.1.0 is still
// read by 2.3.0 and 3.0.0 by 2.2.0.
func TestV32IsV31WithNewPhrases(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v32, ok := reg.Get(v32Ref)
	if !ok {
		t.Fatalf("registry has no %s", v32Ref)
	}
	a, err := assets.FS.ReadFile("checklists/child-at-risk-v3.1.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := assets.FS.ReadFile("checklists/child-at-risk-v3.2.json")
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Replace(a, []byte(`"version": "3.1.0"`), []byte(`"version": "3.2.0"`), 1)
	if !bytes.Equal(want, b) {
		t.Error("child-at-risk-v3.2.json is not child-at-risk-v3.1.json with the version changed")
	}
	v31, ok := reg.Get(v31Ref)
	if !ok {
		t.Fatalf("registry has no %s", v31Ref)
	}
	v3, ok := reg.Get(v3Ref)
	if !ok {
		t.Fatalf("registry has no %s", v3Ref)
	}
	for c, want := range map[*forms.Checklist]string{v3: "disclosures@2.2.0", v31: "disclosures@2.3.0", v32: "disclosures@2.4.0"} {
		r := c.Recogniser()
		if r == nil {
			t.Errorf("%s has no phrase list, want %s", c.Ref(), want)
			continue
		}
		if r.Ref() != want {
			t.Errorf("%s is read by %s, want %s", c.Ref(), r.Ref(), want)
		}
	}
}
