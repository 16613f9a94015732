package forms_test

// Tests of child-at-risk 3.1.0: 3.0.0 with only its version changed, so
// that new checks read phrase list 2.3.0 while 3.0.0 entries keep 2.2.0.

import (
	"bytes"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

var v31Ref = forms.Ref{ID: "child-at-risk", Version: "3.1.0"}

// TestV31IsV3WithNewPhrases: 3.1.0's file is 3.0.0's with the version
// line changed and nothing else, and it is read by phrase list 2.3.0 while
// 3.0.0 is still read by 2.2.0. (New checks start on 3.3.0: v33_test.go.)
func TestV31IsV3WithNewPhrases(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v31, ok := reg.Get(v31Ref)
	if !ok {
		t.Fatalf("registry has no %s", v31Ref)
	}
	a, err := assets.FS.ReadFile("checklists/child-at-risk-v3.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := assets.FS.ReadFile("checklists/child-at-risk-v3.1.json")
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Replace(a, []byte(`"version": "3.0.0"`), []byte(`"version": "3.1.0"`), 1)
	if !bytes.Equal(want, b) {
		t.Error("child-at-risk-v3.1.json is not child-at-risk-v3.json with the version changed")
	}
	v3, ok := reg.Get(v3Ref)
	if !ok {
		t.Fatalf("registry has no %s", v3Ref)
	}
	for c, want := range map[*forms.Checklist]string{v3: "disclosures@2.2.0", v31: "disclosures@2.3.0"} {
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
