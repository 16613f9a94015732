package walk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api/genclient"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestWalkReviewTrainingAndPeople walks the rest of the reviewers' routes
// with the generated client and strict decoding: grade, return, the person
// index's network, alerts and matches, the trainer's namespace, a body
// over the size limit.
func TestWalkReviewTrainingAndPeople(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithPeople())
	ctx := context.Background()
	c, err := genclient.NewClientWithResponses(base)
	if err != nil {
		t.Fatal(err)
	}
	v := genclient.WireVersion(wireVersion)
	login := func(user string) string {
		t.Helper()
		r, err := c.LoginWithResponse(ctx, &genclient.LoginParams{}, genclient.LoginJSONRequestBody{Username: user, Password: "safeguard-demo"})
		strict(t, "login "+user, r, err, 200)
		return r.JSON200.Token
	}
	sup, trainer := login("sergeant1"), login("trainer1")
	{
		r, err := c.LoginWithResponse(ctx, &genclient.LoginParams{}, genclient.LoginJSONRequestBody{Username: "sergeant1", Password: strings.Repeat("x", 100<<10)})
		strict(t, "login with a 100 KiB password", r, err, 413)
	}

	r, err := c.EnrolWithResponse(ctx, &genclient.EnrolParams{SafeguardWireVersion: v}, genclient.EnrolJSONRequestBody{Code: srv.EnrolmentCode, DeviceName: "walk"})
	strict(t, "enrol", r, err, 201)
	dev := r.JSON201
	si, err := c.DeviceSignInWithResponse(ctx, &genclient.DeviceSignInParams{SafeguardWireVersion: v}, genclient.DeviceSignInJSONRequestBody{Username: "officer1", Password: "safeguard-demo"}, bearer(dev.Credential))
	strict(t, "device sign-in", si, err, 200)
	officer := si.JSON200.Officer

	live := centraltest.Example(t, officer)
	tr := centraltest.Example(t, officer)
	tr.Training = true
	pr, err := c.PushWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, genclient.PushJSONRequestBody{DeviceId: dev.DeviceId, Items: []genclient.PushItem{item(t, live, ""), item(t, tr, "")}}, bearer(dev.Credential))
	strict(t, "push", pr, err, 200)
	for _, res := range pr.JSON200.Results {
		if res.Status != genclient.PushResultStatusAccepted {
			t.Fatalf("push: %s", pr.Body)
		}
	}
	entry := genclient.Entry(live.ID)

	// Grade: raise freely, lower only with a reason; return with a comment.
	{
		r, err := c.ReviewGradeWithResponse(ctx, entry, genclient.ReviewGradeJSONRequestBody{Grade: genclient.Immediate}, bearer(sup))
		strict(t, "raise the grade", r, err, 200)
		r2, err := c.ReviewGradeWithResponse(ctx, entry, genclient.ReviewGradeJSONRequestBody{Grade: genclient.Standard}, bearer(sup))
		strict(t, "lower the grade without a reason", r2, err, 400)
		r3, err := c.ReviewReturnWithResponse(ctx, entry, genclient.ReviewReturnJSONRequestBody{Revision: 1}, bearer(sup))
		strict(t, "return without a reason", r3, err, 400)
		text := "please add the school"
		r4, err := c.ReviewReturnWithResponse(ctx, entry, genclient.ReviewReturnJSONRequestBody{Revision: 1, Text: &text}, bearer(sup))
		strict(t, "return", r4, err, 200)
		r5, err := c.ReviewReturnWithResponse(ctx, entry, genclient.ReviewReturnJSONRequestBody{Revision: 1, Text: &text}, bearer(sup))
		strict(t, "return again", r5, err, 409)
		r6, err := c.ReviewOpenWithResponse(ctx, entry, &genclient.ReviewOpenParams{}, bearer(sup))
		strict(t, "open after the decisions", r6, err, 200)
		if len(r6.JSON200.Decisions) < 2 {
			t.Fatalf("open: decisions %s", r6.Body)
		}
	}

	// The person index.
	{
		r, err := c.ReviewNetworkWithResponse(ctx, entry, bearer(sup))
		strict(t, "network", r, err, 200)
		if len(r.JSON200.People) == 0 {
			t.Fatalf("network: %s", r.Body)
		}
		r2, err := c.ReviewAlertsWithResponse(ctx, &genclient.ReviewAlertsParams{}, bearer(sup))
		strict(t, "alerts", r2, err, 200)
		r3, err := c.ReviewMatchesWithResponse(ctx, &genclient.ReviewMatchesParams{}, bearer(sup))
		strict(t, "matches", r3, err, 200)
		r4, err := c.ReviewMatchConfirmWithResponse(ctx, "no-such-match", genclient.ReviewMatchConfirmJSONRequestBody{}, bearer(sup))
		strict(t, "confirm an unknown match", r4, err, 404)
	}

	// The trainer's namespace: the training entry, never in the live queue.
	{
		q, err := c.ReviewQueueWithResponse(ctx, &genclient.ReviewQueueParams{}, bearer(sup))
		strict(t, "live queue", q, err, 200)
		for _, it := range q.JSON200.Items {
			if it.EntryId == tr.ID {
				t.Fatal("a training entry is in the live queue")
			}
		}
		r0, err := c.TrainingQueueWithResponse(ctx, &genclient.TrainingQueueParams{}, bearer(sup))
		strict(t, "training queue as a supervisor", r0, err, 403)
		r, err := c.TrainingQueueWithResponse(ctx, &genclient.TrainingQueueParams{}, bearer(trainer))
		strict(t, "training queue", r, err, 200)
		if len(r.JSON200.Items) != 1 || r.JSON200.Items[0].EntryId != tr.ID {
			t.Fatalf("training queue: %s", r.Body)
		}
		te := genclient.Entry(tr.ID)
		r2, err := c.TrainingOpenWithResponse(ctx, te, &genclient.TrainingOpenParams{}, bearer(trainer))
		strict(t, "training open", r2, err, 200)
		r3, err := c.TrainingOpenWithResponse(ctx, entry, &genclient.TrainingOpenParams{}, bearer(trainer))
		strict(t, "a live entry through the training routes", r3, err, 404)
		r4, err := c.TrainingApproveWithResponse(ctx, te, genclient.TrainingApproveJSONRequestBody{Revision: 1}, bearer(trainer))
		strict(t, "training approve", r4, err, 200)
		r5, err := c.TrainingReferralJSONWithResponse(ctx, te, bearer(trainer))
		strict(t, "training referral JSON", r5, err, 200)
		if r5.JSON200.Training == nil || !*r5.JSON200.Training {
			t.Fatalf("training referral not marked: %s", r5.Body[:200])
		}
	}
}
