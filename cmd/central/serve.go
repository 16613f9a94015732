package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
	"github.com/safeguard-uk/safeguard/central/partner"
	"github.com/safeguard-uk/safeguard/people"
	peoplepg "github.com/safeguard-uk/safeguard/people/postgres"
	peoplesqlite "github.com/safeguard-uk/safeguard/people/sqlite"
	"github.com/safeguard-uk/safeguard/referral"
)

// openPeople opens the person index beside the store a --db value names:
// the same SQLite file (its tables are prefixed people_, with their own
// migrations) or the same PostgreSQL database.
// A non-nil sealer (the store's keyring) seals each person's particulars
// and blinds the blocking keys.
func openPeople(ctx context.Context, dsn string, sealer people.Sealer) (people.Index, error) {
	if IsPostgres(dsn) {
		var opts []peoplepg.Option
		if sealer != nil {
			opts = append(opts, peoplepg.WithSealer(sealer))
		}
		idx, err := peoplepg.Open(ctx, dsn, opts...)
		if err != nil {
			return nil, fmt.Errorf("person index: %w", err)
		}
		return idx, nil
	}
	var opts []peoplesqlite.Option
	if sealer != nil {
		opts = append(opts, peoplesqlite.WithSealer(sealer))
	}
	idx, err := peoplesqlite.Open(ctx, dsn, opts...)
	if err != nil {
		return nil, fmt.Errorf("person index: %w", err)
	}
	return idx, nil
}

// Server defaults.
const (
	// DefaultAddr listens on loopback only; set --addr to serve a network.
	DefaultAddr = "127.0.0.1:8080"
	// shutdownGrace is how long in-flight requests get to finish.
	shutdownGrace = 20 * time.Second
	// defaultDrainDelay is how long /readyz fails before the listener
	// closes, so a load balancer notices.
	defaultDrainDelay = 2 * time.Second
)

// drainDelay is defaultDrainDelay; tests shorten it.
var drainDelay = defaultDrainDelay

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	addr := fs.String("addr", env("SAFEGUARD_ADDR", DefaultAddr), "listen address (env SAFEGUARD_ADDR)")
	cert := fs.String("tls-cert", env("SAFEGUARD_TLS_CERT", ""), "TLS certificate file (env SAFEGUARD_TLS_CERT); see dev-cert")
	key := fs.String("tls-key", env("SAFEGUARD_TLS_KEY", ""), "TLS private key file (env SAFEGUARD_TLS_KEY)")
	insecure := fs.Bool("insecure-http", env("SAFEGUARD_INSECURE_HTTP", "") == "true", "allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)")
	demo := fs.Bool("demo", false, "create the demo accounts and enrolment code (never on a live system)")
	demoData := fs.Bool("demo-data", true, "with --demo, also seed the demo's fictional months of checks (only into a database without entries)")
	level := fs.String("log-level", env("SAFEGUARD_LOG_LEVEL", "info"), "debug, info, warn or error")
	format := fs.String("log-format", env("SAFEGUARD_LOG_FORMAT", "text"), "text or json")
	maxAtt := fs.Int64("max-attachment", central.DefaultMaxAttachment, "largest attachment accepted, bytes")
	immediate := durationFlag(fs, "window-immediate", "SAFEGUARD_WINDOW_IMMEDIATE", central.DefaultImmediateWindow, "review deadline for immediate-risk entries")
	high := durationFlag(fs, "window-high", "SAFEGUARD_WINDOW_HIGH", central.DefaultHighWindow, "review deadline for high-risk entries")
	other := durationFlag(fs, "window-other", "SAFEGUARD_WINDOW_OTHER", central.DefaultOtherWindow, "review deadline for other entries")
	sessionTTL := durationFlag(fs, "session-ttl", "SAFEGUARD_SESSION_TTL", central.DefaultSessionTTL, "how long a sign-in lasts")
	force := fs.String("force-name", env("SAFEGUARD_FORCE_NAME", ""), "the force's name on referrals (env SAFEGUARD_FORCE_NAME)")
	partnerName := fs.String("partner-name", env("SAFEGUARD_PARTNER_NAME", ""), "the receiving agency's name on referrals (env SAFEGUARD_PARTNER_NAME)")
	partnerLang := fs.String("partner-language", env("SAFEGUARD_PARTNER_LANGUAGE", referral.English), "the language the receiving agency asks for its referrals in: en or cy (env SAFEGUARD_PARTNER_LANGUAGE)")
	partnerURL := fs.String("partner-url", env("SAFEGUARD_PARTNER_URL", ""), "deliver approved referrals to this https endpoint (env SAFEGUARD_PARTNER_URL); none: they wait in the outbox")
	// No default from the environment here: -h prints defaults, and the
	// secret must never be printed. Prefer the environment (flags show in
	// the process list).
	partnerSecret := fs.String("partner-secret", "", "HMAC key shared with the partner (prefer env SAFEGUARD_PARTNER_SECRET)")
	peopleOn := fs.Bool("people", env("SAFEGUARD_PEOPLE", "true") != "false", "run the person index beside the store: matching, alerts, family networks (env SAFEGUARD_PEOPLE)")
	partnerTimeout := durationFlag(fs, "partner-timeout", "SAFEGUARD_PARTNER_TIMEOUT", partner.DefaultTimeout, "bound on one delivery attempt")
	partnerAttempts := fs.Int("partner-max-attempts", partner.DefaultMaxAttempts, "failed attempts before a referral is a dead letter")
	auditO := auditFlags(fs)
	metricsOpen := fs.Bool("metrics-open", false, "serve /metrics without a token (only behind a proxy that guards it)")
	binding := fs.Bool("officer-binding", env("SAFEGUARD_OFFICER_BINDING", "true") != "false", "accept a pushed entry only for an officer signed in on the pushing device (env SAFEGUARD_OFFICER_BINDING)")
	kekFile := kekFlag(fs, "kek-file", "SAFEGUARD_KEK", "key-encryption key file (mode 600; `central data-key new-kek`) sealing child data at rest; or the key itself in env SAFEGUARD_KEK (env SAFEGUARD_KEK_FILE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *partnerSecret == "" {
		*partnerSecret = os.Getenv("SAFEGUARD_PARTNER_SECRET")
	}
	if !referral.ValidLanguage(*partnerLang) {
		return fmt.Errorf("--partner-language %q: referrals can be made in %s", *partnerLang, strings.Join(referral.Languages, " or "))
	}
	if *partnerURL != "" && *partnerSecret == "" {
		return errors.New("--partner-url needs the shared signing secret: set SAFEGUARD_PARTNER_SECRET")
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		return err
	}
	tlsOn := *cert != "" || *key != ""
	if tlsOn && (*cert == "" || *key == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if !tlsOn && !*insecure && !loopback(*addr) {
		return fmt.Errorf("refusing plain HTTP on %s: give --tls-cert/--tls-key (see `central dev-cert`) or --insecure-http behind a TLS proxy", *addr)
	}

	auditKeys, witness, err := auditO.load()
	if err != nil {
		return err
	}
	if auditKeys == nil {
		log.Warn("no audit key (--audit-key-file or SAFEGUARD_AUDIT_KEY): the audit chain is plain SHA-256, which anyone who can write the database can recompute")
	}

	kek, err := loadKEK(*kekFile, "SAFEGUARD_KEK")
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	var sealer people.Sealer
	if kek != nil {
		// The person index seals with the same keyring (people.Sealer).
		kr, err := sealStore(ctx, store, kek)
		if err != nil {
			return err
		}
		sealer = kr
		log.Info("child data sealed at rest", "kek", kek.ID())
	} else {
		log.Warn("no key-encryption key (--kek-file or SAFEGUARD_KEK): child data is stored in the clear")
	}
	reg, err := loadRegistry(log)
	if err != nil {
		return err
	}
	var matcher *people.Matcher
	if *peopleOn {
		idx, err := openPeople(ctx, *db, sealer)
		if err != nil {
			return err
		}
		defer idx.Close()
		matcher = people.NewMatcher(idx)
	}
	svc := central.NewService(store, reg, central.Config{ImmediateWindow: *immediate, HighWindow: *high, OtherWindow: *other,
		SessionTTL: *sessionTTL, MaxAttachment: *maxAtt, Logger: log, Force: *force, Partner: *partnerName, PartnerLanguage: *partnerLang, People: matcher,
		PeopleInBackground: matcher != nil, AuditKeys: auditKeys, Witness: witness, OfficerBinding: *binding})
	if n, err := svc.AnnounceChecklists(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("checklists announced to devices", "new", n)
	}
	if *demo {
		if err := seedDemo(ctx, svc, log, *demoData); err != nil {
			return err
		}
	}

	// The scrape token comes from the environment only (flags show in the
	// process list).
	metricsToken := os.Getenv("SAFEGUARD_METRICS_TOKEN")
	if metricsToken == "" && !*metricsOpen {
		log.Warn("/metrics is off: set SAFEGUARD_METRICS_TOKEN (a scrape bearer token) or --metrics-open")
	}
	api := centralhttp.NewServer(svc, centralhttp.Options{Logger: log, MetricsToken: metricsToken, MetricsOff: metricsToken == "" && !*metricsOpen})

	// The referral deliverer runs beside the API and stops after it.
	delivered, stopDeliverer, err := startDeliverer(ctx, svc, api, log, *partnerURL, partner.Config{URL: *partnerURL,
		Secret: []byte(*partnerSecret), Timeout: *partnerTimeout, MaxAttempts: *partnerAttempts, Logger: log})
	if err != nil {
		return err
	}
	defer stopDeliverer()
	stopPeople := startPeople(ctx, svc)
	defer stopPeople()
	cctx, stopCheckpoints := context.WithCancel(context.WithoutCancel(ctx))
	defer stopCheckpoints()
	checkpointed := make(chan struct{})
	if witness != nil {
		checkpointed = runCheckpoints(cctx, svc, *auditO.every)
	} else {
		close(checkpointed)
	}
	stop := func() {
		stopDeliverer()
		<-delivered
		stopPeople()
		stopCheckpoints() // the last checkpoint is written after the last request
		<-checkpointed
	}
	return serveUntilDone(ctx, log, svc, api, serveTarget{addr: *addr, cert: *cert, key: *key, tls: tlsOn, db: *db}, stdout, stop)
}

// startPeople runs the person index's worker (central.Service.RunPeople)
// until the returned stop, which waits for it; what it has not ingested by
// then stays queued for the next start.
func startPeople(ctx context.Context, svc *central.Service) (stop func()) {
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunPeople(pctx)
	}()
	return func() { cancel(); <-done }
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// seedDemo creates the demo accounts and, with data, the demo's story of
// checks (only into a database without entries of its own: a demo
// directory used before keeps what it has).
func seedDemo(ctx context.Context, svc *central.Service, log *slog.Logger, data bool) error {
	code, err := svc.SeedDemo(ctx)
	if err != nil {
		return err
	}
	log.Warn("DEMO MODE: demo accounts exist; never use this database for live work",
		"users", "officer1 officer2 officer3 sergeant1 sergeant2 trainer1 admin (and trainee1 trainee2 with the demo data)", "password", central.DemoPassword,
		"enrolment_code", code, "team", central.DemoTeamA)
	if !data {
		return nil
	}
	switch story, err := svc.SeedDemoData(ctx, time.Now()); {
	case central.ErrorCode(err) == central.ECONFLICT:
		log.Warn("demo data not added", "reason", err.Error())
	case err != nil:
		return fmt.Errorf("demo data: %w", err)
	default:
		log.Info("demo data", "story", central.DemoStorySummary(story))
	}
	return nil
}

// serveTarget is where and how serve listens.
type serveTarget struct {
	addr, cert, key string
	tls             bool
	db              string // for the log line, redacted
}

// serveUntilDone listens on t.addr and serves api until ctx ends (then
// drains, shuts down within shutdownGrace and calls stop) or the server
// fails (then calls stop).
func serveUntilDone(ctx context.Context, log *slog.Logger, svc *central.Service, api *centralhttp.Server, t serveTarget, stdout io.Writer, stop func()) error {
	srv := &http.Server{
		Addr:              t.addr,
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // slow links uploading photos
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if t.tls {
		srv.TLSConfig = serverTLS()
	}
	ln, err := net.Listen("tcp", t.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if t.tls {
		scheme = "https"
	}
	log.Info("serving", "url", scheme+"://"+ln.Addr().String(), "db", redactDSN(t.db))
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, ln.Addr())

	errc := make(chan error, 1)
	go func() {
		if t.tls {
			errc <- srv.ServeTLS(ln, t.cert, t.key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		stop()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining")
	api.Drain()
	time.Sleep(drainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if ferr := svc.FlushRefusals(context.Background()); ferr != nil { // before the last checkpoint
		log.Error("audit refused sign-ins at shutdown", "err", ferr)
	}
	stop() // an attempt in flight is put back, due at the next start
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// startDeliverer runs the referral deliverer for cfg (none when url is
// empty: approved referrals wait in the outbox). delivered closes once it
// has stopped; stop asks it to (it survives ctx so the API drains first).
func startDeliverer(ctx context.Context, svc *central.Service, api *centralhttp.Server, log *slog.Logger, url string,
	cfg partner.Config) (delivered <-chan struct{}, stop func(), err error) {
	done := make(chan struct{})
	if url == "" {
		close(done)
		log.Warn("no partner endpoint (--partner-url): approved referrals wait in the outbox until one is configured")
		return done, func() {}, nil
	}
	d, err := partner.New(svc, cfg)
	if err != nil {
		return nil, nil, err
	}
	api.Metrics().Registry.MustRegister(d.Collectors()...)
	log.Info("delivering referrals", "partner", d.Target())
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(done)
		d.Run(dctx)
	}()
	return done, cancel, nil
}
