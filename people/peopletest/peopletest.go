// Package peopletest is the contract every people.Index adapter passes:
// people/sqlite and people/postgres run Run against a real database.
package peopletest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// Opener returns a new, empty index for one test; the adapter's test
// closes and removes it in t.Cleanup.
type Opener func(t *testing.T) people.Index

// Run runs the contract against indexes from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, idx people.Index)
	}{
		{"AddAndGet", testAddAndGet},
		{"LinkFoldsProfile", testLinkFoldsProfile},
		{"UpdateRekeys", testUpdateRekeys},
		{"CandidatesRankedAndLimited", testCandidates},
		{"CandidatesTrimWeak", testCandidatesTrim},
		{"RelationshipsAndRelatives", testRelationships},
		{"EntriesAndHistory", testHistory},
		{"MergeUnmergeRestoresExactly", testMergeUnmerge},
		{"MergeChainsUndoInOrder", testMergeChain},
		{"MatcherIngest", testIngest},
		{"FailedIngestLeavesNothing", testIngestRollback},
		{"BulkLoad", testBulkLoad},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var day = people.MakeDate

// Rec returns a record of a fresh entry with the given particulars.
func Rec(given, family string, dob people.Date, postcode string) people.Record {
	return people.Record{
		ID: uuid.New(), EntryID: uuid.New(), Seen: day(2025, 3, 1), Role: people.RoleChild,
		Particulars: people.Particulars{
			Name: people.Name{Given: given, Family: family}, DOB: people.Exact(dob), Sex: people.SexFemale,
			Addresses: []people.Address{{Line: "12 High Street, Millford", Postcode: postcode}},
		},
	}
}

// must(f())(t) fails t when f returns an error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func testAddAndGet(t *testing.T, idx people.Index) {
	r := Rec("Amira", "Khan", day(2014, 5, 2), "MF1 2AB")
	r.Phones = []string{"07700 900123"}
	id := must(idx.Add(ctx(t), r))(t)
	p := must(idx.Person(ctx(t), id))(t)
	if p.ID != id || p.Name != r.Name || p.DOB != r.DOB || p.Records != 1 || p.Sex != people.SexFemale {
		t.Fatalf("person = %+v", p)
	}
	if got := must(idx.PersonOf(ctx(t), r.ID))(t); got != id {
		t.Fatalf("PersonOf = %v, want %v", got, id)
	}
	recs := must(idx.Records(ctx(t), id))(t)
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], r) {
		t.Fatalf("records = %+v\nwant %+v", recs, r)
	}
	if _, err := idx.Add(ctx(t), r); !errors.Is(err, people.ErrExists) {
		t.Fatalf("add again: %v, want ErrExists", err)
	}
	if _, err := idx.Person(ctx(t), uuid.New()); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	if _, err := idx.PersonOf(ctx(t), uuid.New()); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("unknown record: %v", err)
	}
	if _, err := idx.Add(ctx(t), people.Record{ID: uuid.New()}); !errors.Is(err, people.ErrInvalid) {
		t.Fatalf("record without entry: %v", err)
	}
}

func testLinkFoldsProfile(t *testing.T, idx people.Index) {
	a := Rec("Katherine", "Smith", day(2012, 4, 3), "MF1 2AB")
	id := must(idx.Add(ctx(t), a))(t)
	b := Rec("Kate", "Smith", day(2012, 3, 4), "MF2 7XY")
	b.Seen = day(2025, 6, 1)
	if err := idx.Link(ctx(t), b, id); err != nil {
		t.Fatal(err)
	}
	c := Rec("Katherine", "Smith", day(2012, 4, 3), "MF2 7XY")
	c.Seen = day(2025, 7, 1)
	if err := idx.Link(ctx(t), c, id); err != nil {
		t.Fatal(err)
	}
	p := must(idx.Person(ctx(t), id))(t)
	if p.Records != 3 || p.Name.Given != "Katherine" || len(p.Aliases) != 1 || p.Aliases[0].Given != "Kate" {
		t.Fatalf("names: %+v", p)
	}
	if p.DOB.Date != day(2012, 4, 3) || len(p.AliasDOBs) != 1 {
		t.Fatalf("dates: %+v %+v", p.DOB, p.AliasDOBs)
	}
	if len(p.Addresses) != 2 || p.Addresses[0].Postcode != "MF2 7XY" || p.LastSeen != day(2025, 7, 1) {
		t.Fatalf("addresses: %+v", p.Addresses)
	}
	if err := idx.Link(ctx(t), Rec("X", "Y", day(2000, 1, 1), ""), uuid.New()); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("link to unknown person: %v", err)
	}
	if err := idx.Link(ctx(t), a, id); !errors.Is(err, people.ErrExists) {
		t.Fatalf("link stored record: %v", err)
	}
}

func keysOf(r people.Record) []people.Key {
	return people.Keys(&r.Particulars, people.DefaultNicknames)
}

func candidateIDs(t *testing.T, idx people.Index, keys []people.Key, limit int) []uuid.UUID {
	probes := make([]people.Probe, len(keys))
	for i, k := range keys {
		probes[i] = people.Probe{Key: k, Weight: 1}
	}
	return probeIDs(t, idx, probes, limit)
}

func probeIDs(t *testing.T, idx people.Index, probes []people.Probe, limit int) []uuid.UUID {
	var ids []uuid.UUID
	for _, p := range must(idx.Candidates(ctx(t), probes, limit))(t) {
		ids = append(ids, p.ID)
	}
	return ids
}

func testUpdateRekeys(t *testing.T, idx people.Index) {
	r := Rec("Jan", "Nowak", day(2011, 1, 9), "MF3 1AA")
	id := must(idx.Add(ctx(t), r))(t)
	old := keysOf(r)
	r2 := r
	r2.Particulars = people.Particulars{Name: people.Name{Given: "Zbigniew", Family: "Wozniak"}, DOB: people.Exact(day(1980, 2, 2))}
	if err := idx.Update(ctx(t), r2); err != nil {
		t.Fatal(err)
	}
	if ids := candidateIDs(t, idx, old, 10); len(ids) != 0 {
		t.Fatalf("old keys still find %v", ids)
	}
	if ids := candidateIDs(t, idx, keysOf(r2), 10); !slices.Equal(ids, []uuid.UUID{id}) {
		t.Fatalf("new keys find %v", ids)
	}
	if p := must(idx.Person(ctx(t), id))(t); p.Name.Given != "Zbigniew" {
		t.Fatalf("profile not updated: %+v", p.Name)
	}
	if err := idx.Update(ctx(t), Rec("A", "B", day(2000, 1, 1), "")); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("update unknown: %v", err)
	}
}

func testCandidates(t *testing.T, idx people.Index) {
	target := Rec("Mohammed", "Hussain", day(2013, 8, 20), "MF4 4QT")
	tid := must(idx.Add(ctx(t), target))(t)
	// Same family sound and year only: fewer keys in common.
	var weak []uuid.UUID
	for i := range 5 {
		r := Rec(fmt.Sprintf("Other%c", 'a'+i), "Hussein", day(2013, 1, 1+i), "MF9 9ZZ")
		weak = append(weak, must(idx.Add(ctx(t), r))(t))
	}
	unrelated := Rec("Unrelated", "Person", day(1990, 1, 1), "MF8 1AA")
	unrelated.Addresses[0].Line = "3 Low Road, Hadley"
	must(idx.Add(ctx(t), unrelated))(t)
	q := Rec("Muhammad", "Hussain", day(2013, 8, 20), "MF4 4QT")
	probes := people.QueryProbes(&q.Particulars, people.DefaultNicknames)
	ids := probeIDs(t, idx, probes, 100)
	if len(ids) != 6 || ids[0] != tid {
		t.Fatalf("candidates = %v, want %v first then %v", ids, tid, weak)
	}
	if ids := probeIDs(t, idx, probes, 2); len(ids) != 2 || ids[0] != tid {
		t.Fatalf("limited candidates = %v", ids)
	}
	if ids := probeIDs(t, idx, nil, 10); len(ids) != 0 {
		t.Fatalf("no keys: %v", ids)
	}
	// More probes than one statement takes.
	many := slices.Clone(probes)
	for i := range 300 {
		many = append(many, people.Probe{Key: people.Key(1000 + i), Weight: 1})
	}
	if ids := probeIDs(t, idx, many, 100); len(ids) != 6 || !slices.Contains(ids, tid) {
		t.Fatalf("many probes: %v", ids)
	}
}

// testCandidatesTrim: past the first people.CandidateKeep, people hit by
// under 1/people.CandidateShare of the best's key weight are left out;
// when they come close to it they are not.
func testCandidatesTrim(t *testing.T, idx people.Index) {
	target := Rec("Mohammed", "Hussain", day(2013, 8, 20), "MF4 4QT")
	tid := must(idx.Add(ctx(t), target))(t)
	var weak []people.Record
	for i := range people.CandidateKeep + 10 {
		r := Rec(fmt.Sprintf("Weak%c%c", 'a'+i/26, 'a'+i%26), "Zed", day(1999, 1, 1+i%28), "MF7 7AA")
		must(idx.Add(ctx(t), r))(t)
		weak = append(weak, r)
	}
	// A key every weak record has and the target has not (their dwelling).
	var shared people.Key
	for _, k := range keysOf(weak[0]) {
		if slices.Contains(keysOf(weak[1]), k) && !slices.Contains(keysOf(target), k) {
			shared = k
		}
	}
	if shared == 0 {
		t.Fatal("no key shared by the weak records")
	}
	probes := []people.Probe{{Key: shared, Weight: 1}}
	for _, k := range keysOf(target) {
		probes = append(probes, people.Probe{Key: k, Weight: 1})
	}
	// The target's weight is its key count (over CandidateShare); each
	// weak record's is 1.
	if n := len(keysOf(target)); n <= people.CandidateShare {
		t.Fatalf("target has %d keys, too few for the test", n)
	}
	ids := probeIDs(t, idx, probes, 100)
	if len(ids) != people.CandidateKeep || ids[0] != tid {
		t.Fatalf("trimmed candidates: %d (first %v), want %d with %v first", len(ids), ids[0], people.CandidateKeep, tid)
	}
	// Weak ones at a quarter of the best or more are all kept.
	probes[0].Weight = (len(probes) - 1 + people.CandidateShare - 1) / people.CandidateShare
	if ids := probeIDs(t, idx, probes, 100); len(ids) != len(weak)+1 {
		t.Fatalf("close candidates trimmed: %d, want %d", len(ids), len(weak)+1)
	}
}

func testRelationships(t *testing.T, idx people.Index) {
	entry := uuid.New()
	mum := Rec("Sarah", "Jones", day(1988, 2, 2), "MF1 1AA")
	child := Rec("Tyler", "Jones", day(2015, 6, 6), "MF1 1AA")
	mum.EntryID, child.EntryID = entry, entry
	mumID := must(idx.Add(ctx(t), mum))(t)
	childID := must(idx.Add(ctx(t), child))(t)
	rel := people.Relationship{ID: uuid.New(), EntryID: entry, From: mum.ID, To: child.ID, Type: people.RelParent}
	if err := idx.Relate(ctx(t), rel); err != nil {
		t.Fatal(err)
	}
	if err := idx.Relate(ctx(t), rel); err != nil {
		t.Fatalf("relate again: %v", err)
	}
	edges := must(idx.Edges(ctx(t), []uuid.UUID{childID}))(t)
	want := people.Edge{ID: rel.ID, EntryID: entry, From: mumID, To: childID, FromRecord: mum.ID, ToRecord: child.ID, Type: people.RelParent}
	if len(edges) != 1 || edges[0] != want {
		t.Fatalf("edges = %+v, want %+v", edges, want)
	}
	rels := must(idx.Relatives(ctx(t), []uuid.UUID{childID, mumID}))(t)
	if r := rels[childID]; len(r) != 1 || r[0].Name != mum.Name || !r[0].Outgoing || r[0].Type != people.RelParent {
		t.Fatalf("child's relatives = %+v", r)
	}
	if r := rels[mumID]; len(r) != 1 || r[0].Name != child.Name || r[0].Outgoing {
		t.Fatalf("mother's relatives = %+v", r)
	}
	bad := rel
	bad.ID, bad.To = uuid.New(), uuid.New()
	if err := idx.Relate(ctx(t), bad); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("relate unknown record: %v", err)
	}
	bad.To, bad.Type = child.ID, "cousin"
	if err := idx.Relate(ctx(t), bad); !errors.Is(err, people.ErrInvalid) {
		t.Fatalf("unknown type: %v", err)
	}
}

func testHistory(t *testing.T, idx people.Index) {
	r1 := Rec("Leo", "Grant", day(2016, 1, 1), "MF1 1AA")
	id := must(idx.Add(ctx(t), r1))(t)
	r2 := Rec("Leo", "Grant", day(2016, 1, 1), "MF1 1AA")
	if err := idx.Link(ctx(t), r2, id); err != nil {
		t.Fatal(err)
	}
	if err := idx.SetEntry(ctx(t), people.Entry{ID: r1.EntryID, Date: day(2025, 1, 10), Grade: people.GradeStandard}); err != nil {
		t.Fatal(err)
	}
	if err := idx.SetEntry(ctx(t), people.Entry{ID: r2.EntryID, Date: day(2024, 12, 1), Grade: people.GradeMedium}); err != nil {
		t.Fatal(err)
	}
	if err := idx.SetEntry(ctx(t), people.Entry{ID: r2.EntryID, Date: day(2024, 12, 1), Grade: people.GradeHigh}); err != nil {
		t.Fatal(err)
	}
	h := must(idx.History(ctx(t), id))(t)
	want := []people.Appearance{
		{EntryID: r2.EntryID, RecordID: r2.ID, Date: day(2024, 12, 1), Grade: people.GradeHigh, Role: people.RoleChild},
		{EntryID: r1.EntryID, RecordID: r1.ID, Date: day(2025, 1, 10), Grade: people.GradeStandard, Role: people.RoleChild},
	}
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("history = %+v\nwant %+v", h, want)
	}
}

// snapshot is everything observable about some people.
type snapshot struct {
	Persons   map[uuid.UUID]people.Person
	Records   map[uuid.UUID][]people.Record
	History   map[uuid.UUID][]people.Appearance
	Edges     []people.Edge
	Relatives map[uuid.UUID][]people.Relative
	Found     map[uuid.UUID][]uuid.UUID // record id -> candidates for its keys
	PersonOf  map[uuid.UUID]uuid.UUID
}

func snap(t *testing.T, idx people.Index, ids []uuid.UUID, recs []people.Record) snapshot {
	s := snapshot{Persons: map[uuid.UUID]people.Person{}, Records: map[uuid.UUID][]people.Record{},
		History: map[uuid.UUID][]people.Appearance{}, Found: map[uuid.UUID][]uuid.UUID{}, PersonOf: map[uuid.UUID]uuid.UUID{}}
	for _, id := range ids {
		s.Persons[id] = must(idx.Person(ctx(t), id))(t)
		s.Records[id] = must(idx.Records(ctx(t), id))(t)
		s.History[id] = must(idx.History(ctx(t), id))(t)
	}
	s.Edges = must(idx.Edges(ctx(t), ids))(t)
	s.Relatives = must(idx.Relatives(ctx(t), ids))(t)
	for _, r := range recs {
		s.Found[r.ID] = candidateIDs(t, idx, keysOf(r), 50)
		s.PersonOf[r.ID] = must(idx.PersonOf(ctx(t), r.ID))(t)
	}
	return s
}

func testMergeUnmerge(t *testing.T, idx people.Index) {
	entry := uuid.New()
	a1 := Rec("Olivia", "Brown", day(2015, 2, 3), "MF1 1AA")
	a2 := Rec("Liv", "Brown", day(2015, 2, 3), "MF1 1AA")
	b1 := Rec("Olivia", "Browne", day(2015, 3, 2), "MF5 5BB")
	dad := Rec("Mark", "Browne", day(1980, 1, 1), "MF5 5BB")
	b1.EntryID, dad.EntryID = entry, entry
	a := must(idx.Add(ctx(t), a1))(t)
	if err := idx.Link(ctx(t), a2, a); err != nil {
		t.Fatal(err)
	}
	b := must(idx.Add(ctx(t), b1))(t)
	d := must(idx.Add(ctx(t), dad))(t)
	if err := idx.Relate(ctx(t), people.Relationship{ID: uuid.New(), EntryID: entry, From: dad.ID, To: b1.ID, Type: people.RelParent}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []uuid.UUID{a1.EntryID, a2.EntryID, entry} {
		if err := idx.SetEntry(ctx(t), people.Entry{ID: e, Date: day(2025, 2, 1), Grade: people.GradeMedium}); err != nil {
			t.Fatal(err)
		}
	}
	ids, recs := []uuid.UUID{a, b, d}, []people.Record{a1, a2, b1, dad}
	before := snap(t, idx, ids, recs)

	ev, err := idx.Merge(ctx(t), a, b, "sgt.collins", "same child: confirmed with school")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Into != a || ev.From != b || !slices.Equal(ev.Records, []uuid.UUID{b1.ID}) || ev.Action != people.ActionMerge {
		t.Fatalf("merge event = %+v", ev)
	}
	p := must(idx.Person(ctx(t), b))(t) // follows the merge
	if p.ID != a || p.Records != 3 {
		t.Fatalf("merged person = %+v", p)
	}
	if got := must(idx.PersonOf(ctx(t), b1.ID))(t); got != a {
		t.Fatalf("record of merged person belongs to %v", got)
	}
	if ids := candidateIDs(t, idx, keysOf(b1), 10); !slices.Contains(ids, a) || slices.Contains(ids, b) {
		t.Fatalf("keys of moved record find %v, want %v and not %v", ids, a, b)
	}
	if e := must(idx.Edges(ctx(t), []uuid.UUID{a}))(t); len(e) != 1 || e[0].To != a || e[0].From != d {
		t.Fatalf("edges after merge = %+v", e)
	}
	if h := must(idx.History(ctx(t), a))(t); len(h) != 3 {
		t.Fatalf("history after merge = %+v", h)
	}
	if _, err := idx.Merge(ctx(t), a, b, "sgt.collins", "again"); !errors.Is(err, people.ErrConflict) {
		t.Fatalf("merge a merged person: %v", err)
	}
	if _, err := idx.Merge(ctx(t), a, a, "sgt.collins", ""); !errors.Is(err, people.ErrInvalid) {
		t.Fatalf("merge into itself: %v", err)
	}
	if _, err := idx.Merge(ctx(t), a, d, "", ""); !errors.Is(err, people.ErrInvalid) {
		t.Fatalf("merge without actor: %v", err)
	}

	un, err := idx.Unmerge(ctx(t), ev.MergeID, "insp.shah", "different children: twins at different schools")
	if err != nil {
		t.Fatal(err)
	}
	if un.Action != people.ActionUnmerge || un.MergeID != ev.MergeID || !slices.Equal(un.Records, ev.Records) {
		t.Fatalf("unmerge event = %+v", un)
	}
	after := snap(t, idx, ids, recs)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("unmerge did not restore the state:\nbefore %+v\nafter  %+v", before, after)
	}
	if _, err := idx.Unmerge(ctx(t), ev.MergeID, "insp.shah", ""); !errors.Is(err, people.ErrConflict) {
		t.Fatalf("unmerge twice: %v", err)
	}
	if _, err := idx.Unmerge(ctx(t), uuid.New(), "insp.shah", ""); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("unmerge unknown: %v", err)
	}
	log := must(idx.Audit(ctx(t), b))(t)
	if len(log) != 2 || log[0].Action != people.ActionMerge || log[1].Action != people.ActionUnmerge ||
		log[0].Actor != "sgt.collins" || log[1].Reason != "different children: twins at different schools" ||
		log[0].Seq >= log[1].Seq || log[0].At.IsZero() {
		t.Fatalf("audit = %+v", log)
	}
}

func testMergeChain(t *testing.T, idx people.Index) {
	ra, rb, rc := Rec("Ava", "Lee", day(2018, 1, 1), ""), Rec("Ava", "Lee", day(2018, 1, 1), ""), Rec("Ava", "Lee", day(2018, 1, 1), "")
	a, b, c := must(idx.Add(ctx(t), ra))(t), must(idx.Add(ctx(t), rb))(t), must(idx.Add(ctx(t), rc))(t)
	m1 := must(idx.Merge(ctx(t), a, b, "sgt", "dup"))(t)
	m2 := must(idx.Merge(ctx(t), c, a, "sgt", "dup"))(t)
	if p := must(idx.Person(ctx(t), b))(t); p.ID != c || p.Records != 3 {
		t.Fatalf("chain: %+v", p)
	}
	// A record linked to a merged person goes to the survivor.
	rd := Rec("Ava", "Lee", day(2018, 1, 1), "")
	if err := idx.Link(ctx(t), rd, b); err != nil {
		t.Fatal(err)
	}
	if got := must(idx.PersonOf(ctx(t), rd.ID))(t); got != c {
		t.Fatalf("linked to merged person went to %v, want %v", got, c)
	}
	if _, err := idx.Unmerge(ctx(t), m1.MergeID, "insp", "wrong"); !errors.Is(err, people.ErrConflict) {
		t.Fatalf("unmerge under a later merge: %v", err)
	}
	must(idx.Unmerge(ctx(t), m2.MergeID, "insp", "wrong"))(t)
	must(idx.Unmerge(ctx(t), m1.MergeID, "insp", "wrong"))(t)
	for rec, want := range map[uuid.UUID]uuid.UUID{ra.ID: a, rb.ID: b, rc.ID: c, rd.ID: c} {
		if got := must(idx.PersonOf(ctx(t), rec))(t); got != want {
			t.Fatalf("record %v with %v, want %v", rec, got, want)
		}
	}
}

func testIngest(t *testing.T, idx people.Index) {
	m := people.NewMatcher(idx)
	entry := func(date people.Date, grade people.Grade, recs ...people.Record) people.EntryPeople {
		e := people.EntryPeople{Entry: people.Entry{ID: uuid.New(), Date: date, Grade: grade}}
		for _, r := range recs {
			r.ID, r.EntryID, r.Seen = uuid.New(), e.Entry.ID, date
			e.Records = append(e.Records, r)
		}
		return e
	}
	mum := Rec("Precious", "Okafor", day(1990, 7, 7), "MF2 3CD")
	mum.Role, mum.Phones = people.Role(people.RelParent), []string{"07700 900456"}
	kid := Rec("Chidi", "Okafor", day(2016, 9, 12), "MF2 3CD")
	kid.Sex = people.SexMale
	twin := Rec("Chima", "Okafor", day(2016, 9, 12), "MF2 3CD")
	twin.Sex = people.SexMale

	e1 := entry(day(2025, 1, 5), people.GradeStandard, mum, kid, twin)
	e1.Relationships = []people.Relationship{
		{ID: uuid.New(), From: e1.Records[0].ID, To: e1.Records[1].ID, Type: people.RelParent},
		{ID: uuid.New(), From: e1.Records[0].ID, To: e1.Records[2].ID, Type: people.RelParent},
	}
	got1 := must(m.Ingest(ctx(t), e1, people.DefaultAlertRules))(t)
	for _, d := range got1.Decisions {
		if d.Kind != people.New {
			t.Fatalf("first entry: %+v", d)
		}
	}
	// Twins in one entry stay two people.
	if got1.Decisions[1].Person == got1.Decisions[2].Person {
		t.Fatal("twins merged")
	}
	// Ingest is idempotent.
	again := must(m.Ingest(ctx(t), e1, people.DefaultAlertRules))(t)
	for i, d := range again.Decisions {
		if d.Kind != people.Known || d.Person != got1.Decisions[i].Person {
			t.Fatalf("ingest again: %+v", d)
		}
	}

	kid2 := kid
	kid2.Name.Given = "CHIDI"
	kid2.Addresses = nil
	mum2 := mum
	mum2.Name.Family = "Okafor-Mensah"
	e2 := entry(day(2025, 2, 1), people.GradeMedium, kid2, mum2)
	e2.Relationships = []people.Relationship{{ID: uuid.New(), From: e2.Records[1].ID, To: e2.Records[0].ID, Type: people.RelParent}}
	got2 := must(m.Ingest(ctx(t), e2, people.DefaultAlertRules))(t)
	if d := got2.Decisions[0]; d.Kind != people.Sure || d.Person != got1.Decisions[1].Person {
		t.Fatalf("child again: %+v", d)
	}
	if d := got2.Decisions[1]; d.Kind != people.Sure || d.Person != got1.Decisions[0].Person {
		t.Fatalf("mother again: %+v", d)
	}
	if len(got2.Alerts) != 0 {
		t.Fatalf("alerts after two entries: %+v", got2.Alerts)
	}
	// Third lower-risk entry within 90 days: repeat alert.
	e3 := entry(day(2025, 3, 20), people.GradeStandard, kid)
	got3 := must(m.Ingest(ctx(t), e3, people.DefaultAlertRules))(t)
	if len(got3.Alerts) != 1 || got3.Alerts[0].Kind != people.AlertRepeat || len(got3.Alerts[0].Entries) != 3 {
		t.Fatalf("third entry alerts: %+v", got3.Alerts)
	}
	// The mother appears in an immediate-risk entry without the twin:
	// the twin is linked to her.
	e4 := entry(day(2025, 4, 1), people.GradeImmediate, mum)
	must(m.Ingest(ctx(t), e4, people.DefaultAlertRules))(t)
	e5 := entry(day(2025, 4, 2), people.GradeStandard, twin)
	got5 := must(m.Ingest(ctx(t), e5, people.DefaultAlertRules))(t)
	if len(got5.Alerts) != 1 || got5.Alerts[0].Kind != people.AlertLinkedImmediate ||
		got5.Alerts[0].Related != got1.Decisions[0].Person || got5.Alerts[0].Entries[0] != e4.Entry.ID {
		t.Fatalf("linked alerts: %+v", got5.Alerts)
	}
	net := must(people.BuildNetwork(ctx(t), idx, []uuid.UUID{got5.Decisions[0].Person}, 2, 0))(t)
	if len(net.Nodes) != 3 || len(net.Edges) != 3 || net.Nodes[0].Depth != 0 {
		t.Fatalf("network: %d nodes, %d edges", len(net.Nodes), len(net.Edges))
	}
}

// testIngestRollback: an ingest that fails part way (a relationship to a
// record the entry does not have, after its records are stored) leaves
// no record, person, key, edge or update behind, on indexes that run it
// in one transaction.
func testIngestRollback(t *testing.T, idx people.Index) {
	if _, ok := idx.(people.Transactor); !ok {
		t.Skip("not a Transactor: each index call is its own change")
	}
	m := people.NewMatcher(idx)
	kid := Rec("Oluwaseun", "Adeyemi", day(2014, 2, 9), "MF4 5EF")
	e0 := people.EntryPeople{Entry: people.Entry{ID: kid.EntryID, Date: kid.Seen, Grade: people.GradeStandard},
		Records: []people.Record{kid}}
	got0 := must(m.Ingest(ctx(t), e0, people.DefaultAlertRules))(t)
	known := got0.Decisions[0].Person
	before, _ := must2(idx.KeyCounts(ctx(t), nil))(t)

	mum := Rec("Folake", "Adeyemi", day(1985, 6, 1), "MF4 5EF")
	mum.Role = people.Role(people.RelParent)
	kidAgain := kid
	kidAgain.ID = uuid.New()
	e1 := people.EntryPeople{Entry: people.Entry{ID: uuid.New(), Date: day(2025, 5, 1), Grade: people.GradeImmediate},
		Records: []people.Record{mum, kidAgain}}
	e1.Records[0].EntryID, e1.Records[1].EntryID = e1.Entry.ID, e1.Entry.ID
	good := []people.Relationship{{ID: uuid.New(), From: mum.ID, To: kidAgain.ID, Type: people.RelParent}}
	e1.Relationships = append(good, people.Relationship{ID: uuid.New(), From: mum.ID, To: uuid.New(), Type: people.RelParent})
	if _, err := m.Ingest(ctx(t), e1, people.DefaultAlertRules); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("ingest with a relationship to no record: %v, want ErrNotFound", err)
	}
	// An amended entry that fails must not keep its update either.
	amended := e0
	amended.Records = []people.Record{kid}
	amended.Records[0].Name.Given = "Seun"
	amended.Relationships = []people.Relationship{{ID: uuid.New(), From: kid.ID, To: uuid.New(), Type: people.RelSibling}}
	if _, err := m.Ingest(ctx(t), amended, people.DefaultAlertRules); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("amended ingest with a relationship to no record: %v, want ErrNotFound", err)
	}

	for _, r := range e1.Records {
		if _, err := idx.PersonOf(ctx(t), r.ID); !errors.Is(err, people.ErrNotFound) {
			t.Fatalf("record %s of the failed ingest is stored (err %v)", r.Name.Given, err)
		}
	}
	recs := must(idx.Records(ctx(t), known))(t)
	if len(recs) != 1 || recs[0].Name.Given != "Oluwaseun" {
		t.Fatalf("known person after failed ingests: %+v", recs)
	}
	if after, _ := must2(idx.KeyCounts(ctx(t), nil))(t); after != before {
		t.Fatalf("records %d after failed ingests, %d before", after, before)
	}
	if h := must(idx.History(ctx(t), known))(t); len(h) != 1 {
		t.Fatalf("history after failed ingests: %+v", h)
	}
	if edges := must(idx.Edges(ctx(t), []uuid.UUID{known}))(t); len(edges) != 0 {
		t.Fatalf("edges after failed ingests: %+v", edges)
	}
	for _, c := range must(idx.Candidates(ctx(t), people.QueryProbes(&mum.Particulars, people.DefaultNicknames), 10))(t) {
		if c.ID != known {
			t.Fatalf("a person of the failed ingest is a candidate: %+v", c)
		}
	}

	// Run again without the bad relationship: nothing left over is found.
	e1.Relationships = good
	got1 := must(m.Ingest(ctx(t), e1, people.DefaultAlertRules))(t)
	if d := got1.Decisions[0]; d.Kind != people.New {
		t.Fatalf("mother after the failed ingest: %+v", d)
	}
	if d := got1.Decisions[1]; d.Kind != people.Sure || d.Person != known {
		t.Fatalf("child after the failed ingest: %+v", d)
	}
	if edges := must(idx.Edges(ctx(t), []uuid.UUID{known}))(t); len(edges) != 1 {
		t.Fatalf("edges: %+v", edges)
	}
}

// must2(f())(t) is must for functions returning two values.
func must2[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

func testBulkLoad(t *testing.T, idx people.Index) {
	bl, ok := idx.(people.BulkLoader)
	if !ok {
		t.Skip("not a BulkLoader")
	}
	type item = people.BulkItem
	var items []item
	var rels []people.Relationship
	var prev uuid.UUID // the previous person's first record
	for i := range 300 {
		pid := uuid.New()
		r := Rec(fmt.Sprintf("Given%d", i), fmt.Sprintf("Family%d", i%37), day(2000+i%20, time.Month(1+i%12), 1+i%28), "MF1 1AA")
		items = append(items, item{Person: pid, Record: r})
		if i%3 == 1 { // a second record of the same person
			r2 := r
			r2.ID, r2.EntryID = uuid.New(), uuid.New()
			items = append(items, item{Person: pid, Record: r2})
		}
		if i > 0 && i%5 == 0 {
			rels = append(rels, people.Relationship{ID: uuid.New(), EntryID: r.EntryID, From: prev, To: r.ID, Type: people.RelSibling})
		}
		prev = r.ID
	}
	n, err := bl.BulkLoad(ctx(t), slices.Values(items), slices.Values(rels))
	if err != nil || n != len(items) {
		t.Fatalf("bulk load: %d, %v", n, err)
	}
	first := must(idx.PersonOf(ctx(t), items[0].Record.ID))(t)
	if p := must(idx.Person(ctx(t), first))(t); p.Name != items[0].Record.Name {
		t.Fatalf("loaded person %+v", p)
	}
	persons := map[uuid.UUID]bool{}
	for _, it := range items {
		persons[must(idx.PersonOf(ctx(t), it.Record.ID))(t)] = true
	}
	if len(persons) != 300 {
		t.Fatalf("%d persons after load, want 300", len(persons))
	}
	q := items[10].Record
	if ids := probeIDs(t, idx, people.QueryProbes(&q.Particulars, people.DefaultNicknames), 5); len(ids) == 0 || ids[0] != must(idx.PersonOf(ctx(t), q.ID))(t) {
		t.Fatalf("candidates after load: %v", ids)
	}
	// Ordinary writes go on after a load (row keys and sequences moved on).
	must(idx.Add(ctx(t), Rec("After", "Load", day(2001, 1, 1), "")))(t)
	if e := must(idx.Edges(ctx(t), slices.Collect(maps.Keys(persons))))(t); len(e) != len(rels) {
		t.Fatalf("%d edges, want %d", len(e), len(rels))
	}
}

func testConcurrent(t *testing.T, idx people.Index) {
	m := people.NewMatcher(idx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				r := Rec(fmt.Sprintf("Child%d", i), fmt.Sprintf("Worker%d", w), day(2010, 1, 1+i), "MF1 1AA")
				if _, err := m.Resolve(ctx(t), r); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
