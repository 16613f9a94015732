package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestTrainingNamespace: training entries never reach the live queue, and
// supervisors and trainers each see only their own namespace.
func TestTrainingNamespace(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			hc := strictClient(t)
			officer := srv.UserID(t, "officer1")
			tr := centraltest.Immediate(centraltest.NewEntry(officer, 2))
			tr.Training = true
			live := centraltest.NewEntry(officer, 1)
			res := srv.Push(t, dev, centraltest.Item(tr, "immediate"), centraltest.Item(live, "standard"))
			if !strings.HasPrefix(res.Results[0].Receipt, "TR-") || !strings.HasPrefix(res.Results[1].Receipt, "SG-") {
				t.Fatalf("receipts: %+v", res.Results)
			}
			sup := srv.Client(srv.Login(t, "sergeant1"))
			sup.HTTP = hc
			trn := srv.Client(srv.Login(t, "trainer1"))
			trn.HTTP = hc
			var q api.QueueResponse
			sup.Do(t, "GET", "/v1/review/queue", nil, &q)
			if len(q.Items) != 1 || q.Items[0].EntryID != live.ID {
				t.Fatalf("live queue holds %+v", q.Items)
			}
			trn.Do(t, "GET", "/v1/training/queue", nil, &q)
			if len(q.Items) != 1 || q.Items[0].EntryID != tr.ID || !q.Items[0].Training {
				t.Fatalf("training queue holds %+v", q.Items)
			}
			if st, _ := sup.Do(t, "GET", "/v1/review/entries/"+tr.ID, nil, nil); st != 404 {
				t.Errorf("supervisor opened a training entry: %d", st)
			}
			if st, _ := trn.Do(t, "GET", "/v1/training/entries/"+live.ID, nil, nil); st != 404 {
				t.Errorf("trainer opened a live entry: %d", st)
			}
			if st, _ := trn.Do(t, "GET", "/v1/review/queue", nil, nil); st != 403 {
				t.Errorf("trainer on the live queue: %d", st)
			}
			var dr api.DecisionResponse
			if st, raw := trn.Do(t, "POST", "/v1/training/entries/"+tr.ID+"/approve", api.ApproveRequest{Revision: 1}, &dr); st != 200 {
				t.Fatalf("trainer approve: %d %s", st, raw)
			}
			st, err := srv.Service.Stats(context.Background())
			if err != nil || st.Depth != 1 || st.TrainingDepth != 0 {
				t.Fatalf("stats %+v %v", st, err)
			}
		})
	}
}

// TestTeamsAndOwnEntries: supervisors see their own teams only; nobody
// approves their own entry.
func TestTeamsAndOwnEntries(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	hc := validatingClient(t)
	e := centraltest.NewEntry(srv.UserID(t, "officer1"), 1)
	own := centraltest.NewEntry(srv.UserID(t, "sergeant1"), 1) // a sergeant who attended an incident
	srv.Push(t, dev, centraltest.Item(e, ""), centraltest.Item(own, ""))

	other := srv.Client(srv.Login(t, "sergeant2"))
	other.HTTP = hc
	var q api.QueueResponse
	other.Do(t, "GET", "/v1/review/queue", nil, &q)
	if len(q.Items) != 0 {
		t.Fatalf("team B supervisor sees %+v", q.Items)
	}
	for _, path := range []string{"/v1/review/entries/" + e.ID} {
		if st, _ := other.Do(t, "GET", path, nil, nil); st != 404 {
			t.Errorf("team B opened a team A entry: %d", st)
		}
	}
	if st, _ := other.Do(t, "POST", "/v1/review/entries/"+e.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 404 {
		t.Errorf("team B approved a team A entry: %d", st)
	}
	sup := srv.Client(srv.Login(t, "sergeant1"))
	sup.HTTP = hc
	st, raw := sup.Do(t, "POST", "/v1/review/entries/"+own.ID+"/approve", api.ApproveRequest{Revision: 1}, nil)
	if st != 403 || code(raw) != "own_entry" {
		t.Fatalf("own entry: %d %s", st, raw)
	}
	if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+own.ID+"/grade", api.GradeRequest{Grade: "immediate"}, nil); st != 403 {
		t.Errorf("own entry grade: %d", st)
	}
	// Stale revision.
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/approve", api.ApproveRequest{Revision: 2}, nil); st != 409 {
		t.Errorf("stale revision: %d %s", st, raw)
	}
	// A return needs a reason, and comments must name real questions.
	if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/return", api.ReturnRequest{Revision: 1}, nil); st != 400 {
		t.Errorf("return without reasons: %d", st)
	}
	if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/return", api.ReturnRequest{Revision: 1,
		Comments: []api.Comment{{Question: "no_such_question", Text: "?"}}}, nil); st != 400 {
		t.Errorf("comment on an unknown question: %d", st)
	}
}

// TestRevocation: a revoked device is refused on its next request and told
// to wipe; a disabled officer's team devices are told to sign them out.
func TestRevocation(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			hc := validatingClient(t)
			devc := srv.Client(dev.Credential)
			devc.HTTP = hc
			adm := srv.Client(srv.Login(t, "admin"))
			adm.HTTP = hc

			if st, raw := adm.Do(t, "POST", "/v1/admin/users/officer2/disable", nil, nil); st != 204 {
				t.Fatalf("disable: %d %s", st, raw)
			}
			var pull api.PullResponse
			devc.Do(t, "GET", "/v1/pull", nil, &pull)
			rv := lastOf(pull.Changes, api.KindRevocation)
			if rv == nil || rv.Text != srv.UserID(t, "officer2") {
				t.Fatalf("revocation not pulled: %+v", pull.Changes)
			}
			if lastOf(pull.Changes, api.KindChecklist) == nil {
				t.Errorf("checklist announcements not pulled: %+v", pull.Changes)
			}

			var list api.DeviceList
			adm.Do(t, "GET", "/v1/admin/devices", nil, &list)
			if len(list.Devices) == 0 {
				t.Fatal("no devices listed")
			}
			if st, raw := adm.Do(t, "POST", "/v1/admin/devices/"+dev.DeviceID+"/revoke", api.RevokeRequest{Reason: "reported stolen"}, nil); st != 204 {
				t.Fatalf("revoke: %d %s", st, raw)
			}
			st, raw := devc.Do(t, "GET", "/v1/pull", nil, nil)
			var we api.Error
			json.Unmarshal(raw, &we)
			if st != 401 || we.Code != "device_revoked" || !we.Wipe {
				t.Fatalf("revoked device: %d %s", st, raw)
			}
			// The audit trail names every step.
			rep, err := srv.Service.VerifyAudit(context.Background(), central.System("test"))
			if err != nil || !rep.OK {
				t.Fatalf("audit: %+v %v", rep, err)
			}
		})
	}
}

// TestDuplicateAfterOfficerDisabled: a revision stored before is
// acknowledged as a duplicate even once its officer is disabled, so the
// device never sets aside what the server holds; a new revision is refused.
func TestDuplicateAfterOfficerDisabled(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	e := centraltest.NewEntry(srv.UserID(t, "officer2"), 1)
	first := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]
	if err := srv.Service.DisableUser(context.Background(), central.System("test"), "officer2"); err != nil {
		t.Fatal(err)
	}
	again := srv.Push(t, dev, centraltest.Item(e, ""), centraltest.Item(centraltest.Revise(e), "")).Results
	if again[0].Status != api.StatusDuplicate || again[0].Receipt != first.Receipt {
		t.Fatalf("replay after disable: %+v", again[0])
	}
	if again[1].Status != api.StatusRejected || !again[1].Permanent {
		t.Fatalf("new revision by a disabled officer: %+v", again[1])
	}
}
