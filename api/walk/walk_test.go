package walk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api/genclient"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

const wireVersion = 1

// strict checks a generated client's reply: the status is want, the spec
// describes that status for the route (a JSON<status> member exists, not
// only the default), and the body decodes into that member's type with
// unknown fields refused and re-encodes to the same JSON (so no member
// was dropped and no required member was missing). It returns the decoded
// body.
func strict[T any](t *testing.T, what string, reply T, err error, want int) any {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	v := reflect.ValueOf(reply).Elem()
	resp := v.FieldByName("HTTPResponse").Interface().(*http.Response)
	body := v.FieldByName("Body").Bytes()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d: %s", what, resp.StatusCode, want, body)
	}
	f, ok := v.Type().FieldByName("JSON" + strconv.Itoa(resp.StatusCode))
	if !ok {
		if len(body) != 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: status %d has a JSON body but the spec describes no JSON body for it: %s", what, resp.StatusCode, body)
		}
		return nil
	}
	out := reflect.New(f.Type.Elem())
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out.Interface()); err != nil {
		t.Fatalf("%s: the %d body does not decode strictly into %s: %v\n%s", what, resp.StatusCode, f.Type.Elem(), err, body)
	}
	if dec.More() {
		t.Fatalf("%s: trailing data after the body", what)
	}
	again, err := json.Marshal(out.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonDiff(body, again); d != "" {
		t.Fatalf("%s: the %d body does not survive the generated type %s: %s\nserver: %s\nclient: %s", what, resp.StatusCode, f.Type.Elem(), d, body, again)
	}
	return out.Interface()
}

// jsonDiff says where two JSON texts differ ("" when they are the same;
// numbers within a relative 1e-6, as the generated client holds `number`
// as float32).
func jsonDiff(a, b []byte) string {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return err.Error()
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return err.Error()
	}
	return diff("$", x, y)
}

func diff(path string, x, y any) string {
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok {
			return path + ": object vs " + fmt.Sprintf("%T", y)
		}
		for k := range xv {
			if _, ok := yv[k]; !ok {
				return path + "." + k + ": sent by the server, dropped by the client"
			}
		}
		for k := range yv {
			if _, ok := xv[k]; !ok {
				return path + "." + k + ": not sent by the server (a required member missing?)"
			}
			if d := diff(path+"."+k, xv[k], yv[k]); d != "" {
				return d
			}
		}
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return path + ": arrays differ"
		}
		for i := range xv {
			if d := diff(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i]); d != "" {
				return d
			}
		}
	case float64:
		yv, ok := y.(float64)
		if !ok || math.Abs(xv-yv) > 1e-6*math.Max(1, math.Abs(xv)) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
	default:
		if !reflect.DeepEqual(x, y) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
	}
	return ""
}

func bearer(tok string) genclient.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

// item turns an entry into the generated client's push item.
func item(t *testing.T, e *forms.Entry, deviceGrade string) genclient.PushItem {
	t.Helper()
	w := centraltest.Item(e, deviceGrade)
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	var it genclient.PushItem
	if err := json.Unmarshal(b, &it); err != nil {
		t.Fatal(err)
	}
	return it
}

func TestWalkMainFlowsWithGeneratedClient(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	ctx := context.Background()
	c, err := genclient.NewClientWithResponses(base)
	if err != nil {
		t.Fatal(err)
	}
	v := genclient.WireVersion(wireVersion)

	// Operations and sign-in.
	{
		r, err := c.HealthzWithResponse(ctx)
		strict(t, "healthz", r, err, 200)
		r2, err := c.ReadyzWithResponse(ctx)
		strict(t, "readyz", r2, err, 200)
	}
	login := func(user, pw string, want int) string {
		t.Helper()
		r, err := c.LoginWithResponse(ctx, &genclient.LoginParams{}, genclient.LoginJSONRequestBody{Username: user, Password: pw})
		strict(t, "login "+user, r, err, want)
		if want != 200 {
			return ""
		}
		if r.JSON200.Token == "" || r.JSON200.User.Username != user {
			t.Fatalf("login %s: %+v", user, r.JSON200)
		}
		return r.JSON200.Token
	}
	login("sergeant1", "wrong password", 401)
	login("officer1", "safeguard-demo", 401) // officers sign in on devices: the same answer as a wrong password (issue 15)
	sup := login("sergeant1", "safeguard-demo", 200)
	adm := login("admin", "safeguard-demo", 200)
	{
		r, err := c.MeWithResponse(ctx, bearer(sup))
		if strict(t, "me", r, err, 200); r.JSON200.Role != genclient.UserRoleSupervisor {
			t.Fatalf("me: %+v", r.JSON200)
		}
		r2, err := c.MeWithResponse(ctx)
		strict(t, "me without a token", r2, err, 401)
		r3, err := c.ReviewQueueWithResponse(ctx, &genclient.ReviewQueueParams{}, bearer(adm))
		strict(t, "queue as an administrator", r3, err, 403)
	}

	// Enrolment: an unknown code, a missing wire version, then the demo code.
	{
		r, err := c.EnrolWithResponse(ctx, &genclient.EnrolParams{SafeguardWireVersion: v}, genclient.EnrolJSONRequestBody{Code: "nope", DeviceName: "walk"})
		strict(t, "enrol with an unknown code", r, err, 401)
		r2, err := c.EnrolWithResponse(ctx, &genclient.EnrolParams{SafeguardWireVersion: 0}, genclient.EnrolJSONRequestBody{Code: srv.EnrolmentCode, DeviceName: "walk"})
		strict(t, "enrol with wire version 0", r2, err, 426)
	}
	r, err := c.EnrolWithResponse(ctx, &genclient.EnrolParams{SafeguardWireVersion: v}, genclient.EnrolJSONRequestBody{Code: srv.EnrolmentCode, DeviceName: "walk"})
	strict(t, "enrol", r, err, 201)
	dev := *r.JSON201
	{
		r, err := c.EnrolWithResponse(ctx, &genclient.EnrolParams{SafeguardWireVersion: v}, genclient.EnrolJSONRequestBody{Code: srv.EnrolmentCode, DeviceName: "again"})
		strict(t, "enrol with a used code", r, err, 401)
	}

	// Officer sign-in through the device, and push.
	var officer string
	{
		r, err := c.DeviceSignInWithResponse(ctx, &genclient.DeviceSignInParams{SafeguardWireVersion: v}, genclient.DeviceSignInJSONRequestBody{Username: "officer1", Password: "wrong"}, bearer(dev.Credential))
		strict(t, "device sign-in, wrong password", r, err, 401)
		r2, err := c.DeviceSignInWithResponse(ctx, &genclient.DeviceSignInParams{SafeguardWireVersion: v}, genclient.DeviceSignInJSONRequestBody{Username: "officer3", Password: "safeguard-demo"}, bearer(dev.Credential))
		strict(t, "device sign-in, officer of another team", r2, err, 403)
		r3, err := c.DeviceSignInWithResponse(ctx, &genclient.DeviceSignInParams{SafeguardWireVersion: v}, genclient.DeviceSignInJSONRequestBody{Username: "officer1", Password: "safeguard-demo"}, bearer(dev.Credential))
		strict(t, "device sign-in", r3, err, 200)
		officer = r3.JSON200.Officer
	}
	e := centraltest.Example(t, officer)
	{
		r, err := c.PushWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, genclient.PushJSONRequestBody{DeviceId: dev.DeviceId, Items: []genclient.PushItem{item(t, e, "")}}, bearer(dev.Credential))
		strict(t, "push", r, err, 200)
		if res := r.JSON200.Results; len(res) != 1 || res[0].Status != genclient.PushResultStatusAccepted {
			t.Fatalf("push: %s", r.Body)
		}
		r2, err := c.PushWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, genclient.PushJSONRequestBody{DeviceId: "another-device", Items: []genclient.PushItem{item(t, e, "")}}, bearer(dev.Credential))
		strict(t, "push as another device", r2, err, 403)
		r3, err := c.PushWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, genclient.PushJSONRequestBody{DeviceId: dev.DeviceId, Items: []genclient.PushItem{item(t, e, "")}}, bearer("not-a-credential"))
		strict(t, "push with a bad credential", r3, err, 401)
		r4, err := c.PushWithBodyWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, "text/plain", strings.NewReader("{}"), bearer(dev.Credential))
		strict(t, "push as text/plain", r4, err, 415)
		r5, err := c.PushWithBodyWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, "application/json", strings.NewReader("{not json"), bearer(dev.Credential))
		strict(t, "push of broken JSON", r5, err, 400)
	}

	// The supervisor's queue, open, approve (twice: the second conflicts).
	entry := genclient.Entry(e.ID)
	{
		r, err := c.ReviewQueueWithResponse(ctx, &genclient.ReviewQueueParams{}, bearer(sup))
		strict(t, "queue", r, err, 200)
		if len(r.JSON200.Items) != 1 || r.JSON200.Items[0].EntryId != e.ID {
			t.Fatalf("queue: %s", r.Body)
		}
		r2, err := c.ReviewOpenWithResponse(ctx, entry, &genclient.ReviewOpenParams{}, bearer(sup))
		strict(t, "open", r2, err, 200)
		r3, err := c.ReviewOpenWithResponse(ctx, "00000000-0000-0000-0000-000000000000", &genclient.ReviewOpenParams{}, bearer(sup))
		strict(t, "open an unknown entry", r3, err, 404)
		r4, err := c.ReviewReferralJSONWithResponse(ctx, entry, bearer(sup))
		strict(t, "referral before approval", r4, err, 404)
		r5, err := c.ReviewApproveWithResponse(ctx, entry, genclient.ReviewApproveJSONRequestBody{Revision: 2}, bearer(sup))
		strict(t, "approve a revision that is not current", r5, err, 409)
		r6, err := c.ReviewApproveWithResponse(ctx, entry, genclient.ReviewApproveJSONRequestBody{Revision: 1}, bearer(sup))
		strict(t, "approve", r6, err, 200)
		if r6.JSON200.Status != genclient.DecisionResponseStatusApproved {
			t.Fatalf("approve: %s", r6.Body)
		}
		r7, err := c.ReviewApproveWithResponse(ctx, entry, genclient.ReviewApproveJSONRequestBody{Revision: 1}, bearer(sup))
		strict(t, "approve again", r7, err, 409)
	}

	// The referral JSON, member by member as the spec says.
	{
		r, err := c.ReviewReferralJSONWithResponse(ctx, entry, bearer(sup))
		strict(t, "referral JSON", r, err, 200)
		ref := r.JSON200
		if ref.EntryId != e.ID || len(ref.Children) == 0 || len(ref.Adults) == 0 || ref.Decisions.Supervisor.Decision == "" {
			t.Fatalf("referral: children %d adults %d supervisor decision %q", len(ref.Children), len(ref.Adults), ref.Decisions.Supervisor.Decision)
		}
		r2, err := c.ReviewReferralPDFWithResponse(ctx, entry, bearer(sup))
		strict(t, "referral PDF", r2, err, 200)
		if !bytes.HasPrefix(r2.Body, []byte("%PDF-")) {
			t.Fatalf("referral PDF starts %q", r2.Body[:min(8, len(r2.Body))])
		}
	}

	// The device pulls the decision.
	{
		r, err := c.PullWithResponse(ctx, &genclient.PullParams{SafeguardWireVersion: v}, bearer(dev.Credential))
		strict(t, "pull", r, err, 200)
		found := false
		for _, ch := range r.JSON200.Changes {
			if ch.Kind == genclient.ChangeKindDecision && ch.EntryId != nil && *ch.EntryId == e.ID {
				found = true
			}
		}
		if !found {
			t.Fatalf("pull: no decision for the entry: %s", r.Body)
		}
		bad := -1
		r2, err := c.PullWithResponse(ctx, &genclient.PullParams{SafeguardWireVersion: v, Limit: &bad}, bearer(dev.Credential))
		strict(t, "pull with limit -1", r2, err, 400)
	}

	// Attachments: an upload whose bytes do not match their hash.
	{
		photo := []byte("not really a photo, but bytes")
		e2 := centraltest.NewEntry(officer, 1)
		sum := centraltest.Photo(e2, photo)
		r, err := c.PushWithResponse(ctx, &genclient.PushParams{SafeguardWireVersion: v}, genclient.PushJSONRequestBody{DeviceId: dev.DeviceId, Items: []genclient.PushItem{item(t, e2, "")}}, bearer(dev.Credential))
		strict(t, "push with a photo", r, err, 200)
		if res := r.JSON200.Results; len(res) != 1 || res[0].Status != genclient.PushResultStatusAccepted {
			t.Fatalf("push with a photo: %s", r.Body)
		}
		r2, err := c.AttachmentOffsetWithResponse(ctx, genclient.Entry(e2.ID), sum, &genclient.AttachmentOffsetParams{SafeguardWireVersion: v}, bearer(dev.Credential))
		strict(t, "attachment offset", r2, err, 200)
		r3, err := c.AttachmentAppendWithBodyWithResponse(ctx, genclient.Entry(e2.ID), sum, &genclient.AttachmentAppendParams{SafeguardWireVersion: v, UploadOffset: 5}, "application/offset+octet-stream", bytes.NewReader(photo), bearer(dev.Credential))
		strict(t, "append at the wrong offset", r3, err, 409)
		wrong := bytes.Repeat([]byte("x"), len(photo))
		r4, err := c.AttachmentAppendWithBodyWithResponse(ctx, genclient.Entry(e2.ID), sum, &genclient.AttachmentAppendParams{SafeguardWireVersion: v, UploadOffset: 0}, "application/offset+octet-stream", bytes.NewReader(wrong), bearer(dev.Credential))
		strict(t, "append bytes that do not match the hash", r4, err, 422)
		r5, err := c.AttachmentAppendWithBodyWithResponse(ctx, genclient.Entry(e2.ID), sum, &genclient.AttachmentAppendParams{SafeguardWireVersion: v, UploadOffset: 0}, "application/offset+octet-stream", bytes.NewReader(photo), bearer(dev.Credential))
		strict(t, "append", r5, err, 200)
		if !r5.JSON200.Complete {
			t.Fatalf("append: %s", r5.Body)
		}
	}

	// Administration: lists, a duplicate team, a revoked device is told to wipe.
	{
		r, err := c.AdminListUsersWithResponse(ctx, bearer(adm))
		strict(t, "users", r, err, 200)
		r2, err := c.AdminListDevicesWithResponse(ctx, bearer(adm))
		strict(t, "devices", r2, err, 200)
		r3, err := c.AdminCreateTeamWithResponse(ctx, genclient.AdminCreateTeamJSONRequestBody{Id: "walk-team", Name: "Walk"}, bearer(adm))
		strict(t, "create team", r3, err, 201)
		r4, err := c.AdminCreateTeamWithResponse(ctx, genclient.AdminCreateTeamJSONRequestBody{Id: "walk-team", Name: "Walk"}, bearer(adm))
		strict(t, "create the team again", r4, err, 409)
		r5, err := c.AdminVerifyAuditWithResponse(ctx, bearer(adm))
		if strict(t, "verify audit", r5, err, 200); !r5.JSON200.Ok {
			t.Fatalf("audit: %s", r5.Body)
		}
		r6, err := c.AdminDeliveriesWithResponse(ctx, &genclient.AdminDeliveriesParams{}, bearer(adm))
		strict(t, "deliveries", r6, err, 200)
		r7, err := c.AdminRevokeDeviceWithResponse(ctx, dev.DeviceId, genclient.AdminRevokeDeviceJSONRequestBody{Reason: "walk"}, bearer(adm))
		strict(t, "revoke", r7, err, 204)
		r8, err := c.PullWithResponse(ctx, &genclient.PullParams{SafeguardWireVersion: v}, bearer(dev.Credential))
		strict(t, "pull after revocation", r8, err, 401)
		if r8.JSON401.Code != genclient.ErrorCodeDeviceRevoked || r8.JSON401.Wipe == nil || !*r8.JSON401.Wipe {
			t.Fatalf("revoked: %s", r8.Body)
		}
	}

	// Analysis.
	{
		r, err := c.ExportJSONWithResponse(ctx, &genclient.ExportJSONParams{}, bearer(sup))
		strict(t, "export JSON", r, err, 200)
		r2, err := c.ExportCSVWithResponse(ctx, &genclient.ExportCSVParams{}, bearer(sup))
		strict(t, "export CSV", r2, err, 200)
		r3, err := c.QualityReportWithResponse(ctx, &genclient.QualityReportParams{}, bearer(sup))
		strict(t, "quality report", r3, err, 200)
		other := "team-b"
		r4, err := c.ExportJSONWithResponse(ctx, &genclient.ExportJSONParams{Team: &other}, bearer(sup))
		strict(t, "export of another team", r4, err, 403)
	}
	r9, err := c.LogoutWithResponse(ctx, bearer(sup))
	strict(t, "logout", r9, err, 204)
	r10, err := c.MeWithResponse(ctx, bearer(sup))
	strict(t, "me after logout", r10, err, 401)
}
