package http_test

import (
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestTrainingNeverLive: through a real server, a practice check and a
// live check pushed by the same tablet: the trainer's results list the
// practice check only; the live queue, the data-quality report, the export
// and the referral outbox never see it, even once the trainer approves
// it; supervisors cannot read the trainer's results.
func TestTrainingNeverLive(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := centraltest.Start(t, backend)
			dev := srv.Enrol(t, central.DemoTeamA)
			officer := srv.UserID(t, "officer1")
			practice := centraltest.NewEntry(officer, 1)
			practice.Training = true
			live := centraltest.NewEntry(officer, 1)
			res := srv.Push(t, dev, centraltest.Item(practice, ""), centraltest.Item(live, ""))
			for _, r := range res.Results {
				if r.Status != api.StatusAccepted {
					t.Fatalf("push: %+v", r)
				}
			}
			trainer := &centraltest.Client{Base: srv.URL, Token: srv.Login(t, "trainer1"), HTTP: validatingClient(t)}
			var tr api.TrainingResults
			if st, raw := trainer.Do(t, "GET", "/v1/training/results", nil, &tr); st != 200 {
				t.Fatalf("results: %d %s", st, raw)
			}
			if len(tr.Entries) != 1 || tr.Entries[0].EntryID != practice.ID || tr.Entries[0].OfficerName != "PC Alex Officer" || len(tr.Entries[0].Entry) == 0 {
				t.Fatalf("trainer's results: %+v", tr.Entries)
			}
			if st, _ := trainer.Do(t, "POST", "/v1/training/entries/"+practice.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
				t.Fatalf("the trainer approves: %d", st)
			}

			sup := &centraltest.Client{Base: srv.URL, Token: srv.Login(t, "sergeant1"), HTTP: validatingClient(t)}
			if st, _ := sup.Do(t, "GET", "/v1/training/results", nil, nil); st != 403 {
				t.Errorf("a supervisor reads the trainer's results: %d", st)
			}
			var q api.QueueResponse
			sup.Do(t, "GET", "/v1/review/queue", nil, &q)
			if len(q.Items) != 1 || q.Items[0].EntryID != live.ID {
				t.Errorf("live queue: %+v", q.Items)
			}
			var rep central.QualityResult
			if st, raw := sup.Do(t, "GET", "/v1/reports/quality", nil, &rep); st != 200 || rep.Report.Overall.Entries != 1 || rep.Report.TrainingExcluded != 0 {
				t.Errorf("quality report: %d entries, %d training excluded (%d %.200s)", rep.Report.Overall.Entries, rep.Report.TrainingExcluded, st, raw)
			}
			st, csv := sup.Do(t, "GET", "/v1/exports/entries.csv?personal=true", nil, nil)
			if st != 200 || strings.Contains(string(csv), practice.ID) {
				t.Errorf("export: %d, holds the practice check: %v", st, strings.Contains(string(csv), practice.ID))
			}
			admin := &centraltest.Client{Base: srv.URL, Token: srv.Login(t, "admin")}
			var dl api.DeliveryList
			admin.Do(t, "GET", "/v1/admin/deliveries", nil, &dl)
			for _, d := range dl.Deliveries {
				if d.EntryID == practice.ID {
					t.Errorf("an approved practice check entered the referral outbox: %+v", d)
				}
			}
			if st, _ := sup.Do(t, "GET", "/v1/review/entries/"+practice.ID, nil, nil); st != 404 {
				t.Errorf("a supervisor opens the practice check in the live namespace: %d", st)
			}
		})
	}
}
