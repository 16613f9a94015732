package supervisor_test

import (
	"fmt"
	"os"
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
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// serverTime is the central system's clock in these tests, so deadlines
// and golden images do not change with the time of day.
var serverTime = time.Date(2026, 11, 25, 22, 40, 0, 0, time.UTC)

type harness struct {
	t   *testing.T
	srv *centraltest.Server
	dev *reviewtest.Device
	c   *forms.Checklist
	u   *supervisor.UI
	w   fyne.Window
}

func newHarness(t *testing.T, dark bool) *harness {
	t.Helper()
	base, srv := centraltest.Start(t, centraltest.SQLite)
	srv.Clock.Set(serverTime)
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(dark, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.SetTitle("Safeguard")
	w.Resize(fyne.NewSize(1280, 800))
	u := supervisor.New(w, supervisor.Config{
		Client:     supervisor.NewClient(base, supervisor.Live),
		Checklists: centraltest.Registry(t),
		Poll:       -1,
		Now:        srv.Clock.Now,
		Logger:     reviewtest.Quiet,
	})
	t.Cleanup(u.Stop)
	// Cleanups run last first: background calls end before the next test
	// (the test driver runs fyne.Do on their goroutine).
	t.Cleanup(u.WaitIdle)
	u.Start()
	return &harness{t: t, srv: srv, dev: reviewtest.NewDevice(t, srv, base), c: uitest.Checklist(t), u: u, w: w}
}

func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.u.WaitIdle()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) golden(name string) {
	h.t.Helper()
	for _, sz := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(800, 1280)} {
		h.w.Resize(sz)
		if bad := uitest.SmallTargets(h.w.Canvas().Content()); len(bad) > 0 {
			h.t.Errorf("%s at %v: tappable elements under %d px: %s", name, sz, theme.MinTouch, strings.Join(bad, "; "))
		}
		test.AssertImageMatches(h.t, fmt.Sprintf("%s_%.0fx%.0f.png", name, sz.Width, sz.Height), h.w.Canvas().Capture())
	}
	h.w.Resize(fyne.NewSize(1280, 800))
}

func (h *harness) signIn(user string) {
	h.t.Helper()
	u := h.u
	if u.Login == nil {
		h.t.Fatal("no sign-in screen")
	}
	test.Type(u.Login.Username, user)
	test.Type(u.Login.Password, central.DemoPassword)
	test.Tap(u.Login.SignIn)
	h.wait("the queue", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() && len(u.Queue.Rows) >= 0 })
}

// submit records, submits and syncs a check from the officer's tablet.
func (h *harness) submit(ref, child string, immediate bool) string {
	h.t.Helper()
	id := h.dev.Check(h.c, ref, child, immediate)
	h.dev.Submit(h.c, id)
	h.dev.Sync()
	return id
}

func (h *harness) row(id string) *widget.Button {
	h.t.Helper()
	for i, rid := range h.u.Queue.IDs {
		if rid == id {
			return h.u.Queue.Rows[i]
		}
	}
	h.t.Fatalf("entry %s not in the queue (%d rows)", id, len(h.u.Queue.Rows))
	return nil
}

// TestReturnAmendApprove is the review loop through the real widgets
// against a real central system: the supervisor signs in, sees the queue
// ordered by grade with the overdue counted, opens a check, returns it
// with a comment beside a question and an overall reason; the officer's
// tablet (real store and sync engine) receives them, the officer amends
// and resubmits; the supervisor sees what changed and approves, and the
// tablet shows the approval.
func TestReturnAmendApprove(t *testing.T) {
	h := newHarness(t, false)
	u := h.u
	if u.Login == nil {
		t.Fatal("the supervisor's app does not start at sign-in")
	}
	h.golden("login")

	// Three checks: one immediate, one made earlier (now overdue), one
	// standard-or-high.
	first := h.submit("CAD-2211-25NOV", "Amy Test", false)
	h.srv.Clock.Advance(2 * time.Hour)
	second := h.submit("CAD-2212-25NOV", "Ben Test", true)
	h.srv.Clock.Advance(10 * time.Minute)

	h.signIn("sergeant1")
	q := u.Queue
	if len(q.Rows) != 2 {
		t.Fatalf("queue shows %d rows, want 2", len(q.Rows))
	}
	if q.IDs[0] != second {
		t.Errorf("the immediate-risk check is not first: %v", q.IDs)
	}
	if !strings.Contains(q.Counts.Text, "2 waiting") {
		t.Errorf("counts %q", q.Counts.Text)
	}
	h.golden("queue")

	// Filters: grade.
	q.Grade.SetSelected("Immediate")
	if len(q.Rows) != 1 || q.IDs[0] != second {
		t.Errorf("grade filter: %v", q.IDs)
	}
	q.Grade.SetSelected(supervisor.AllGrades)
	q.State.SetSelected(supervisor.StateAmended)
	if len(q.Rows) != 0 {
		t.Errorf("amended filter shows %d", len(q.Rows))
	}
	q.State.SetSelected(supervisor.StateAll)

	// Open the first check and return it with reasons.
	test.Tap(h.row(first))
	h.wait("the check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	s := u.Entry
	if s.Result == nil || len(s.Answers) == 0 {
		t.Fatal("the check's answers are not shown")
	}
	if r := s.Answers["incident_ref"]; r == nil || r.Value.Text != "CAD-2211-25NOV" {
		t.Fatalf("incident reference row: %+v", r)
	}
	if s.Approve.Disabled() || s.ReturnIt.Disabled() {
		t.Fatal("decision buttons are off on a check waiting for review")
	}
	h.golden("entry")
	test.Tap(s.ReturnIt)
	if !s.Message.Visible() || !strings.Contains(s.Message.Text, "Say what needs changing") {
		t.Errorf("returning with no reason: %q", s.Message.Text)
	}
	test.Type(s.Answers["incident_ref"].Comment, "This is not the full CAD number.")
	test.Type(s.Overall, "Please complete the reference.")
	test.Tap(s.ReturnIt)
	h.wait("the queue after returning", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() })
	if !strings.Contains(u.Queue.Notice.Text, "Returned SG-") {
		t.Errorf("notice %q", u.Queue.Notice.Text)
	}
	if len(u.Queue.Rows) != 1 {
		t.Errorf("the returned check is still in the queue: %v", u.Queue.IDs)
	}

	// The officer's tablet receives the comments, amends and resubmits.
	h.dev.Sync()
	if st := h.dev.Summary(first); st.State != devicestore.StateReturned {
		t.Fatalf("tablet shows %s, want returned", st.State)
	}
	rv, err := h.dev.Store.Review(first, 1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range rv.Comments {
		found = found || (c.Path == "incident_ref" && c.Text == "This is not the full CAD number.")
	}
	if !found || !strings.Contains(rv.Reason+fmt.Sprint(rv.Comments), "Please complete the reference.") {
		t.Fatalf("the tablet did not get the comments: %+v", rv)
	}
	h.dev.Set(first, "", 0, "incident_ref", "CAD-2211-25NOV-0042")
	h.dev.Submit(h.c, first)
	h.dev.Sync()

	// The supervisor sees the amendment and what changed, and approves.
	test.Tap(u.Queue.Refresh)
	h.wait("the amended check", func() bool { return u.Queue != nil && len(u.Queue.Rows) == 2 })
	u.Queue.State.SetSelected(supervisor.StateAmended)
	if len(u.Queue.Rows) != 1 || u.Queue.IDs[0] != first {
		t.Fatalf("amended filter: %v", u.Queue.IDs)
	}
	test.Tap(u.Queue.Rows[0])
	h.wait("the amended check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	s = u.Entry
	if s.View.Revision != 2 || len(s.Changes) != 1 || !strings.Contains(s.Changes[0], "occurrence number") {
		t.Fatalf("revision %d, changes %v", s.View.Revision, s.Changes)
	}
	if r := s.Answers["incident_ref"]; r == nil || r.Changed == nil {
		t.Fatal("the changed answer is not marked")
	}
	h.golden("entry_amended")
	// The earlier revision can be read, but not decided on.
	// (ShowRevision is what choosing it in s.Revision calls; the test
	// driver runs fyne.Do on the background goroutine, so the test does not
	// drive the select itself while the answer comes back.)
	s.ShowRevision(1)
	h.wait("revision 1", func() bool { return u.Entry != nil && u.Entry.View.Revision == 1 })
	if !u.Entry.Approve.Disabled() || !u.Entry.Locked.Visible() {
		t.Error("an older revision can be approved")
	}
	u.Entry.ShowRevision(2)
	h.wait("revision 2", func() bool { return u.Entry != nil && u.Entry.View.Revision == 2 })
	test.Tap(u.Entry.Approve)
	h.wait("the queue after approving", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() })
	if !strings.Contains(u.Queue.Notice.Text, "Approved") {
		t.Errorf("notice %q", u.Queue.Notice.Text)
	}
	h.dev.Sync()
	if st := h.dev.Summary(first); st.State != devicestore.StateApproved {
		t.Fatalf("tablet shows %s, want approved", st.State)
	}
}

// TestGradeAndAlert: a new immediate-risk check raises the banner on the
// next poll (and marks the window title); lowering a grade needs a
// reason, raising does not; an overdue check is counted and marked.
func TestGradeAndAlert(t *testing.T) {
	h := newHarness(t, false)
	u := h.u
	first := h.submit("CAD-3001", "Cara Test", false)
	h.signIn("sergeant1")
	if u.Queue.Alert.Visible() || len(u.Alerts()) != 0 {
		t.Fatal("alert shown for what was already there")
	}

	// A new immediate-risk check arrives while the supervisor watches.
	urgent := h.submit("CAD-3002", "Dee Test", true)
	u.Poll()
	h.wait("the alert", func() bool { return len(u.Alerts()) == 1 })
	if !u.Queue.Alert.Visible() || !strings.Contains(supervisor.BannerText(u.Queue.AlertText), "SG-") {
		t.Fatal("no banner for the new immediate-risk check")
	}
	if !strings.Contains(h.w.Title(), "New immediate risk") {
		t.Errorf("window title %q", h.w.Title())
	}
	h.golden("queue_alert")
	test.Tap(u.Queue.AlertOpen)
	h.wait("the urgent check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	if u.Entry.View.EntryID != urgent || len(u.Alerts()) != 0 || strings.Contains(h.w.Title(), "(!)") {
		t.Fatal("opening the alert did not open the check and clear the alert")
	}

	// Overdue: the deadline passes.
	test.Tap(u.Entry.Back)
	h.wait("queue", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() })
	h.srv.Clock.Advance(5 * time.Hour)
	test.Tap(u.Queue.Refresh)
	h.wait("queue", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() })
	if !strings.Contains(u.Queue.Counts.Text, "2 overdue") {
		t.Errorf("counts %q", u.Queue.Counts.Text)
	}
	if u.Queue.Rows[0].Importance != widget.DangerImportance || !strings.Contains(u.Queue.Rows[0].Text, "OVERDUE") {
		t.Errorf("overdue row not highlighted: %q", u.Queue.Rows[0].Text)
	}
	u.Queue.State.SetSelected(supervisor.StateOverdue)
	if len(u.Queue.Rows) != 2 {
		t.Errorf("overdue filter shows %d", len(u.Queue.Rows))
	}

	// Grades.
	u.OpenEntry(first)
	h.wait("the check", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	s := u.Entry
	from := s.View.Grade
	s.Grade.SetSelected("Immediate")
	test.Tap(s.ChangeGrade)
	h.wait("the raised grade", func() bool { return u.Entry != nil && u.Entry.View.Grade == "immediate" })
	if !strings.Contains(u.Entry.Notice.Text, "Grade changed to Immediate") {
		t.Errorf("notice %q", u.Entry.Notice.Text)
	}
	s = u.Entry
	s.Grade.SetSelected("Standard")
	test.Tap(s.ChangeGrade)
	if !s.Message.Visible() || !strings.Contains(s.Message.Text, "lower the grade") {
		t.Fatalf("lowering without a reason: %q", s.Message.Text)
	}
	test.Type(s.GradeReason, "Child seen by the health visitor this morning.")
	test.Tap(s.ChangeGrade)
	h.wait("the lowered grade", func() bool { return u.Entry != nil && u.Entry.View.Grade == "standard" })
	if len(u.Entry.View.Decisions) != 2 {
		t.Errorf("decisions %+v (from %s)", u.Entry.View.Decisions, from)
	}

	// Sign out.
	test.Tap(u.Entry.Back)
	h.wait("queue", func() bool { return u.Queue != nil })
	test.Tap(u.Queue.SignOut)
	h.wait("sign-in", func() bool { return u.Login != nil })
}

// TestWrongRoleAndPassword: a wrong password and an officer's account are
// refused in plain words.
func TestWrongRoleAndPassword(t *testing.T) {
	h := newHarness(t, true)
	u := h.u
	test.Type(u.Login.Username, "sergeant1")
	test.Type(u.Login.Password, "wrong")
	test.Tap(u.Login.SignIn)
	h.wait("refusal", func() bool { return u.Login != nil && u.Login.Message.Visible() })
	if !strings.Contains(u.Login.Message.Text, "wrong") {
		t.Errorf("message %q", u.Login.Message.Text)
	}
	u.Login.Username.SetText("trainer1")
	u.Login.Password.SetText(central.DemoPassword)
	test.Tap(u.Login.SignIn)
	h.wait("refusal", func() bool { return u.Login != nil && strings.Contains(u.Login.Message.Text, "supervisor") })
	h.golden("login_refused_dark")
}

// TestClientSendsWireVersion: the client's calls carry the wire version
// and fail in plain words when the server is gone.
func TestClientOffline(t *testing.T) {
	c := supervisor.NewClient("http://127.0.0.1:1", supervisor.Live)
	_, err := c.Queue(t.Context())
	var e *supervisor.Error
	if err == nil || !asError(err, &e) || e.Code != supervisor.CodeOffline || !strings.Contains(e.Message, "Cannot reach") {
		t.Fatalf("offline: %v", err)
	}
	_ = api.Version
}

func asError(err error, e **supervisor.Error) bool {
	x, ok := err.(*supervisor.Error)
	*e = x
	return ok
}
