package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	safeapp "github.com/safeguard-uk/safeguard/app"
	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

const loopPIN = "604219"

// gate is a reverse proxy in front of the central system that can drop
// every connection, as losing signal does.
type gate struct {
	open atomic.Bool
	url  string
}

func newGate(t *testing.T, upstream string) *gate {
	u, _ := url.Parse(upstream)
	rp := httputil.NewSingleHostReverseProxy(u)
	g := &gate{}
	g.open.Store(true)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.open.Load() {
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	g.url = ts.URL
	return g
}

// loop is the officer's app wired exactly as main wires it (real device
// store, real sync engine, real enrolment), against a real central system
// on loopback.
type loop struct {
	t     *testing.T
	srv   *centraltest.Server
	gate  *gate
	store *devicestore.Store
	dev   *device
	u     *safeapp.UI
	w     fyne.Window
}

func newLoop(t *testing.T) *loop {
	t.Helper()
	base, srv := centraltest.Start(t, centraltest.SQLite)
	g := newGate(t, base)
	dir := t.TempDir()
	store, err := devicestore.Open(filepath.Join(dir, "device.db"), devicestore.Options{
		KDF: devicestore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}, InsecureKDF: true, IdleLock: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dev, err := newDevice(dir, g.url, store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	dev.idle = time.Hour // rounds only when the screens ask, so the test is deterministic
	t.Cleanup(dev.Stop)

	test.NewTempApp(t).Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := safeapp.New(w, safeapp.Config{
		Store: store, Checklists: centraltest.Registry(t), Start: centraltest.TestChecklist,
		Sync: dev, Accounts: dev, LockCheck: -1, StatusPoll: -1, TypingDelay: -1, Logger: quiet,
	})
	t.Cleanup(u.Stop)
	u.Start()
	return &loop{t: t, srv: srv, gate: g, store: store, dev: dev, u: u, w: w}
}

func (l *loop) wait(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		l.u.WaitIdle()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *loop) answer(f *checklistui.Flow, id, value string) {
	l.t.Helper()
	q, ok := f.Questions[id]
	if !ok {
		l.t.Fatalf("question %s is not on page %q", id, f.PageTitle.Text)
	}
	if err := q.Enter(value); err != nil {
		l.t.Fatal(err)
	}
	if q.Status.Text != "Saved" {
		l.t.Fatalf("%s: the screen says %q after answering", id, q.Status.Text)
	}
}

// check starts a check and fills it in through the widgets.
func (l *loop) check(ref string, immediate bool) string {
	l.t.Helper()
	u := l.u
	test.Tap(u.Home.Start)
	f := u.Flow
	if f == nil {
		l.t.Fatal("no check after Start a check")
	}
	l.answer(f, "incident_ref", ref)
	l.answer(f, "reason", "welfare")
	if immediate {
		l.answer(f, "triage_life", "yes")
		if !f.Banner.Visible() || !f.Result().Immediate {
			l.t.Fatal("no immediate-risk banner")
		}
	} else {
		l.answer(f, "triage_life", "no")
	}
	test.Tap(f.Next)
	if f.AddPerson == nil {
		l.t.Fatalf("no way to add a child on %q", f.PageTitle.Text)
	}
	test.Tap(f.AddPerson)
	l.answer(f, "child_name", "Sam Example")
	l.answer(f, "child_age", "6")
	l.answer(f, "child_seen", "yes")
	test.Tap(f.ReviewIt)
	if f.Review == nil || f.Review.Submit.Disabled() {
		l.t.Fatalf("cannot submit: %+v", f.Result().Problems)
	}
	id := f.Entry().ID
	test.Tap(f.Review.Submit)
	return id
}

func (l *loop) summary(id string) devicestore.Summary {
	list, err := l.store.ListEntries(devicestore.Filter{})
	if err != nil {
		l.t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return s
		}
	}
	l.t.Fatalf("entry %s not on the device", id)
	return devicestore.Summary{}
}

func (l *loop) onServer(id string) []central.Revision {
	var out []central.Revision
	err := l.srv.Store.View(context.Background(), func(tx central.Tx) error {
		var err error
		out, err = tx.Revisions(context.Background(), id)
		return err
	})
	if err != nil {
		l.t.Fatal(err)
	}
	return out
}

// TestWholeLoop drives the officer's app through its real widgets against
// a real central system on loopback: enrol, sign in, choose a PIN, record a
// check with an immediate risk, submit and see the receipt; lose signal,
// record another, get signal back and see it sync; a supervisor returns
// the first, the officer amends and resubmits, the supervisor approves and
// the tablet shows it.
func TestWholeLoop(t *testing.T) {
	l := newLoop(t)
	u := l.u

	// Enrol with the demo code, sign in online, choose a PIN.
	if u.Enrol == nil {
		t.Fatal("a new tablet does not start at enrolment")
	}
	test.Type(u.Enrol.Code, l.srv.EnrolmentCode)
	test.Tap(u.Enrol.Enrol)
	l.wait("the sign-in screen", func() bool { return u.Login != nil })
	test.Type(u.Login.Username, "officer1")
	test.Type(u.Login.Password, central.DemoPassword)
	test.Tap(u.Login.SignIn)
	l.wait("the PIN form", func() bool { return u.Login != nil && u.Login.PIN != nil })
	test.Type(u.Login.PIN, loopPIN)
	test.Type(u.Login.Confirm, loopPIN)
	test.Tap(u.Login.SetPIN)
	l.wait("home", func() bool { return u.Home != nil })

	// A check with an immediate risk, submitted: the receipt shows.
	first := l.check("CAD-0001", true)
	l.wait("the receipt", func() bool { return u.Home != nil && strings.Contains(u.Home.Notice.Text, "Receipt number: SG-") })
	if s := l.summary(first); s.State != devicestore.StateAccepted || !s.Immediate {
		t.Fatalf("first check on the device: %+v", s)
	}
	if revs := l.onServer(first); len(revs) != 1 || revs[0].Grade != forms.LevelImmediate {
		t.Fatalf("first check on the server: %+v", revs)
	}

	// No signal: the next check is kept and queued, and the bar says so.
	l.gate.open.Store(false)
	second := l.check("CAD-0002", false)
	l.wait("sync to fail", func() bool { return u.Home != nil && !l.dev.Status().Online })
	if s := l.summary(second); s.State != devicestore.StateQueued {
		t.Fatalf("offline check: %+v", s)
	}
	if len(l.onServer(second)) != 0 {
		t.Fatal("the second check reached the server through a dead link")
	}
	if st := l.dev.Status(); st.WaitingEntries != 1 || st.WaitingBytes <= 0 {
		t.Errorf("sync status does not count what waits: %+v", st)
	}
	if !strings.Contains(strings.ToLower(u.Home.SyncText.Text), "no connection") && l.dev.Status().Problem == "" {
		t.Errorf("sync bar does not say the link is down: %q", u.Home.SyncText.Text)
	}

	// Signal back: Sync now sends it.
	l.gate.open.Store(true)
	test.Tap(u.Home.SyncNow)
	l.wait("the second check to sync", func() bool { return l.summary(second).State == devicestore.StateAccepted })
	if len(l.onServer(second)) != 1 {
		t.Fatal("the second check is not on the server once")
	}

	// The supervisor returns the first with a comment on a question.
	sup := l.srv.Client(l.srv.Login(t, "sergeant1"))
	if code, body := sup.Do(t, "POST", "/v1/review/entries/"+first+"/return", api.ReturnRequest{
		Revision: 1, Text: "Add the CAD number in full.",
		Comments: []api.Comment{{Question: "incident_ref", Text: "This is not the full CAD number."}},
	}, nil); code != http.StatusOK {
		t.Fatalf("return: %d %s", code, body)
	}
	test.Tap(u.Home.SyncNow)
	l.wait("the returned check", func() bool { return u.Home != nil && len(u.Home.Returned.Items) == 1 })
	test.Tap(u.Home.Returned.Items[0])
	f := u.Flow
	if f == nil {
		t.Fatal("the returned check does not open")
	}
	q := f.Questions["incident_ref"]
	if q == nil || q.Comment == nil || !strings.Contains(q.Comment.Text, "not the full CAD") {
		t.Fatal("the supervisor's comment is not beside the question")
	}
	l.answer(f, "incident_ref", "CAD-0001-2026-11-25")
	test.Tap(f.ReviewIt)
	test.Tap(f.Review.Submit)
	l.wait("the amendment to sync", func() bool { return len(l.onServer(first)) == 2 })

	// The supervisor approves; the tablet shows it.
	if code, body := sup.Do(t, "POST", "/v1/review/entries/"+first+"/approve", api.ApproveRequest{Revision: 2}, nil); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	test.Tap(u.Home.SyncNow)
	l.wait("the approval", func() bool { return l.summary(first).State == devicestore.StateApproved })
	l.wait("the approved list", func() bool { return u.Home != nil && len(u.Home.Approved.Items) == 1 })
}
