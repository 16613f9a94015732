package quality

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

func checklist(t testing.TB) *forms.Checklist {
	t.Helper()
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatalf("load registry: %v", err)
	}
	c, ok := reg.Get(forms.Ref{ID: "child-at-risk", Version: "1.0.0"})
	if !ok {
		t.Fatal("child-at-risk 1.0.0 is not in assets")
	}
	return c
}

// kid is one child's answers; a nil value leaves the question out, an
// answer with NotKnown is "Not known".
type kid map[string]any

func (k kid) answers() map[string]forms.Answer {
	m := map[string]forms.Answer{}
	for id, v := range k {
		switch x := v.(type) {
		case nil:
		case forms.Answer:
			m[id] = x
		default:
			m[id] = forms.Answer{Value: x}
		}
	}
	return m
}

var notKnown = forms.Answer{NotKnown: true, Reason: "carer would not say"}

func entry(id string, kids ...kid) *forms.Entry {
	e := &forms.Entry{ID: id, Checklist: forms.Ref{ID: "child-at-risk", Version: "1.0.0"}, Revision: 1,
		Answers: map[string]forms.Answer{}, Groups: map[string][]forms.Instance{}}
	for i, k := range kids {
		e.Groups["child"] = append(e.Groups["child"], forms.Instance{ID: fmt.Sprintf("%s-c%d", id, i), Answers: k.answers()})
	}
	return e
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// smallRows is the hand-computed fixture; the expectations in
// TestComputeSmall are worked out in its comments.
func smallRows() []Row {
	return []Row{
		{ // team-a, Oct; 1 child: everything recorded; high, reviewed in 30m.
			EntryID: "e1", Team: "team-a", Submitted: at("2025-10-03T10:00:00Z"), Reviewed: at("2025-10-03T10:30:00Z"), Grade: forms.LevelHigh,
			Entry: entry("e1", kid{"child_ethnicity_self": "W1", "child_disability": "no", "child_sen": "N",
				"child_seen": "yes", "child_alone": "yes", "child_words": "x"}),
		},
		{ // team-a, Oct; NS, disability not known (option), SEN "Not known"; seen, not alone, no words;
			// immediate, reviewed in 90m (target 1h missed), overdue, returned twice over.
			EntryID: "e2", Team: "team-a", Submitted: at("2025-10-20T08:00:00Z"), Reviewed: at("2025-10-20T09:30:00Z"), Grade: forms.LevelImmediate,
			Overdue: true, Returned: true, ReturnReasons: []string{"Ethnicity", "Disability"},
			Entry: entry("e2", kid{"child_ethnicity_self": "NS", "child_disability": "not_known", "child_sen": notKnown,
				"child_seen": "yes", "child_alone": "no", "child_words": "  "}),
		},
		{ // team-b, Nov; 2 children: O1 (old code, now A4) + declined + K + not seen;
			// blank ethnicity + yes + E + seen alone with words. Medium, pending, overdue.
			EntryID: "e3", Team: "team-b", Submitted: at("2025-11-02T12:00:00Z"), Grade: forms.LevelMedium, Overdue: true,
			Entry: entry("e3",
				kid{"child_ethnicity_self": "O1", "child_disability": "declined", "child_sen": "K", "child_seen": "no",
					"child_alone": "yes", "child_words": "seen? no: these do not count"},
				kid{"child_ethnicity_self": "", "child_disability": "yes", "child_sen": "E", "child_seen": "yes",
					"child_alone": "yes", "child_words": "hi"}),
		},
		{ // training: left out of everything.
			EntryID: "e4", Team: "team-a", Submitted: at("2025-10-05T10:00:00Z"), Training: true, Returned: true,
			ReturnReasons: []string{"Training only"}, Entry: entry("e4", kid{"child_ethnicity_self": "W1"}),
		},
		{ // team-b; 23:30 UTC on 30 Sep is 00:30 BST on 1 Oct: October in London.
			// No entry document; standard, reviewed in 10h; returned, same reason twice.
			EntryID: "e5", Team: "team-b", Submitted: at("2025-09-30T23:30:00Z"), Reviewed: at("2025-10-01T09:30:00Z"), Grade: forms.LevelStandard,
			Returned: true, ReturnReasons: []string{"Ethnicity", " ethnicity ", ""},
		},
	}
}

func TestComputeSmall(t *testing.T) {
	rep, err := Compute(checklist(t), smallRows(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.Entries != 4 || rep.TrainingExcluded != 1 || o.Children.Total != 4 {
		t.Fatalf("entries %d, training %d, children %d; want 4, 1, 4", o.Entries, rep.TrainingExcluded, o.Children.Total)
	}
	c := o.Children
	for _, tc := range []struct {
		name string
		got  Share
		want Share
	}{
		{"ethnicity (W1, NS, O1 of 4)", c.Ethnicity, Share{Count: 3, Of: 4, Percent: 75}},
		{"ethnicity stated (W1, O1)", c.EthnicityStated, Share{Count: 2, Of: 4, Percent: 50}},
		{"ethnicity not stated (NS)", c.EthnicityNotStated, Share{Count: 1, Of: 4, Percent: 25}},
		{"disability (no, declined, yes)", c.Disability, Share{Count: 3, Of: 4, Percent: 75}},
		{"SEN (N, K, E)", c.SEN, Share{Count: 3, Of: 4, Percent: 75}},
		{"disability and SEN", c.DisabilityAndSEN, Share{Count: 3, Of: 4, Percent: 75}},
		{"seen", c.Seen, Share{Count: 3, Of: 4, Percent: 75}},
		{"spoken to alone, of seen", c.SpokenAlone, Share{Count: 2, Of: 3, Percent: 66.7}},
		{"voice, of seen (blank words do not count)", c.Voice, Share{Count: 2, Of: 3, Percent: 66.7}},
		{"files: every child's ethnicity", o.Files.Ethnicity, Share{Count: 2, Of: 3, Percent: 66.7}},
		{"files: every child's disability and SEN", o.Files.DisabilityAndSEN, Share{Count: 2, Of: 3, Percent: 66.7}},
		{"overdue", o.Overdue, Share{Count: 2, Of: 4, Percent: 50}},
		{"returned", o.Returned, Share{Count: 2, Of: 4, Percent: 50}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
	wantReview := []ReviewTimes{
		{Grade: forms.LevelImmediate, Reviewed: 1, MedianSeconds: 5400, P90Seconds: 5400, TargetSeconds: 3600, WithinTarget: Share{Count: 0, Of: 1, Percent: 0}},
		{Grade: forms.LevelHigh, Reviewed: 1, MedianSeconds: 1800, P90Seconds: 1800, TargetSeconds: 14400, WithinTarget: Share{Count: 1, Of: 1, Percent: 100}},
		{Grade: forms.LevelMedium, Pending: 1, TargetSeconds: 86400},
		{Grade: forms.LevelStandard, Reviewed: 1, MedianSeconds: 36000, P90Seconds: 36000, TargetSeconds: 86400, WithinTarget: Share{Count: 1, Of: 1, Percent: 100}},
	}
	if fmt.Sprint(o.Review) != fmt.Sprint(wantReview) {
		t.Errorf("review =\n%+v\nwant\n%+v", o.Review, wantReview)
	}
	wantReasons := []ReasonCount{{Reason: "Ethnicity", Count: 2}, {Reason: "Disability", Count: 1}}
	if fmt.Sprint(o.ReturnReasons) != fmt.Sprint(wantReasons) {
		t.Errorf("reasons = %+v, want %+v", o.ReturnReasons, wantReasons)
	}

	keys := func(gs []Group) string {
		var ks []string
		for _, g := range gs {
			ks = append(ks, fmt.Sprintf("%s:%d", g.Key, g.Entries))
		}
		return strings.Join(ks, " ")
	}
	if got := keys(rep.ByTeam); got != "team-a:2 team-b:2" {
		t.Errorf("by team = %s", got)
	}
	if got := keys(rep.ByMonth); got != "2025-10:3 2025-11:1" {
		t.Errorf("by month (London) = %s", got)
	}
	if got := keys(rep.ByTeamMonth); got != "team-a 2025-10:2 team-b 2025-10:1 team-b 2025-11:1" {
		t.Errorf("by team and month = %s", got)
	}
	b := rep.ByTeam[1]
	if b.Children.Ethnicity != (Share{Count: 1, Of: 2, Percent: 50}) || b.Children.Seen != (Share{Count: 1, Of: 2, Percent: 50}) || b.Returned != (Share{Count: 1, Of: 2, Percent: 50}) {
		t.Errorf("team-b = %+v", b)
	}
	if !rep.From.Equal(at("2025-09-30T23:30:00Z")) || !rep.To.Equal(at("2025-11-02T12:00:00Z")) {
		t.Errorf("from %s to %s", rep.From, rep.To)
	}

	utc, err := Compute(checklist(t), smallRows(), Options{Location: time.UTC, TopReasons: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(utc.ByMonth); got != "2025-09:1 2025-10:2 2025-11:1" {
		t.Errorf("by month (UTC) = %s", got)
	}
	if len(utc.Overall.ReturnReasons) != 1 {
		t.Errorf("TopReasons 1 gave %d reasons", len(utc.Overall.ReturnReasons))
	}
}

// TestInspectionMeasure reproduces the inspection's count: of 48 files,
// 12 without ethnicity and 20 without disability or SEN recorded.
func TestInspectionMeasure(t *testing.T) {
	rows := inspectionRows()
	rep, err := Compute(checklist(t), rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, f := rep.Overall.Children, rep.Overall.Files
	if c.Ethnicity != (Share{Count: 36, Of: 48, Percent: 75}) || f.Ethnicity != (Share{Count: 36, Of: 48, Percent: 75}) {
		t.Errorf("ethnicity = %+v (files %+v), want 36 of 48 = 75%%", c.Ethnicity, f.Ethnicity)
	}
	if c.DisabilityAndSEN != (Share{Count: 28, Of: 48, Percent: 58.3}) || f.DisabilityAndSEN != (Share{Count: 28, Of: 48, Percent: 58.3}) {
		t.Errorf("disability and SEN = %+v (files %+v), want 28 of 48 = 58.3%%", c.DisabilityAndSEN, f.DisabilityAndSEN)
	}
	if c.Disability != (Share{Count: 33, Of: 48, Percent: 68.8}) || c.SEN != (Share{Count: 38, Of: 48, Percent: 79.2}) {
		t.Errorf("disability %+v, SEN %+v; want 33/48 = 68.8%%, 38/48 = 79.2%%", c.Disability, c.SEN)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	line := lineOf(buf.String(), "all ")
	for _, want := range []string{"48", "75.0%", "58.3%"} {
		if !strings.Contains(line, want) {
			t.Errorf("text line %q lacks %s", line, want)
		}
	}
}

// inspectionRows: 48 entries of one child each across three teams and
// three months; entries 0-11 lack ethnicity (left out, "Not known", or
// blank); 20-29 have disability "not known", 30-34 lack SEN, 35-39 lack
// both. Review times and returns vary so the charts have something to
// show.
func inspectionRows() []Row {
	teams := []string{"north", "south", "east"}
	var rows []Row
	base := at("2025-09-01T09:00:00Z")
	for i := 0; i < 48; i++ {
		k := kid{"child_ethnicity_self": "W1", "child_disability": "no", "child_sen": "N", "child_seen": "yes",
			"child_alone": "yes", "child_words": "I want my nan."}
		switch {
		case i < 4:
			delete(k, "child_ethnicity_self")
		case i < 8:
			k["child_ethnicity_self"] = notKnown
		case i < 12:
			k["child_ethnicity_self"] = ""
		case i < 15:
			k["child_ethnicity_self"] = "NS"
		}
		switch {
		case i >= 20 && i < 30:
			k["child_disability"] = "not_known"
		case i >= 30 && i < 35:
			delete(k, "child_sen")
		case i >= 35 && i < 40:
			k["child_disability"] = notKnown
			k["child_sen"] = notKnown
		}
		if i%5 == 0 {
			k["child_alone"] = "no"
			k["child_words"] = ""
		}
		if i%12 == 7 {
			k["child_seen"] = "no"
		}
		grade := []forms.Level{forms.LevelStandard, forms.LevelMedium, forms.LevelHigh, forms.LevelImmediate}[i%4]
		sub := base.Add(time.Duration(i) * 46 * time.Hour)
		r := Row{EntryID: fmt.Sprintf("e%02d", i), Team: teams[i%3], Submitted: sub, Grade: grade, Entry: entry(fmt.Sprintf("e%02d", i), k)}
		if i%9 != 8 {
			r.Reviewed = sub.Add(time.Duration(20+i*17%300) * time.Minute)
			r.Overdue = r.Reviewed.Sub(sub) > DefaultTargets[grade]
		} else {
			r.Overdue = true
		}
		if i < 12 || (i >= 20 && i < 26) {
			r.Returned = true
			r.ReturnReasons = []string{"Ethnicity, as the child or carer describes it"}
			if i >= 20 {
				r.ReturnReasons = []string{"Does the child have a disability?"}
			}
			if i%4 == 0 {
				r.ReturnReasons = append(r.ReturnReasons, "The child's own words")
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func lineOf(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

func TestPercentiles(t *testing.T) {
	mins := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Minute)
		}
		return out
	}
	for _, tc := range []struct {
		in          []time.Duration
		median, p90 time.Duration
	}{
		{mins(7), 7 * time.Minute, 7 * time.Minute},
		{mins(1, 2, 3, 4, 5), 3 * time.Minute, 5 * time.Minute},
		{mins(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 330 * time.Second, 9 * time.Minute},
		{mins(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 630 * time.Second, 18 * time.Minute},
		{mins(10, 20), 15 * time.Minute, 20 * time.Minute},
	} {
		if got := median(tc.in); got != tc.median {
			t.Errorf("median %v = %v, want %v", tc.in, got, tc.median)
		}
		if got := nearestRank(tc.in, 90); got != tc.p90 {
			t.Errorf("p90 %v = %v, want %v", tc.in, got, tc.p90)
		}
	}
}

func TestComputeRefuses(t *testing.T) {
	if _, err := Compute(nil, nil, Options{}); !errors.Is(err, ErrNoChecklist) {
		t.Errorf("nil checklist: %v", err)
	}
	rows := []Row{{EntryID: "a"}, {EntryID: "a"}}
	if _, err := Compute(checklist(t), rows, Options{}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v", err)
	}
	// Empty input is a report of nothing, not an error.
	rep, err := Compute(checklist(t), nil, Options{})
	if err != nil || rep.Overall.Entries != 0 || rep.Overall.Children.Ethnicity.Percent != 0 || rep.ByTeam == nil {
		t.Errorf("empty: %+v, %v", rep, err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "No entries") {
		t.Errorf("empty text: %q, %v", buf.String(), err)
	}
}

// TestNoChildData: the report holds counts and categories, never answers.
func TestNoChildData(t *testing.T) {
	rows := smallRows()
	rows[0].Entry.Groups["child"][0].Answers["child_name"] = forms.Answer{Value: "Amy Example"}
	rep, err := Compute(checklist(t), rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(rep)
	var buf bytes.Buffer
	_ = rep.WriteText(&buf)
	for _, out := range []string{string(js), buf.String()} {
		for _, secret := range []string{"Amy Example", "these do not count", "hi\""} {
			if strings.Contains(out, secret) {
				t.Errorf("report holds child data %q", secret)
			}
		}
	}
}

func TestReasonsFromComments(t *testing.T) {
	c := checklist(t)
	got := ReasonsFromComments(c, []api.Comment{
		{Question: "child[a1d7].child_ethnicity_self", Text: "Ask Amy's mother"},
		{Question: "child[b2e8].child_ethnicity_self", Text: "and Leo's"},
		{Question: "incident_ref", Text: "typo"},
		{Question: "no_such_question", Text: "?"},
	}, "Please see Amy again")
	want := []string{"Ethnicity, as the child or carer describes it", "Incident or occurrence number", GeneralReason}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0m", 45 * time.Minute: "45m", 65 * time.Minute: "1h05m", 51*time.Hour + 20*time.Minute: "2d03h", -time.Hour: "0m",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestIsOverdue(t *testing.T) {
	deadline := at("2025-11-14T06:00:00Z")
	for _, tc := range []struct {
		reviewed, now string
		want          bool
	}{
		{"2025-11-14T05:59:00Z", "2025-11-15T00:00:00Z", false},
		{"2025-11-14T06:01:00Z", "2025-11-15T00:00:00Z", true},
		{"", "2025-11-14T05:00:00Z", false},
		{"", "2025-11-14T07:00:00Z", true},
	} {
		var reviewed time.Time
		if tc.reviewed != "" {
			reviewed = at(tc.reviewed)
		}
		if got := IsOverdue(reviewed, deadline, at(tc.now)); got != tc.want {
			t.Errorf("IsOverdue(%q, now %s) = %v", tc.reviewed, tc.now, got)
		}
	}
	if IsOverdue(time.Time{}, time.Time{}, at("2025-11-14T07:00:00Z")) {
		t.Error("no deadline is never overdue")
	}
}
