package central

import (
	"context"
	"sync"
	"time"
)

// SharedLockout is a lockout as the store keeps it for every server on the
// database. Value is a device id or a source address, or for an account a
// keyed hash of the name (never the typed name).
type SharedLockout struct {
	Kind     string
	Value    string
	Until    time.Time
	Failures int
	At       time.Time
}

// lockoutTx is a transaction that keeps shared lockouts (central/sqlite
// and central/postgres); with a store whose transactions do not, each
// server's lockouts stay its own.
type lockoutTx interface {
	// PutLockout stores a lockout, keeping the later end and the higher
	// failure count when the key already has one.
	PutLockout(ctx context.Context, l SharedLockout) error
	// DeleteLockout removes a key's lockout; it reports whether one existed.
	DeleteLockout(ctx context.Context, kind, value string) (bool, error)
	// ActiveLockouts lists the lockouts that end after now.
	ActiveLockouts(ctx context.Context, now time.Time) ([]SharedLockout, error)
}

// DefaultShareEvery is how often a server reads the shared lockouts: a
// lockout started on one server holds on the others within about this
// long after it is written (lockouts are written within
// lockoutFlushDelay of starting).
const DefaultShareEvery = time.Second

// lockoutFlushDelay is how soon after a lockout starts the refusal ledger
// is flushed (writing the lockout's audit record and its shared row).
const lockoutFlushDelay = 100 * time.Millisecond

// sharedLocks is a server's copy of the shared lockouts, read at most once
// per Limits.ShareEvery (one query a second however hard the flood), so
// the check before any hashing stays a map lookup.
type sharedLocks struct {
	mu         sync.Mutex
	until      map[throttleKey]time.Time // by shared value
	fetched    time.Time
	refreshing bool
	off        bool // the store does not share lockouts
}

// sharedValue is the key as the shared table names it.
func (s *Service) sharedValue(k throttleKey) throttleKey {
	if k.kind == KeyAccount {
		return throttleKey{k.kind, s.nameHash(k.value)}
	}
	return k
}

// checkCredential refuses an attempt whose keys are locked out on this
// server or, through the store, on another one.
func (s *Service) checkCredential(ctx context.Context, keys []throttleKey) error {
	if s.throttle.lim.Off {
		return nil
	}
	s.refreshShared(ctx) // first: it may lift a local lockout lifted elsewhere
	now := s.now()
	if err := s.throttle.check(now, keys); err != nil {
		return err
	}
	sl := &s.shared
	sl.mu.Lock()
	var wait time.Duration
	for _, k := range keys {
		if u, ok := sl.until[s.sharedValue(k)]; ok && u.Sub(now) > wait {
			wait = u.Sub(now)
		}
	}
	sl.mu.Unlock()
	if wait > 0 {
		return rateLimited(wait.Round(time.Second), "too many failed attempts: try again in %s", waitInWords(wait))
	}
	return nil
}

// refreshShared reads the shared lockouts when the copy is older than
// Limits.ShareEvery; one caller reads while the others use the copy they
// have. A lockout lifted on another server is lifted here too.
func (s *Service) refreshShared(ctx context.Context) {
	sl := &s.shared
	every := s.cfg.Limits.ShareEvery
	if every <= 0 {
		every = DefaultShareEvery
	}
	sl.mu.Lock()
	if sl.off || sl.refreshing || time.Since(sl.fetched) < every {
		sl.mu.Unlock()
		return
	}
	sl.refreshing = true
	sl.mu.Unlock()
	now := s.now()
	var got []SharedLockout
	shared := true
	err := s.store.View(ctx, func(tx Tx) error {
		lt, ok := tx.(lockoutTx)
		if !ok {
			shared = false
			return nil
		}
		var err error
		got, err = lt.ActiveLockouts(ctx, now)
		return err
	})
	sl.mu.Lock()
	defer sl.mu.Unlock()
	sl.refreshing = false
	sl.fetched = time.Now()
	if !shared {
		sl.off = true
		return
	}
	if err != nil {
		s.log.Warn("read shared lockouts", "err", err)
		return
	}
	sl.until = make(map[throttleKey]time.Time, len(got))
	for _, l := range got {
		sl.until[throttleKey{l.Kind, l.Value}] = l.Until
	}
	// A local lockout written to the store a while ago and no longer
	// there was lifted by an administrator on another server.
	s.throttle.dropLifted(now, now.Add(-5*every-lockoutFlushDelay), func(k throttleKey) bool {
		_, ok := sl.until[s.sharedValue(k)]
		return ok
	})
}

// shareLockout adds a lockout to this server's copy at once (the store
// has it after the next flush).
func (s *Service) shareLockout(k throttleKey, until time.Time) {
	sl := &s.shared
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if sl.until == nil {
		sl.until = map[throttleKey]time.Time{}
	}
	sk := s.sharedValue(k)
	if until.After(sl.until[sk]) {
		sl.until[sk] = until
	}
}

// unshareLockout drops a lifted key from this server's copy.
func (s *Service) unshareLockout(k throttleKey) {
	sl := &s.shared
	sl.mu.Lock()
	defer sl.mu.Unlock()
	delete(sl.until, s.sharedValue(k))
}

// sharedLockouts lists the shared lockouts not held in this server's
// memory (started on another server), fresh from the store.
func (s *Service) sharedLockouts(ctx context.Context, local []Lockout) ([]Lockout, error) {
	var got []SharedLockout
	err := s.store.View(ctx, func(tx Tx) error {
		lt, ok := tx.(lockoutTx)
		if !ok {
			return nil
		}
		var err error
		got, err = lt.ActiveLockouts(ctx, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	mine := map[throttleKey]bool{}
	for _, l := range local {
		mine[s.sharedValue(throttleKey{l.Kind, l.Value})] = true
	}
	var out []Lockout
	for _, l := range got {
		if !mine[throttleKey{l.Kind, l.Value}] {
			out = append(out, Lockout{Kind: l.Kind, Value: l.Value, Until: l.Until, Failures: l.Failures, Hashed: l.Kind == KeyAccount})
		}
	}
	return out, nil
}
