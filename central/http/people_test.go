package http_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/memindex"
)

// personEntry is the example entry of the child-at-risk checklist as a
// fresh live entry: new person ids (they are unique across entries), the
// incident on day, graded medium (no disclosure, no DASH risk) unless
// immediate, where a child's life is at risk.
func personEntry(t *testing.T, officer string, day time.Time, immediate bool) *forms.Entry {
	t.Helper()
	e := centraltest.Example(t, officer)
	ids := map[string]string{}
	for g, insts := range e.Groups {
		for i := range insts {
			id := uuid.NewString()
			ids[insts[i].ID] = id
			e.Groups[g][i].ID = id
			e.Groups[g][i].Answers = maps.Clone(insts[i].Answers)
		}
	}
	for i, r := range e.Relationships {
		e.Relationships[i].From, e.Relationships[i].To = ids[r.From], ids[r.To]
	}
	e.Answers = maps.Clone(e.Answers)
	e.Answers["incident_time"] = forms.Answer{Value: day.Format(time.RFC3339)}
	if immediate {
		e.Answers["triage_life"] = forms.Answer{Value: "yes"}
		e.Grading = &forms.Grading{Level: forms.LevelImmediate}
		return e
	}
	for k := range e.Answers {
		if strings.HasPrefix(k, "dash_q") {
			e.Answers[k] = forms.Answer{Value: "no"}
		}
	}
	e.Answers["dash_judgement"] = forms.Answer{Value: "standard"}
	e.Groups["child"][0].Answers["child_disclosed"] = forms.Answer{Value: "no"}
	e.Grading = &forms.Grading{Level: forms.LevelMedium}
	return e
}

// instance returns the entry's instance of group whose name answer is name.
func instance(t *testing.T, e *forms.Entry, group, name string) *forms.Instance {
	t.Helper()
	for i, in := range e.Groups[group] {
		if in.Answers[group+"_name"].Value == name {
			return &e.Groups[group][i]
		}
	}
	t.Fatalf("no %s %q in the entry", group, name)
	return nil
}

// TestPersonIndex pushes real checklist entries into a server with the
// person index on each backend: three lower-risk entries of the same
// children within three months raise repeat_appearance (pull feed and
// supervisor's alerts); a child linked to an adult of an immediate-risk
// entry raises linked_to_immediate; the network shows the linked people;
// a possible match confirmed by a supervisor is merged and audited.
//
// Run twice per backend: with the index on the push reply, and in the
// background (central.Config.PeopleInBackground, the worker running as
// serve runs it), where each push is followed by Service.PeopleSettled.
func TestPersonIndex(t *testing.T) {
	for _, backend := range centraltest.Backends {
		for _, bg := range []bool{false, true} {
			name := backend
			if bg {
				name += "/background"
			}
			t.Run(name, func(t *testing.T) { testPersonIndex(t, backend, bg) })
		}
	}
}

// runPeople runs the service's person index worker until the test ends.
func runPeople(t *testing.T, svc *central.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunPeople(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

func testPersonIndex(t *testing.T, backend string, bg bool) {
	_, srv := startValidated(t, backend, centraltest.WithPeople(), centraltest.WithConfig(central.Config{PeopleInBackground: bg}))
	if bg {
		runPeople(t, srv.Service)
	}
	dev := srv.Enrol(t, "")
	devc := srv.Client(dev.Credential)
	devc.HTTP = validatingClient(t)
	sup := srv.Client(srv.Login(t, "sergeant1"))
	sup.HTTP = validatingClient(t)
	other := srv.Client(srv.Login(t, "sergeant2")) // team B
	officer := srv.UserID(t, "officer1")
	day0 := time.Date(2025, 8, 14, 2, 31, 0, 0, time.UTC)

	pushOne := func(e *forms.Entry) api.PushResult {
		t.Helper()
		r := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]
		if r.Status != api.StatusAccepted {
			t.Fatalf("push %s: %+v", e.ID, r)
		}
		if bg {
			if err := srv.Service.PeopleSettled(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	pull := func() []api.Change {
		t.Helper()
		var out api.PullResponse
		if st, raw := devc.Do(t, "GET", "/v1/pull?limit=200", nil, &out); st != 200 {
			t.Fatalf("pull: %d %s", st, raw)
		}
		return out.Changes
	}
	alerts := func(c *centraltest.Client) []api.PersonAlert {
		t.Helper()
		var out api.PersonAlertList
		if st, raw := c.Do(t, "GET", "/v1/review/alerts", nil, &out); st != 200 {
			t.Fatalf("alerts: %d %s", st, raw)
		}
		return out.Alerts
	}
	alertsOf := func(list []api.PersonAlert, entry, kind string) []api.PersonAlert {
		var out []api.PersonAlert
		for _, a := range list {
			if a.EntryID == entry && a.Kind == kind {
				out = append(out, a)
			}
		}
		return out
	}
	feedAlerts := func(entry string) []api.Change {
		var out []api.Change
		for _, c := range pull() {
			if c.Kind == api.KindAlert && c.EntryID == entry {
				out = append(out, c)
			}
		}
		return out
	}

	// 1. Three lower-risk entries of Mia and Leo within three months.
	var low []*forms.Entry
	for i := range 3 {
		e := personEntry(t, officer, day0.AddDate(0, 0, 30*i), false)
		if r := pushOne(e); r.Grade != "medium" {
			t.Fatalf("entry %d graded %s, want medium", i+1, r.Grade)
		}
		low = append(low, e)
		if i < 2 {
			if a := alertsOf(alerts(sup), e.ID, api.AlertRepeatAppearance); len(a) != 0 {
				t.Fatalf("entry %d: repeat alert too early: %+v", i+1, a)
			}
		}
	}
	third := low[2].ID
	rep := alertsOf(alerts(sup), third, api.AlertRepeatAppearance)
	if len(rep) != 2 { // Mia and Leo
		t.Fatalf("repeat alerts on the third entry: %+v", rep)
	}
	if len(rep[0].Entries) != 3 || rep[0].Grade != "medium" || rep[0].Team != central.DemoTeamA {
		t.Errorf("repeat alert: %+v", rep[0])
	}
	feed := feedAlerts(third)
	if len(feed) != 2 {
		t.Fatalf("feed alerts for the third entry: %+v", feed)
	}
	for _, c := range feed {
		if !strings.Contains(c.Text, "Repeat appearance") || strings.Contains(c.Text, "Mia") || strings.Contains(c.Text, "Leo") ||
			c.Grade != "medium" || c.Revision != 1 {
			t.Errorf("feed alert: %+v", c)
		}
	}
	if a := alerts(other); len(a) != 0 {
		t.Errorf("team B's supervisor sees team A's alerts: %+v", a)
	}
	// The same revision again is a duplicate: nothing is raised twice.
	if r := srv.Push(t, dev, centraltest.Item(low[2], "")).Results[0]; r.Status != api.StatusDuplicate {
		t.Fatalf("again: %+v", r)
	}
	if n := len(feedAlerts(third)); n != 2 {
		t.Errorf("alerts after a duplicate push: %d", n)
	}

	// 2. Craig appears in an immediate-risk entry with another
	// child (Kai); a later entry links Mia and Leo to him.
	imm := personEntry(t, officer, day0.AddDate(0, 0, 70), true)
	kai := instance(t, imm, "child", "Mia Fairweather")
	kai.Answers["child_name"] = forms.Answer{Value: "Kai Holloway"}
	kai.Answers["child_dob"] = forms.Answer{Value: "2019-05-02"}
	kai.Answers["child_sex"] = forms.Answer{Value: "male"}
	kai.Answers["child_address"] = forms.Answer{Value: "9 Elm Court, Millford MF1 2AB"}
	imm.Groups["child"] = []forms.Instance{*kai}
	craig := instance(t, imm, "adult", "Craig Holloway")
	imm.Groups["adult"] = []forms.Instance{*craig}
	imm.Relationships = []forms.Relationship{{From: craig.ID, To: kai.ID, Type: "parent"}}
	if r := pushOne(imm); r.Grade != "immediate" {
		t.Fatalf("immediate entry graded %s", r.Grade)
	}
	fourth := personEntry(t, officer, day0.AddDate(0, 0, 75), false)
	pushOne(fourth)
	linked := alertsOf(alerts(sup), fourth.ID, api.AlertLinkedToImmediate)
	if len(linked) != 2 {
		t.Fatalf("linked_to_immediate alerts on the fourth entry: %+v", linked)
	}
	for _, a := range linked {
		if a.Related == "" || len(a.Entries) != 1 || a.Entries[0] != imm.ID {
			t.Errorf("linked alert: %+v", a)
		}
	}
	var linkedFeed int
	for _, c := range feedAlerts(fourth.ID) {
		if strings.Contains(c.Text, "Linked to immediate risk") {
			linkedFeed++
			if strings.Contains(c.Text, "Mia") || strings.Contains(c.Text, "Craig") || strings.Contains(c.Text, "Kai") {
				t.Errorf("feed alert names someone: %q", c.Text)
			}
		}
	}
	if linkedFeed != 2 {
		t.Errorf("linked alerts on the feed: %d", linkedFeed)
	}

	// 3. The network of the fourth entry reaches Kai through Craig.
	var net api.Network
	if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+fourth.ID+"/network", nil, &net); st != 200 {
		t.Fatalf("network: %d %s", st, raw)
	}
	byName := map[string]api.NetworkPerson{}
	for _, p := range net.People {
		byName[p.Name] = p
	}
	for _, name := range []string{"Mia Fairweather", "Leo Holloway", "Dana Fairweather", "Craig Holloway", "Kai Holloway"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("network lacks %s: %+v", name, net.People)
		}
	}
	if p := byName["Kai Holloway"]; p.InEntry || p.Depth != 1 {
		t.Errorf("Kai: %+v", p)
	}
	if p := byName["Mia Fairweather"]; !p.InEntry || len(p.Entries) != 4 {
		t.Errorf("Mia: %+v", p)
	}
	grades := map[string]bool{}
	for _, a := range byName["Craig Holloway"].Entries {
		grades[a.Grade] = true
	}
	if !grades["immediate"] || !grades["medium"] {
		t.Errorf("Craig's entries: %+v", byName["Craig Holloway"].Entries)
	}
	craigID, kaiID := byName["Craig Holloway"].ID, byName["Kai Holloway"].ID
	found := false
	for _, l := range net.Links {
		found = found || (l.From == craigID && l.To == kaiID && l.Type == "parent" && l.EntryID == imm.ID)
	}
	if !found {
		t.Errorf("no link Craig -> Kai: %+v", net.Links)
	}
	if st, _ := other.Do(t, "GET", "/v1/review/entries/"+fourth.ID+"/network", nil, nil); st != http.StatusNotFound {
		t.Errorf("team B's supervisor: %d, want 404", st)
	}
	if !auditHas(t, srv, "entry.network", fourth.ID) {
		t.Error("the network read is not audited")
	}

	// 4. A child recorded with a slip and nothing else to go on:
	// a possible match for a supervisor.
	slip := personEntry(t, officer, day0.AddDate(0, 0, 80), false)
	mia := instance(t, slip, "child", "Mia Fairweather")
	mia.Answers["child_name"] = forms.Answer{Value: "Mia Fairwether"}
	mia.Answers["child_dob"] = forms.Answer{Value: "2016-03-21"}
	mia.Answers["child_address"] = forms.Answer{Value: "22 Birch Road, Millford MF1 2AB"}
	slip.Groups["child"] = []forms.Instance{*mia}
	dana := instance(t, slip, "adult", "Dana Fairweather")
	dana.Answers["adult_name"] = forms.Answer{Value: "Joan Fairweather"}
	dana.Answers["adult_dob"] = forms.Answer{Value: "1965-02-11"}
	dana.Answers["adult_phones"] = forms.Answer{Value: "07700 900999"}
	dana.Answers["adult_address"] = forms.Answer{Value: "22 Birch Road, Millford MF1 2AB"}
	dana.Answers["adult_role"] = forms.Answer{Value: "household_member"}
	slip.Groups["adult"] = []forms.Instance{*dana}
	slip.Relationships = []forms.Relationship{{From: dana.ID, To: mia.ID, Type: "household_member"}}
	pushOne(slip)
	var ml api.PossibleMatchList
	if st, raw := sup.Do(t, "GET", "/v1/review/matches", nil, &ml); st != 200 {
		t.Fatalf("matches: %d %s", st, raw)
	}
	var pm *api.PossibleMatch
	for i, m := range ml.Matches {
		if m.EntryID == slip.ID && m.PersonName == "Mia Fairwether" {
			pm = &ml.Matches[i]
		}
	}
	if pm == nil {
		t.Fatalf("no possible match for the slip: %+v", ml.Matches)
	}
	if pm.MatchName != "Mia Fairweather" || pm.State != api.MatchPending || pm.Score <= 0 || len(pm.Reasons) == 0 {
		t.Errorf("possible match: %+v", pm)
	}
	var done api.PossibleMatch
	if st, raw := sup.Do(t, "POST", "/v1/review/matches/"+pm.ID+"/confirm", api.MatchDecisionRequest{Reason: "same school and mother"}, &done); st != 200 {
		t.Fatalf("confirm: %d %s", st, raw)
	}
	if done.State != api.MatchConfirmed || done.MergeID == "" || done.DecidedBy != srv.UserID(t, "sergeant1") {
		t.Errorf("confirmed: %+v", done)
	}
	if st, _ := sup.Do(t, "POST", "/v1/review/matches/"+pm.ID+"/confirm", api.MatchDecisionRequest{}, nil); st != http.StatusConflict {
		t.Errorf("confirmed twice: %d, want 409", st)
	}
	if st, _ := other.Do(t, "POST", "/v1/review/matches/"+pm.ID+"/reject", api.MatchDecisionRequest{}, nil); st != http.StatusNotFound {
		t.Errorf("team B's supervisor: %d, want 404", st)
	}
	if !auditHas(t, srv, "person.merge", slip.ID) {
		t.Error("the merge is not in the central audit")
	}
	// The index merged them: one person, its audit shows the merge.
	idx := srv.Service.Config().People.Index
	into, _ := uuid.Parse(pm.Match)
	from, _ := uuid.Parse(pm.Person)
	ctx := context.Background()
	p1, err1 := idx.Person(ctx, from)
	p2, err2 := idx.Person(ctx, into)
	if err1 != nil || err2 != nil || p1.ID != p2.ID {
		t.Fatalf("after the merge: %v %v %s %s", err1, err2, p1.ID, p2.ID)
	}
	ev, err := idx.Audit(ctx, into)
	if err != nil || len(ev) == 0 || ev[len(ev)-1].Action != people.ActionMerge || ev[len(ev)-1].MergeID.String() != done.MergeID ||
		ev[len(ev)-1].Actor != "user:"+srv.UserID(t, "sergeant1") {
		t.Fatalf("index audit: %v %+v", err, ev)
	}
	var after api.PossibleMatchList
	if st, raw := sup.Do(t, "GET", "/v1/review/matches?state=confirmed", nil, &after); st != 200 || len(after.Matches) == 0 {
		t.Fatalf("confirmed matches: %d %s", st, raw)
	}

	// An administrator undoes the merge; the index and the audit show it.
	adm := srv.Client(srv.Login(t, "admin"))
	adm.HTTP = validatingClient(t)
	var un api.UnmergeResponse
	if st, raw := adm.Do(t, "POST", "/v1/admin/people/merges/"+done.MergeID+"/unmerge", api.MatchDecisionRequest{Reason: "two girls"}, &un); st != 200 {
		t.Fatalf("unmerge: %d %s", st, raw)
	}
	if un.Into != pm.Match || un.From != pm.Person || un.Records != 1 {
		t.Errorf("unmerge: %+v", un)
	}
	if p1, err := idx.Person(ctx, from); err != nil || p1.ID != from {
		t.Errorf("after the unmerge: %v %s", err, p1.ID)
	}
	if st, _ := adm.Do(t, "POST", "/v1/admin/people/merges/"+done.MergeID+"/unmerge", api.MatchDecisionRequest{}, nil); st != http.StatusConflict {
		t.Errorf("unmerged twice: %d, want 409", st)
	}
	if !auditHas(t, srv, "person.unmerge", "") {
		t.Error("the unmerge is not in the central audit")
	}

	// Training entries never reach the index.
	tr := personEntry(t, officer, day0.AddDate(0, 0, 85), false)
	tr.Training = true
	pushOne(tr)
	if n := len(alertsOf(alerts(sup), tr.ID, api.AlertRepeatAppearance)); n != 0 {
		t.Errorf("a training entry raised %d alerts", n)
	}
	if _, err := idx.PersonOf(ctx, uuid.MustParse(tr.Groups["child"][0].ID)); err == nil {
		t.Error("a training entry's child is in the person index")
	}
}

// auditHas reports whether the central audit holds an action on entry.
func auditHas(t *testing.T, srv *centraltest.Server, action, entry string) bool {
	t.Helper()
	found := false
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
			found = found || (r.Action == action && r.EntryID == entry)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// flakyIndex fails while fail is set, as an unreachable database would.
type flakyIndex struct {
	people.Index
	fail  atomic.Bool
	calls atomic.Int32 // SetEntry calls: one per entry ingested
}

func (f *flakyIndex) SetEntry(ctx context.Context, e people.Entry) error {
	f.calls.Add(1)
	if f.fail.Load() {
		return errors.New("index unreachable")
	}
	return f.Index.SetEntry(ctx, e)
}

// TestPersonIndexQueue: with the index off the reply, a push only queues
// its revisions (in its own transaction); a server that stops before
// ingesting them leaves them queued, and the next one's worker (here a
// second service on the same store) ingests them first.
func TestPersonIndexQueue(t *testing.T) {
	idx := memindex.New()
	_, srv := startValidated(t, centraltest.SQLite, centraltest.WithConfig(central.Config{People: people.NewMatcher(idx),
		PeopleInBackground: true}))
	dev := srv.Enrol(t, "")
	ctx := context.Background()
	e := personEntry(t, srv.UserID(t, "officer1"), time.Date(2025, 8, 14, 2, 31, 0, 0, time.UTC), false)
	child := uuid.MustParse(e.Groups["child"][0].ID)
	if r := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("push: %+v", r)
	}
	queued := func() []central.PendingPeople {
		t.Helper()
		var out []central.PendingPeople
		if err := srv.Store.View(ctx, func(tx central.Tx) (err error) {
			out, err = tx.PendingPeople(ctx, time.Now().Add(time.Hour), 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if q := queued(); len(q) != 1 || q[0].EntryID != e.ID || q[0].Revision != e.Revision {
		t.Fatalf("queue after the push: %+v", q)
	}
	if _, err := idx.PersonOf(ctx, child); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("ingested on the push reply: %v", err)
	}

	next := central.NewService(srv.Store, srv.Service.Registry(), srv.Service.Config())
	runPeople(t, next)
	if err := next.PeopleSettled(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := idx.PersonOf(ctx, child); err != nil {
		t.Fatalf("not ingested by the next server's worker: %v", err)
	}
	if q := queued(); len(q) != 0 {
		t.Fatalf("queue after the worker: %+v", q)
	}
}

// TestPersonIndexFailure: an ingest that fails never fails the push (the
// revision is accepted and receipted); the next revision ingests the
// entry. A supervisor's regrade reaches the index.
func TestPersonIndexFailure(t *testing.T) {
	idx := &flakyIndex{Index: memindex.New()}
	_, srv := startValidated(t, centraltest.SQLite, centraltest.WithConfig(central.Config{People: people.NewMatcher(idx)}))
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	ctx := context.Background()
	e := personEntry(t, officer, time.Date(2025, 8, 14, 2, 31, 0, 0, time.UTC), false)
	child := uuid.MustParse(e.Groups["child"][0].ID)

	idx.fail.Store(true)
	if r := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]; r.Status != api.StatusAccepted || r.Receipt == "" {
		t.Fatalf("push while the index fails: %+v", r)
	}
	if _, err := idx.PersonOf(ctx, child); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("ingested although the index failed: %v", err)
	}
	idx.fail.Store(false)
	e2 := centraltest.Revise(e)
	if r := srv.Push(t, dev, centraltest.Item(e2, "")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("revision 2: %+v", r)
	}
	pid, err := idx.PersonOf(ctx, child)
	if err != nil {
		t.Fatalf("not ingested with the next revision: %v", err)
	}

	sup := srv.Client(srv.Login(t, "sergeant1"))
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/grade", api.GradeRequest{Grade: "immediate"}, nil); st != 200 {
		t.Fatalf("grade: %d %s", st, raw)
	}
	hist, err := idx.History(ctx, pid)
	if err != nil || len(hist) != 1 || hist[0].Grade != people.GradeImmediate {
		t.Fatalf("history after the regrade: %v %+v", err, hist)
	}
}

// retryRig is a server whose person index fails on demand and whose
// clock the test moves, with one enrolled device and one entry.
type retryRig struct {
	idx   *flakyIndex
	skew  atomic.Int64
	srv   *centraltest.Server
	dev   api.EnrolResponse
	entry *forms.Entry
}

func newRetryRig(t *testing.T) *retryRig {
	t.Helper()
	r := &retryRig{idx: &flakyIndex{Index: memindex.New()}}
	_, r.srv = startValidated(t, centraltest.SQLite, centraltest.WithConfig(central.Config{People: people.NewMatcher(r.idx), Now: r.now}))
	r.dev = r.srv.Enrol(t, "")
	r.entry = personEntry(t, r.srv.UserID(t, "officer1"), time.Date(2025, 8, 14, 2, 31, 0, 0, time.UTC), false)
	return r
}

func (r *retryRig) now() time.Time { return time.Now().Add(time.Duration(r.skew.Load())) }

// push sends e and wants it accepted.
func (r *retryRig) push(t *testing.T, e *forms.Entry) {
	t.Helper()
	if res := r.srv.Push(t, r.dev, centraltest.Item(e, "")).Results[0]; res.Status != api.StatusAccepted {
		t.Fatalf("push revision %d: %+v", e.Revision, res)
	}
}

// queued is the whole queue, due or not.
func (r *retryRig) queued(t *testing.T) []central.PendingPeople {
	t.Helper()
	var out []central.PendingPeople
	if err := r.srv.Store.View(context.Background(), func(tx central.Tx) (err error) {
		out, err = tx.PendingPeople(context.Background(), r.now().Add(24*time.Hour), 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// settle moves the clock by d and ingests what is then due.
func (r *retryRig) settle(t *testing.T, d time.Duration) {
	t.Helper()
	r.skew.Add(int64(d))
	if err := r.srv.Service.PeopleSettled(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestPersonIndexRetriesFailedIngest: a revision whose ingest fails stays
// in the queue, counted, and is ingested on a later attempt once it falls
// due, with no next revision to repair it (an approved entry has none).
func TestPersonIndexRetriesFailedIngest(t *testing.T) {
	r := newRetryRig(t)
	ctx := context.Background()
	child := uuid.MustParse(r.entry.Groups["child"][0].ID)

	r.idx.fail.Store(true)
	r.push(t, r.entry)
	if q := r.queued(t); len(q) != 1 || q[0].EntryID != r.entry.ID || q[0].Attempts != 1 {
		t.Fatalf("queue after a failed ingest: %+v", q)
	}
	r.idx.fail.Store(false)
	r.settle(t, 0)
	if _, err := r.idx.PersonOf(ctx, child); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("retried before its time: %v", err)
	}
	r.settle(t, 2*time.Minute)
	if _, err := r.idx.PersonOf(ctx, child); err != nil {
		t.Fatalf("not ingested on the retry: %v", err)
	}
	if q := r.queued(t); len(q) != 0 {
		t.Fatalf("queue after the retry: %+v", q)
	}
}

// TestPersonIndexRetrySuperseded: a failed revision whose entry has since
// had a later revision ingested is taken off the queue at its retry, not
// ingested over the later one.
func TestPersonIndexRetrySuperseded(t *testing.T) {
	r := newRetryRig(t)
	r.idx.fail.Store(true)
	r.push(t, r.entry)
	r.idx.fail.Store(false)
	r.push(t, centraltest.Revise(r.entry))
	before := r.idx.calls.Load()
	r.settle(t, 2*time.Minute)
	if n := r.idx.calls.Load() - before; n != 0 {
		t.Fatalf("revision 1 ingested over revision 2 (%d ingests)", n)
	}
	if q := r.queued(t); len(q) != 0 {
		t.Fatalf("queue after the superseded retry: %+v", q)
	}
}
