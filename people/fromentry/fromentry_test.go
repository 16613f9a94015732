package fromentry_test

import (
	"errors"
	"testing"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/fromentry"
	"github.com/safeguard-uk/safeguard/people/memindex"
)

func example(t testing.TB, name string) *forms.Entry {
	data, err := assets.FS.ReadFile("examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := forms.DecodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConvertExample(t *testing.T) {
	e := example(t, "complete-entry.json")
	ep, err := fromentry.Convert(e, people.GradeHigh)
	if err != nil {
		t.Fatal(err)
	}
	if ep.Entry.Date != people.MakeDate(2025, 11, 14) || ep.Entry.Grade != people.GradeHigh {
		t.Fatalf("entry %+v", ep.Entry)
	}
	if len(ep.Records) != 4 || len(ep.Relationships) != 4 {
		t.Fatalf("%d records, %d relationships", len(ep.Records), len(ep.Relationships))
	}
	mia := ep.Records[0]
	if mia.Name != (people.Name{Given: "Mia", Family: "Fairweather"}) || mia.DOB.Date != people.MakeDate(2016, 3, 12) ||
		mia.Sex != people.SexFemale || mia.Role != people.RoleChild || len(mia.Addresses) != 1 || mia.Addresses[0].Postcode != "OB4 7QT" {
		t.Fatalf("first child %+v", mia)
	}
	dana := ep.Records[2]
	if dana.Role != people.Role(people.RelParent) || len(dana.Phones) != 1 || dana.Name.Family != "Fairweather" {
		t.Fatalf("first adult %+v", dana)
	}
	again, _ := fromentry.Convert(e, people.GradeHigh)
	for i := range ep.Relationships {
		if ep.Relationships[i].ID != again.Relationships[i].ID {
			t.Fatal("relationship ids differ between conversions")
		}
	}
	// And the index takes it.
	got, err := people.NewMatcher(memindex.New()).Ingest(t.Context(), ep, people.DefaultAlertRules)
	if err != nil || len(got.Decisions) != 4 {
		t.Fatalf("ingest: %v, %+v", err, got)
	}
}

func TestConvertIncomplete(t *testing.T) {
	if _, err := fromentry.Convert(example(t, "incomplete-entry.json"), people.GradeStandard); err != nil {
		t.Fatal(err)
	}
}

func TestConvertRejects(t *testing.T) {
	for name, e := range map[string]*forms.Entry{
		"bad id":           {ID: "nope"},
		"no day":           {ID: "3f6c2a9e-8b41-4d2c-9a7e-5c1d0b2e7f14"},
		"bad instance id":  {ID: "3f6c2a9e-8b41-4d2c-9a7e-5c1d0b2e7f14", Answers: map[string]forms.Answer{"incident_time": {Value: "2025-01-01T10:00:00Z"}}, Groups: map[string][]forms.Instance{"child": {{ID: "x"}}}},
		"bad relationship": {ID: "3f6c2a9e-8b41-4d2c-9a7e-5c1d0b2e7f14", Answers: map[string]forms.Answer{"incident_time": {Value: "2025-01-01T10:00:00Z"}}, Relationships: []forms.Relationship{{From: "a", To: "b", Type: "parent"}}},
	} {
		if _, err := fromentry.Convert(e, people.GradeStandard); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, fromentry.ErrEntry) && !errors.Is(err, people.ErrUnknownRelType) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzConvert feeds decoded entries of any shape to Convert: it must not
// panic, and what it returns must be ingestible.
func FuzzConvert(f *testing.F) {
	// Small seeds: the fuzzer makes little headway through a whole entry.
	f.Add([]byte(`{"id":"3f6c2a9e-8b41-4d2c-9a7e-5c1d0b2e7f14","answers":{"incident_time":{"value":"2025-11-14T02:31:00Z"}},` +
		`"groups":{"child":[{"id":"a1d7e3c2-5f60-4b8a-9c3d-2e4f6a8b0c11","answers":{"child_name":{"value":"FAIRWEATHER, Mia"},` +
		`"child_dob":{"value":"2016-03-12"},"child_sex":{"value":"female"},"child_address":{"value":"14 Larch Close OB4 7QT"}}}],` +
		`"adult":[{"id":"c3f9a5e4-7b82-4dac-9e5f-4a6b8c0d2e33","answers":{"adult_name":{"value":"Dana Fairweather"},` +
		`"adult_role":{"value":"parent"},"adult_phones":{"value":"07700 900123"},"adult_online":{"value":"snap: dana"}}}]},` +
		`"relationships":[{"from":"c3f9a5e4-7b82-4dac-9e5f-4a6b8c0d2e33","to":"a1d7e3c2-5f60-4b8a-9c3d-2e4f6a8b0c11","type":"parent"}]}`))
	f.Add([]byte(`{"id":"3f6c2a9e-8b41-4d2c-9a7e-5c1d0b2e7f14","started":"2025-01-01T00:00:00Z","groups":{"child":[{"id":"a1d7e3c2-5f60-4b8a-9c3d-2e4f6a8b0c11","answers":{"child_age_est":{"value":4.5}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := forms.DecodeEntry(data)
		if err != nil {
			return
		}
		ep, err := fromentry.Convert(e, people.GradeMedium)
		if err != nil {
			return
		}
		if _, err := people.NewMatcher(memindex.New()).Ingest(t.Context(), ep, people.DefaultAlertRules); err != nil &&
			!errors.Is(err, people.ErrNotFound) && !errors.Is(err, people.ErrInvalid) && !errors.Is(err, people.ErrExists) {
			t.Fatalf("ingest: %v", err)
		}
	})
}

// TestConvertIdentifiers: identifier answers, when the checklist has the
// questions, become typed identifiers; an entry without them converts as
// before.
func TestConvertIdentifiers(t *testing.T) {
	e := example(t, "complete-entry.json")
	before, err := fromentry.Convert(e, people.GradeHigh)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range before.Records {
		if len(r.Identifiers) != 0 {
			t.Fatalf("identifiers from nowhere: %+v", r.Identifiers)
		}
	}
	child := e.Groups[fromentry.GroupChild][0]
	child.Answers["child_nhs_number"] = forms.Answer{Value: "943 476 5919"}
	child.Answers["child_upn"] = forms.Answer{Value: "J201234512001"}
	child.Answers["child_age_est"] = forms.Answer{Value: "8-10"}
	adult := e.Groups[fromentry.GroupAdult][0]
	adult.Answers["adult_pnc_id"] = forms.Answer{Value: "12/345678T"} // bad check letter: kept, ignored when matching
	ep, err := fromentry.Convert(e, people.GradeHigh)
	if err != nil {
		t.Fatal(err)
	}
	c := ep.Records[0].Identifiers
	if len(c) != 2 || c[0].Kind != people.IDNHS || c[1].Kind != people.IDUPN {
		t.Fatalf("child identifiers %+v", c)
	}
	a := ep.Records[2].Identifiers
	if len(a) != 1 || a[0].Kind != people.IDPNC {
		t.Fatalf("adult identifiers %+v", a)
	}
	if _, why := a[0].Canonical(); why != "pnc:bad_check_letter" {
		t.Fatalf("malformed PNC ID read as %q", why)
	}
}

// TestConvertChildFoundAtHome: checklist 2.0.0 does not ask a child's
// address when the child was found at home; the incident address is then
// the child's. Adults keep their own, and a child found elsewhere keeps
// the answer given.
func TestConvertChildFoundAtHome(t *testing.T) {
	e := example(t, "neglect-entry-v2.json")
	if _, asked := e.Groups[fromentry.GroupChild][0].Answers["child_address"]; asked {
		t.Fatal("the example asks the child's address: not the case under test")
	}
	ep, err := fromentry.Convert(e, people.GradeMedium)
	if err != nil {
		t.Fatal(err)
	}
	want := people.ParseAddress("1 Case Street, Testtown")
	child := ep.Records[0]
	if child.Role != people.RoleChild || len(child.Addresses) != 1 || child.Addresses[0] != want {
		t.Fatalf("child found at home: addresses %+v, want the incident's %+v", child.Addresses, want)
	}
	// Found elsewhere: the child's own answer, not the incident address.
	e.Answers["home_found_where"] = forms.Answer{Value: "friend"}
	e.Groups[fromentry.GroupChild][0].Answers["child_address"] = forms.Answer{Value: "7 Elm Row, Othertown"}
	ep, err = fromentry.Convert(e, people.GradeMedium)
	if err != nil {
		t.Fatal(err)
	}
	if a := ep.Records[0].Addresses; len(a) != 1 || a[0] != people.ParseAddress("7 Elm Row, Othertown") {
		t.Fatalf("child found elsewhere: addresses %+v", a)
	}
	// Found elsewhere with no answer: no address invented.
	delete(e.Groups[fromentry.GroupChild][0].Answers, "child_address")
	ep, _ = fromentry.Convert(e, people.GradeMedium)
	if a := ep.Records[0].Addresses; len(a) != 0 {
		t.Fatalf("child found elsewhere, address not given: %+v", a)
	}
	// Found at home, with an address the officer gave all the same (a
	// checklist that asks it, 1.0.0): the officer's answer stands.
	e.Answers["home_found_where"] = forms.Answer{Value: "own_home"}
	e.Groups[fromentry.GroupChild][0].Answers["child_address"] = forms.Answer{Value: "7 Elm Row, Othertown"}
	ep, _ = fromentry.Convert(e, people.GradeMedium)
	if a := ep.Records[0].Addresses; len(a) != 1 || a[0] != people.ParseAddress("7 Elm Row, Othertown") {
		t.Fatalf("child found at home with an address given: %+v, want the answer", a)
	}
}
