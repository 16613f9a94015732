package forms_test

// Tests of child-at-risk 3.3.0: 3.2.0 with only its version changed, so
// that new checks read phrase list 2.5.0 while 3.2.0 entries keep 2.4.0,
// 3.1.0 entries 2.3.0 and 3.0.0 entries 2.2.0.

import (
	"bytes"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

var v33Ref = forms.Ref{ID: "child-at-risk", Version: "3.3.0"}

// TestV33IsV32WithNewPhrases: 3.3.0 is the newest child-at-risk (new checks
// start on it), its file is 3.2.0's with the version line changed and
// nothing else, and it is read by phrase list 2.5.0 while every earlier
// version keeps the list it was published with.
func TestV33IsV32WithNewPhrases(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	v33, ok := reg.Get(v33Ref)
	if !ok {
		t.Fatalf("registry has no %s", v33Ref)
	}
	if latest, _ := reg.Latest(v33Ref.ID); latest != v33 {
		t.Errorf("the newest %s is %s, want %s", v33Ref.ID, latest.Ref(), v33Ref)
	}
	a, err := assets.FS.ReadFile("checklists/child-at-risk-v3.2.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := assets.FS.ReadFile("checklists/child-at-risk-v3.3.json")
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Replace(a, []byte(`"version": "3.2.0"`), []byte(`"version": "3.3.0"`), 1)
	if !bytes.Equal(want, b) {
		t.Error("child-at-risk-v3.3.json is not child-at-risk-v3.2.json with the version changed")
	}
	for ref, want := range map[forms.Ref]string{v3Ref: "disclosures@2.2.0", v31Ref: "disclosures@2.3.0", v32Ref: "disclosures@2.4.0", v33Ref: "disclosures@2.5.0"} {
		c, ok := reg.Get(ref)
		if !ok {
			t.Fatalf("registry has no %s", ref)
		}
		r := c.Recogniser()
		if r == nil {
			t.Errorf("%s has no phrase list, want %s", ref, want)
			continue
		}
		if r.Ref() != want {
			t.Errorf("%s is read by %s, want %s", ref, r.Ref(), want)
		}
	}
}
