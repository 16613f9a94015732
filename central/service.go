package central

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
)

// Defaults. Each can be changed in Config.
const (
	// DefaultImmediateWindow is the review deadline for immediate-risk
	// entries (the suggested supervisor target: within 1 hour).
	DefaultImmediateWindow = time.Hour
	// DefaultHighWindow is the review deadline for high-risk entries.
	DefaultHighWindow = 4 * time.Hour
	// DefaultOtherWindow is the review deadline for every other entry.
	DefaultOtherWindow = 24 * time.Hour
	// DefaultSessionTTL is how long a human session lasts (one long shift).
	DefaultSessionTTL = 12 * time.Hour
	// DefaultEnrolmentTTL is how long an enrolment code stays valid.
	DefaultEnrolmentTTL = 72 * time.Hour
	// DefaultMaxAttachment is the largest attachment accepted (a phone photo
	// is a few MB; a short clip may be more).
	DefaultMaxAttachment = 25 << 20
	// DefaultMaxBatch is the most items one push may carry.
	DefaultMaxBatch = 100
	// DefaultPullLimit is the page size of the pull feed.
	DefaultPullLimit = 200
	// DefaultQueueLimit is the most entries one queue page lists.
	DefaultQueueLimit = 100
)

// Config tunes a Service. Zero fields take the defaults above.
type Config struct {
	ImmediateWindow time.Duration
	HighWindow      time.Duration
	OtherWindow     time.Duration
	SessionTTL      time.Duration
	EnrolmentTTL    time.Duration
	MaxAttachment   int64
	MaxBatch        int
	// Argon2 sets the cost of new password hashes (existing hashes carry
	// their own parameters).
	Argon2 Argon2Params
	// Force and Partner name the sender and the receiving agency in
	// referral documents ("" leaves them out).
	Force   string
	Partner string
	// PartnerLanguage is the language the receiving agency asks for its
	// referrals in: "en" (also when empty) or "cy" (referral.Languages).
	// The document's fixed words, dates and the checklist's texts are in
	// that language (the checklist's English where a version lacks it,
	// with a note); the officer's free text stays as written, marked with
	// its language. cmd/central serve: --partner-language,
	// SAFEGUARD_PARTNER_LANGUAGE.
	PartnerLanguage string
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
	// Logger receives operational logs (never secrets or child data).
	Logger *slog.Logger
	// People is the person index's matcher (nil: no person index). Each
	// accepted live revision is ingested after its push commits; alerts
	// reach the team's devices and the supervisors, possible matches wait
	// for a supervisor.
	People *people.Matcher
	// PeopleInBackground takes the person index off the push reply: the
	// push records its accepted revisions in the store's queue (in its own
	// transaction) and replies; RunPeople, which the server must run,
	// ingests them moments later (PeopleSettled waits for that). When
	// false the push ingests its queue before it replies.
	PeopleInBackground bool
	// AlertRules are the person index's alert thresholds (zero:
	// people.DefaultAlertRules).
	AlertRules people.AlertRules
	// AuditKeys key the audit chain and sign checkpoints (nil: the
	// chain is plain SHA-256, which a database writer can recompute).
	AuditKeys *AuditKeys
	// Witness is where signed checkpoints of the audit head go (nil:
	// none; needs AuditKeys).
	Witness *Witness
	// OfficerBinding refuses pushed entries whose officer has not signed
	// in on the pushing device (cmd/central serve turns it on; off, any
	// officer of the device's team may be named, as before issue 15).
	OfficerBinding bool
	// Limits throttle the credential routes (zero fields: DefaultLimits).
	Limits Limits
}

func (c *Config) defaults() {
	if c.ImmediateWindow <= 0 {
		c.ImmediateWindow = DefaultImmediateWindow
	}
	if c.HighWindow <= 0 {
		c.HighWindow = DefaultHighWindow
	}
	if c.OtherWindow <= 0 {
		c.OtherWindow = DefaultOtherWindow
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.EnrolmentTTL <= 0 {
		c.EnrolmentTTL = DefaultEnrolmentTTL
	}
	if c.MaxAttachment <= 0 {
		c.MaxAttachment = DefaultMaxAttachment
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.Argon2 == (Argon2Params{}) {
		c.Argon2 = DefaultArgon2
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.AlertRules == (people.AlertRules{}) {
		c.AlertRules = people.DefaultAlertRules
	}
}

// Service holds the rules of the central system over a Store and the
// checklist Registry (the same forms package the devices use).
type Service struct {
	store    Store
	registry *forms.Registry
	cfg      Config
	log      *slog.Logger

	dummyOnce sync.Once
	dummyHash string

	// throttle counts failed credential attempts and bounds hash checks.
	throttle *throttle
	// refusals gathers refused credential attempts for the audit.
	refusals refusalLedger
	// shared is this server's copy of the lockouts the store shares.
	shared sharedLocks
	// blindOnce makes blindKey, the per-process key for hashing typed
	// names when no key file is configured.
	blindOnce sync.Once
	blindKey  []byte

	// queued wakes the deliverer when a referral enters the outbox.
	queued chan struct{}
	// peopleMu lets one drain of the person index's queue run at a time;
	// peopleKick wakes RunPeople when a push queues revisions.
	peopleMu   sync.Mutex
	peopleKick chan struct{}
	// turns alternates pushes (readers) with the person index's batches
	// (the writer): on SQLite both need the one write lock of the file,
	// and its busy wait lets a worker that starts batch after batch keep
	// a waiting push out until the queue is empty.
	turns sync.RWMutex

	// pseudoKey is the export pseudonym key, loaded (or made) on first use.
	keyMu     sync.Mutex
	pseudoKey []byte

	// reports caches recent quality reports for chart requests.
	reportMu sync.Mutex
	reports  map[string]cachedReport
}

// NewService returns a Service over store, validating entries with the
// checklists in registry.
func NewService(store Store, registry *forms.Registry, cfg Config) *Service {
	cfg.defaults()
	return &Service{store: store, registry: registry, cfg: cfg, log: cfg.Logger, queued: make(chan struct{}, 1),
		peopleKick: make(chan struct{}, 1), throttle: newThrottle(cfg.Limits)}
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// Registry returns the checklist registry.
func (s *Service) Registry() *forms.Registry { return s.registry }

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// Window returns the review deadline window for a grade.
func (s *Service) Window(l forms.Level) time.Duration {
	switch {
	case l >= forms.LevelImmediate:
		return s.cfg.ImmediateWindow
	case l >= forms.LevelHigh:
		return s.cfg.HighWindow
	}
	return s.cfg.OtherWindow
}

// Ready checks the store answers.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return &Error{Code: EUNAVAILABLE, Message: "database unreachable"}
	}
	return nil
}

// Stats counts the review queues, for metrics.
func (s *Service) Stats(ctx context.Context) (QueueStats, error) {
	var st QueueStats
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		st, err = tx.QueueStats(ctx, s.now())
		return err
	})
	if err != nil {
		return st, fmt.Errorf("queue stats: %w", err)
	}
	return st, nil
}

// AnnounceChecklists adds a checklist change to the pull feed for every
// registry version not announced before. Call it at start-up.
func (s *Service) AnnounceChecklists(ctx context.Context) (int, error) {
	n := 0
	for _, ref := range s.registry.Refs() {
		c, _ := s.registry.Get(ref)
		err := s.store.Update(ctx, func(tx Tx) error {
			now := s.now()
			isNew, err := tx.MarkChecklist(ctx, ref, c.Hash(), now)
			if err != nil || !isNew {
				return err
			}
			n++
			if _, err := tx.AppendChange(ctx, Change{Body: changeChecklist(ref, now)}); err != nil {
				return err
			}
			return s.audit(ctx, tx, System("server"), "checklist.announce", "", 0, map[string]any{"checklist": ref.String(), "hash": c.Hash()})
		})
		if err != nil {
			return n, fmt.Errorf("announce %s: %w", ref, err)
		}
	}
	return n, nil
}
