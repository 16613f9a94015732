package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// accounts stands in for the central system's enrolment and sign-in (the
// real client comes with the sync engine).
type accounts struct {
	mu       sync.Mutex
	enrolled bool
}

func (a *accounts) DeviceEnrolled() bool { a.mu.Lock(); defer a.mu.Unlock(); return a.enrolled }
func (a *accounts) EnrolDevice(_ context.Context, code string) error {
	if code != "K7QF-2M9X" {
		return errors.New("that code is not valid or has been used")
	}
	a.mu.Lock()
	a.enrolled = true
	a.mu.Unlock()
	return nil
}
func (a *accounts) Login(_ context.Context, user, pass string) (Identity, error) {
	if user == "locked" {
		return Identity{}, &WaitError{After: 118 * time.Second, Err: errors.New("rate_limited")}
	}
	if user != "pc4411" || pass != "correct horse" {
		return Identity{}, errors.New("user name or password is wrong")
	}
	return Identity{OfficerID: uitest.Officer, Name: "PC 4411 Test"}, nil
}

// syncer stands in for the sync engine's status.
type syncer struct {
	mu    sync.Mutex
	st    SyncStatus
	calls int
}

func (s *syncer) Status() SyncStatus { s.mu.Lock(); defer s.mu.Unlock(); return s.st }
func (s *syncer) SyncNow(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return nil
}

type harness struct {
	t     *testing.T
	u     *UI
	w     fyne.Window
	store *devicestore.Store
	sync  *syncer
}

func newHarness(t *testing.T, store *devicestore.Store) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, sync: &syncer{}}
	h.w = test.NewTempWindow(t, widget.NewLabel(""))
	h.w.Resize(fyne.NewSize(1280, 800))
	h.u = New(h.w, Config{
		Store: store, Checklists: reg, Start: uitest.Ref, Sync: h.sync, Accounts: &accounts{},
		LockCheck: -1, StatusPoll: -1, TypingDelay: -1, Now: uitest.Clock,
	})
	t.Cleanup(h.u.Stop)
	h.u.Start()
	return h
}

// wait lets background work finish (it comes back via fyne.Do) and checks
// cond.
func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	h.u.WaitIdle()
	if !cond() {
		h.t.Fatalf("not there after background work finished: %s", what)
	}
}

func (h *harness) targets(name string) {
	h.t.Helper()
	if bad := uitest.SmallTargets(h.w.Canvas().Content()); len(bad) > 0 {
		h.t.Errorf("%s: tappable elements under %d px: %s", name, theme.MinTouch, strings.Join(bad, "; "))
	}
}

func (h *harness) golden(name string) {
	h.t.Helper()
	for _, sz := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(800, 1280)} {
		h.w.Resize(sz)
		h.targets(name)
		test.AssertImageMatches(h.t, fmt.Sprintf("%s_%.0fx%.0f.png", name, sz.Width, sz.Height), h.w.Canvas().Capture())
	}
	h.w.Resize(fyne.NewSize(1280, 800))
}

// TestEnrolSignInPINAndIdleLock: a new tablet is set up with a code, the
// officer signs in online and chooses a PIN, starts a check, the tablet
// locks after idle time and the PIN brings the officer back to the page
// they were on.
func TestEnrolSignInPINAndIdleLock(t *testing.T) {
	var mu sync.Mutex
	now := uitest.Clock()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	store := uitest.StoreWith(t, devicestore.Options{Clock: clock, IdleLock: 5 * time.Minute})
	h := newHarness(t, store)
	u := h.u

	if u.Enrol == nil {
		t.Fatal("a new tablet does not start at set-up")
	}
	h.golden("enrol")
	test.Type(u.Enrol.Code, "WRONG")
	test.Tap(u.Enrol.Enrol)
	h.wait("the wrong code refused", func() bool { return u.Enrol != nil && u.Enrol.Message.Visible() })
	if !strings.Contains(u.Enrol.Message.Text, "not valid") {
		t.Errorf("message %q", u.Enrol.Message.Text)
	}
	u.Enrol.Code.SetText("K7QF-2M9X")
	test.Tap(u.Enrol.Enrol)
	h.wait("the sign-in screen", func() bool { return u.Login != nil })

	h.golden("login")
	test.Type(u.Login.Username, "pc4411")
	test.Type(u.Login.Password, "correct horse")
	test.Tap(u.Login.SignIn)
	h.wait("the PIN form", func() bool { return u.Login != nil && u.Login.PIN != nil })
	test.Type(u.Login.PIN, "123456")
	test.Type(u.Login.Confirm, "123456")
	test.Tap(u.Login.SetPIN)
	if !strings.Contains(u.Login.Message.Text, "simple pattern") {
		t.Errorf("weak PIN accepted or badly explained: %q", u.Login.Message.Text)
	}
	u.Login.PIN.SetText(uitest.PIN)
	u.Login.Confirm.SetText(uitest.PIN)
	test.Tap(u.Login.SetPIN)
	h.wait("home", func() bool { return u.Home != nil })
	h.golden("home_empty")

	// Start a check and move on a page.
	test.Tap(u.Home.Start)
	if u.Flow == nil {
		t.Fatal("no flow after Start a check")
	}
	u.Flow.ShowPage(1)
	// Keyboard: Alt+Right moves on a part.
	h.w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt})
	page, _ := u.Flow.Page()
	if page != 2 {
		t.Errorf("Alt+Right went to part %d, want 2", page)
	}

	// Idle: the store locks itself; the app notices and shows the PIN screen.
	mu.Lock()
	now = now.Add(6 * time.Minute)
	mu.Unlock()
	u.CheckLock()
	if u.PIN == nil {
		t.Fatal("no PIN screen after idle time")
	}
	h.golden("pin")
	test.Type(u.PIN.PIN, "999999")
	test.Tap(u.PIN.Unlock)
	h.wait("wrong PIN message", func() bool { return u.PIN != nil && u.PIN.Message.Visible() })
	if !strings.Contains(u.PIN.Message.Text, "Wrong PIN") {
		t.Errorf("message %q", u.PIN.Message.Text)
	}
	test.Type(u.PIN.PIN, uitest.PIN)
	test.Tap(u.PIN.Unlock)
	h.wait("the check again", func() bool { return u.Flow != nil })
	if p, _ := u.Flow.Page(); p != page {
		t.Errorf("back on page %d, was on %d", p, page)
	}
}

// TestHomeLists: drafts, waiting to sync and the sync bar.
func TestHomeLists(t *testing.T) {
	store := uitest.EnrolledStore(t)
	h := newHarness(t, store)
	u := h.u
	test.Type(u.PIN.PIN, uitest.PIN)
	test.Tap(u.PIN.Unlock)
	h.wait("home", func() bool { return u.Home != nil })

	test.Tap(u.Home.Start)
	f := u.Flow
	f.ShowPage(2)
	test.Tap(f.AddPerson)
	e := f.Entry()
	if err := store.SetAnswer(e.ID, "child", e.Groups["child"][0].ID, "child_name", forms.Answer{Value: "Amy Example"}); err != nil {
		t.Fatal(err)
	}
	if err := store.SetTitle(e.ID, "Amy Example, 12 High Street"); err != nil {
		t.Fatal(err)
	}
	test.Tap(f.Home)
	if u.Home == nil || len(u.Home.Drafts.Items) != 1 {
		t.Fatalf("home drafts: %+v", u.Home)
	}
	if got := u.Home.Drafts.Items[0].Text; !strings.Contains(got, "Amy Example") {
		t.Errorf("draft shown as %q", got)
	}
	h.sync.mu.Lock()
	h.sync.st = SyncStatus{Online: true, LastSuccess: uitest.Clock().Add(-3 * time.Minute)}
	h.sync.mu.Unlock()
	u.Home.showSync(h.sync.Status())
	if !strings.Contains(u.Home.SyncText.Text, "Online") || !strings.Contains(u.Home.SyncText.Text, "3 min ago") {
		t.Errorf("sync bar %q", u.Home.SyncText.Text)
	}
	h.golden("home_draft")
	test.Tap(u.Home.Display)
	u.Display.Dark.SetChecked(true)
	u.Display.TextSize.SetSelected("Large")
	u.Display.Dialog.Hide()
	if th := fyne.CurrentApp().Settings().Theme().(*theme.Theme); !th.Dark || th.Scale != 1.25 {
		t.Fatalf("display choice not applied: %+v", th)
	}
	if th := theme.FromPreferences(fyne.CurrentApp()); !th.Dark || th.Scale != 1.25 {
		t.Fatalf("display choice not remembered: %+v", th)
	}
	h.golden("home_draft_dark_large")
	theme.Apply(fyne.CurrentApp(), false, 1)
	test.Tap(u.Home.SyncNow)
	h.wait("sync now", func() bool { return !u.Home.SyncNow.Disabled() })
	if h.sync.calls != 1 {
		t.Errorf("SyncNow called %d times", h.sync.calls)
	}
	test.Tap(u.Home.Drafts.Items[0])
	if u.Flow == nil || u.Flow.Entry().ID != e.ID {
		t.Fatal("tapping a draft did not open it")
	}
	test.Tap(u.Flow.Home)
	test.Tap(u.Home.Lock)
	if u.PIN == nil || !store.Locked() {
		t.Fatal("Lock did not lock")
	}
}

// BenchmarkHome measures building the home screen over a store holding
// 200 entries.
func BenchmarkHome(b *testing.B) {
	store := uitest.EnrolledStore(b)
	for i := 0; i < 200; i++ {
		e, err := store.NewEntry(uitest.Ref, false)
		if err != nil {
			b.Fatal(err)
		}
		if err := store.SetTitle(e.ID, fmt.Sprintf("Child %d, %d High Street", i, i)); err != nil {
			b.Fatal(err)
		}
	}
	a := test.NewTempApp(b)
	a.Settings().SetTheme(theme.New(false, 1))
	reg, _ := forms.LoadRegistry(assets.FS)
	w := test.NewTempWindow(b, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := New(w, Config{Store: store, Checklists: reg, Start: uitest.Ref, LockCheck: -1, StatusPoll: -1})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u.ShowHome()
		w.Canvas().Content().Resize(w.Canvas().Size())
	}
}

// TestReturnedEntryAmended: a submitted entry comes back from the
// supervisor with comments; the officer sees them beside the questions,
// amends the entry and submits it again as revision 2.
func TestReturnedEntryAmended(t *testing.T) {
	store := uitest.EnrolledStore(t)
	c := uitest.Checklist(t)
	e := uitest.Fill(t, store, c, 1, 1)
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil || !res.Ready {
		t.Fatalf("filled entry not ready: %v %+v", err, res.Problems)
	}
	if _, err := store.Submit(e.ID, res.Grade, res.Immediate); err != nil {
		t.Fatal(err)
	}
	batch, err := store.NextBatch(uitest.Clock(), 10, 1<<20)
	if err != nil || len(batch) != 1 {
		t.Fatalf("batch %v %v", batch, err)
	}
	if err := store.Acknowledge([]devicestore.Ack{{EntryID: e.ID, Revision: 1, Outcome: devicestore.OutcomeAccepted, Receipt: "R-0001"}}); err != nil {
		t.Fatal(err)
	}
	child := e.Groups["child"][0].ID
	if err := store.ApplyChanges("1", []devicestore.Change{{
		Kind: devicestore.ChangeDecision, EntryID: e.ID, Revision: 1, Decision: devicestore.DecisionReturned,
		Reason: "Please give the real incident number.",
		Comments: []devicestore.Comment{
			{Path: "incident_ref", Text: "This is not a valid incident number."},
			{Path: "child[" + child + "].child_school", Text: "Which school exactly?"},
		},
	}}); err != nil {
		t.Fatal(err)
	}

	h := newHarness(t, store)
	u := h.u
	test.Type(u.PIN.PIN, uitest.PIN)
	test.Tap(u.PIN.Unlock)
	h.wait("home", func() bool { return u.Home != nil })
	if len(u.Home.Returned.Items) != 1 {
		t.Fatalf("returned list: %d items", len(u.Home.Returned.Items))
	}
	h.golden("home_returned")
	test.Tap(u.Home.Returned.Items[0])
	f := u.Flow
	if f == nil || f.Entry().Revision != 2 {
		t.Fatalf("returned entry not opened as revision 2: %+v", f)
	}
	q := f.Questions["incident_ref"]
	if q.Comment == nil || !strings.Contains(q.Comment.Text, "not a valid incident number") {
		t.Fatalf("supervisor comment not shown beside the question")
	}
	foc, ok := q.Input().(fyne.Focusable)
	if !ok {
		t.Fatalf("incident_ref input %T", q.Input())
	}
	test.Type(foc, "INC-7-")
	stored, _ := store.Entry(e.ID)
	if v, _ := stored.Answers["incident_ref"].Value.(string); !strings.HasPrefix(v, "INC-7-") {
		t.Fatalf("amendment not saved: %q", v)
	}
	f.ShowPage(len(f.Pages()) - 1)
	test.Tap(f.Review.Submit)
	h.wait("home after resubmitting", func() bool { return u.Home != nil })
	list, _ := store.ListEntries(devicestore.Filter{})
	if len(list) != 1 || list[0].Revision != 2 || list[0].State != devicestore.StateQueued {
		t.Fatalf("after resubmitting: %+v", list)
	}
}
