package central_test

import (
	"context"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

func principal(t *testing.T, srv *centraltest.Server, username string) central.Principal {
	t.Helper()
	p, err := srv.Service.AuthenticateSession(context.Background(), srv.Login(t, username))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDemoDataGivesEveryRoleAFirstScreen: the seeded story fills the
// supervisors' queues (some overdue), the alerts (a child seen three
// times), the possible matches, the outbox (delivered and dead letters),
// the data-quality report and the trainer's training queue; a second run
// adds nothing.
func TestDemoDataGivesEveryRoleAFirstScreen(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := centraltest.Start(t, backend, centraltest.WithPeople())
			ctx := context.Background()
			end := srv.Clock.Now()
			got, err := srv.Service.SeedDemoData(ctx, end)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Seeded || got.Entries < 20 || got.Returned < 3 || got.Approved < 10 || got.Delivered < 5 || got.Dead < 2 || got.Training < 3 {
				t.Fatalf("seeded %+v", got)
			}
			sgt := principal(t, srv, "sergeant1")
			q, err := srv.Service.Queue(ctx, sgt, central.Live, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			grades, overdue := map[string]bool{}, 0
			for _, it := range q.Items {
				grades[it.Grade] = true
				if it.Overdue {
					overdue++
				}
				if it.Training {
					t.Fatal("a practice check in the live queue")
				}
			}
			if len(q.Items) < 5 || overdue < 2 || !grades["immediate"] || !grades["high"] || !grades["standard"] {
				t.Fatalf("team A queue: %d items, %d overdue, grades %v", len(q.Items), overdue, grades)
			}
			if q2, err := srv.Service.Queue(ctx, principal(t, srv, "sergeant2"), central.Live, false, 0); err != nil || len(q2.Items) < 2 {
				t.Fatalf("team B queue: %+v %v", q2, err)
			}
			al, err := srv.Service.PersonAlerts(ctx, sgt, 0)
			if err != nil || len(al.Alerts) == 0 {
				t.Fatalf("alerts: %+v %v", al, err)
			}
			repeat := false
			for _, a := range al.Alerts {
				repeat = repeat || a.Kind == "repeat_appearance"
			}
			if !repeat {
				t.Errorf("no repeat-appearance alert: %+v", al.Alerts)
			}
			m, err := srv.Service.PossibleMatches(ctx, sgt, "", 0)
			if err != nil || len(m.Matches) == 0 {
				t.Fatalf("possible matches: %+v %v", m, err)
			}
			dl, err := srv.Service.ListDeliveries(ctx, principal(t, srv, "admin"), "", 0)
			if err != nil {
				t.Fatal(err)
			}
			states := map[string]int{}
			for _, d := range dl.Deliveries {
				states[d.State]++
			}
			if states[central.DeliveryDelivered] < 5 || states[central.DeliveryDead] < 2 || states[central.DeliveryPending] < 1 {
				t.Errorf("deliveries by state: %v", states)
			}
			rep, err := srv.Service.Quality(ctx, sgt, central.Query{})
			if err != nil || rep.Report.Overall.Entries < 10 {
				t.Fatalf("quality: %+v %v", rep, err)
			}
			tq, err := srv.Service.Queue(ctx, principal(t, srv, "trainer1"), central.Training, false, 0)
			if err != nil || len(tq.Items) < 3 {
				t.Fatalf("training queue: %+v %v", tq, err)
			}
			// The officer's first screen: a tablet enrolled now into team A
			// pulls the team's alerts (the child seen three times).
			dev := srv.Enrol(t, central.DemoTeamA)
			dp, err := srv.Service.AuthenticateDevice(ctx, dev.Credential)
			if err != nil {
				t.Fatal(err)
			}
			pull, err := srv.Service.Pull(ctx, dp, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			alerts := 0
			for _, c := range pull.Changes {
				if c.Kind == api.KindAlert {
					alerts++
				}
			}
			if alerts == 0 {
				t.Errorf("a new team A tablet pulls no alerts (%d changes)", len(pull.Changes))
			}
			again, err := srv.Service.SeedDemoData(ctx, end.Add(time.Hour))
			if err != nil || again.Seeded {
				t.Fatalf("second seed: %+v %v", again, err)
			}
		})
	}
}

// TestDemoDataRefusesLiveData: a database holding an entry the demo did
// not make is never seeded.
func TestDemoDataRefusesLiveData(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite)
	dev := srv.Enrol(t, central.DemoTeamA)
	srv.Push(t, dev, centraltest.Item(centraltest.NewEntry(srv.UserID(t, "officer1"), 1), ""))
	_, err := srv.Service.SeedDemoData(context.Background(), srv.Clock.Now())
	if central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("seeding a database with live data: %v", err)
	}
	q, err := srv.Service.Queue(context.Background(), principal(t, srv, "sergeant1"), central.Live, false, 0)
	if err != nil || len(q.Items) != 1 {
		t.Fatalf("the live entry: %+v %v", q, err)
	}
}
