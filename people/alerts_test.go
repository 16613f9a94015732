package people

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

func entryID(n byte) uuid.UUID { return uuid.UUID{15: n} }

func app(n byte, day int, g Grade) Appearance {
	return Appearance{EntryID: entryID(n), Date: MakeDate(2025, 1, 1).AddDays(day), Grade: g}
}

func TestRepeatAppearance(t *testing.T) {
	child := uuid.UUID{1}
	at := func(day int) Date { return MakeDate(2025, 1, 1).AddDays(day) }
	for _, tc := range []struct {
		name    string
		history []Appearance
		at      Date
		want    []uuid.UUID // nil: no alert
	}{
		{"third lower-risk entry within 90 days", []Appearance{app(1, 0, GradeStandard), app(2, 40, GradeMedium), app(3, 90, GradeStandard)}, at(90),
			[]uuid.UUID{entryID(1), entryID(2), entryID(3)}},
		{"91 days apart", []Appearance{app(1, 0, GradeStandard), app(2, 40, GradeMedium), app(3, 91, GradeStandard)}, at(91), nil},
		{"only two", []Appearance{app(1, 0, GradeStandard), app(2, 40, GradeMedium)}, at(40), nil},
		{"a high entry does not count", []Appearance{app(1, 0, GradeStandard), app(2, 40, GradeHigh), app(3, 50, GradeStandard)}, at(50), nil},
		{"immediate does not count", []Appearance{app(1, 0, GradeImmediate), app(2, 40, GradeMedium), app(3, 50, GradeStandard)}, at(50), nil},
		{"ungraded does not count", []Appearance{app(1, 0, GradeNone), app(2, 40, GradeMedium), app(3, 50, GradeStandard)}, at(50), nil},
		{"two records in one entry count once", []Appearance{app(1, 0, GradeStandard), app(1, 0, GradeStandard), app(3, 50, GradeStandard)}, at(50), nil},
		{"fourth raises again", []Appearance{app(1, 0, GradeStandard), app(2, 10, GradeMedium), app(3, 20, GradeStandard), app(4, 30, GradeStandard)}, at(30),
			[]uuid.UUID{entryID(1), entryID(2), entryID(3), entryID(4)}},
		{"as of an earlier day, later entries ignored", []Appearance{app(1, 0, GradeStandard), app(2, 10, GradeMedium), app(3, 200, GradeStandard)}, at(10), nil},
		{"the newest entry is not lower-risk: no alert now", []Appearance{app(1, 0, GradeStandard), app(2, 10, GradeMedium), app(3, 20, GradeStandard), app(4, 30, GradeHigh)}, at(30), nil},
		{"out of order history", []Appearance{app(3, 60, GradeStandard), app(1, 0, GradeStandard), app(2, 30, GradeMedium)}, at(60),
			[]uuid.UUID{entryID(1), entryID(2), entryID(3)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := DefaultAlertRules.Repeat(child, tc.history, tc.at)
			if ok != (tc.want != nil) {
				t.Fatalf("alert %v, want %v", ok, tc.want != nil)
			}
			if ok && (a.Kind != AlertRepeat || a.PersonID != child || !slices.Equal(a.Entries, tc.want)) {
				t.Fatalf("alert %+v, want entries %v", a, tc.want)
			}
		})
	}
}

func TestLinkedToImmediate(t *testing.T) {
	child, mum, uncle := uuid.UUID{1}, uuid.UUID{2}, uuid.UUID{3}
	at := MakeDate(2025, 1, 1).AddDays(100)
	own := []Appearance{app(1, 0, GradeStandard)}
	for _, tc := range []struct {
		name    string
		rules   AlertRules
		related []Related
		want    map[uuid.UUID][]uuid.UUID // related person -> entries
	}{
		{"mother in an immediate entry without the child", DefaultAlertRules,
			[]Related{{PersonID: mum, Relation: RelParent, History: []Appearance{app(1, 0, GradeStandard), app(5, 50, GradeImmediate)}}},
			map[uuid.UUID][]uuid.UUID{mum: {entryID(5)}}},
		{"the child was in that entry too", DefaultAlertRules,
			[]Related{{PersonID: mum, Relation: RelParent, History: []Appearance{app(1, 0, GradeImmediate)}}}, nil},
		{"only high", DefaultAlertRules,
			[]Related{{PersonID: mum, Relation: RelParent, History: []Appearance{app(5, 50, GradeHigh)}}}, nil},
		{"after the day asked about", DefaultAlertRules,
			[]Related{{PersonID: mum, Relation: RelParent, History: []Appearance{app(5, 150, GradeImmediate)}}}, nil},
		{"too old for the lookback", AlertRules{RepeatCount: 3, RepeatWindowDays: 90, ImmediateLookbackDays: 30},
			[]Related{{PersonID: mum, Relation: RelParent, History: []Appearance{app(5, 50, GradeImmediate)}}}, nil},
		{"two people, one linked twice", DefaultAlertRules,
			[]Related{
				{PersonID: mum, Relation: RelParent, History: []Appearance{app(5, 50, GradeImmediate)}},
				{PersonID: uncle, Relation: RelAssociate, History: []Appearance{app(6, 60, GradeImmediate)}},
				{PersonID: mum, Relation: RelHouseholdMember, History: []Appearance{app(5, 50, GradeImmediate), app(7, 70, GradeImmediate)}},
			},
			map[uuid.UUID][]uuid.UUID{mum: {entryID(5), entryID(7)}, uncle: {entryID(6)}}},
		{"the child itself", DefaultAlertRules,
			[]Related{{PersonID: child, History: []Appearance{app(5, 50, GradeImmediate)}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.rules.LinkedImmediate(child, own, tc.related, at)
			if len(got) != len(tc.want) {
				t.Fatalf("alerts %+v, want %v", got, tc.want)
			}
			for _, a := range got {
				if a.Kind != AlertLinkedImmediate || a.PersonID != child || !slices.Equal(a.Entries, tc.want[a.Related]) {
					t.Fatalf("alert %+v, want entries %v", a, tc.want[a.Related])
				}
			}
		})
	}
}
