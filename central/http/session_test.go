package http_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestSessions: login, expiry, logout; officers and wrong passwords are
// refused; a disabled account's session ends.
func TestSessions(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite, centraltest.WithConfig(central.Config{SessionTTL: time.Hour}))
	anon := srv.Client("")
	anon.HTTP = validatingClient(t)
	for _, c := range []struct {
		user, pw string
		status   int
	}{
		{"sergeant1", "wrong password", 401}, {"nobody", central.DemoPassword, 401}, {"officer1", central.DemoPassword, 401},
		{"", "", 401}, {"admin", central.DemoPassword, 200},
	} {
		if st, raw := anon.Do(t, "POST", "/v1/login", api.LoginRequest{Username: c.user, Password: c.pw}, nil); st != c.status {
			t.Errorf("login %s/%s: %d %s", c.user, c.pw, st, raw)
		}
	}
	tok := srv.Login(t, "sergeant1")
	c := srv.Client(tok)
	c.HTTP = anon.HTTP
	var me api.User
	if st, _ := c.Do(t, "GET", "/v1/me", nil, &me); st != 200 || me.Username != "sergeant1" || me.Role != "supervisor" {
		t.Fatalf("me: %d %+v", st, me)
	}
	srv.Clock.Advance(61 * time.Minute)
	if st, _ := c.Do(t, "GET", "/v1/me", nil, nil); st != 401 {
		t.Errorf("expired session: %d", st)
	}
	tok = srv.Login(t, "sergeant1")
	c.Token = tok
	if st, _ := c.Do(t, "POST", "/v1/logout", nil, nil); st != 204 {
		t.Errorf("logout: %d", st)
	}
	if st, _ := c.Do(t, "GET", "/v1/me", nil, nil); st != 401 {
		t.Errorf("after logout: %d", st)
	}
	c.Token = srv.Login(t, "trainer1")
	adm := srv.Client(srv.Login(t, "admin"))
	adm.HTTP = anon.HTTP
	if st, _ := adm.Do(t, "POST", "/v1/admin/users/trainer1/disable", nil, nil); st != 204 {
		t.Fatalf("disable: %d", st)
	}
	if st, _ := c.Do(t, "GET", "/v1/me", nil, nil); st != 401 {
		t.Errorf("disabled user's session: %d", st)
	}
	// Device sign-in: only officers of the device's team.
	dev := srv.Enrol(t, "")
	dc := srv.Client(dev.Credential)
	dc.HTTP = anon.HTTP
	if st, _ := dc.Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: "officer3", Password: central.DemoPassword}, nil); st != 403 {
		t.Errorf("other team's officer signed in: %d", st)
	}
	if st, _ := dc.Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: "officer1", Password: "nope"}, nil); st != 401 {
		t.Errorf("wrong password: %d", st)
	}
	if st, _ := dc.Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: "admin", Password: central.DemoPassword}, nil); st != 403 {
		t.Errorf("admin signed in on a device: %d", st)
	}
}

// TestAdminRoutes creates a team, a user and an enrolment code over HTTP,
// and checks the audit verification route.
func TestAdminRoutes(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	adm := srv.Client(srv.Login(t, "admin"))
	adm.HTTP = strictClient(t)
	if st, raw := adm.Do(t, "POST", "/v1/admin/teams", api.TeamRequest{ID: "cid", Name: "Child investigation"}, nil); st != 201 {
		t.Fatalf("team: %d %s", st, raw)
	}
	if st, _ := adm.Do(t, "POST", "/v1/admin/teams", api.TeamRequest{ID: "cid", Name: "again"}, nil); st != 409 {
		t.Errorf("duplicate team: %d", st)
	}
	if st, raw := adm.Do(t, "POST", "/v1/admin/users", api.UserRequest{Username: "pc9", Name: "PC Nine", Role: "officer", Teams: []string{"cid"}, Password: "long enough pw"}, nil); st != 201 {
		t.Fatalf("user: %d %s", st, raw)
	}
	for _, bad := range []api.UserRequest{
		{Username: "pc10", Name: "x", Role: "officer", Teams: []string{"cid"}, Password: "short"},
		{Username: "pc10", Name: "x", Role: "wizard", Teams: []string{"cid"}, Password: "long enough pw"},
		{Username: "PC 10", Name: "x", Role: "officer", Teams: []string{"cid"}, Password: "long enough pw"},
		{Username: "pc10", Name: "x", Role: "officer", Teams: []string{"nowhere"}, Password: "long enough pw"},
		{Username: "pc10", Name: "x", Role: "officer", Password: "long enough pw"},
	} {
		loose := *adm
		loose.HTTP = validatingClient(t) // these break the document on purpose
		if st, _ := loose.Do(t, "POST", "/v1/admin/users", bad, nil); st != 400 && st != 404 {
			t.Errorf("bad user %+v: %d", bad, st)
		}
	}
	var users struct{ Users []api.User }
	adm.Do(t, "GET", "/v1/admin/users", nil, &users)
	if len(users.Users) != len(central.DemoUsers)+1 {
		t.Errorf("%d users", len(users.Users))
	}
	var code api.EnrolmentCode
	if st, raw := adm.Do(t, "POST", "/v1/admin/enrolment-codes", api.EnrolmentCodeRequest{Team: "cid", TTLSeconds: 60}, &code); st != 201 {
		t.Fatalf("code: %d %s", st, raw)
	}
	srv.Clock.Advance(2 * time.Minute)
	if st, _ := srv.Client("").Do(t, "POST", "/v1/enrol", api.EnrolRequest{Code: code.Code, DeviceName: "late"}, nil); st != 401 {
		t.Errorf("expired code: %d", st)
	}
	var rep api.AuditReport
	if st, _ := adm.Do(t, "POST", "/v1/admin/audit/verify", nil, &rep); st != 200 || !rep.OK || rep.Records == 0 {
		t.Errorf("verify: %d %+v", st, rep)
	}
}

// TestMetricsAndPaging: the metrics count ingest and the queue; the pull
// feed pages with More.
func TestMetricsAndPaging(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	var items []api.PushItem
	for i := 0; i < 5; i++ {
		items = append(items, centraltest.Item(centraltest.NewEntry(officer, 1), ""))
	}
	bad := centraltest.NewEntry(officer, 1)
	delete(bad.Answers, "reason")
	items = append(items, centraltest.Item(bad, ""))
	srv.Push(t, dev, items...)
	srv.Push(t, dev, items[0])
	srv.Client("nope").Do(t, "GET", "/v1/pull", nil, nil)
	srv.Clock.Advance(25 * time.Hour)

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`safeguard_ingest_items_total{status="accepted"} 5`,
		`safeguard_ingest_items_total{status="duplicate"} 1`,
		`safeguard_ingest_items_total{status="rejected"} 1`,
		`safeguard_review_queue_depth 5`,
		`safeguard_review_overdue 5`,
		`safeguard_sync_errors_total{code="unauthorized",route="pull"} 1`,
		`safeguard_ingest_duration_seconds_count 2`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// Return all five: five decisions for the device, pulled two at a time.
	sup := srv.Client(srv.Login(t, "sergeant1"))
	for _, it := range items[:5] {
		if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+it.EntryID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
			t.Fatalf("approve: %d %s", st, raw)
		}
	}
	dc := srv.Client(dev.Credential)
	dc.HTTP = validatingClient(t)
	cursor, got := "", 0
	for page := 0; page < 10; page++ {
		var p api.PullResponse
		if st, raw := dc.Do(t, "GET", "/v1/pull?limit=2&cursor="+cursor, nil, &p); st != 200 {
			t.Fatalf("pull: %d %s", st, raw)
		}
		for _, c := range p.Changes {
			if c.Kind == api.KindDecision {
				got++
			}
		}
		if n, _ := strconv.Atoi(p.Cursor); cursor != "" && p.Cursor != cursor {
			if prev, _ := strconv.Atoi(cursor); n <= prev {
				t.Fatalf("cursor went back: %s -> %s", cursor, p.Cursor)
			}
		}
		cursor = p.Cursor
		if !p.More {
			break
		}
	}
	if got != 5 {
		t.Errorf("pulled %d decisions, want 5", got)
	}
}
