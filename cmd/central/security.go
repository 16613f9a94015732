package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/central"
)

// auditOpts are the audit key and witness flags shared by serve and
// verify-audit.
type auditOpts struct {
	keyFile *string
	retired stringList
	witness *string
	every   *time.Duration
}

func auditFlags(fs *flag.FlagSet) *auditOpts {
	o := &auditOpts{
		keyFile: fs.String("audit-key-file", env("SAFEGUARD_AUDIT_KEY_FILE", ""), "file holding the audit key (mode 600; make one with `central audit-key new`); or put the key itself in env SAFEGUARD_AUDIT_KEY (env SAFEGUARD_AUDIT_KEY_FILE)"),
		witness: fs.String("audit-witness", env("SAFEGUARD_AUDIT_WITNESS", ""), "append-only file outside the database for signed checkpoints of the audit head (env SAFEGUARD_AUDIT_WITNESS; needs an audit key)"),
		every:   durationFlag(fs, "audit-checkpoint-every", "SAFEGUARD_AUDIT_CHECKPOINT_EVERY", time.Minute, "how often the audit head is checkpointed to the witness (and at shutdown)"),
	}
	fs.Var(&o.retired, "audit-key-retired", "a retired audit key's file, still needed to verify older records (repeatable)")
	return o
}

// load reads the keys. The key text is never printed or logged.
func (o *auditOpts) load() (*central.AuditKeys, *central.Witness, error) {
	cur, err := central.LoadAuditKey(*o.keyFile, "SAFEGUARD_AUDIT_KEY")
	if err != nil {
		return nil, nil, err
	}
	var ks *central.AuditKeys
	if cur != nil || len(o.retired) > 0 {
		ks = &central.AuditKeys{Current: cur}
	}
	for _, p := range o.retired {
		k, err := central.LoadAuditKey(p, "")
		if err != nil {
			return nil, nil, err
		}
		ks.Retired = append(ks.Retired, k)
	}
	var w *central.Witness
	if *o.witness != "" {
		if cur == nil {
			return nil, nil, errors.New("--audit-witness needs an audit key (--audit-key-file or SAFEGUARD_AUDIT_KEY)")
		}
		w = &central.Witness{Path: *o.witness}
	}
	return ks, w, nil
}

// cmdAuditKey makes a new audit key file: `central audit-key new --out F`.
func cmdAuditKey(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "new" {
		return errors.New("usage: central audit-key new --out FILE")
	}
	fs := flag.NewFlagSet("audit-key new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "file to create (mode 600; it must not exist)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("audit-key new: give --out FILE")
	}
	seed, err := central.NewAuditKeySeed()
	if err != nil {
		return err
	}
	k, err := central.ParseAuditKey(seed)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("audit-key new: %w", err)
	}
	if _, err := f.WriteString(seed); err != nil {
		f.Close()
		return fmt.Errorf("audit-key new: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit-key new: %w", err)
	}
	fmt.Fprintf(stdout, "audit key %s written to %s (keep it off the database host's backups of the database)\n", k.ID, *out)
	return nil
}

// serverTLS is the TLS configuration: 1.2 with AEAD suites and forward
// secrecy only (no CBC, no SHA-1 MACs, no RSA key exchange), and 1.3.
func serverTLS() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
	}
}

// redactDSN hides every password a PostgreSQL DSN can carry: the URL's
// user info (split at the last "@", so "u:p@ss@h" keeps no part of
// "p@ss"), a password= query parameter, and a password=... keyword in the
// key/value form.
func redactDSN(dsn string) string {
	if IsPostgres(dsn) {
		return redactURL(dsn)
	}
	if kvPassword.MatchString(dsn) {
		return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	return dsn
}

var kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

func redactURL(dsn string) string {
	i := strings.Index(dsn, "://")
	rest := dsn[i+3:]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		user := authority[:at]
		if k := strings.Index(user, ":"); k >= 0 {
			user = user[:k] + ":xxxxx"
		}
		authority = user + authority[at:]
	}
	tail := rest[end:]
	if q := strings.Index(tail, "?"); q >= 0 {
		vals, err := url.ParseQuery(tail[q+1:])
		if err != nil {
			return dsn[:i+3] + authority + tail[:q] + "?xxxxx"
		}
		for k := range vals {
			if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
				vals[k] = []string{"xxxxx"}
			}
		}
		tail = tail[:q+1] + vals.Encode()
	}
	return dsn[:i+3] + authority + tail
}

// runCheckpoints writes signed audit checkpoints until ctx ends (and one
// then); done closes after the last.
func runCheckpoints(ctx context.Context, svc *central.Service, every time.Duration) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunCheckpoints(ctx, every)
	}()
	return done
}
