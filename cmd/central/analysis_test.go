package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/signature"
)

// TestAnalysisCommands drives export, report and delivery against the
// database of a running test server with one approved real entry.
func TestAnalysisCommands(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	e := centraltest.Example(t, srv.UserID(t, "officer1"))
	srv.Push(t, dev, centraltest.Item(e, ""))
	if st, raw := srv.Client(srv.Login(t, "sergeant1")).Do(t, "POST", "/v1/review/entries/"+e.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}

	out, err := runCmd(t, "", "export", "--db", srv.DSN, "--format", "csv")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(central.ExportColumns, ",") || strings.Contains(out, "Mia") {
		t.Fatalf("csv export: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "x.json")
	if out, err := runCmd(t, "", "export", "--db", srv.DSN, "--format", "json", "--personal", "--team", "team-a", "--out", file); err != nil {
		t.Fatalf("personal export: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(file)
	var exp api.Export
	if err := json.Unmarshal(b, &exp); err != nil || !exp.Personal || len(exp.Rows) != 2 || exp.Rows[0].ChildName != "Mia Fairweather" {
		t.Fatalf("json export: %v %.300s", err, b)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v", st.Mode().Perm())
	}
	if _, err := runCmd(t, "", "export", "--db", srv.DSN, "--format", "xml"); err == nil {
		t.Error("--format xml accepted")
	}

	charts := filepath.Join(t.TempDir(), "charts")
	out, err = runCmd(t, "", "report", "--db", srv.DSN, "--charts", charts)
	if err != nil || !strings.Contains(out, "Teams: team-a, team-b") || !strings.Contains(strings.ToLower(out), "ethnicity") {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if pngs, _ := filepath.Glob(filepath.Join(charts, "*.png")); len(pngs) < 5 {
		t.Errorf("%d chart files", len(pngs))
	}
	out, err = runCmd(t, "", "report", "--db", srv.DSN, "--format", "json", "--team", "team-a", "--from", "2020-01-01")
	var res central.QualityResult
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Report.Overall.Entries != 1 || res.Report.Overall.Children.Total != 2 {
		t.Fatalf("report json: %v\n%.500s", err, out)
	}

	out, err = runCmd(t, "", "delivery", "list", "--db", srv.DSN)
	if err != nil || !strings.Contains(out, "pending") {
		t.Fatalf("delivery list: %v\n%s", err, out)
	}
	if _, err := runCmd(t, "", "delivery", "replay", "--db", srv.DSN); err == nil {
		t.Error("replay with neither ids nor --all accepted")
	}
	// Make it a dead letter, then replay it from the command line.
	err = srv.Store.Update(context.Background(), func(tx central.Tx) error {
		d, err := tx.LatestDelivery(context.Background(), e.ID)
		if err != nil {
			return err
		}
		d.State, d.LastError = central.DeliveryDead, "the partner refused the referral: HTTP 400 Bad Request"
		return tx.UpdateDelivery(context.Background(), d)
	})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "", "delivery", "list", "--db", srv.DSN, "--state", "dead"); err != nil || !strings.Contains(out, "HTTP 400") {
		t.Fatalf("dead list: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "", "delivery", "replay", "--db", srv.DSN, "--all"); err != nil || !strings.Contains(out, "1 dead deliveries put back") {
		t.Fatalf("replay: %v\n%s", err, out)
	}
}

// TestServeDeliversReferrals runs `central serve` with a partner endpoint
// (the secret from the environment): an approval made through the API
// reaches the partner signed, the metrics count it, and neither the log
// nor -h ever shows the secret.
func TestServeDeliversReferrals(t *testing.T) {
	drainDelay = 10 * time.Millisecond
	const secret = "s3cret-shared-with-the-MASH"
	t.Setenv("SAFEGUARD_PARTNER_SECRET", secret)
	var mu sync.Mutex
	var got []string
	partnerSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := signature.Verify([]byte(secret), r.Header.Get(signature.Header), body, time.Now(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		mu.Lock()
		got = append(got, r.Header.Get(signature.IdempotencyHeader))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer partnerSrv.Close()

	if out, _ := runCmd(t, "", "serve", "-h"); strings.Contains(out, secret) {
		t.Fatal("serve -h prints the secret")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--demo-data=false", "--db", filepath.Join(t.TempDir(), "d.db"), "--addr", "127.0.0.1:0", "--metrics-open",
			"--partner-url", partnerSrv.URL + "/referrals", "--force-name", "Oakbridge Police", "--log-level", "debug"}, strings.NewReader(""), &out, &logs)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
		if strings.Contains(logs.String(), secret) {
			t.Error("the log shows the partner secret")
		}
	}()
	base := waitListening(&out)
	if base == "" {
		t.Fatalf("server did not start: %s", logs.String())
	}
	c := &centraltest.Client{Base: base}
	var enrol api.EnrolResponse
	if st, raw := c.Do(t, "POST", "/v1/enrol", api.EnrolRequest{Code: central.DemoEnrolmentCode, DeviceName: "t"}, &enrol); st != 201 {
		t.Fatalf("enrol: %d %s", st, raw)
	}
	dc := &centraltest.Client{Base: base, Token: enrol.Credential}
	var who api.SignInResponse
	dc.Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: "officer1", Password: central.DemoPassword}, &who)
	e := centraltest.Example(t, who.Officer)
	var pr api.PushResponse
	if st, raw := dc.Do(t, "POST", "/v1/push", api.PushRequest{DeviceID: enrol.DeviceID, Items: []api.PushItem{centraltest.Item(e, "")}}, &pr); st != 200 ||
		pr.Results[0].Status != api.StatusAccepted {
		t.Fatalf("push: %d %s", st, raw)
	}
	var login api.LoginResponse
	c.Do(t, "POST", "/v1/login", api.LoginRequest{Username: "sergeant1", Password: central.DemoPassword}, &login)
	sup := &centraltest.Client{Base: base, Token: login.Token}
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the partner received %d referrals; log:\n%s", n, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The partner has it; the deliverer marks it delivered just after.
	var v api.EntryView
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		v = api.EntryView{}
		sup.Do(t, "GET", "/v1/review/entries/"+e.ID, nil, &v)
		if v.Delivery != nil && v.Delivery.State == api.DeliveryDelivered || time.Now().After(end) {
			break
		}
	}
	if v.Delivery == nil || v.Delivery.State != api.DeliveryDelivered || v.Delivery.ID != got[0] {
		t.Errorf("entry delivery: %+v", v.Delivery)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"safeguard_referral_deliveries_pending 0", "safeguard_referral_deliveries_dead 0",
		`safeguard_referral_delivery_attempts_total{outcome="delivered"} 1`} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// TestServePartnerNeedsSecret: a partner URL without a secret, or a plain
// http partner on the network, is refused at start.
func TestServePartnerNeedsSecret(t *testing.T) {
	t.Setenv("SAFEGUARD_PARTNER_SECRET", "")
	db := filepath.Join(t.TempDir(), "x.db")
	if _, err := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--partner-url", "https://mash.example/in"); err == nil ||
		!strings.Contains(err.Error(), "SAFEGUARD_PARTNER_SECRET") {
		t.Fatalf("no secret: %v", err)
	}
	if _, err := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--partner-url", "http://mash.example/in", "--partner-secret", "x"); err == nil ||
		!strings.Contains(err.Error(), "https") {
		t.Fatalf("plain http: %v", err)
	}
}
