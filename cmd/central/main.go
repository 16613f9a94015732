// Command central is Safeguard's central referral system: it receives
// entries from officers' devices, queues them for supervisors by risk and
// deadline, keeps every revision and a hash-chained audit trail.
//
//	central serve [--demo]          run the server (SQLite file by default)
//	central migrate                 apply database migrations
//	central demo-seed               create the demo teams and accounts
//	central team add ID NAME
//	central user add USERNAME --name N --role R [--team T]...   (password on stdin or SAFEGUARD_PASSWORD)
//	central user list | disable USERNAME | passwd USERNAME
//	central enrol-code --team T [--ttl 72h]
//	central device list | revoke ID --reason R
//	central verify-audit            check the audit chain; exit 1 if broken
//	central dev-cert [--host h,...] make a self-signed development certificate
//	central export --format csv|json [--from D] [--to D] [--team T] [--grade G] [--personal] [--out F]
//	central report [--from D] [--to D] [--team T] [--grade G] [--format text|json] [--charts DIR]
//	central delivery list [--state S] | replay (--all | ID...)
//
// Every command takes --db (or SAFEGUARD_DB): a SQLite file path, or a
// postgres:// URL.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/postgres"
	"github.com/safeguard-uk/safeguard/central/sqlite"
	"github.com/safeguard-uk/safeguard/forms"
)

// DefaultDB is the SQLite file used when neither --db nor SAFEGUARD_DB is
// given.
const DefaultDB = "safeguard-central.db"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "central:", err)
		}
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: central COMMAND [flags]

commands:
  serve          run the server (--demo seeds demo accounts)
  migrate        apply database migrations
  demo-seed      create demo teams, accounts and enrolment code
  team add ID NAME
  user add USERNAME --name NAME --role ROLE [--team TEAM]...
  user list | user disable USERNAME | user passwd USERNAME
  enrol-code --team TEAM [--ttl DURATION]
  device list | device revoke ID --reason TEXT
  verify-audit   check the audit chain (exit status 1 when broken)
  dev-cert       write a self-signed development TLS certificate
  audit-key new  make an audit key file (--out F)
  data-key       new-kek --out F | rewrap --kek-file OLD --new-kek-file NEW | reseal --kek-file K [--compact]
  export         entries for analysts, CSV or JSON (--personal adds names, words)
  report         the data-quality report (text or JSON; --charts DIR for PNGs)
  delivery list | delivery replay (--all | ID...)   referral deliveries to the partner

Run "central COMMAND -h" for a command's flags. The database is --db or
SAFEGUARD_DB: a SQLite file path (default `+DefaultDB+`) or a postgres:// URL.
`)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errors.New("no command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "demo-seed":
		return cmdDemoSeed(ctx, rest, stdout, stderr)
	case "team":
		return cmdTeam(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "enrol-code":
		return cmdEnrolCode(ctx, rest, stdout, stderr)
	case "device":
		return cmdDevice(ctx, rest, stdout, stderr)
	case "verify-audit":
		return cmdVerifyAudit(ctx, rest, stdout, stderr)
	case "dev-cert":
		return cmdDevCert(rest, stdout, stderr)
	case "data-key":
		return cmdDataKey(ctx, rest, stdout, stderr)
	case "audit-key":
		return cmdAuditKey(rest, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "delivery":
		return cmdDelivery(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

// env returns the environment variable or def.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlag adds --db to fs.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("SAFEGUARD_DB", DefaultDB), "database: SQLite file path or postgres:// URL (env SAFEGUARD_DB)")
}

// IsPostgres reports whether a --db value names PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openStore opens and migrates the store a --db value names.
func openStore(ctx context.Context, dsn string) (central.Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// loadRegistry loads the published checklists from the embedded assets.
func loadRegistry(log *slog.Logger) (*forms.Registry, error) {
	r, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		return nil, fmt.Errorf("checklists: %w", err)
	}
	refs := r.Refs()
	if len(refs) == 0 {
		log.Warn("no published checklists: every pushed entry will be refused (retryable) until one is")
	}
	for _, ref := range refs {
		log.Info("checklist", "ref", ref.String())
	}
	return r, nil
}

// openService opens the store and builds a service for the admin commands.
func openService(ctx context.Context, dsn string, log *slog.Logger) (*central.Service, func(), error) {
	return openServiceKEK(ctx, dsn, env2("SAFEGUARD_KEK_FILE"), log)
}

// openServiceKEK is openService with the KEK from kekFile (or the key
// itself in env SAFEGUARD_KEK when kekFile is "").
func openServiceKEK(ctx context.Context, dsn, kekFile string, log *slog.Logger) (*central.Service, func(), error) {
	store, err := openStore(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	// Sealed child data opens with the KEK from the environment.
	if kek, err := loadKEK(kekFile, "SAFEGUARD_KEK"); err != nil || kek != nil {
		if err == nil {
			_, err = sealStore(ctx, store, kek)
		}
		if err != nil {
			store.Close()
			return nil, nil, err
		}
	}
	reg, err := loadRegistry(slog.New(slog.DiscardHandler))
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	// Audit records written by an admin command join the server's keyed
	// chain only with the same audit key (from the environment, as serve
	// takes it): without it they would break the chain.
	cur, err := central.LoadAuditKey(env2("SAFEGUARD_AUDIT_KEY_FILE"), "SAFEGUARD_AUDIT_KEY")
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	var keys *central.AuditKeys
	if cur != nil {
		keys = &central.AuditKeys{Current: cur}
	}
	svc := central.NewService(store, reg, central.Config{Logger: log, AuditKeys: keys})
	return svc, func() { store.Close() }, nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json")
}

// cli is the principal of the admin commands (audited as system:cli).
var cli = central.System("cli")

// readPassword reads a password from SAFEGUARD_PASSWORD or the first line of
// stdin (never from a flag: flags show in the process list).
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if v := os.Getenv("SAFEGUARD_PASSWORD"); v != "" {
		return v, nil
	}
	fmt.Fprint(stderr, "password (one line on stdin): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// durationFlag parses a duration with a default from the environment.
func durationFlag(fs *flag.FlagSet, name, envName string, def time.Duration, usage string) *time.Duration {
	d := def
	if v := os.Getenv(envName); v != "" {
		if x, err := time.ParseDuration(v); err == nil {
			d = x
		}
	}
	return fs.Duration(name, d, usage+" (env "+envName+")")
}
