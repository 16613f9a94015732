package supervisor_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/reviewtest"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestDemoFirstScreens: on a central system seeded with the demo's story
// (as `serve --demo` does), the supervisor's first screens are full: the
// queue lists checks of every grade with some overdue and the person
// index's alerts, the data-quality report has figures, and the family
// network of the check that raised the repeat-appearance alert draws the
// family across its checks. Golden images of each.
func TestDemoFirstScreens(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithPeople())
	srv.Clock.Set(serverTime)
	if _, err := srv.Service.SeedDemoData(t.Context(), serverTime); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := supervisor.New(w, supervisor.Config{Client: supervisor.NewClient(base, supervisor.Live),
		Checklists: centraltest.Registry(t), Poll: -1, Now: srv.Clock.Now, Logger: reviewtest.Quiet})
	t.Cleanup(u.Stop)
	// Cleanups run last first: background calls end before the next test
	// (the test driver runs fyne.Do on their goroutine).
	t.Cleanup(u.WaitIdle)
	u.Start()
	h := &harness{t: t, srv: srv, u: u, w: w}
	h.signIn("sergeant1")
	h.wait("the person alerts", func() bool { return len(u.Queue.Rows) > 0 && len(u.Queue.People) > 0 })
	q := u.Queue
	if len(q.Rows) < 5 || !strings.Contains(q.Counts.Text, "overdue") {
		t.Fatalf("demo queue: %d rows, %q", len(q.Rows), q.Counts.Text)
	}
	repeat := ""
	for _, p := range q.People {
		if strings.Contains(strings.ToLower(p.Text), "repeat appearance") {
			repeat = p.Text
		}
	}
	if repeat == "" {
		t.Errorf("no repeat-appearance alert on the queue: %d alerts", len(q.People))
	}
	h.golden("demo_queue")

	test.Tap(q.Report)
	h.wait("the report", func() bool { return u.Quality != nil && !u.Quality.Busy.Visible() })
	if u.Quality.Message.Visible() || len(u.Quality.Charts) == 0 {
		t.Fatalf("demo report: %q, %d charts", u.Quality.Message.Text, len(u.Quality.Charts))
	}
	h.golden("demo_quality")
	test.Tap(u.Quality.Back)
	// Back refreshes the queue in the background: let it land first.
	h.wait("the queue again", func() bool { return u.Queue != nil && !u.Queue.Busy.Visible() })

	al, err := srv.Service.PersonAlerts(t.Context(), principalOf(t, srv, "sergeant1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	id := ""
	for _, x := range al.Alerts {
		if x.Kind == "repeat_appearance" {
			id = x.EntryID
		}
	}
	if id == "" {
		t.Fatalf("no repeat-appearance alert: %+v", al.Alerts)
	}
	u.OpenEntry(id)
	h.wait("the entry", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	test.Tap(u.Entry.Family)
	h.wait("the network", func() bool { return u.Network != nil && !u.Network.Busy.Visible() })
	n := u.Network.Graph.Network()
	thrice := false
	for _, p := range n.People {
		thrice = thrice || len(p.Entries) >= 3
	}
	if !thrice {
		t.Fatalf("nobody in the network is in three checks:\n%s", u.Network.People.Text)
	}
	h.golden("demo_network")
	u.WaitIdle()
}

func principalOf(t *testing.T, srv *centraltest.Server, username string) central.Principal {
	t.Helper()
	p, err := srv.Service.AuthenticateSession(t.Context(), srv.Login(t, username))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
