package central

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// The demo's life: a fictional few months of submitted checks, seeded by
// SeedDemoData through the Service itself (devices enrolled and pushing,
// supervisors deciding, the deliverer recording outcomes), so it keeps
// working whatever the store does underneath.
const (
	// DemoClass is the demo trainer's class of trainees: a team whose
	// members are trainee officers; their practice checks are training
	// entries of the class, reviewed by the class's trainer (trainer1).
	DemoClass = "class-dec"
	// demoSeededSetting marks a database whose entries the demo made.
	demoSeededSetting = "demo.data_seeded"
	// demoExample is the complete entry every demo check is made from.
	demoExample = "examples/complete-entry.json"
	// demoSpan is how far back the demo's first check is.
	demoSpan = 100 * 24 * time.Hour
)

// DemoData says what SeedDemoData made.
type DemoData struct {
	// Seeded is false when the database already held the demo's data
	// (nothing was added).
	Seeded bool
	// Entries counts the checks pushed (live), Training the practice
	// checks; Returned, Approved, Delivered and Dead count decisions
	// and deliveries.
	Entries, Training, Returned, Approved, Delivered, Dead int
}

// demoFamily is a made-up household: two children and two adults at one
// address.
type demoFamily struct {
	children [2]demoPerson
	adults   [2]demoPerson
	address  string
}

type demoPerson struct{ name, dob string }

// Every name and address is made up.
var (
	famAshby = demoFamily{children: [2]demoPerson{{"Ruby Ashby", "2017-05-09"}, {"Theo Ashby", "2021-10-30"}},
		adults: [2]demoPerson{{"Kerry Ashby", "1990-02-14"}, {"Dean Price", "1987-07-22"}}, address: "7 Willow Row, Oakbridge OB2 5LS"}
	famMarsh = demoFamily{children: [2]demoPerson{{"Ellie Marsh", "2014-09-01"}, {"Noah Marsh", "2019-01-17"}},
		adults: [2]demoPerson{{"Gemma Marsh", "1988-11-03"}, {"Lee Carter", "1985-04-29"}}, address: "22 Heron Way, Millford MF3 8RT"}
	famOkafor = demoFamily{children: [2]demoPerson{{"Grace Okafor", "2016-12-12"}, {"Daniel Okafor", "2020-06-05"}},
		adults: [2]demoPerson{{"Ngozi Okafor", "1989-03-30"}, {"Femi Okafor", "1986-08-18"}}, address: "3 Station Road, Oakbridge OB1 2AA"}
	famNowak = demoFamily{children: [2]demoPerson{{"Zofia Nowak", "2013-04-21"}, {"Kacper Nowak", "2018-02-08"}},
		adults: [2]demoPerson{{"Anna Nowak", "1984-10-10"}, {"Piotr Nowak", "1982-12-01"}}, address: "Flat 9, Kingfisher House, Millford MF1 4QP"}
	famSmith = demoFamily{children: [2]demoPerson{{"Kayla Smith", "2013-08-14"}, {"Jaden Smith", "2015-02-03"}},
		adults: [2]demoPerson{{"Tanya Smith", "1992-05-05"}, {"Ryan Booth", "1990-09-09"}}, address: "41 Quarry Lane, Oakbridge OB6 1HD"}
	// famSmyth is the Smith children recorded at their grandparents' with
	// the spellings and a date of birth heard at the door: a possible
	// match for a supervisor to confirm.
	famSmyth = demoFamily{children: [2]demoPerson{{"Kayla Smyth", "2013-08-15"}, {"Jayden Smythe", "2015-02-03"}},
		adults: [2]demoPerson{{"Marie Dunn", "1961-03-03"}, {"Keith Dunn", "1959-04-04"}}, address: "12 Orchard Road, Millford MF4 6GH"}
	famHughes = demoFamily{children: [2]demoPerson{{"Cerys Hughes", "2012-07-07"}, {"Osian Hughes", "2017-03-15"}},
		adults: [2]demoPerson{{"Sian Hughes", "1983-01-25"}, {"Gareth Lloyd", "1980-06-11"}}, address: "5 Chapel Street, Millford MF2 9LL"}
	famKhan = demoFamily{children: [2]demoPerson{{"Aisha Khan", "2011-11-11"}, {"Yusuf Khan", "2016-04-04"}},
		adults: [2]demoPerson{{"Sadia Khan", "1985-12-20"}, {"Imran Khan", "1981-02-02"}}, address: "88 Mill Lane, Oakbridge OB3 7TY"}
	famReid = demoFamily{children: [2]demoPerson{{"Skye Reid", "2015-10-10"}, {"Alfie Reid", "2022-01-01"}},
		adults: [2]demoPerson{{"Chloe Reid", "1996-03-03"}, {"Jamie Walsh", "1994-07-07"}}, address: "14 Bramble Court, Millford MF5 2DD"}
)

// demoCheck is one check of the demo's story.
type demoCheck struct {
	ago     time.Duration // before the end of the story
	team    string
	officer string
	grade   forms.Level
	family  demoFamily
	// quality gaps a supervisor's data-quality screen shows.
	ethnicityNS, disabilityUnknown, notAlone bool
	// fate: "" waits for review; "approve", "return", "amend" (returned
	// then amended and approved), with delivery "delivered", "dead" or ""
	// (waiting in the outbox).
	fate, delivery string
	returnText     string
}

const day = 24 * time.Hour

// demoStory is the demo's few months, oldest first. Ruby Ashby is seen in
// three lower-risk checks within three months (a repeat-appearance
// alert); the Smyth household is the Smith household spelled differently
// (a possible match).
var demoStory = []demoCheck{
	{ago: 97 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelStandard, family: famOkafor, fate: "approve", delivery: "delivered"},
	{ago: 92 * day, team: DemoTeamB, officer: "officer3", grade: forms.LevelHigh, family: famMarsh, fate: "approve", delivery: "delivered"},
	{ago: 86 * day, team: DemoTeamA, officer: "officer2", grade: forms.LevelMedium, family: famNowak, ethnicityNS: true, fate: "amend", delivery: "delivered",
		returnText: "Zofia's ethnicity is 'not stated': record your own observation (IC code) and say who you asked."},
	{ago: 80 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelStandard, family: famAshby, fate: "approve", delivery: "delivered"},
	{ago: 74 * day, team: DemoTeamB, officer: "officer3", grade: forms.LevelImmediate, family: famHughes, fate: "approve", delivery: "delivered"},
	{ago: 66 * day, team: DemoTeamA, officer: "officer2", grade: forms.LevelStandard, family: famSmith, disabilityUnknown: true, fate: "approve", delivery: "dead"},
	{ago: 59 * day, team: DemoTeamB, officer: "officer3", grade: forms.LevelMedium, family: famKhan, ethnicityNS: true, notAlone: true, fate: "approve", delivery: "delivered"},
	{ago: 51 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelHigh, family: famMarsh, fate: "approve", delivery: "dead"},
	{ago: 45 * day, team: DemoTeamA, officer: "officer2", grade: forms.LevelMedium, family: famAshby, fate: "approve", delivery: "delivered"},
	{ago: 38 * day, team: DemoTeamB, officer: "officer3", grade: forms.LevelStandard, family: famReid, disabilityUnknown: true, fate: "return",
		returnText: "Say who the children are with tonight and what checks you made on that adult."},
	{ago: 30 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelImmediate, family: famKhan, fate: "approve", delivery: "delivered"},
	{ago: 23 * day, team: DemoTeamA, officer: "officer2", grade: forms.LevelMedium, family: famHughes, notAlone: true, fate: "amend", delivery: "delivered",
		returnText: "Cerys was not spoken to alone: give the reason, and the time you tried."},
	{ago: 16 * day, team: DemoTeamB, officer: "officer3", grade: forms.LevelHigh, family: famOkafor, fate: "approve", delivery: ""},
	{ago: 9 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelHigh, family: famReid, ethnicityNS: true, fate: "approve", delivery: "delivered"},
	{ago: 5 * day, team: DemoTeamA, officer: "officer2", grade: forms.LevelStandard, family: famSmyth},
	{ago: 3 * day, team: DemoTeamA, officer: "officer1", grade: forms.LevelStandard, family: famAshby, disabilityUnknown: true},
	{ago: 30 * time.Hour, team: DemoTeamA, officer: "officer2", grade: forms.LevelHigh, family: famNowak},
	{ago: 6 * time.Hour, team: DemoTeamB, officer: "officer3", grade: forms.LevelMedium, family: famSmith},
	{ago: 150 * time.Minute, team: DemoTeamA, officer: "officer1", grade: forms.LevelImmediate, family: famHughes, notAlone: true},
	{ago: 40 * time.Minute, team: DemoTeamB, officer: "officer3", grade: forms.LevelHigh, family: famKhan},
	{ago: 20 * time.Minute, team: DemoTeamA, officer: "officer2", grade: forms.LevelStandard, family: famOkafor, ethnicityNS: true},
}

// demoClock is the seed's clock, moved through the story.
type demoClock struct{ ns atomic.Int64 }

func (c *demoClock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *demoClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *demoClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// SeedDemoData fills a demo database with the demo's story, ending at end
// (normally now): submitted checks of two teams over about three months,
// of every grade, some overdue, some returned and amended, some approved
// with their referrals delivered or dead-lettered, a child seen three
// times (an alert), a possible match waiting, and practice checks in the
// class's training queue. SeedDemo must have run first. It refuses a
// database that already holds entries it did not make (never seed a live
// system), and does nothing on one it has already seeded.
func (s *Service) SeedDemoData(ctx context.Context, end time.Time) (*DemoData, error) {
	var seeded, live bool
	err := s.store.View(ctx, func(tx Tx) error {
		if _, err := tx.Setting(ctx, demoSeededSetting); err == nil {
			seeded = true
			return nil
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		for _, training := range []bool{false, true} {
			list, err := tx.ListEntries(ctx, EntryFilter{Training: training, Limit: 1})
			if err != nil {
				return err
			}
			live = live || len(list) > 0
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	if seeded {
		return &DemoData{}, nil
	}
	if live {
		return nil, Errorf(ECONFLICT, "this database already holds entries the demo did not make: the demo is never seeded on a live system")
	}
	// Mark first: a second run never adds a second story, and a live
	// entry pushed meanwhile cannot be mistaken for the demo's.
	if err := s.store.Update(ctx, func(tx Tx) error {
		_, err := tx.InitSetting(ctx, demoSeededSetting, end.UTC().Format(time.RFC3339))
		return err
	}); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}

	clock := &demoClock{}
	clock.set(end.Add(-demoSpan - day))
	cfg := s.cfg
	cfg.Now = clock.now
	seed := NewService(s.store, s.registry, cfg)
	d := &demoSeeder{s: seed, clock: clock, out: &DemoData{Seeded: true}, devices: map[string]Principal{}, users: map[string]Principal{}}
	if err := d.class(ctx); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	if err := d.load(ctx); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	for _, c := range demoStory {
		clock.set(end.Add(-c.ago))
		if err := d.check(ctx, c); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	clock.set(end)
	if err := d.practice(ctx, end); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return d.out, nil
}

type demoSeeder struct {
	s       *Service
	clock   *demoClock
	out     *DemoData
	example []byte
	devices map[string]Principal // by team
	users   map[string]Principal // by username
	bound   map[string]bool      // device id + officer id signed in (binding.go)
}

// DemoTrainees are the demo class's trainee accounts (password
// DemoPassword), made by SeedDemoData.
var DemoTrainees = []api.UserRequest{
	{Username: "trainee1", Name: "PC Robin Newstart", Role: api.RoleOfficer, Teams: []string{DemoClass}},
	{Username: "trainee2", Name: "PC Jordan Fresh", Role: api.RoleOfficer, Teams: []string{DemoClass}},
}

// class makes the demo class, its trainees, and puts trainer1 in it.
func (d *demoSeeder) class(ctx context.Context) error {
	sys := System("demo-seed")
	if _, err := d.s.CreateTeam(ctx, sys, api.TeamRequest{ID: DemoClass, Name: "December class (demo)"}); err != nil && ErrorCode(err) != ECONFLICT {
		return err
	}
	for _, u := range DemoTrainees {
		u.Password = DemoPassword
		if _, err := d.s.CreateUser(ctx, sys, u); err != nil && ErrorCode(err) != ECONFLICT {
			return err
		}
	}
	return d.s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.UserByUsername(ctx, "trainer1")
		if err != nil {
			return err
		}
		if u.InTeam(DemoClass) {
			return nil
		}
		u.Teams = append(u.Teams, DemoClass)
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return d.s.audit(ctx, tx, sys, "user.teams", "", 0, map[string]any{"user": u.ID, "team": DemoClass})
	})
}

func (d *demoSeeder) load(ctx context.Context) error {
	b, err := fs.ReadFile(assets.FS, demoExample)
	if err != nil {
		return err
	}
	d.example = b
	sys := System("demo-seed")
	for _, team := range []string{DemoTeamA, DemoTeamB, DemoClass} {
		code, err := d.s.CreateEnrolmentCode(ctx, sys, api.EnrolmentCodeRequest{Team: team}, "")
		if err != nil {
			return err
		}
		en, err := d.s.Enrol(ctx, api.EnrolRequest{Code: code.Code, DeviceName: "Demo tablet (" + team + ")"})
		if err != nil {
			return err
		}
		p, err := d.s.AuthenticateDevice(ctx, en.Credential)
		if err != nil {
			return err
		}
		d.devices[team] = p
	}
	return d.s.store.View(ctx, func(tx Tx) error {
		for _, u := range append(DemoUsers[:len(DemoUsers):len(DemoUsers)], DemoTrainees...) {
			got, err := tx.UserByUsername(ctx, u.Username)
			if err != nil {
				return fmt.Errorf("demo user %s (run SeedDemo first): %w", u.Username, err)
			}
			d.users[u.Username] = Principal{User: &got}
		}
		return nil
	})
}

// entry makes one check of the story from the example entry.
func (d *demoSeeder) entry(c demoCheck, officer string) (*forms.Entry, error) {
	e, err := forms.DecodeEntry(d.example)
	if err != nil {
		return nil, err
	}
	now := d.clock.now()
	e.ID, e.Revision, e.Officer, e.Training, e.Grading = uuid.NewString(), 1, officer, false, nil
	e.Started = now.Add(-40 * time.Minute)
	ids := map[string]string{}
	for _, g := range []string{"child", "adult"} {
		for i := range e.Groups[g] {
			old := e.Groups[g][i].ID
			e.Groups[g][i].ID = uuid.NewString()
			ids[old] = e.Groups[g][i].ID
		}
	}
	for i := range e.Relationships {
		e.Relationships[i].From, e.Relationships[i].To = ids[e.Relationships[i].From], ids[e.Relationships[i].To]
	}
	set := func(a map[string]forms.Answer, q string, v any) { a[q] = forms.Answer{Value: v} }
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	set(e.Answers, "incident_ref", fmt.Sprintf("DEMO-%s-%04d", now.Format("060102"), now.Nanosecond()/1000%10000))
	set(e.Answers, "incident_time", at(-45*time.Minute))
	set(e.Answers, "home_found_time", at(-35*time.Minute))
	set(e.Answers, "referral_time", at(-5*time.Minute))
	set(e.Answers, "incident_address", c.family.address)
	f := c.family
	for i := range e.Groups["child"] {
		a := e.Groups["child"][i].Answers
		set(a, "child_name", f.children[i].name)
		set(a, "child_dob", f.children[i].dob)
		set(a, "child_address", f.address)
		set(a, "child_sex", []string{"female", "male"}[i])
		if born, err := time.Parse(time.DateOnly, f.children[i].dob); err == nil && i == 0 && now.Sub(born) > 10*365*day {
			set(a, "child_pregnant", "no")
		} else {
			delete(a, "child_pregnant")
		}
		if _, ok := a["child_words_time"]; ok {
			set(a, "child_words_time", at(-20*time.Minute))
		}
	}
	for i := range e.Groups["adult"] {
		a := e.Groups["adult"][i].Answers
		set(a, "adult_name", f.adults[i].name)
		set(a, "adult_dob", f.adults[i].dob)
		set(a, "adult_address", f.address)
	}
	first := e.Groups["child"][0].Answers
	if c.ethnicityNS {
		set(first, "child_ethnicity_self", "NS")
		set(first, "child_ethnicity_officer", "IC1")
	}
	if c.disabilityUnknown {
		first["child_disability"] = forms.Answer{NotKnown: true, Reason: "Carer would not say; school to be asked."}
	}
	if c.notAlone {
		set(first, "child_alone", "no")
		set(first, "child_not_alone_why", "Would not leave her mother's side.")
	}
	// The example is high risk (domestic abuse); the other grades take it
	// down to a welfare check and then add what makes each grade.
	if c.grade != forms.LevelHigh {
		set(e.Answers, "da_concern", "no")
		set(e.Answers, "triage_suspect_children", "no")
		set(e.Answers, "home_carers_intoxicated", "no")
		set(e.Answers, "reason", "welfare_check")
		delete(e.Answers, "dash_judgement")
		for i := range e.Groups["child"] {
			set(e.Groups["child"][i].Answers, "child_disclosed", "no")
		}
		for i := range e.Groups["adult"] {
			set(e.Groups["adult"][i].Answers, "adult_intoxicated", "no")
			set(e.Groups["adult"][i].Answers, "adult_children_elsewhere", "no")
		}
	}
	switch c.grade {
	case forms.LevelMedium:
		set(e.Answers, "home_condition", float64(3))
	case forms.LevelImmediate:
		set(e.Answers, "triage_life", "yes")
	}
	return e, nil
}

func demoItem(e *forms.Entry) (api.PushItem, error) {
	b, err := e.Encode()
	if err != nil {
		return api.PushItem{}, err
	}
	h, err := forms.ContentHash(e)
	if err != nil {
		return api.PushItem{}, err
	}
	return api.PushItem{EntryID: e.ID, Revision: e.Revision, ContentHash: h, Entry: json.RawMessage(b)}, nil
}

// push sends one revision as the team's tablet would.
func (d *demoSeeder) push(ctx context.Context, team string, e *forms.Entry) error {
	it, err := demoItem(e)
	if err != nil {
		return err
	}
	dev := d.devices[team]
	// The officer signs in on the tablet first, as on a real device: the
	// central system accepts entries only for an officer signed in there.
	if key := dev.Device.ID + "/" + e.Officer; !d.bound[key] {
		if err := d.s.store.Update(ctx, func(tx Tx) error { return d.s.bindOfficer(ctx, tx, dev.Device.ID, e.Officer) }); err != nil {
			return fmt.Errorf("demo sign-in on %s: %w", dev.Device.ID, err)
		}
		if d.bound == nil {
			d.bound = map[string]bool{}
		}
		d.bound[key] = true
	}
	resp, err := d.s.Push(ctx, dev, &api.PushRequest{DeviceID: dev.Device.ID, Items: []api.PushItem{it}})
	if err != nil {
		return err
	}
	if len(resp.Results) != 1 || resp.Results[0].Status != api.StatusAccepted {
		return fmt.Errorf("demo check %s refused: %+v", e.ID, resp.Results)
	}
	// The next demo check is matched against this one's people.
	return d.s.PeopleSettled(ctx)
}

func (d *demoSeeder) check(ctx context.Context, c demoCheck) error {
	officer := d.users[c.officer].User.ID
	e, err := d.entry(c, officer)
	if err != nil {
		return err
	}
	if err := d.push(ctx, c.team, e); err != nil {
		return err
	}
	d.out.Entries++
	sup := d.users["sergeant1"]
	if c.team == DemoTeamB {
		sup = d.users["sergeant2"]
	}
	if c.fate == "" {
		return nil
	}
	d.clock.add(2 * time.Hour)
	if c.fate == "return" || c.fate == "amend" {
		if _, err := d.s.Return(ctx, sup, Live, e.ID, api.ReturnRequest{Revision: 1, Text: c.returnText}); err != nil {
			return err
		}
		d.out.Returned++
		if c.fate == "return" {
			return nil
		}
		d.clock.add(20 * time.Hour)
		next, err := forms.DecodeEntry(mustEncode(e))
		if err != nil {
			return err
		}
		next.Revision = 2
		first := next.Groups["child"][0].Answers
		if c.ethnicityNS {
			first["child_ethnicity_officer"] = forms.Answer{Value: "IC1"}
			first["child_ethnicity_self"] = forms.Answer{Value: "W9"}
		}
		if c.notAlone {
			first["child_not_alone_why"] = forms.Answer{Value: "Tried at 21:10 and 21:25; she would not leave her mother's side. School to arrange a visit."}
		}
		if err := d.push(ctx, c.team, next); err != nil {
			return err
		}
		d.clock.add(3 * time.Hour)
		e = next
	}
	if _, err := d.s.Approve(ctx, sup, Live, e.ID, api.ApproveRequest{Revision: e.Revision}); err != nil {
		return err
	}
	d.out.Approved++
	if c.delivery == "" {
		return nil
	}
	d.clock.add(time.Minute)
	del, err := d.s.ClaimDelivery(ctx, time.Minute)
	if err != nil {
		return err
	}
	if del == nil {
		return fmt.Errorf("the referral of %s is not in the outbox", e.ID)
	}
	o := DeliveryOutcome{Delivered: true, Status: 200}
	if c.delivery == "dead" {
		o = DeliveryOutcome{Dead: true, Status: 422, Error: "partner refused the referral: 422 unknown local authority code (demo)"}
	}
	if _, err := d.s.RecordDelivery(ctx, del.ID, del.Attempts, o); err != nil {
		return err
	}
	if o.Delivered {
		d.out.Delivered++
	} else {
		d.out.Dead++
	}
	return nil
}

func mustEncode(e *forms.Entry) []byte {
	b, err := e.Encode()
	if err != nil {
		panic(err)
	}
	return b
}

// practice sends the class's practice checks to the training namespace:
// complete checks by the trainees, a few days apart, one still waiting
// for the trainer.
func (d *demoSeeder) practice(ctx context.Context, end time.Time) error {
	// Each names the reference of a training scenario (assets/scenarios),
	// so the trainer's desk scores it against that case.
	for _, p := range []struct {
		ago     time.Duration
		trainee string
		grade   forms.Level
		ref     string
	}{{6 * day, "trainee1", forms.LevelHigh, "TRN-1002"}, {4 * day, "trainee2", forms.LevelHigh, "TRN-1002"},
		{3 * day, "trainee2", forms.LevelMedium, "TRN-1001"}, {2 * time.Hour, "trainee1", forms.LevelImmediate, "TRN-1008"}} {
		d.clock.set(end.Add(-p.ago))
		e, err := d.entry(demoCheck{grade: p.grade, family: famReid}, d.users[p.trainee].User.ID)
		if err != nil {
			return err
		}
		e.Training = true
		set := e.Answers
		set["incident_ref"] = forms.Answer{Value: p.ref}
		if err := d.push(ctx, DemoClass, e); err != nil {
			return err
		}
		d.out.Training++
	}
	return nil
}

// DemoStorySummary describes the story in a line (for the server's log).
func DemoStorySummary(d *DemoData) string {
	if d == nil || !d.Seeded {
		return "demo data already present"
	}
	return strings.Join([]string{
		fmt.Sprintf("%d checks", d.Entries), fmt.Sprintf("%d returned", d.Returned), fmt.Sprintf("%d approved", d.Approved),
		fmt.Sprintf("%d referrals delivered", d.Delivered), fmt.Sprintf("%d dead letters", d.Dead), fmt.Sprintf("%d practice checks", d.Training),
	}, ", ")
}
