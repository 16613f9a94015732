// Package fromentry reads the people of a checklist entry (forms.Entry of
// the child-at-risk checklist) as person-index records: what the central
// system hands to people.Matcher.Ingest when it accepts a revision.
//
// It knows the checklist's question ids (child_name, adult_phones ...) and
// nothing of storage; the free-text answers are read with the people
// package's parsers (ParseFullName, ParseAddress ...).
package fromentry

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
)

// Repeat groups and question ids of the child-at-risk checklist.
const (
	GroupChild = "child"
	GroupAdult = "adult"

	qIncidentTime    = "incident_time"
	qIncidentAddress = "incident_address"
	qFoundWhere      = "home_found_where"
	// foundAtHome is home_found_where's answer when the child was found
	// at home: checklist 2.0.0 then hides child_address, the incident
	// address being the child's.
	foundAtHome = "own_home"
)

// identifierQuestions are the identifier questions of each group (the
// question id without its group prefix) and their scheme.
var identifierQuestions = map[string][]struct {
	name string
	kind people.IDKind
}{
	GroupChild: {{"nhs_number", people.IDNHS}, {"upn", people.IDUPN}},
	GroupAdult: {{"nhs_number", people.IDNHS}, {"pnc_id", people.IDPNC}},
}

// ErrEntry is wrapped by the errors of Convert.
var ErrEntry = errors.New("entry cannot be read for the person index")

// Convert reads an entry's children and adults as records and its
// relationships as people.Relationships. grade is the entry's current
// grade (the server's, after review). The day of the entry is the
// incident time's, else the day it was started. Relationship ids are
// derived from the entry id and the link, so the same revision ingested
// twice makes the same ids.
func Convert(e *forms.Entry, grade people.Grade) (people.EntryPeople, error) {
	var out people.EntryPeople
	id, err := uuid.Parse(e.ID)
	if err != nil {
		return out, fmt.Errorf("entry id %q: %w", e.ID, ErrEntry)
	}
	day := people.DateOf(e.Started.UTC())
	if t, ok := text(e.Answers[qIncidentTime]); ok {
		if ts, err := time.Parse(time.RFC3339, t); err == nil {
			day = people.DateOf(ts.UTC())
		}
	}
	if !day.Valid() {
		return out, fmt.Errorf("entry %s has no day: %w", e.ID, ErrEntry)
	}
	out.Entry = people.Entry{ID: id, Date: day, Grade: grade}
	// The incident address stands for a child's home address when the
	// child was found at home (the checklist does not ask it then).
	var home string
	if where, _ := text(e.Answers[qFoundWhere]); where == foundAtHome {
		home, _ = text(e.Answers[qIncidentAddress])
	}
	for _, g := range []string{GroupChild, GroupAdult} {
		for i, inst := range e.Groups[g] {
			rid, err := uuid.Parse(inst.ID)
			if err != nil {
				return out, fmt.Errorf("%s %d: id %q: %w", g, i+1, inst.ID, ErrEntry)
			}
			fallback := ""
			if g == GroupChild {
				fallback = home
			}
			out.Records = append(out.Records, record(g, rid, id, day, inst.Answers, fallback))
		}
	}
	for i, r := range e.Relationships {
		t, err := people.ParseRelType(r.Type)
		if err != nil {
			return out, fmt.Errorf("relationship %d: %w", i+1, err)
		}
		from, err1 := uuid.Parse(r.From)
		to, err2 := uuid.Parse(r.To)
		if err1 != nil || err2 != nil || from == to {
			return out, fmt.Errorf("relationship %d: %w", i+1, ErrEntry)
		}
		rid := uuid.NewSHA1(id, []byte(r.From+"|"+r.To+"|"+string(t)))
		out.Relationships = append(out.Relationships, people.Relationship{ID: rid, EntryID: id, From: from, To: to, Type: t})
	}
	return out, nil
}

// record reads one instance of the child or adult group. home, when not
// "", is the address that stands for the instance's own (the incident
// address of a child found at home).
func record(group string, id, entry uuid.UUID, day people.Date, a map[string]forms.Answer, home string) people.Record {
	q := func(name string) string { return group + "_" + name }
	get := func(name string) string {
		s, _ := text(a[q(name)])
		return s
	}
	r := people.Record{ID: id, EntryID: entry, Seen: day, Role: people.RoleChild}
	if group == GroupAdult {
		r.Role = people.RoleAdult
		if role := get("role"); role != "" {
			if t, err := people.ParseRelType(role); err == nil {
				r.Role = people.Role(t)
			} else {
				r.Role = people.Role(strings.ToLower(role))
			}
		}
	}
	r.Name = people.ParseFullName(get("name"))
	r.Aliases = people.ParseAliases(get("aliases"))
	if d, err := people.ParseDate(strings.TrimSpace(first(get("dob"), 10))); err == nil && !d.IsZero() {
		r.DOB = people.Exact(d)
	} else if age, ok := number(a[q("age_est")]); ok {
		r.DOB = people.FromEstimatedAge(day, age)
	} else if d, ok := people.ParseAge(get("age_est"), day); ok {
		r.DOB = d // "8-10", "about 8"
	}
	// Identifiers, when the checklist asks for them (child_nhs_number,
	// child_upn, adult_nhs_number, adult_pnc_id); absent questions are
	// simply not there. Malformed values are kept: the matcher ignores
	// them with a reason.
	for _, f := range identifierQuestions[group] {
		if v := strings.TrimSpace(get(f.name)); v != "" {
			r.Identifiers = append(r.Identifiers, people.Identifier{Kind: f.kind, Value: v})
		}
	}
	switch s := people.Sex(strings.ToLower(get("sex"))); s {
	case people.SexFemale, people.SexMale, people.SexOther:
		r.Sex = s
	}
	line := get("address")
	if line == "" {
		line = home // child_address is not asked when the child was found at home
	}
	if addr := people.ParseAddress(line); addr.Line != "" || addr.Postcode != "" {
		r.Addresses = append(r.Addresses, addr)
	}
	r.Addresses = append(r.Addresses, people.ParseAddresses(get("other_addresses"))...)
	r.Phones = people.ParsePhones(get("phones"))
	r.Vehicles = people.ParseVehicles(get("vehicles"))
	r.Accounts = people.ParseAccounts(get("online"))
	return r
}

// first returns at most n bytes of s.
func first(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// text returns an answer's value as text ("" and false when blank or
// not known).
func text(a forms.Answer) (string, bool) {
	switch v := a.Value.(type) {
	case string:
		return v, v != ""
	case []string:
		return strings.Join(v, "; "), len(v) > 0
	case []any:
		var parts []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; "), len(parts) > 0
	}
	return "", false
}

// number returns an answer's value as a number.
func number(a forms.Answer) (float64, bool) {
	switch v := a.Value.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil
	}
	return 0, false
}
