package main

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/sqlite"
)

// TestRedactDSN: no password survives in any DSN form.
func TestRedactDSN(t *testing.T) {
	for _, c := range []struct{ in, secret string }{
		{"postgres://u:secret@h:5432/db", "secret"},
		{"postgres://u:p@ss@h/db", "p@ss"},
		{"postgres://u:p@ss@h/db", "ss@"},
		{"postgresql://u@h/db?password=secret&sslmode=disable", "secret"},
		{"postgres://h/db?sslmode=require&PASSWORD=secret", "secret"},
		{"postgres://u:s%40cret@h/db", "s%40cret"},
		{"host=h user=u password=secret dbname=db", "secret"},
		{"host=h password='sec ret' dbname=db", "sec ret"},
	} {
		got := redactDSN(c.in)
		if strings.Contains(got, c.secret) {
			t.Errorf("redactDSN(%q) = %q keeps %q", c.in, got, c.secret)
		}
		if !strings.Contains(got, "xxxxx") {
			t.Errorf("redactDSN(%q) = %q shows no redaction", c.in, got)
		}
	}
	if got := redactDSN("postgres://u:pw@h/db?sslmode=disable"); got != "postgres://u:xxxxx@h/db?sslmode=disable" {
		t.Errorf("redaction changed more than the password: %q", got)
	}
	if got := redactDSN("/var/lib/safeguard/central.db"); got != "/var/lib/safeguard/central.db" {
		t.Errorf("a file path changed: %q", got)
	}
}

// TestTLSSuites: TLS 1.2 offers AEAD suites only (a CBC-only client is
// refused) and responses over TLS carry HSTS.
func TestTLSSuites(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	ts.TLS = serverTLS()
	ts.StartTLS()
	defer ts.Close()
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	dial := func(suite uint16) error {
		c, err := tls.Dial("tcp", ts.Listener.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "example.com",
			MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{suite}})
		if err == nil {
			c.Close()
		}
		return err
	}
	for _, s := range []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, tls.TLS_RSA_WITH_AES_128_GCM_SHA256} {
		if err := dial(s); err == nil {
			t.Errorf("TLS 1.2 with %s was accepted", tls.CipherSuiteName(s))
		}
	}
	if err := dial(tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); err != nil {
		t.Errorf("TLS 1.2 with ECDHE-RSA-AES128-GCM refused: %v", err)
	}
}

// TestServeAuditWitness: serve with an audit key and a witness writes a
// signed checkpoint at shutdown; verify-audit with them passes on the
// untouched database and fails once the last records are deleted and the
// head moved back; the key never reaches the log.
func TestServeAuditWitness(t *testing.T) {
	drainDelay = 50 * time.Millisecond
	dir := settledTempDir(t)
	keyFile, witness, db := filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.witness"), filepath.Join(dir, "c.db")
	if out, err := runCmd(t, "", "audit-key", "new", "--out", keyFile); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if st, _ := os.Stat(keyFile); st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode().Perm())
	}
	key, _ := os.ReadFile(keyFile)
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--demo-data=false", "--db", db, "--addr", "127.0.0.1:0", "--audit-key-file", keyFile, "--audit-witness", witness}, strings.NewReader(""), &out, &logs)
	}()
	base := waitListening(&out)
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %s", logs.String())
	}
	resp, err := http.Post(base+"/v1/login", "application/json", strings.NewReader(`{"username":"sergeant1","password":"`+central.DemoPassword+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if strings.Contains(logs.String(), strings.TrimSpace(string(key))) {
		t.Fatal("the audit key is in the log")
	}
	w, err := os.ReadFile(witness)
	if err != nil || !strings.Contains(string(w), `"sig"`) {
		t.Fatalf("no checkpoint in the witness: %v %q", err, w)
	}
	args := []string{"verify-audit", "--db", db, "--audit-key-file", keyFile, "--audit-witness", witness}
	if o, err := runCmd(t, "", args...); err != nil || !strings.Contains(o, "intact") {
		t.Fatalf("clean keyed chain: %v\n%s", err, o)
	}
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_no_delete`,
		`DELETE FROM audit WHERE seq > (SELECT seq - 2 FROM audit_head)`,
		`UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit), hash = (SELECT hash FROM audit WHERE seq = (SELECT MAX(seq) FROM audit))`} {
		if _, err := s.DB.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	o, err := runCmd(t, "", args...)
	if err == nil || !strings.Contains(o, "witness signed record") {
		t.Fatalf("truncated chain passed: %v\n%s", err, o)
	}
	// Without the witness the same truncation goes unseen: the reason to keep one.
	if o, err := runCmd(t, "", "verify-audit", "--db", db, "--audit-key-file", keyFile); err != nil || !strings.Contains(o, "cannot be detected") {
		t.Fatalf("without the witness: %v\n%s", err, o)
	}
}

// TestDataKeyRewrap: serve seals with a KEK file; data-key rewrap moves the
// stored data keys to a new KEK; afterwards the old KEK is refused and the
// new one serves.
func TestDataKeyRewrap(t *testing.T) {
	drainDelay = 50 * time.Millisecond
	dir := t.TempDir()
	k1, k2, db := filepath.Join(dir, "k1"), filepath.Join(dir, "k2"), filepath.Join(dir, "data", "c.db")
	for _, k := range []string{k1, k2} {
		if out, err := runCmd(t, "", "data-key", "new-kek", "--out", k); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	serve := func(kek string) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out, logs syncBuffer
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--kek-file", kek}, strings.NewReader(""), &out, &logs)
		}()
		for i := 0; i < 200; i++ {
			select {
			case err := <-done:
				return err
			default:
			}
			if strings.Contains(out.String(), "listening") {
				cancel()
				return <-done
			}
			time.Sleep(25 * time.Millisecond)
		}
		cancel()
		<-done
		return errors.New("serve did not start")
	}
	if err := serve(k1); err != nil {
		t.Fatalf("serve with k1: %v", err)
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode: %v %v", fi, err)
	}
	if out, err := runCmd(t, "", "data-key", "rewrap", "--db", db, "--kek-file", k1, "--new-kek-file", k2); err != nil || !strings.Contains(out, "re-wrapped") {
		t.Fatalf("rewrap: %v\n%s", err, out)
	}
	if err := serve(k1); err == nil || !strings.Contains(err.Error(), "wrapped by") {
		t.Fatalf("serve with the old KEK after the re-wrap: %v", err)
	}
	if err := serve(k2); err != nil {
		t.Fatalf("serve with the new KEK: %v", err)
	}
}

// TestAdminCommandsKeepTheKeyedChain: an admin command run against a
// database whose audit chain is keyed joins the chain with the audit key
// from the environment, and is refused (writing nothing) without it, so a
// command can never break the chain it was given.
func TestAdminCommandsKeepTheKeyedChain(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	key := filepath.Join(dir, "audit.key")
	if out, err := runCmd(t, "", "audit-key", "new", "--out", key); err != nil {
		t.Fatalf("audit-key new: %v %s", err, out)
	}
	// The first keyed record: a team made with the key.
	t.Setenv("SAFEGUARD_AUDIT_KEY_FILE", key)
	if out, err := runCmd(t, "", "team", "add", "--db", db, "cid", "Child Investigation"); err != nil {
		t.Fatalf("team add with the key: %v %s", err, out)
	}
	if out, err := runCmd(t, "", "enrol-code", "--db", db, "--team", "cid"); err != nil || !strings.Contains(out, "enrolment code") {
		t.Fatalf("enrol-code with the key: %v %s", err, out)
	}
	t.Setenv("SAFEGUARD_AUDIT_KEY_FILE", "")
	if out, err := runCmd(t, "", "enrol-code", "--db", db, "--team", "cid"); err == nil || !strings.Contains(err.Error()+out, "audit chain is keyed") {
		t.Fatalf("enrol-code without the key on a keyed chain: %v %s", err, out)
	}
	out, err := runCmd(t, "", "verify-audit", "--db", db, "--audit-key-file", key)
	if err != nil || !strings.Contains(out, "intact") {
		t.Fatalf("the chain after both commands: %v\n%s", err, out)
	}
}

// settledTempDir is t.TempDir for a test that runs the server in its own
// goroutines: the folder is removed when the test ends, retried for a
// moment while a goroutine of the stopped server may still be closing its
// database files (t.TempDir's single attempt failed once with "directory
// not empty" under load).
func settledTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "central-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for range 50 {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Errorf("removing %s: %v", dir, err)
	})
	return dir
}
