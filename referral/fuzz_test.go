package referral

import (
	"testing"
	"unicode/utf8"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// FuzzBuild builds referrals from arbitrary decoded entries: Build and JSON
// must never panic, whatever the answers hold (wrong types, codes not in
// the list, people linked to nobody). Rendering costs ~50 ms a document,
// too slow to fuzz; FuzzCleanText fuzzes what makes any text safe for it.
func FuzzBuild(f *testing.F) {
	c := checklist(f)
	for _, name := range []string{"complete-entry.json", "incomplete-entry.json"} {
		data, err := assets.FS.ReadFile("examples/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"id":"a","checklist":{"id":"child-at-risk","version":"1.0.0"},"revision":1,"answers":{"pp_used":{"value":"yes"},"pp_start":{"value":"not a time"},"flags":{"value":"marac"}},"groups":{"child":[{"id":"k","answers":{"child_name":{"notKnown":true},"child_ethnicity_self":{"value":"O1"},"child_dob":{"value":"2030-01-01"},"child_seen":{"value":"yes"},"child_words":{"value":"\u0000\u202e😢\ud800"}}}],"adult":[{"id":"p","answers":{"adult_name":{"value":[]}}}]},"relationships":[{"from":"p","to":"k","type":"nonsense"}]}`))
	f.Add([]byte(`{"id":"a","checklist":{"id":"x","version":"0"},"revision":1,"answers":{"incident_time":{"value":1e308},"home_condition":{"value":-1},"child_age_est":{"value":99}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := forms.DecodeEntry(data)
		if err != nil {
			return
		}
		e.Checklist = c.Ref() // reach Build whatever checklist the input names
		res, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatalf("evaluate: %v", err)
		}
		d, err := Build(c, e, res, testMeta())
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		if len(d.Children) != len(e.Groups["child"]) || len(d.Relationships) != len(e.Relationships) {
			t.Fatalf("%d children and %d relationships from %d and %d", len(d.Children), len(d.Relationships), len(e.Groups["child"]), len(e.Relationships))
		}
		if _, err := d.JSON(); err != nil {
			t.Fatalf("JSON: %v", err)
		}
	})
}

// FuzzCleanText: whatever a name or a child's words hold, the text handed
// to fpdf has only line breaks and runes the font draws (fpdf indexes a
// 65536-entry table by rune and panics beyond it).
func FuzzCleanText(f *testing.F) {
	fc, err := loadFaces()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"Zoë Ó Briain", "Łukasz", "😢\t\r\n\x00", "e\u0301\u200b\u202e", "\xff\xfe", "中文 العربية"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for key, face := range fc {
			out := face.clean(s)
			if !utf8.ValidString(out) {
				t.Fatalf("%s: invalid UTF-8 out of %q", key, s)
			}
			for _, r := range out {
				if r != '\n' && !face.has(r) {
					t.Fatalf("%s: rune %U out of %q is not in the font", key, r, s)
				}
			}
		}
	})
}
