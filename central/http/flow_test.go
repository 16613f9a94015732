package http_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestReviewFlow walks one entry through the whole workflow on each
// backend: pushed, duplicate, conflict, queued by grade, opened, returned
// with comments, resubmitted (with a diff), approved, amended; the device
// pulls the decisions in order.
func TestReviewFlow(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			devc := srv.Client(dev.Credential)
			devc.HTTP = strictClient(t)

			var who api.SignInResponse
			if st, raw := devc.Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: "officer1", Password: "safeguard-demo"}, &who); st != 200 {
				t.Fatalf("signin: %d %s", st, raw)
			}
			officer := who.Officer

			std := centraltest.NewEntry(officer, 5)
			high := centraltest.NotSeen(centraltest.NewEntry(officer, 2))
			imm := centraltest.Immediate(centraltest.NewEntry(officer, 1))
			notReady := centraltest.NewEntry(officer, 1)
			delete(notReady.Answers, "incident_ref")

			res := push(t, devc, dev, centraltest.Item(std, "standard"), centraltest.Item(high, "standard"), centraltest.Item(imm, "immediate"), centraltest.Item(notReady, ""))
			want := []api.Status{api.StatusAccepted, api.StatusAccepted, api.StatusAccepted, api.StatusRejected}
			for i, r := range res.Results {
				if r.Status != want[i] {
					t.Fatalf("item %d: %+v, want %s", i, r, want[i])
				}
			}
			if res.Results[1].Grade != "high" || res.Results[2].Grade != "immediate" {
				t.Errorf("server grades: %+v", res.Results)
			}
			if !res.Results[3].Permanent || len(res.Results[3].Reasons) == 0 {
				t.Errorf("not-ready entry: %+v", res.Results[3])
			}
			receipt := res.Results[0].Receipt

			// Sent twice: stored once, same receipt. Changed content, same revision: conflict.
			again := push(t, devc, dev, centraltest.Item(std, "standard"))
			if again.Results[0].Status != api.StatusDuplicate || again.Results[0].Receipt != receipt {
				t.Fatalf("duplicate: %+v", again.Results[0])
			}
			changed := centraltest.Revise(std)
			changed.Revision = 1
			changed.Answers["reason"] = forms.Answer{Value: "other"}
			if r := push(t, devc, dev, centraltest.Item(changed, "standard")).Results[0]; r.Status != api.StatusConflict {
				t.Fatalf("conflict: %+v", r)
			}

			sup := srv.Client(srv.Login(t, "sergeant1"))
			sup.HTTP = devc.HTTP
			var q api.QueueResponse
			if st, raw := sup.Do(t, "GET", "/v1/review/queue", nil, &q); st != 200 {
				t.Fatalf("queue: %d %s", st, raw)
			}
			if len(q.Items) != 3 || q.Items[0].EntryID != imm.ID || q.Items[1].EntryID != high.ID || q.Items[2].EntryID != std.ID {
				t.Fatalf("queue order: %+v", q.Items)
			}
			if q.Items[2].Receipt != receipt {
				t.Errorf("queue receipt %q, want %q", q.Items[2].Receipt, receipt)
			}
			var hv api.EntryView
			if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+high.ID, nil, &hv); st != 200 || !hv.GradeDisagrees || hv.DeviceGrade != "standard" || hv.Grade != "high" {
				t.Fatalf("grade disagreement not recorded: %d %s", st, raw)
			}
			if d := q.Items[0].Deadline.Sub(q.Items[0].Received); d != time.Hour {
				t.Errorf("immediate deadline window %v", d)
			}

			var v api.EntryView
			if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+std.ID, nil, &v); st != 200 {
				t.Fatalf("open: %d %s", st, raw)
			}
			if v.Receipt != receipt || v.Status != api.EntryReceived || len(v.Revisions) != 1 {
				t.Fatalf("view: %+v", v)
			}
			childID := std.Groups["child"][0].ID
			var dr api.DecisionResponse
			if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+std.ID+"/return", api.ReturnRequest{Revision: 1,
				Comments: []api.Comment{{Question: "child[" + childID + "].child_words", Text: "Record who was present."}}}, &dr); st != 200 {
				t.Fatalf("return: %d %s", st, raw)
			}

			var pull api.PullResponse
			if st, raw := devc.Do(t, "GET", "/v1/pull", nil, &pull); st != 200 {
				t.Fatalf("pull: %d %s", st, raw)
			}
			dec := lastOf(pull.Changes, api.KindDecision)
			if dec == nil || dec.Decision != api.DecisionReturned || dec.EntryID != std.ID || len(dec.Comments) != 1 {
				t.Fatalf("pulled: %+v", pull.Changes)
			}

			rev2 := centraltest.Revise(std)
			rev2.Groups["child"][0].Answers["child_words"] = forms.Answer{Value: "I want my nan. (Mother present.)"}
			if r := push(t, devc, dev, centraltest.Item(rev2, "standard")).Results[0]; r.Status != api.StatusAccepted || r.Receipt == receipt {
				t.Fatalf("rev 2: %+v", r)
			}
			if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+std.ID, nil, &v); st != 200 {
				t.Fatalf("open: %d %s", st, raw)
			}
			if len(v.Revisions) != 2 || len(v.Revisions[1].Diff) != 1 || v.Revisions[1].Diff[0].Path != "child["+childID+"].child_words" {
				t.Fatalf("diff: %+v", v.Revisions)
			}
			if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+std.ID+"/approve", api.ApproveRequest{Revision: 2}, &dr); st != 200 || dr.Status != api.EntryApproved {
				t.Fatalf("approve: %d %s", st, raw)
			}
			// Approved is never changed: a second approval or a grade change is refused.
			if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+std.ID+"/approve", api.ApproveRequest{Revision: 2}, nil); st != http.StatusConflict {
				t.Errorf("re-approve: %d", st)
			}
			if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+std.ID+"/grade", api.GradeRequest{Grade: "high"}, nil); st != http.StatusConflict {
				t.Errorf("grade approved: %d", st)
			}
			// An approved entry is only amended: a new revision goes back
			// into the queue, the approved one is kept as it was.
			rev3 := centraltest.Revise(rev2)
			rev3.Answers["incident_ref"] = forms.Answer{Value: "INC-AMENDED"}
			if r := push(t, devc, dev, centraltest.Item(rev3, "standard")).Results[0]; r.Status != api.StatusAccepted {
				t.Fatalf("amendment: %+v", r)
			}
			if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+std.ID+"?revision=2", nil, &v); st != 200 {
				t.Fatalf("open rev 2: %d %s", st, raw)
			}
			if v.Status != api.EntryReceived || v.Approved != 2 || v.Current != 3 || v.Revision != 2 || len(v.Revisions) != 3 ||
				len(v.Revisions[2].Diff) != 1 || v.Revisions[2].Diff[0].Path != "incident_ref" {
				t.Fatalf("after amendment: %+v", v)
			}
			if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+std.ID+"/approve", api.ApproveRequest{Revision: 3}, &dr); st != 200 {
				t.Fatalf("approve amendment: %d %s", st, raw)
			}
			// Raising needs no reason; lowering does.
			if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+high.ID+"/grade", api.GradeRequest{Grade: "immediate"}, &dr); st != 200 || dr.Grade != "immediate" {
				t.Fatalf("raise: %d %s", st, raw)
			}
			if st, _ := sup.Do(t, "POST", "/v1/review/entries/"+high.ID+"/grade", api.GradeRequest{Grade: "standard"}, nil); st != http.StatusBadRequest {
				t.Errorf("lower without reason: %d", st)
			}
			if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+high.ID+"/grade", api.GradeRequest{Grade: "medium", Reason: "Child seen next morning by PCSO."}, &dr); st != 200 {
				t.Fatalf("lower: %d %s", st, raw)
			}

			var pull2 api.PullResponse
			if st, raw := devc.Do(t, "GET", "/v1/pull?cursor="+pull.Cursor, nil, &pull2); st != 200 {
				t.Fatalf("pull: %d %s", st, raw)
			}
			if len(pull2.Changes) != 4 || pull2.Changes[0].Decision != api.DecisionApproved || pull2.Changes[1].Revision != 3 || pull2.Changes[2].Kind != api.KindAlert {
				t.Fatalf("pull 2: %+v", pull2.Changes)
			}
			for i := 1; i < len(pull2.Changes); i++ {
				if pull2.Changes[i].Seq <= pull2.Changes[i-1].Seq {
					t.Fatalf("not in server order: %+v", pull2.Changes)
				}
			}

			// Overdue: move the clock past the immediate deadline.
			srv.Clock.Advance(2 * time.Hour)
			if st, raw := sup.Do(t, "GET", "/v1/review/queue?overdue=true", nil, &q); st != 200 {
				t.Fatalf("overdue: %d %s", st, raw)
			}
			if len(q.Items) != 1 || q.Items[0].EntryID != imm.ID || !q.Items[0].Overdue {
				t.Fatalf("overdue queue: %+v", q.Items)
			}
		})
	}
}

func push(t *testing.T, c *centraltest.Client, dev api.EnrolResponse, items ...api.PushItem) api.PushResponse {
	t.Helper()
	var out api.PushResponse
	st, raw := c.Do(t, "POST", "/v1/push", api.PushRequest{DeviceID: dev.DeviceID, Items: items}, &out)
	if st != http.StatusOK {
		t.Fatalf("push: %d %s", st, raw)
	}
	if len(out.Results) != len(items) {
		t.Fatalf("push: %d results for %d items", len(out.Results), len(items))
	}
	return out
}

func lastOf(cs []api.Change, k api.ChangeKind) *api.Change {
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].Kind == k {
			return &cs[i]
		}
	}
	return nil
}
