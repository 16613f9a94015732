package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/postgres"
	"github.com/safeguard-uk/safeguard/central/sqlite"
)

// post sends a JSON body and returns the status, the Retry-After header
// and the decoded error (when not 2xx).
func post(t *testing.T, url, token string, body any) (int, string, api.Error) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", api.MediaTypeJSON)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e api.Error
	if resp.StatusCode/100 != 2 {
		json.NewDecoder(resp.Body).Decode(&e)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), e
}

// TestLoginLockout: the 6th wrong password for one account within a
// minute gets 429 with Retry-After (even with the right password), the
// lockout passes, a second one lasts twice as long, an administrator can
// lift it (audited), and no failed attempt leaves the typed name in the
// audit.
func TestLoginLockout(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite)
	login := srv.URL + "/v1/login"
	const typed = "Hunter2-typed-in-the-name-box"
	if st, _, _ := post(t, login, "", api.LoginRequest{Username: typed, Password: "x"}); st != 401 {
		t.Fatalf("unknown name: %d", st)
	}
	for i := 1; i <= 5; i++ {
		if st, ra, e := post(t, login, "", api.LoginRequest{Username: "sergeant1", Password: "wrong password"}); st != 401 || ra != "" {
			t.Fatalf("wrong password %d: %d %q %+v", i, st, ra, e)
		}
	}
	st, ra, e := post(t, login, "", api.LoginRequest{Username: "sergeant1", Password: central.DemoPassword})
	if st != 429 || e.Code != api.CodeRateLimited {
		t.Fatalf("6th attempt: %d %+v, want 429 rate_limited", st, e)
	}
	if n, err := strconv.Atoi(ra); err != nil || n < 50 || n > 60 {
		t.Fatalf("Retry-After %q, want about 60", ra)
	}
	if !strings.Contains(e.Message, "minute") {
		t.Errorf("message does not say the wait: %q", e.Message)
	}
	// Another account from the same address is not locked out.
	if st, _, _ := post(t, login, "", api.LoginRequest{Username: "sergeant2", Password: central.DemoPassword}); st != 200 {
		t.Fatalf("other account: %d", st)
	}
	srv.Clock.Advance(61 * time.Second)
	for i := 1; i <= 5; i++ {
		if st, _, _ := post(t, login, "", api.LoginRequest{Username: "sergeant1", Password: "wrong again"}); st != 401 {
			t.Fatalf("wrong password after the lockout %d: %d", i, st)
		}
	}
	st, ra, _ = post(t, login, "", api.LoginRequest{Username: "sergeant1", Password: central.DemoPassword})
	if n, _ := strconv.Atoi(ra); st != 429 || n < 110 || n > 120 {
		t.Fatalf("second lockout: %d Retry-After %q, want 429 and about 120", st, ra)
	}

	adm := srv.Client(srv.Login(t, "admin"))
	var list struct {
		Lockouts []struct{ Kind, Value string } `json:"lockouts"`
	}
	if st, raw := adm.Do(t, "GET", "/v1/admin/lockouts", nil, &list); st != 200 || len(list.Lockouts) != 1 || list.Lockouts[0].Value != "sergeant1" {
		t.Fatalf("lockouts: %d %s", st, raw)
	}
	if st, raw := adm.Do(t, "POST", "/v1/admin/lockouts/lift", map[string]string{"kind": "account", "value": "sergeant1"}, nil); st != 204 {
		t.Fatalf("lift: %d %s", st, raw)
	}
	if st, _, e := post(t, login, "", api.LoginRequest{Username: "sergeant1", Password: central.DemoPassword}); st != 200 {
		t.Fatalf("after the lift: %d %+v", st, e)
	}
	var lifts, lockouts, failed, records int
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
			if r.Action == "user.create" {
				return nil
			}
			if strings.Contains(strings.ToLower(r.Detail), strings.ToLower(typed)) || strings.Contains(r.Detail, "sergeant1") {
				t.Errorf("audit record %d %s keeps a typed name: %s", r.Seq, r.Action, r.Detail)
			}
			switch r.Action {
			case "lockout.lift":
				lifts++
			case "lockout":
				lockouts++
			case "login.failed":
				var d struct {
					Count      int      `json:"count"`
					NameHashes []string `json:"name_hashes"`
					Source     string   `json:"source"`
				}
				if err := json.Unmarshal([]byte(r.Detail), &d); err != nil || len(d.NameHashes) == 0 || d.Source == "" {
					t.Errorf("failed logins without a count, name hash or source: %s %v", r.Detail, err)
				}
				failed += d.Count
				records++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every refused attempt is counted, gathered into one record per
	// caller and source (the unknown name's, sergeant1's) per flush: at
	// the lockout list, or soon after each lockout (which the other
	// servers must see), not one write per attempt.
	if lifts != 1 || lockouts != 2 || failed != 11 || records < 2 || records > 6 {
		t.Errorf("audit: %d lifts, %d lockouts, %d failed logins in %d records; want 1, 2, 11 in 2 to 6", lifts, lockouts, failed, records)
	}
}

// TestDeviceAndSourceLockout: a device guessing at many officers is locked
// out as a device, and one address guessing enrolment codes is locked out
// as a source.
func TestDeviceAndSourceLockout(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	for i := 1; i <= 10; i++ {
		name := "guess" + strconv.Itoa(i)
		if st, _, _ := post(t, srv.URL+"/v1/device/signin", dev.Credential, api.SignInRequest{Username: name, Password: "x"}); st != 401 {
			t.Fatalf("device guess %d: %d", i, st)
		}
	}
	if st, ra, _ := post(t, srv.URL+"/v1/device/signin", dev.Credential, api.SignInRequest{Username: "officer1", Password: central.DemoPassword}); st != 429 || ra == "" {
		t.Fatalf("11th device sign-in: %d %q, want 429 with Retry-After", st, ra)
	}
	// The device's 10 failures count against its address too (30 a minute).
	for i := 11; i <= 30; i++ {
		if st, _, _ := post(t, srv.URL+"/v1/enrol", "", api.EnrolRequest{Code: "AAAA-BBBB-CCC" + strconv.Itoa(i%10), DeviceName: "x"}); st != 401 {
			t.Fatalf("enrolment guess %d: %d", i, st)
		}
	}
	if st, ra, _ := post(t, srv.URL+"/v1/enrol", "", api.EnrolRequest{Code: srv.EnrolmentCode, DeviceName: "x"}); st != 429 || ra == "" {
		t.Fatalf("31st enrolment: %d %q, want 429 with Retry-After", st, ra)
	}
}

// TestRefusalsWriteNothing: a run of refused sign-ins from many names
// writes no audit record while it lasts (the flood never queues for the
// write lock), and the flush then accounts for every one of them in one
// record per caller and source, with the typed names only as a bounded
// list of keyed hashes.
func TestRefusalsWriteNothing(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithConfig(central.Config{Limits: central.Limits{SourceFailures: 1000}}))
	ctx := context.Background()
	head := func() int64 {
		var seq int64
		if err := srv.Store.View(ctx, func(tx central.Tx) error {
			var err error
			seq, _, err = tx.AuditHead(ctx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	before := head()
	const n = 40
	for i := 0; i < n; i++ {
		if st, _, _ := post(t, srv.URL+"/v1/login", "", api.LoginRequest{Username: "nobody" + strconv.Itoa(i), Password: "guess"}); st != 401 {
			t.Fatalf("attempt %d: %d", i, st)
		}
	}
	if st, _, _ := post(t, srv.URL+"/v1/enrol", "", api.EnrolRequest{Code: "AAAA-BBBB-CCCC", DeviceName: "x"}); st != 401 {
		t.Fatalf("wrong code: %d", st)
	}
	if got := head(); got != before {
		t.Fatalf("refused attempts wrote %d audit records before the flush", got-before)
	}
	if err := srv.Service.FlushRefusals(ctx); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	err := srv.Store.View(ctx, func(tx central.Tx) error {
		return tx.ScanAudit(ctx, func(r central.AuditRecord) error {
			if r.Seq <= before {
				return nil
			}
			var d struct {
				Count          int      `json:"count"`
				NameHashes     []string `json:"name_hashes"`
				NamesNotListed int      `json:"names_not_listed"`
			}
			if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
				return err
			}
			if strings.Contains(r.Detail, "nobody") {
				t.Errorf("record %d keeps a typed name: %s", r.Seq, r.Detail)
			}
			if r.Action == "login.failed" && len(d.NameHashes)+d.NamesNotListed != n {
				t.Errorf("login.failed lists %d names and %d not listed, want %d in all", len(d.NameHashes), d.NamesNotListed, n)
			}
			counts[r.Action] += d.Count
			counts[r.Action+" records"]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["login.failed"] != n || counts["login.failed records"] != 1 || counts["device.enrol.failed"] != 1 {
		t.Fatalf("audit after the flush: %v, want %d failed logins in one record and one failed enrolment", counts, n)
	}
	if rep, err := srv.Service.VerifyAudit(ctx, central.System("test")); err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

// TestLockoutsSharedAcrossServers: two services on one database (as two
// servers behind a balancer, with the same audit key) share lockouts: the
// 6th wrong password on one locks the account out on the other, an
// administrator's lift on the other frees it on the first, and the shared
// table holds a keyed hash of the name, never the name.
func TestLockoutsSharedAcrossServers(t *testing.T) {
	for _, backend := range []string{centraltest.SQLite, centraltest.Postgres} {
		t.Run(backend, func(t *testing.T) {
			if backend == centraltest.Postgres {
				centraltest.RequirePostgres(t)
			}
			ctx := central.WithSource(context.Background(), "192.0.2.7")
			seed, err := central.NewAuditKeySeed()
			if err != nil {
				t.Fatal(err)
			}
			key, err := central.ParseAuditKey(seed)
			if err != nil {
				t.Fatal(err)
			}
			lim := central.Limits{ShareEvery: 20 * time.Millisecond, FailDelay: -1, ChecksPerSecond: 1000, CheckBurst: 1000}
			_, srv := centraltest.Start(t, backend, centraltest.WithConfig(central.Config{Limits: lim, AuditKeys: &central.AuditKeys{Current: key}}))
			var store2 central.Store
			if backend == centraltest.Postgres {
				store2, err = postgres.Open(ctx, srv.DSN)
			} else {
				store2, err = sqlite.Open(ctx, srv.DSN)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store2.Close() })
			svc1 := srv.Service
			svc2 := central.NewService(store2, svc1.Registry(), central.Config{Now: srv.Clock.Now, Argon2: centraltest.TestArgon2, Limits: lim,
				AuditKeys: &central.AuditKeys{Current: key}, Logger: svc1.Config().Logger})
			t.Cleanup(func() { svc2.FlushRefusals(context.Background()) })

			for i := 1; i <= 5; i++ {
				if _, err := svc1.Login(ctx, "sergeant1", "wrong password"); central.ErrorCode(err) != central.EUNAUTHORIZED {
					t.Fatalf("wrong password %d on server 1: %v", i, err)
				}
			}
			if _, err := svc1.Login(ctx, "sergeant1", central.DemoPassword); central.ErrorCode(err) != api.CodeRateLimited {
				t.Fatalf("6th attempt on server 1: %v, want rate_limited", err)
			}
			// The lockout reaches the store within a flush and server 2
			// within a read of it.
			var rows []central.SharedLockout
			deadline := time.Now().Add(5 * time.Second)
			for len(rows) == 0 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
				if err := store2.View(ctx, func(tx central.Tx) error {
					var err error
					rows, err = tx.(interface {
						ActiveLockouts(context.Context, time.Time) ([]central.SharedLockout, error)
					}).ActiveLockouts(ctx, srv.Clock.Now())
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			if len(rows) != 1 || rows[0].Kind != central.KeyAccount || strings.Contains(rows[0].Value, "sergeant") {
				t.Fatalf("shared lockouts: %+v, want one account lockout under a hash", rows)
			}
			time.Sleep(3 * lim.ShareEvery)
			_, err = svc2.Login(ctx, "sergeant1", central.DemoPassword)
			if central.ErrorCode(err) != api.CodeRateLimited {
				t.Fatalf("right password on server 2 while locked out on server 1: %v, want rate_limited", err)
			}
			var e *central.Error
			if !errors.As(err, &e) || e.RetryAfter < 50*time.Second {
				t.Fatalf("server 2's answer lacks the wait: %+v", err)
			}
			ls, err := svc2.Lockouts(ctx, central.System("test"))
			if err != nil || len(ls) != 1 || !ls[0].Hashed {
				t.Fatalf("server 2 lists %+v %v, want the one lockout (hashed: server 1 started it)", ls, err)
			}
			if err := svc2.LiftLockout(ctx, central.System("test"), central.KeyAccount, "sergeant1"); err != nil {
				t.Fatalf("lift on server 2: %v", err)
			}
			srv.Clock.Advance(time.Second) // server 1's own lockout is older than a few reads
			deadline = time.Now().Add(5 * time.Second)
			for {
				_, err := svc1.Login(ctx, "sergeant1", central.DemoPassword)
				if err == nil {
					break
				}
				if central.ErrorCode(err) != api.CodeRateLimited || time.Now().After(deadline) {
					t.Fatalf("server 1 after the lift on server 2: %v", err)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
