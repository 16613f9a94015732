package trainer_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/internal/reviewtest"
	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/app/trainer"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestTrainersDesk is the classroom's loop through the widgets against a
// real central system: a trainee records a practice check on a real
// device store; the real sync engine sends it to the training queue; the
// trainer signs in at the desk (the supervisor's screens on the training
// namespace), opens it and returns it with a comment beside a question
// and an overall reason; the trainee's tablet receives both. The class
// results score the check against its case, by trainee and by scenario,
// and export as CSV; the live queue never shows it.
func TestTrainersDesk(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	srv.Clock.Set(uitest.Clock().Add(10 * time.Minute))
	dev := reviewtest.NewDevice(t, srv, base)

	// The trainee.
	h := newHarness(t, dev.Store, dev.Engine)
	sc := h.scenario("injury-baby-bruise")
	test.Tap(h.u.Library.Practise[sc.ID])
	complete(t, h.u.Practice.Flow, h.c, sc)
	id := h.u.Practice.Flow.Entry().ID
	h.clock.t = h.clock.t.Add(6 * time.Minute)
	test.Tap(h.u.Practice.Finish)
	h.u.WaitIdle()
	if r := h.u.Results; r == nil || !strings.Contains(r.Sent.Text, "Sent to your trainer") {
		t.Fatalf("the practice check was not sent: %+v", h.u.Results)
	}
	mine := h.u.Results.Score.Total

	// The trainer, at the desk in another window.
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	exports := t.TempDir()
	tu, err := trainer.New(w, trainer.Config{Store: uitest.EnrolledStore(t), Checklists: reg, Desk: supervisor.NewClient(base, supervisor.Training),
		DeskPoll: -1, Now: srv.Clock.Now, Logger: reviewtest.Quiet, ExportDir: exports})
	if err != nil {
		t.Fatal(err)
	}
	tu.Start()
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			if tu.DeskUI != nil {
				tu.DeskUI.WaitIdle()
			}
			tu.WaitIdle()
			if cond() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if tu.Library.Desk == nil {
		t.Fatal("no trainer's desk on the library")
	}
	test.Tap(tu.Library.Desk)
	d := tu.DeskUI
	test.Type(d.Login.Username, "trainer1")
	test.Type(d.Login.Password, central.DemoPassword)
	test.Tap(d.Login.SignIn)
	wait("the training queue", func() bool { return d.Queue != nil && len(d.Queue.Rows) == 1 })
	if d.Queue.IDs[0] != id {
		t.Fatalf("training queue %v, want %s", d.Queue.IDs, id)
	}
	golden(t, w, "desk_queue")
	test.Tap(d.Queue.Rows[0])
	wait("the practice check", func() bool { return d.Entry != nil && d.Entry.Entry != nil })
	s := d.Entry
	test.Type(s.Answers["incident_ref"].Comment, "Keep the reference the trainer gave you.")
	test.Type(s.Overall, "Good recognition; now say who looks after Noah tonight.")
	test.Tap(s.ReturnIt)
	wait("the queue after returning", func() bool { return d.Queue != nil && len(d.Queue.Rows) == 0 })

	// The trainee's tablet gets the comments.
	dev.Sync()
	if st := dev.Summary(id); st.State != devicestore.StateReturned {
		t.Fatalf("the trainee's tablet shows %s, want returned", st.State)
	}
	rv, err := dev.Store.Review(id, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := rv.Reason
	for _, c := range rv.Comments {
		got += " | " + c.Path + ": " + c.Text
	}
	if !strings.Contains(got, "incident_ref: Keep the reference the trainer gave you.") || !strings.Contains(got, "who looks after Noah") {
		t.Fatalf("the trainee's tablet got %q", got)
	}

	// The class results.
	test.Tap(d.Queue.Actions[0])
	cr := tu.Class
	if cr == nil {
		t.Fatal("no class results")
	}
	wait("the results", func() bool { return !cr.Busy.Visible() })
	if len(cr.Results) != 1 || cr.Results[0].Scenario != sc.ID || cr.Results[0].Score.Total != mine {
		t.Fatalf("results %+v (the trainee saw %d)", cr.Results, mine)
	}
	if !strings.Contains(cr.ByTrainee.Text, "PC Alex Officer: 1 check,") || !strings.Contains(cr.ByScenario.Text, sc.Title) ||
		!strings.Contains(cr.Checks.Text, "returned to the trainee") {
		t.Errorf("results text:\n%s\n%s\n%s", cr.ByTrainee.Text, cr.ByScenario.Text, cr.Checks.Text)
	}
	golden(t, w, "class_results")
	test.Tap(cr.Export)
	files, _ := filepath.Glob(filepath.Join(exports, "class-results-*.csv"))
	if len(files) != 1 || !strings.Contains(cr.Exported.Text, "Saved 1 result") {
		t.Fatalf("export: %v %q", files, cr.Exported.Text)
	}
	data, _ := os.ReadFile(files[0])
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][1] != "PC Alex Officer" || rows[1][2] != sc.Title || rows[1][17] != "returned" {
		t.Fatalf("CSV %v %q", err, rows)
	}

	// Back to the queue, still signed in; the live queue never saw it.
	test.Tap(cr.Desk)
	wait("the queue again", func() bool { return tu.DeskUI != nil && tu.DeskUI.Queue != nil })
	live := supervisor.NewClient(base, supervisor.Live)
	if _, err := live.Login(t.Context(), "sergeant1", central.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if q, err := live.Queue(t.Context()); err != nil || len(q.Items) != 0 {
		t.Fatalf("live queue: %+v %v", q, err)
	}
}

func golden(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	for _, sz := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(800, 1280)} {
		w.Resize(sz)
		// A second layout pass, as a real window's next frame makes once
		// wrapped text has its new width.
		w.Content().Refresh()
		test.AssertImageMatches(t, fmt.Sprintf("%s_%.0fx%.0f.png", name, sz.Width, sz.Height), w.Canvas().Capture())
	}
	w.Resize(fyne.NewSize(1280, 800))
}

// TestScoreResults: the desk scores each practice check against the case
// its reference names, takes the time from starting to arrival, keeps a
// check naming no case unscored, and the CSV defuses a formula.
func TestScoreResults(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	list, err := trainer.LoadScenarios(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	sc := list[0]
	e := sc.Entry()
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	e.Started = start
	body, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	other := sc.Entry()
	other.Answers["incident_ref"] = forms.Answer{Value: "NOT-A-CASE"}
	obody, _ := other.Encode()
	in := api.TrainingResults{Entries: []api.TrainingEntry{
		{EntryID: e.ID, Officer: "u1", OfficerName: "=HYPERLINK(\"x\")", Team: "class", Status: api.EntryReceived, Started: start,
			Submitted: start.Add(12*time.Minute + 30*time.Second), Entry: body},
		{EntryID: other.ID, Officer: "u2", Team: "class", Status: api.EntryReceived, Submitted: start.Add(time.Hour), Entry: obody},
	}}
	got := trainer.ScoreResults(reg, list, in)
	if len(got) != 2 || got[0].Scenario != sc.ID || got[0].Took != 12*time.Minute+30*time.Second || got[0].Score.FactsRight != got[0].Score.FactsNeeded {
		t.Fatalf("scored %+v", got)
	}
	if got[1].Scenario != "" || got[1].TraineeName != "u2" {
		t.Errorf("unknown case: %+v", got[1])
	}
	var buf bytes.Buffer
	if err := trainer.WriteResultsCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv: %v %v", err, rows)
	}
	if rows[1][1] != "'=HYPERLINK(\"x\")" || rows[1][3] != "01/07/2026 10:12" || rows[1][4] != "12.5" || rows[2][5] != "" {
		t.Errorf("rows %q", rows)
	}
}

// TestDemoDesk: on the demo's seeded central system the trainer's first
// screens are full: the class's practice checks wait in the training
// queue, and the class results score them by trainee and by scenario.
func TestDemoDesk(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithPeople())
	srv.Clock.Set(uitest.Clock())
	if _, err := srv.Service.SeedDemoData(t.Context(), uitest.Clock()); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t).Settings().SetTheme(theme.New(false, 1))
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	tu, err := trainer.New(w, trainer.Config{Store: uitest.EnrolledStore(t), Checklists: reg, Desk: supervisor.NewClient(base, supervisor.Training),
		DeskPoll: -1, Now: srv.Clock.Now, Logger: reviewtest.Quiet})
	if err != nil {
		t.Fatal(err)
	}
	tu.Start()
	idle := func() {
		for i := 0; i < 500; i++ {
			if tu.DeskUI != nil {
				tu.DeskUI.WaitIdle()
			}
			tu.WaitIdle()
			if (tu.DeskUI != nil && tu.DeskUI.Queue != nil && len(tu.DeskUI.Queue.Rows) > 0) || (tu.Class != nil && !tu.Class.Busy.Visible()) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	test.Tap(tu.Library.Desk)
	test.Type(tu.DeskUI.Login.Username, "trainer1")
	test.Type(tu.DeskUI.Login.Password, central.DemoPassword)
	test.Tap(tu.DeskUI.Login.SignIn)
	idle()
	if q := tu.DeskUI.Queue; q == nil || len(q.Rows) < 4 {
		t.Fatalf("the demo's training queue: %+v", q)
	}
	test.Tap(tu.DeskUI.Queue.Actions[0])
	idle()
	cr := tu.Class
	scored := 0
	for _, r := range cr.Results {
		if r.Scenario != "" && r.Took > 0 {
			scored++
		}
	}
	if scored < 4 || !strings.Contains(cr.ByTrainee.Text, "PC Robin Newstart: 2 checks,") || !strings.Contains(cr.ByScenario.Text, "2 checks,") {
		t.Fatalf("demo class results (%d scored):\n%s\n%s", scored, cr.ByTrainee.Text, cr.ByScenario.Text)
	}
	golden(t, w, "demo_class_results")
}
