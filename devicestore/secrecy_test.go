package devicestore

import (
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// TestPlantedSecretsAbsentFromFiles plants a child's name, date of birth
// and words (and every other kind of sensitive text the store keeps), then
// searches the raw database, its WAL and the attachment files for them,
// byte for byte (invariant 9).
func TestPlantedSecretsAbsentFromFiles(t *testing.T) {
	s, c, path := newTestStore(t)
	secrets := []string{
		"Zanzibarella Quux",              // child's name
		"2016-03-14",                     // date of birth
		"he hit me with the belt buckle", // the child's words
		"Bartholomew Quux",               // adult's name
		"raised: officer judgement",      // grading reason
		"PHOTO-BYTES-bruise-on-left-arm", // attachment content
		"bruise.jpg",                     // attachment name
		"CAD-2025-1120-0042",             // incident reference
		"control room did not grade",     // not-known reason
		"Flat 3, 12 Acacia Road",         // title
		"Zanzibarella's date of birth",   // supervisor comment
		"Quux household known to MASH",   // alert text
		"rejected because Quux",          // server reason
	}
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	must(t, s.SetTitle(e.ID, "Flat 3, 12 Acacia Road"))
	_, err := s.Submit(e.ID, forms.LevelHigh, true)
	must(t, err)
	must(t, s.Acknowledge([]Ack{{EntryID: e.ID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-1"}}))
	must(t, s.ApplyChanges("c1", []Change{
		{Kind: ChangeDecision, EntryID: e.ID, Revision: 1, Decision: DecisionReturned, Comments: []Comment{{Path: "dob", Text: "Zanzibarella's date of birth is wrong"}}},
		{Kind: ChangeAlert, AlertID: "1", Text: "Quux household known to MASH"},
	}))
	e2 := mustEntry(t, s)
	must(t, s.SetAnswer(e2.ID, "", "", "q", forms.Answer{Value: "x"}))
	_, err = s.Submit(e2.ID, forms.LevelStandard, false)
	must(t, err)
	_, err = s.NextBatch(c.Now(), 10, 0)
	must(t, err)
	must(t, s.Acknowledge([]Ack{{EntryID: e2.ID, Revision: 1, Outcome: OutcomeRejected, Permanent: true, Reason: "rejected because Quux"}}))

	check := func(when string) {
		t.Helper()
		files := storeFiles(t, path)
		for _, secret := range secrets {
			if hits := findInFiles(t, files, []byte(secret)); len(hits) > 0 {
				t.Errorf("%s: %q readable in %v", when, secret, hits)
			}
			// Also the lower-case form, in case something normalised it.
			if hits := findInFiles(t, files, []byte(strings.ToLower(secret))); len(hits) > 0 {
				t.Errorf("%s: %q (lower case) readable in %v", when, secret, hits)
			}
		}
	}
	// While open, most of it sits in the WAL.
	check("store open")
	// The store can still read everything back (the test is meaningful).
	got, err := s.Entry(e.ID)
	must(t, err)
	if !strings.Contains(encode(t, got), "Zanzibarella Quux") {
		t.Fatal("planted name not read back")
	}
	must(t, s.Close())
	check("store closed")
}
