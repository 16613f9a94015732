package supervisor_test

import (
	"fmt"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/internal/reviewtest"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestFamilyNetwork: two checks about the same family reach a central
// system running the person index, the first an immediate risk; the
// supervisor sees the person index's alert on the queue, opens the second
// check and sees the family network drawn, with the earlier check listed.
func TestFamilyNetwork(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithPeople())
	srv.Clock.Set(serverTime)
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	data, err := assets.FS.ReadFile("examples/complete-entry.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 2; i++ {
		e, err := forms.DecodeEntry(data)
		if err != nil {
			t.Fatal(err)
		}
		e.ID, e.Training, e.Officer = uuid.NewString(), false, officer
		if i == 0 {
			// The first check: an immediate risk to other children of the
			// same adults.
			e.Answers["triage_life"] = forms.Answer{Value: "yes"}
			e.Grading = nil
			for j, name := range []string{"Zara Holloway", "Kai Holloway"} {
				e.Groups["child"][j].Answers["child_name"] = forms.Answer{Value: name}
				e.Groups["child"][j].Answers["child_dob"] = forms.Answer{Value: fmt.Sprintf("20%d-02-0%d", 19+2*j, j+3)}
			}
		}
		// A new check has new ids for the people in it.
		renamed := map[string]string{}
		for g := range e.Groups {
			for j := range e.Groups[g] {
				id := uuid.NewString()
				renamed[e.Groups[g][j].ID] = id
				e.Groups[g][j].ID = id
			}
		}
		for j := range e.Relationships {
			e.Relationships[j].From, e.Relationships[j].To = renamed[e.Relationships[j].From], renamed[e.Relationships[j].To]
		}
		res := srv.Push(t, dev, centraltest.Item(e, ""))
		if r := res.Results[0]; r.Status != api.StatusAccepted {
			t.Fatalf("push %d: %+v", i, r)
		}
		ids = append(ids, e.ID)
	}

	test.NewTempApp(t).Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := supervisor.New(w, supervisor.Config{Client: supervisor.NewClient(base, supervisor.Live),
		Checklists: centraltest.Registry(t), Poll: -1, Now: srv.Clock.Now, Logger: reviewtest.Quiet})
	t.Cleanup(u.Stop)
	// Cleanups run last first: background calls end before the next test
	// (the test driver runs fyne.Do on their goroutine).
	t.Cleanup(u.WaitIdle)
	u.Start()
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for u.WaitIdle(); !cond(); u.WaitIdle() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	test.Type(u.Login.Username, "sergeant1")
	test.Type(u.Login.Password, "safeguard-demo")
	test.Tap(u.Login.SignIn)
	wait("the queue", func() bool { return u.Queue != nil && len(u.Queue.Rows) == 2 })
	// The children of the second check are linked to people of an
	// immediate-risk check: the person index says so on the queue.
	wait("the person alerts", func() bool { return len(u.Queue.People) > 0 })
	if !strings.Contains(strings.ToLower(u.Queue.People[0].Text), "immediate") {
		t.Errorf("person alert %q", u.Queue.People[0].Text)
	}
	u.OpenEntry(ids[1])
	wait("the entry", func() bool { return u.Entry != nil && u.Entry.Entry != nil })
	test.Tap(u.Entry.Family)
	wait("the network", func() bool { return u.Network != nil && !u.Network.Busy.Visible() })
	s := u.Network
	if s.Message.Visible() {
		t.Fatalf("network refused: %s", s.Message.Text)
	}
	n := s.Graph.Network()
	if len(n.People) < 4 || len(n.Links) == 0 {
		t.Fatalf("network too small: %d people, %d links", len(n.People), len(n.Links))
	}
	twice := 0
	for _, p := range n.People {
		if len(p.Entries) >= 2 {
			twice++
		}
	}
	if twice == 0 {
		t.Fatalf("nobody is shown in both checks: the index did not link the family:\n%s", s.People.Text)
	}
	if !strings.Contains(s.People.Text, " is ") {
		t.Errorf("links not described in words:\n%s", s.People.Text)
	}
	// Person ids are random, so the layout differs from run to run: check
	// that the graph drew every person rather than compare pixels.
	if got := len(s.Graph.Network().People); got != len(n.People) {
		t.Errorf("graph holds %d people, network %d", got, len(n.People))
	}
	if sz := s.Graph.Size(); sz.Width < 500 || sz.Height < 400 {
		t.Errorf("graph laid out at %v", sz)
	}
	if os.Getenv("SAFEGUARD_DOC_IMAGES") != "" { // refresh the README's picture
		f, err := os.Create("../../docs/images/supervisor-network.png")
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, w.Canvas().Capture())
		f.Close()
	}
	test.Tap(s.Back)
	wait("the entry again", func() bool { return u.Entry != nil })
}
