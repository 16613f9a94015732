package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/sqlite"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

// TestVerifyAuditFindsTampering tampers with audit rows in the real
// database (as an intruder with database rights would: dropping the
// append-only triggers first) and checks `central verify-audit` finds each
// alteration and removal.
func TestVerifyAuditFindsTampering(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := centraltest.Start(t, backend)
			dev := srv.Enrol(t, "")
			e := centraltest.NewEntry(srv.UserID(t, "officer1"), 2)
			srv.Push(t, dev, centraltest.Item(e, ""))
			sup := srv.Client(srv.Login(t, "sergeant1"))
			sup.Do(t, "GET", "/v1/review/entries/"+e.ID, nil, nil) // a read, audited

			out, err := runCmd(t, "", "verify-audit", "--db", srv.DSN)
			if err != nil || !strings.Contains(out, "intact") {
				t.Fatalf("clean chain: %v\n%s", err, out)
			}
			db := srv.Store.(*sqlite.Store).DB
			ctx := context.Background()
			exec := func(q string) {
				t.Helper()
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			var opened int64
			if err := db.QueryRowContext(ctx, "SELECT seq FROM audit WHERE action = 'entry.open'").Scan(&opened); err != nil {
				t.Fatal(err)
			}
			// The triggers refuse changes to the audit table.
			if _, err := db.ExecContext(ctx, "UPDATE audit SET actor = 'nobody' WHERE seq = 1"); err == nil {
				t.Fatal("audit row updated despite the append-only trigger")
			}
			if _, err := db.ExecContext(ctx, "DELETE FROM audit WHERE seq = 1"); err == nil {
				t.Fatal("audit row deleted despite the append-only trigger")
			}
			dropTriggers(t, db, backend)

			// 1. Hide who opened the entry.
			exec("UPDATE audit SET actor = 'user:someone-else' WHERE action = 'entry.open'")
			out, err = runCmd(t, "", "verify-audit", "--db", srv.DSN)
			if err == nil || !strings.Contains(out, "altered") {
				t.Fatalf("altered record not found:\n%s", out)
			}
			// 2. Remove a record in the middle (and restore the altered one's
			// neighbour to isolate the finding).
			exec("DELETE FROM audit WHERE seq = 3")
			out, _ = runCmd(t, "", "verify-audit", "--db", srv.DSN)
			if !strings.Contains(out, "records 3 to 3 are missing") {
				t.Fatalf("removed record not found:\n%s", out)
			}
			// 3. Remove the last records.
			exec("DELETE FROM audit WHERE seq >= " + strconv.FormatInt(opened, 10))
			out, _ = runCmd(t, "", "verify-audit", "--db", srv.DSN)
			if !strings.Contains(out, "removed from the end") {
				t.Fatalf("truncation not found:\n%s", out)
			}
		})
	}
}

func dropTriggers(t *testing.T, db *sql.DB, backend string) {
	t.Helper()
	qs := []string{"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"}
	if backend == centraltest.Postgres {
		qs = []string{"DROP TRIGGER audit_no_change ON audit"}
	}
	for _, q := range qs {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestAdminCommands drives the admin commands against a SQLite file.
func TestAdminCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	t.Setenv("SAFEGUARD_DB", path)
	steps := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"migrate"}, "up to date"},
		{"", []string{"team", "add", "cid", "Child Investigation"}, "created"},
		{"a-long-password\n", []string{"user", "add", "pc1", "--name", "PC One", "--role", "officer", "--team", "cid"}, "created"},
		{"", []string{"user", "list"}, "pc1"},
		{"", []string{"enrol-code", "--team", "cid", "--ttl", "1h"}, "enrolment code for team cid"},
		{"", []string{"device", "list"}, "ID"},
		{"another-password\n", []string{"user", "passwd", "pc1"}, "changed"},
		{"", []string{"user", "disable", "pc1"}, "disabled"},
		{"", []string{"demo-seed"}, central.DemoEnrolmentCode},
		{"", []string{"verify-audit"}, "intact"},
	}
	for _, s := range steps {
		out, err := runCmd(t, s.stdin, s.args...)
		if err != nil || !strings.Contains(out, s.want) {
			t.Fatalf("%v: %v\n%s", s.args, err, out)
		}
	}
	if _, err := runCmd(t, "", "user", "add", "pc2", "--name", "x", "--role", "officer", "--team", "cid"); err == nil {
		t.Error("a user without a password was created")
	}
	if _, err := runCmd(t, "", "nonsense"); err == nil {
		t.Error("unknown command accepted")
	}
}

// TestDevCert writes a certificate and key.
func TestDevCert(t *testing.T) {
	dir := t.TempDir()
	out, err := runCmd(t, "", "dev-cert", "--out", dir, "--host", "localhost,127.0.0.1")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, f := range []string{"cert.pem", "key.pem"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if st, _ := os.Stat(filepath.Join(dir, "key.pem")); st.Mode().Perm() != 0o600 {
		t.Errorf("key.pem mode %v", st.Mode().Perm())
	}
}

func TestServeRefusesPlainHTTPOnNetwork(t *testing.T) {
	_, err := runCmd(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "0.0.0.0:0")
	if err == nil || !strings.Contains(err.Error(), "refusing plain HTTP") {
		t.Fatalf("got %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a poller.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitListening waits (up to 60s: seeding the demo accounts hashes seven
// passwords at full argon2id cost, slow under -race) for serve to print
// its address, and returns it ("" if it never does).
func waitListening(out *syncBuffer) string {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if s := out.String(); strings.Contains(s, "listening on ") {
			return strings.TrimSpace(strings.TrimPrefix(s, "listening on "))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return ""
}

// TestServeDemoAndShutdown runs `central serve --demo` on a loopback port,
// checks health, readiness, a demo login and metrics, then stops it the
// way SIGTERM does and checks it drains and exits cleanly.
func TestServeDemoAndShutdown(t *testing.T) {
	drainDelay = 50 * time.Millisecond
	t.Setenv("SAFEGUARD_METRICS_TOKEN", "test-scrape-token")
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--db", filepath.Join(t.TempDir(), "d.db"), "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &logs)
	}()
	base := waitListening(&out)
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %s", logs.String())
	}
	if resp, err := http.Get(base + "/metrics"); err != nil || resp.StatusCode != 401 {
		t.Fatalf("/metrics without the scrape token: %v %v", resp, err)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Header.Set("Authorization", "Bearer test-scrape-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, resp, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The demo's story leaves checks waiting for review.
		if p == "/metrics" && (!strings.Contains(string(b), "safeguard_review_queue_depth ") || strings.Contains(string(b), "safeguard_review_queue_depth 0\n")) {
			t.Errorf("metrics: %.300s", b)
		}
	}
	resp, err := http.Post(base+"/v1/login", "application/json", strings.NewReader(`{"username":"sergeant1","password":"`+central.DemoPassword+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo login: %v %v", resp, err)
	}
	resp.Body.Close()
	if !strings.Contains(logs.String(), central.DemoEnrolmentCode) {
		t.Errorf("the demo enrolment code is not in the log")
	}
	if strings.Contains(logs.String(), "token") {
		t.Errorf("the log mentions a token: %s", logs.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no clean stop in the log: %s", logs.String())
	}
}
