package central

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/safeguard-uk/safeguard/api"
)

// Limits bounds guessing on the credential routes (sign-in, device
// sign-in, enrolment). Failures are counted per account, per device and
// per source address, each in a token bucket (golang.org/x/time/rate) that
// refills over Window. When a bucket runs dry the key is locked out, first
// for Window and then twice as long each time it runs dry again (up to
// MaxLockout), until an administrator lifts it or a success clears an
// account.
type Limits struct {
	// Window is the period the failure counts refill over and the first
	// lockout's length.
	Window time.Duration
	// AccountFailures, DeviceFailures and SourceFailures are how many
	// failures a key may have within Window before it is locked out.
	AccountFailures int
	DeviceFailures  int
	SourceFailures  int
	// MaxLockout caps the growing lockout.
	MaxLockout time.Duration
	// MaxChecks bounds the password hashes computed at once; MaxWaiting
	// bounds the callers waiting for a turn, and CheckWait how long one
	// waits. Beyond either the caller gets 429.
	MaxChecks  int
	MaxWaiting int
	CheckWait  time.Duration
	// ChecksPerSecond caps the password hashes started per second, with a
	// burst of CheckBurst, so a flood spends a bounded share of the CPU on
	// argon2id and ingest keeps the rest. Zero: sized from the checks' own
	// measured time so that hashing uses at most CheckCPUShare of one core
	// (a check at the default cost, 64 MiB, t=3, p=2, takes about 0.1 to 0.3
	// core-seconds on a small server; the quickest check seen is taken as
	// the cost, since a slower one also waited for a core), between 0.25
	// and NumCPU/2 a second.
	ChecksPerSecond float64
	// CheckCPUShare is the share of one core the password checks may use
	// when ChecksPerSecond is zero (zero: DefaultCheckCPUShare).
	CheckCPUShare float64
	CheckBurst    int
	// FailDelay holds back the answer to every failed or refused
	// credential attempt (a tarpit: a guessing loop waits for each answer),
	// for at most MaxDelayed callers at once (the rest are answered at once).
	FailDelay  time.Duration
	MaxDelayed int
	// RefusalAuditEvery is how long refused attempts are gathered in
	// memory before they are audited together (zero:
	// DefaultRefusalAuditEvery), so a flood writes nothing per attempt.
	RefusalAuditEvery time.Duration
	// ShareEvery is how often a server reads the lockouts the servers on
	// its database share (zero: DefaultShareEvery).
	ShareEvery time.Duration
	// Off disables the per-key limits (the concurrency bound stays): only
	// for benchmarks that measure the bound alone.
	Off bool

	autoRate bool // ChecksPerSecond follows the measured check time
}

// DefaultCheckCPUShare: password checks may use a quarter of one core.
const DefaultCheckCPUShare = 0.25

func maxAutoRate() float64 { return max(1, float64(runtime.NumCPU())/2) }

// DefaultLimits: the 6th wrong password for one account within a minute
// is refused with 429.
var DefaultLimits = Limits{
	Window:          time.Minute,
	AccountFailures: 5,
	DeviceFailures:  10,
	SourceFailures:  30,
	MaxLockout:      time.Hour,
	MaxChecks:       1,
	MaxWaiting:      16,
	CheckWait:       2 * time.Second,
	FailDelay:       time.Second,
	MaxDelayed:      4096,
}

func (l Limits) auditEvery() time.Duration {
	if l.RefusalAuditEvery > 0 {
		return l.RefusalAuditEvery
	}
	return DefaultRefusalAuditEvery
}

func (l *Limits) defaults() {
	d := DefaultLimits
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.AccountFailures <= 0 {
		l.AccountFailures = d.AccountFailures
	}
	if l.DeviceFailures <= 0 {
		l.DeviceFailures = d.DeviceFailures
	}
	if l.SourceFailures <= 0 {
		l.SourceFailures = d.SourceFailures
	}
	if l.MaxLockout <= 0 {
		l.MaxLockout = d.MaxLockout
	}
	if l.MaxChecks <= 0 {
		l.MaxChecks = d.MaxChecks
	}
	if l.MaxWaiting <= 0 {
		l.MaxWaiting = d.MaxWaiting
	}
	if l.CheckWait <= 0 {
		l.CheckWait = d.CheckWait
	}
	if l.ChecksPerSecond <= 0 {
		l.autoRate = true
		l.ChecksPerSecond = maxAutoRate()
	}
	if l.CheckCPUShare <= 0 {
		l.CheckCPUShare = DefaultCheckCPUShare
	}
	if l.CheckBurst <= 0 {
		l.CheckBurst = 2
	}
	if l.FailDelay == 0 {
		l.FailDelay = d.FailDelay
	}
	if l.MaxDelayed <= 0 {
		l.MaxDelayed = d.MaxDelayed
	}
}

// Kinds of throttled key.
const (
	KeyAccount = "account"
	KeyDevice  = "device"
	KeySource  = "source"
)

// maxThrottleKeys bounds the keys held; past it idle keys are dropped
// first, and if every key is busy the oldest idle-most is dropped.
const maxThrottleKeys = 100_000

type throttleKey struct{ kind, value string }

type throttleState struct {
	bucket      *rate.Limiter
	strikes     int
	lockedUntil time.Time
	lockedAt    time.Time
	failures    int // total failures while tracked
	last        time.Time
}

// throttle holds the per-key failure buckets and the hash-check slots.
type throttle struct {
	lim     Limits
	mu      sync.Mutex
	keys    map[throttleKey]*throttleState
	slots   chan struct{}
	waiting chan struct{}
	delayed chan struct{}
	// checkRate paces hash checks in real time (it regulates CPU, so it
	// ignores the service's clock).
	checkRate *rate.Limiter
	// checkNS is the moving average of real password checks' time (ns);
	// realChecks counts them.
	checkNS    atomic.Int64
	realChecks atomic.Int64
	// fastestNS is the quickest real check (ns), sizing the budget.
	fastestNS atomic.Int64
}

// observeCheck adds a real check's time to the moving average (1/8
// weight) and, when the rate is automatic, resizes the check budget so
// checks (each on threads cores, costing about the quickest check seen)
// use CheckCPUShare of a core.
func (t *throttle) observeCheck(d time.Duration, threads uint8) {
	t.realChecks.Add(1)
	var avg int64
	for {
		old := t.checkNS.Load()
		avg = int64(d)
		if old != 0 {
			avg = old + (int64(d)-old)/8
		}
		if t.checkNS.CompareAndSwap(old, avg) {
			break
		}
	}
	if !t.lim.autoRate || d <= 0 {
		return
	}
	// The quickest check seen is the nearest to its CPU cost (a slower one
	// also waited for a core), so a loaded server does not starve sign-ins.
	for {
		old := t.fastestNS.Load()
		if old != 0 && old <= int64(d) {
			break
		}
		if t.fastestNS.CompareAndSwap(old, int64(d)) {
			break
		}
	}
	cost := time.Duration(t.fastestNS.Load()).Seconds() * float64(max(1, threads))
	t.checkRate.SetLimit(rate.Limit(min(maxAutoRate(), max(minAutoRate, t.lim.CheckCPUShare/cost))))
}

// minAutoRate is the automatic budget's floor: a check every 4 seconds.
const minAutoRate = 0.25

// checkTime is the moving average of real checks (0 before the first).
func (t *throttle) checkTime() time.Duration { return time.Duration(t.checkNS.Load()) }

func newThrottle(l Limits) *throttle {
	l.defaults()
	return &throttle{lim: l, keys: map[throttleKey]*throttleState{},
		slots: make(chan struct{}, l.MaxChecks), waiting: make(chan struct{}, l.MaxWaiting),
		delayed:   make(chan struct{}, l.MaxDelayed),
		checkRate: rate.NewLimiter(rate.Limit(l.ChecksPerSecond), l.CheckBurst)}
}

func (t *throttle) capacity(kind string) int {
	switch kind {
	case KeyAccount:
		return t.lim.AccountFailures
	case KeyDevice:
		return t.lim.DeviceFailures
	}
	return t.lim.SourceFailures
}

// rateLimited is the 429 error with its wait.
func rateLimited(wait time.Duration, format string, args ...any) *Error {
	if wait < time.Second {
		wait = time.Second
	}
	e := Errorf(api.CodeRateLimited, format, args...)
	e.RetryAfter = wait
	return e
}

// check refuses when any key is locked out, naming the longest wait.
func (t *throttle) check(now time.Time, keys []throttleKey) error {
	if t.lim.Off {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		st := t.keys[k]
		if st == nil {
			continue
		}
		if d := st.lockedUntil.Sub(now); d > wait {
			wait = d
		}
	}
	if wait > 0 {
		return rateLimited(wait.Round(time.Second), "too many failed attempts: try again in %s", waitInWords(wait))
	}
	return nil
}

// fail counts a failure against every key and locks out the keys whose
// bucket ran dry. It reports the keys newly locked out and the first
// key's failure count.
func (t *throttle) fail(now time.Time, keys []throttleKey) ([]throttleKey, int) {
	if t.lim.Off {
		return nil, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var locked []throttleKey
	for _, k := range keys {
		st := t.keys[k]
		if st == nil {
			t.makeRoom(now)
			n := t.capacity(k.kind)
			st = &throttleState{bucket: rate.NewLimiter(rate.Every(t.lim.Window/time.Duration(n)), n)}
			t.keys[k] = st
		}
		st.failures++
		st.last = now
		st.bucket.AllowN(now, 1)
		if st.bucket.TokensAt(now) < 1 {
			st.strikes++
			d := t.lim.Window << (st.strikes - 1)
			if d > t.lim.MaxLockout || d <= 0 || st.strikes > 30 {
				d = t.lim.MaxLockout
			}
			st.lockedUntil, st.lockedAt = now.Add(d), now
			locked = append(locked, k)
		}
	}
	if len(keys) == 0 {
		return locked, 0
	}
	return locked, t.keys[keys[0]].failures
}

// dropLifted clears the local lockouts started before before that shared
// no longer holds (an administrator lifted them on another server).
func (t *throttle) dropLifted(now, before time.Time, shared func(throttleKey) bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, st := range t.keys {
		if now.Before(st.lockedUntil) && st.lockedAt.Before(before) && !shared(k) {
			delete(t.keys, k)
		}
	}
}

// lockedFor is how long k stays locked out from now.
func (t *throttle) lockedFor(k throttleKey, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.keys[k]; st != nil && now.Before(st.lockedUntil) {
		return st.lockedUntil.Sub(now)
	}
	return 0
}

// succeed clears an account after a right password (its device and source
// keep their counts: one good password must not unlock guessing others).
func (t *throttle) succeed(k throttleKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, k)
}

// lift removes a key's lockout and counts; it reports whether one existed.
func (t *throttle) lift(k throttleKey) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.keys[k]
	delete(t.keys, k)
	return ok
}

// makeRoom drops idle keys when the map is full. Called with mu held.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.keys) < maxThrottleKeys {
		return
	}
	for k, st := range t.keys {
		if !now.Before(st.lockedUntil) && now.Sub(st.last) > t.lim.Window {
			delete(t.keys, k)
		}
	}
	if len(t.keys) < maxThrottleKeys {
		return
	}
	var oldest throttleKey
	var at time.Time
	for k, st := range t.keys {
		if at.IsZero() || st.last.Before(at) {
			oldest, at = k, st.last
		}
	}
	delete(t.keys, oldest)
}

// Lockout is a key currently locked out, for administrators.
type Lockout struct {
	Kind     string
	Value    string
	Until    time.Time
	Failures int
	// Hashed says Value is the keyed hash of an account's name (a lockout
	// another server started: the store never holds the typed name).
	Hashed bool
}

func (t *throttle) lockouts(now time.Time) []Lockout {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Lockout
	for k, st := range t.keys {
		if now.Before(st.lockedUntil) {
			out = append(out, Lockout{Kind: k.kind, Value: k.value, Until: st.lockedUntil, Failures: st.failures})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Until.Before(out[j].Until) })
	return out
}

// tarpit holds a failed or refused attempt's answer back for FailDelay
// (negative: none), unless MaxDelayed are already held or ctx ends.
func (t *throttle) tarpit(ctx context.Context) {
	if t.lim.FailDelay <= 0 {
		return
	}
	select {
	case t.delayed <- struct{}{}:
	default:
		return
	}
	defer func() { <-t.delayed }()
	timer := time.NewTimer(t.lim.FailDelay)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

// acquire waits for a hash-check slot: at most MaxChecks run at once and
// at most ChecksPerSecond start each second; at most MaxWaiting wait, each
// for at most CheckWait; the rest get 429.
func (t *throttle) acquire(ctx context.Context) (func(), error) {
	res := t.checkRate.Reserve()
	if d := res.Delay(); d > t.lim.CheckWait {
		res.Cancel()
		return nil, rateLimited(time.Second, "the server is busy checking sign-ins: try again in a second")
	} else if d > 0 {
		timer := time.NewTimer(d)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			res.Cancel()
			return nil, rateLimited(time.Second, "the server is busy checking sign-ins: try again in a second")
		}
	}
	return t.slot(ctx)
}

func (t *throttle) slot(ctx context.Context) (func(), error) {
	select {
	case t.slots <- struct{}{}:
		return func() { <-t.slots }, nil
	default:
	}
	select {
	case t.waiting <- struct{}{}:
	default:
		return nil, rateLimited(time.Second, "the server is busy checking sign-ins: try again in a second")
	}
	defer func() { <-t.waiting }()
	timer := time.NewTimer(t.lim.CheckWait)
	defer timer.Stop()
	select {
	case t.slots <- struct{}{}:
		return func() { <-t.slots }, nil
	case <-timer.C:
		return nil, rateLimited(time.Second, "the server is busy checking sign-ins: try again in a second")
	case <-ctx.Done():
		return nil, rateLimited(time.Second, "the server is busy checking sign-ins: try again in a second")
	}
}

type sourceKey struct{}

// WithSource returns ctx carrying the caller's network address (the HTTP
// layer sets it), used to throttle guessing per source.
func WithSource(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, sourceKey{}, addr)
}

// SourceFrom returns the address WithSource stored ("" when none).
func SourceFrom(ctx context.Context) string {
	s, _ := ctx.Value(sourceKey{}).(string)
	return s
}

// credentialKeys names the throttled keys of one attempt.
func credentialKeys(ctx context.Context, account, device string) []throttleKey {
	var ks []throttleKey
	if account != "" {
		ks = append(ks, throttleKey{KeyAccount, strings.ToLower(account)})
	}
	if device != "" {
		ks = append(ks, throttleKey{KeyDevice, device})
	}
	if src := SourceFrom(ctx); src != "" {
		ks = append(ks, throttleKey{KeySource, src})
	}
	return ks
}

// Lockouts lists the keys locked out now (administrators only; the
// listing is audited).
func (s *Service) Lockouts(ctx context.Context, p Principal) ([]Lockout, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	if err := s.FlushRefusals(ctx); err != nil {
		return nil, fmt.Errorf("list lockouts: %w", err)
	}
	out := s.throttle.lockouts(s.now())
	others, err := s.sharedLockouts(ctx, out)
	if err != nil {
		return nil, fmt.Errorf("list lockouts: %w", err)
	}
	out = append(out, others...)
	if err := s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "lockout.list", "", 0, map[string]any{"count": len(out)})
	}); err != nil {
		return nil, fmt.Errorf("list lockouts: %w", err)
	}
	return out, nil
}

// LiftLockout clears a key's lockout and failure count (administrators
// only; audited). kind is KeyAccount, KeyDevice or KeySource.
func (s *Service) LiftLockout(ctx context.Context, p Principal, kind, value string) error {
	if !p.isAdmin() {
		return forbidden()
	}
	switch kind {
	case KeyAccount:
		value = strings.ToLower(value)
	case KeyDevice, KeySource:
	default:
		return Errorf(EINVALID, "kind must be account, device or source")
	}
	if value == "" || len(value) > 200 {
		return Errorf(EINVALID, "value must be 1 to 200 characters")
	}
	if err := s.FlushRefusals(ctx); err != nil { // the lockout's record comes before its lift
		return fmt.Errorf("lift lockout: %w", err)
	}
	key := throttleKey{kind, value}
	existed := s.throttle.lift(key)
	s.unshareLockout(key)
	err := s.store.Update(ctx, func(tx Tx) error {
		if lt, ok := tx.(lockoutTx); ok {
			// An account is named by its name or, for a lockout another
			// server started, by the hash the listing showed.
			vals := []string{s.sharedValue(key).value}
			if kind == KeyAccount {
				vals = append(vals, value)
			}
			for _, v := range vals {
				had, err := lt.DeleteLockout(ctx, kind, v)
				if err != nil {
					return err
				}
				existed = existed || had
			}
		}
		d := map[string]any{"kind": kind, "existed": existed}
		if kind == KeyAccount {
			d["name_hash"] = s.sharedValue(key).value
		} else {
			d["value"] = value
		}
		return s.audit(ctx, tx, p, "lockout.lift", "", 0, d)
	})
	if err != nil {
		return fmt.Errorf("lift lockout: %w", err)
	}
	if !existed {
		return Errorf(ENOTFOUND, "no failed attempts are held for that %s", kind)
	}
	return nil
}

// waitInWords says a wait the way a person would ("about 2 minutes").
func waitInWords(d time.Duration) string {
	switch {
	case d <= time.Second:
		return "a second"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int((d+time.Second-1)/time.Second))
	case d < 90*time.Second:
		return "about a minute"
	case d < time.Hour-30*time.Second:
		return fmt.Sprintf("about %d minutes", int((d+time.Minute/2)/time.Minute))
	case d < 90*time.Minute:
		return "about an hour"
	}
	return fmt.Sprintf("about %d hours", int((d+time.Hour/2)/time.Hour))
}
