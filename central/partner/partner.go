// Package partner delivers approved referrals from the central system's
// outbox to the partner agency (children's social care, the MASH): one
// signed HTTP POST per referral, retried with exponential backoff and full
// jitter until the partner acknowledges it, or given up as a dead letter
// with the reason, for an administrator to replay.
//
// The outbox is durable (a table written in the approval's own
// transaction), so a referral survives restarts, and an attempt is claimed
// with a lease, so a deliverer that dies mid-attempt is retried and two
// deliverers never send one delivery at once. Delivery is at least once:
// the partner drops repeats by the Idempotency-Key header (the delivery
// id, the same on every attempt, with the same body). The signature and
// the headers are described in package signature.
//
// Outcomes: a 2xx answer is delivered. No answer (connection refused,
// reset, timeout), 408, 429 and 5xx are retried, honouring Retry-After.
// Any other status (a 4xx refusal, or a redirect, which is not followed)
// is permanent: the delivery is dead at once, with the partner's status
// and the start of its answer as the reason. After MaxAttempts failed
// attempts it is dead too.
package partner

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/signature"
)

// Defaults. Each can be changed in Config.
const (
	// DefaultTimeout bounds one attempt, from connecting to the end of
	// the partner's answer.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxAttempts is how many attempts fail before a delivery is
	// dead. With the delays below that is about five hours of ceilings
	// (roughly half that on average, with jitter): long enough to ride out
	// a partner's restart or a short outage; anything longer needs a
	// person, and the dead-letter gauge alerts one.
	DefaultMaxAttempts = 12
	// DefaultBaseDelay is the backoff ceiling after the first failure; it
	// doubles after each failure up to DefaultMaxDelay.
	DefaultBaseDelay = 30 * time.Second
	// DefaultMaxDelay caps the backoff ceiling.
	DefaultMaxDelay = time.Hour
	// DefaultMaxRetryAfter caps how long a partner's Retry-After may hold
	// a delivery back.
	DefaultMaxRetryAfter = 6 * time.Hour
	// DefaultPoll is how often the outbox is checked when nothing wakes
	// the deliverer (approvals and replays wake it at once).
	DefaultPoll = 10 * time.Second
	// DefaultWorkers is how many deliveries are attempted at once.
	DefaultWorkers = 4
	// minDelay keeps full jitter from retrying in a tight loop.
	minDelay = time.Second
	// excerpt bounds the partner's answer kept in a reason.
	excerpt = 200
	// recordTimeout bounds storing an outcome (also during shutdown).
	recordTimeout = 10 * time.Second
)

// UserAgent is sent with every attempt.
const UserAgent = "Safeguard-Central/1 (referral delivery)"

// Config configures a Deliverer. URL and Secret are required.
type Config struct {
	// URL is the partner's endpoint (https in production).
	URL string
	// Secret is the HMAC key shared with the partner. It is never logged.
	Secret []byte
	// Client sends the requests; nil means a client that does not follow
	// redirects. Its Timeout, if any, applies on top of Timeout.
	Client        *http.Client
	Timeout       time.Duration
	MaxAttempts   int
	BaseDelay     time.Duration
	MaxDelay      time.Duration
	MaxRetryAfter time.Duration
	Poll          time.Duration
	Workers       int
	// Now is the clock (the service's clock when nil); After waits
	// (time.After when nil). Tests inject both.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
	// Jitter returns a duration in [0, d) (uniformly random when nil).
	Jitter func(d time.Duration) time.Duration
	// Logger receives one line per attempt (ids, status, error; never the
	// document, the URL's credentials or the secret).
	Logger *slog.Logger
}

// Deliverer takes referrals from a service's outbox to the partner.
type Deliverer struct {
	svc    *central.Service
	cfg    Config
	log    *slog.Logger
	lease  time.Duration
	target string // scheme://host, for logs

	attempts *prometheus.CounterVec
	latency  prometheus.Histogram
}

// New returns a Deliverer for svc's outbox.
func New(svc *central.Service, cfg Config) (*Deliverer, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("partner: the partner URL must be an absolute http(s) URL")
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, errors.New("partner: referrals carry children's data: use https (plain http only to a loopback address)")
	}
	if len(cfg.Secret) == 0 {
		return nil, errors.New("partner: a signing secret is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = DefaultBaseDelay
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Now == nil {
		cfg.Now = svc.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Jitter == nil {
		cfg.Jitter = func(d time.Duration) time.Duration {
			if d <= 0 {
				return 0
			}
			return rand.N(d)
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
				TLSHandshakeTimeout: 10 * time.Second,
				MaxIdleConnsPerHost: cfg.Workers,
				IdleConnTimeout:     90 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	d := &Deliverer{svc: svc, cfg: cfg, log: cfg.Logger, lease: cfg.Timeout + time.Minute, target: u.Scheme + "://" + u.Host}
	d.attempts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "safeguard_referral_delivery_attempts_total",
		Help: "Referral delivery attempts by outcome (delivered, retry, dead)."}, []string{"outcome"})
	for _, o := range []string{"delivered", "retry", "dead"} {
		d.attempts.WithLabelValues(o)
	}
	d.latency = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "safeguard_referral_delivery_duration_seconds",
		Help: "Time of one delivery attempt, until the partner answered or the attempt failed.", Buckets: prometheus.DefBuckets})
	return d, nil
}

// Collectors returns the deliverer's Prometheus metrics, to register
// beside the server's.
func (d *Deliverer) Collectors() []prometheus.Collector {
	return []prometheus.Collector{d.attempts, d.latency}
}

// Target names the partner endpoint for logs: scheme and host only.
func (d *Deliverer) Target() string { return d.target }

// Run delivers until ctx is done: whatever is due, then it waits for an
// approval, a replay or the next poll. An attempt in flight when ctx ends
// is cut short and put back, due at once, for the next start.
func (d *Deliverer) Run(ctx context.Context) error {
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("referral delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.svc.Queued():
		case <-d.cfg.After(d.cfg.Poll):
		}
	}
}

// RunOnce attempts every delivery due now (Workers at a time) and returns
// how many attempts it made. Deliveries that fail are due again later, so
// they are not retried within one call.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		n     int
		first error
	)
	for w := 0; w < d.cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				dl, err := d.svc.ClaimDelivery(ctx, d.lease)
				if err == nil && dl != nil {
					err = d.attempt(ctx, dl)
				}
				mu.Lock()
				if dl != nil {
					n++
				}
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
				if err != nil || dl == nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return n, first
}

// attempt sends one claimed delivery and records the outcome.
func (d *Deliverer) attempt(ctx context.Context, dl *central.Delivery) error {
	start := time.Now()
	o := d.send(ctx, dl)
	d.latency.Observe(time.Since(start).Seconds())
	outcome := "retry"
	switch {
	case o.Delivered:
		outcome = "delivered"
	case o.Dead:
		outcome = "dead"
	}
	d.attempts.WithLabelValues(outcome).Inc()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if _, err := d.svc.RecordDelivery(rctx, dl.ID, dl.Attempts, o); err != nil {
		return err
	}
	attrs := []any{"delivery", dl.ID, "entry", dl.EntryID, "revision", dl.Revision, "attempt", dl.Attempts, "outcome", outcome}
	if o.Status != 0 {
		attrs = append(attrs, "status", o.Status)
	}
	switch {
	case o.Delivered:
		d.log.Info("referral delivered", attrs...)
	case o.Dead:
		d.log.Warn("referral delivery given up (dead letter)", append(attrs, "reason", o.Error)...)
	default:
		d.log.Info("referral delivery failed; will retry", append(attrs, "err", o.Error, "retry", o.Retry.Format(time.RFC3339))...)
	}
	return nil
}

// send makes one attempt and decides what it means.
func (d *Deliverer) send(ctx context.Context, dl *central.Delivery) central.DeliveryOutcome {
	var probe struct {
		Training bool `json:"training"`
	}
	if err := json.Unmarshal(dl.Document, &probe); err != nil {
		return central.DeliveryOutcome{Dead: true, Error: "the stored referral document is not valid JSON"}
	}
	if probe.Training {
		return central.DeliveryOutcome{Dead: true, Error: "a training document is never delivered"}
	}
	actx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, d.cfg.URL, bytes.NewReader(dl.Document))
	if err != nil {
		return central.DeliveryOutcome{Dead: true, Error: "the partner URL is not usable"}
	}
	now := d.cfg.Now()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set(signature.IdempotencyHeader, dl.ID)
	h.Set(signature.Header, signature.Sign(d.cfg.Secret, now, dl.Document))
	h.Set("Safeguard-Receipt", dl.Receipt)
	h.Set("Safeguard-Attempt", strconv.Itoa(dl.Attempts))
	resp, err := d.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			// Stopping: not the partner's fault; due again at once.
			return central.DeliveryOutcome{Error: "interrupted: the server was stopping", Retry: now}
		}
		return d.retry(dl, now, 0, describe(err, d.cfg.Timeout), 0)
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, excerpt))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	st := resp.StatusCode
	status := fmt.Sprintf("HTTP %d %s", st, http.StatusText(st))
	switch {
	case st >= 200 && st < 300:
		return central.DeliveryOutcome{Delivered: true, Status: st}
	case st == http.StatusRequestTimeout || st == http.StatusTooManyRequests || st >= 500 || st < 200:
		msg := "the partner answered " + status
		if x := clean(head); x != "" {
			msg += ": " + x
		}
		return d.retry(dl, now, st, msg, retryAfter(resp.Header.Get("Retry-After"), now))
	case st >= 300 && st < 400:
		return central.DeliveryOutcome{Dead: true, Status: st,
			Error: "the partner answered " + status + " (redirects are not followed: configure the final URL)"}
	}
	msg := "the partner refused the referral: " + status
	if x := clean(head); x != "" {
		msg += ": " + x
	}
	return central.DeliveryOutcome{Dead: true, Status: st, Error: msg}
}

// retry is the outcome of a failed attempt that may be retried: due again
// after the backoff (or the partner's Retry-After, if later), or dead when
// the attempts are used up.
func (d *Deliverer) retry(dl *central.Delivery, now time.Time, status int, msg string, after time.Duration) central.DeliveryOutcome {
	if dl.Attempts >= d.cfg.MaxAttempts {
		return central.DeliveryOutcome{Dead: true, Status: status, Error: fmt.Sprintf("gave up after %d attempts; the last: %s", dl.Attempts, msg)}
	}
	return central.DeliveryOutcome{Status: status, Error: msg, Retry: now.Add(d.Backoff(dl.Attempts, after))}
}

// Backoff returns the wait after failed attempt number attempt (1 for the
// first): full jitter, a uniformly random wait below a ceiling that starts
// at BaseDelay and doubles with each attempt up to MaxDelay (at least one
// second), or the partner's Retry-After (capped at MaxRetryAfter) when that
// is longer.
func (d *Deliverer) Backoff(attempt int, retryAfter time.Duration) time.Duration {
	ceiling := d.cfg.BaseDelay
	for i := 1; i < attempt && ceiling < d.cfg.MaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, d.cfg.MaxDelay)
	wait := max(d.cfg.Jitter(ceiling), minDelay)
	if retryAfter > 0 {
		wait = max(wait, min(retryAfter, d.cfg.MaxRetryAfter))
	}
	return wait
}

// retryAfter parses a Retry-After value (seconds, or an HTTP date); 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// describe words a transport error without the URL (which may carry
// credentials).
func describe(err error, timeout time.Duration) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Sprintf("no answer from the partner within %s (timed out)", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the partner is unreachable: connection refused"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the partner closed the connection before answering"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "the partner's host name does not resolve"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "the partner is unreachable: " + err.Error()
}

// clean makes the start of a partner's answer safe to store and show: one
// line of printable text.
func clean(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, strings.ToValidUTF8(string(b), "�"))
	return strings.Join(strings.Fields(s), " ")
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
