package partner_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/partner"
	"github.com/safeguard-uk/safeguard/central/signature"
)

var secret = []byte("the secret shared with the partner")

// reply is what the fake partner does with one request.
type reply struct {
	status     int
	retryAfter string
	body       string
	// slow holds the answer back this long (the deliverer times out).
	slow time.Duration
	// keep stores the referral even though the answer is not 2xx (or
	// never arrives): a partner that stored it and then failed to say so.
	keep bool
	// reset closes the connection without an answer.
	reset bool
}

// fakePartner is the partner agency's endpoint, as a partner should write
// it: it verifies the signature (and that a wrong secret fails), stores
// each referral once by Idempotency-Key, answers 2xx for a repeat, and
// counts everything.
type fakePartner struct {
	t     *testing.T
	clock func() time.Time
	srv   *httptest.Server

	mu       sync.Mutex
	decide   func(n int, key string) reply
	requests int
	badSig   int
	stored   map[string][]byte // by key: the body stored
	byBody   map[string]int    // sha256 of body: times stored (must stay 1)
	repeats  map[string]int    // repeats of a stored key
	headers  map[string]http.Header
}

func newPartner(t *testing.T, clock func() time.Time) *fakePartner {
	p := &fakePartner{t: t, clock: clock, stored: map[string][]byte{}, byBody: map[string]int{}, repeats: map[string]int{},
		headers: map[string]http.Header{}, decide: func(int, string) reply { return reply{status: 200} }}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *fakePartner) set(f func(n int, key string) reply) {
	p.mu.Lock()
	p.decide = f
	p.mu.Unlock()
}

func (p *fakePartner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	key := r.Header.Get(signature.IdempotencyHeader)
	sig := r.Header.Get(signature.Header)
	if err := signature.Verify(secret, sig, body, p.clock(), 0); err != nil {
		p.mu.Lock()
		p.badSig++
		p.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err := signature.Verify([]byte("not the partner's secret"), sig, body, p.clock(), 0); !errors.Is(err, signature.ErrMismatch) {
		p.t.Errorf("the signature verified with a wrong secret: %v", err)
	}
	p.mu.Lock()
	p.requests++
	rp := p.decide(p.requests, key)
	if rp.status/100 == 2 || rp.keep {
		p.store(key, body, r.Header)
	}
	p.mu.Unlock()
	if rp.reset {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if rp.slow > 0 {
		select {
		case <-time.After(rp.slow):
		case <-r.Context().Done():
			return
		}
	}
	if rp.retryAfter != "" {
		w.Header().Set("Retry-After", rp.retryAfter)
	}
	w.WriteHeader(rp.status)
	io.WriteString(w, rp.body)
}

// store keeps a referral once per key (caller holds mu).
func (p *fakePartner) store(key string, body []byte, h http.Header) {
	if old, ok := p.stored[key]; ok {
		p.repeats[key]++
		if !bytes.Equal(old, body) {
			p.t.Errorf("delivery %s repeated with a different body", key)
		}
		return
	}
	p.stored[key] = body
	p.headers[key] = h.Clone()
	sum := sha256.Sum256(body)
	p.byBody[hex.EncodeToString(sum[:])]++
}

func (p *fakePartner) snapshot() (stored map[string][]byte, requests, badSig int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stored = map[string][]byte{}
	for k, v := range p.stored {
		stored[k] = v
	}
	return stored, p.requests, p.badSig
}

// env is a central server, its partner and a deliverer.
type env struct {
	srv     *centraltest.Server
	partner *fakePartner
	d       *partner.Deliverer
	cfg     partner.Config
}

func setup(t *testing.T, backend string, cfg partner.Config) *env {
	t.Helper()
	_, srv := centraltest.Start(t, backend, centraltest.WithConfig(central.Config{Force: "Oakbridge Police", Partner: "Oakbridge MASH"}))
	p := newPartner(t, srv.Clock.Now)
	if cfg.URL == "" {
		cfg.URL = p.srv.URL + "/referrals"
	}
	if cfg.Secret == nil {
		cfg.Secret = secret
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 4
	}
	cfg.BaseDelay, cfg.MaxDelay = time.Minute, 10*time.Minute
	if cfg.Jitter == nil {
		cfg.Jitter = func(d time.Duration) time.Duration { return d / 2 }
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := partner.New(srv.Service, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, partner: p, d: d, cfg: cfg}
}

// approve pushes n live entries of officer1 and has sergeant1 approve
// them; it returns their ids.
func (e *env) approve(t *testing.T, n int) []string {
	t.Helper()
	dev := e.srv.Enrol(t, "")
	officer := e.srv.UserID(t, "officer1")
	sup := e.srv.Client(e.srv.Login(t, "sergeant1"))
	var ids []string
	for len(ids) < n {
		var items []api.PushItem
		for i := 0; i < min(n-len(ids), 50); i++ {
			ent := centraltest.NewEntry(officer, 1+i%3)
			items = append(items, centraltest.Item(ent, ""))
			ids = append(ids, ent.ID)
		}
		for _, r := range e.srv.Push(t, dev, items...).Results {
			if r.Status != api.StatusAccepted {
				t.Fatalf("push: %+v", r)
			}
		}
	}
	for _, id := range ids {
		if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+id+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
			t.Fatalf("approve: %d %s", st, raw)
		}
	}
	return ids
}

func (e *env) delivery(t *testing.T, entryID string) central.Delivery {
	t.Helper()
	var d central.Delivery
	err := e.srv.Store.View(context.Background(), func(tx central.Tx) error {
		var err error
		d, err = tx.LatestDelivery(context.Background(), entryID)
		return err
	})
	if err != nil {
		t.Fatalf("delivery of %s: %v", entryID, err)
	}
	return d
}

func (e *env) runOnce(t *testing.T) int {
	t.Helper()
	n, err := e.d.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func auditActions(t *testing.T, srv *centraltest.Server, entryID string) []string {
	t.Helper()
	var out []string
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
			if r.EntryID == entryID {
				out = append(out, r.Action)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeliveredSignedOnce: an approval reaches the partner once, signed
// (the partner verifies it, and a wrong secret fails), with the delivery
// id as Idempotency-Key and the stored document as body; the entry shows
// it delivered; every step is in the audit trail.
func TestDeliveredSignedOnce(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			e := setup(t, backend, partner.Config{})
			id := e.approve(t, 1)[0]
			d := e.delivery(t, id)
			if d.State != central.DeliveryPending || d.Attempts != 0 {
				t.Fatalf("queued: %+v", d)
			}
			if n := e.runOnce(t); n != 1 {
				t.Fatalf("%d attempts", n)
			}
			if n := e.runOnce(t); n != 0 {
				t.Fatalf("delivered twice: %d more attempts", n)
			}
			stored, requests, bad := e.partner.snapshot()
			if requests != 1 || bad != 0 || len(stored) != 1 {
				t.Fatalf("partner: %d requests, %d bad signatures, %d stored", requests, bad, len(stored))
			}
			body, ok := stored[d.ID]
			if !ok || !bytes.Equal(body, d.Document) {
				t.Fatalf("the partner did not get the stored document under the delivery id")
			}
			var doc struct {
				Format, Receipt, EntryID string
				Training                 bool
				From                     struct{ Force string }
				To                       string
			}
			if err := json.Unmarshal(body, &doc); err != nil || doc.Format != "safeguard-referral/1" || doc.EntryID != id || doc.Training ||
				doc.From.Force != "Oakbridge Police" || doc.To != "Oakbridge MASH" || doc.Receipt != d.Receipt {
				t.Errorf("document: %+v %v", doc, err)
			}
			h := e.partner.headers[d.ID]
			if h.Get("Content-Type") != "application/json" || h.Get("Safeguard-Receipt") != d.Receipt || h.Get("Safeguard-Attempt") != "1" {
				t.Errorf("headers: %v", h)
			}
			got := e.delivery(t, id)
			if got.State != central.DeliveryDelivered || got.Delivered == nil || got.Attempts != 1 || got.LastStatus != 200 {
				t.Errorf("after delivery: %+v", got)
			}
			var v api.EntryView
			sup := e.srv.Client(e.srv.Login(t, "sergeant1"))
			if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+id, nil, &v); st != 200 || v.Delivery == nil || v.Delivery.State != api.DeliveryDelivered ||
				v.Delivery.ID != d.ID || v.Delivery.Delivered == nil || v.Delivery.NextAttempt != nil {
				t.Errorf("entry view: %d %s", st, raw)
			}
			want := []string{"entry.receive", "entry.approve", "referral.enqueue", "referral.send", "referral.delivered", "entry.open"}
			if got := auditActions(t, e.srv, id); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("audit: %v, want %v", got, want)
			}
		})
	}
}

// TestWrongSecretRefused: a deliverer with the wrong secret is refused by
// the partner (401): a permanent refusal, so the delivery is dead with the
// reason, and nothing was stored.
func TestWrongSecretRefused(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{Secret: []byte("a secret the partner does not know")})
	id := e.approve(t, 1)[0]
	e.runOnce(t)
	stored, _, bad := e.partner.snapshot()
	d := e.delivery(t, id)
	if bad != 1 || len(stored) != 0 || d.State != central.DeliveryDead || d.LastStatus != 401 || !strings.Contains(d.LastError, "bad signature") {
		t.Fatalf("bad=%d stored=%d delivery=%+v", bad, len(stored), d)
	}
}

// TestPartnerDown: nothing listens (connection refused): the delivery is
// retried with growing waits, not before each is due, then given up after
// MaxAttempts with the reason; the partner comes back on the same address,
// an administrator replays the dead letter, and it is delivered once.
func TestPartnerDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := setup(t, centraltest.SQLite, partner.Config{URL: "http://" + addr + "/referrals"})
	id := e.approve(t, 1)[0]

	var waits []time.Duration
	for i := 1; i <= e.cfg.MaxAttempts; i++ {
		if n := e.runOnce(t); n != 1 {
			t.Fatalf("attempt %d: %d attempts made", i, n)
		}
		d := e.delivery(t, id)
		if d.Attempts != i || !strings.Contains(d.LastError, "connection refused") {
			t.Fatalf("attempt %d: %+v", i, d)
		}
		if i == e.cfg.MaxAttempts {
			if d.State != central.DeliveryDead || !strings.Contains(d.LastError, fmt.Sprintf("gave up after %d attempts", i)) {
				t.Fatalf("not dead after %d attempts: %+v", i, d)
			}
			break
		}
		wait := d.NextAttempt.Sub(e.srv.Service.Now())
		waits = append(waits, wait)
		// Not due a moment before; due at the time.
		e.srv.Clock.Advance(wait - time.Second)
		if n := e.runOnce(t); n != 0 {
			t.Fatalf("retried %s early", time.Second)
		}
		e.srv.Clock.Advance(time.Second)
	}
	// Full jitter is fixed at half the ceiling here: 30s, 1m, 2m.
	if fmt.Sprint(waits) != "[30s 1m0s 2m0s]" {
		t.Errorf("waits %v", waits)
	}
	if n := e.runOnce(t); n != 0 {
		t.Fatal("a dead delivery was attempted")
	}

	// The partner is back, on the same address.
	up := httptest.NewUnstartedServer(e.partner)
	up.Listener.Close()
	if up.Listener, err = net.Listen("tcp", addr); err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	up.Start()
	defer up.Close()

	admin := e.srv.Client(e.srv.Login(t, "admin"))
	var dead api.DeliveryList
	if st, raw := admin.Do(t, "GET", "/v1/admin/deliveries?state=dead", nil, &dead); st != 200 || len(dead.Deliveries) != 1 ||
		dead.Deliveries[0].EntryID != id || !strings.Contains(dead.Deliveries[0].LastError, "connection refused") {
		t.Fatalf("dead letters: %d %s", st, raw)
	}
	var rp api.ReplayResponse
	if st, raw := admin.Do(t, "POST", "/v1/admin/deliveries/replay", api.ReplayRequest{}, &rp); st != 200 || len(rp.Replayed) != 1 {
		t.Fatalf("replay: %d %s", st, raw)
	}
	if n := e.runOnce(t); n != 1 {
		t.Fatalf("after replay: %d attempts", n)
	}
	d := e.delivery(t, id)
	stored, requests, _ := e.partner.snapshot()
	if d.State != central.DeliveryDelivered || d.Attempts != 1 || requests != 1 || len(stored) != 1 {
		t.Fatalf("after replay: %+v; partner %d requests, %d stored", d, requests, len(stored))
	}
}

// TestPartnerSlow: the partner stores the referral but answers after the
// deliverer's timeout; the retry carries the same key and body, which the
// partner drops as a repeat: stored once, delivered once.
func TestPartnerSlow(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{Timeout: 150 * time.Millisecond})
	e.partner.set(func(n int, _ string) reply {
		if n == 1 {
			return reply{status: 200, keep: true, slow: 5 * time.Second}
		}
		return reply{status: 200}
	})
	id := e.approve(t, 1)[0]
	start := time.Now()
	e.runOnce(t)
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("the attempt took %s despite a %s timeout", el, e.cfg.Timeout)
	}
	d := e.delivery(t, id)
	if d.State != central.DeliveryPending || !strings.Contains(d.LastError, "timed out") {
		t.Fatalf("after a slow answer: %+v", d)
	}
	e.srv.Clock.Advance(e.cfg.MaxDelay)
	e.runOnce(t)
	d = e.delivery(t, id)
	stored, requests, _ := e.partner.snapshot()
	if d.State != central.DeliveryDelivered || requests != 2 || len(stored) != 1 || e.partner.repeats[d.ID] != 1 {
		t.Fatalf("delivery %+v; partner %d requests, %d stored, %d repeats", d, requests, len(stored), e.partner.repeats[d.ID])
	}
}

// TestRetryAfter: 503 and 429 with Retry-After (seconds, or an HTTP date)
// hold the retry back at least that long; a 500 without one backs off by
// the schedule; then the delivery goes through.
func TestRetryAfter(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{MaxAttempts: 6})
	replies := []func() reply{
		func() reply { return reply{status: 503, retryAfter: "900", body: "maintenance until 3am"} },
		func() reply { return reply{status: 500} },
		func() reply {
			return reply{status: 429, retryAfter: e.srv.Clock.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)}
		},
		func() reply { return reply{status: 408} },
		func() reply { return reply{status: 201} },
	}
	statuses := []int{503, 500, 429, 408, 201}
	e.partner.set(func(n int, _ string) reply { return replies[n-1]() })
	id := e.approve(t, 1)[0]
	wantMin := []time.Duration{15 * time.Minute, time.Minute, 2 * time.Hour, 4 * time.Minute}
	for i, want := range wantMin {
		e.runOnce(t)
		d := e.delivery(t, id)
		wait := d.NextAttempt.Sub(e.srv.Service.Now())
		if d.State != central.DeliveryPending || d.LastStatus != statuses[i] || wait < want-time.Second {
			t.Fatalf("reply %d (%d): state %s status %d wait %s, want at least %s; %s", i+1, statuses[i], d.State, d.LastStatus, wait, want, d.LastError)
		}
		if i == 0 && !strings.Contains(d.LastError, "HTTP 503 Service Unavailable: maintenance until 3am") {
			t.Errorf("reason: %q", d.LastError)
		}
		e.srv.Clock.Advance(wait)
	}
	e.runOnce(t)
	if d := e.delivery(t, id); d.State != central.DeliveryDelivered || d.Attempts != 5 || d.LastStatus != 201 {
		t.Fatalf("%+v", d)
	}
}

// TestRefusedDeadThenReplayed: a 400 is permanent: dead at the first
// attempt with the partner's reason, listed for administrators; replayed
// after the partner fixes its side, it is delivered with the same key.
func TestRefusedDeadThenReplayed(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{})
	e.partner.set(func(int, string) reply {
		return reply{status: 400, body: `{"error":"unknown format safeguard-referral/1"}` + "\n\x00"}
	})
	ids := e.approve(t, 2)
	e.runOnce(t)
	for _, id := range ids {
		d := e.delivery(t, id)
		want := `the partner refused the referral: HTTP 400 Bad Request: {"error":"unknown format safeguard-referral/1"}`
		if d.State != central.DeliveryDead || d.Attempts != 1 || d.LastStatus != 400 || d.LastError != want {
			t.Fatalf("%+v\nwant reason %q", d, want)
		}
	}
	admin := e.srv.Client(e.srv.Login(t, "admin"))
	var list api.DeliveryList
	if st, raw := admin.Do(t, "GET", "/v1/admin/deliveries?state=dead", nil, &list); st != 200 || len(list.Deliveries) != 2 {
		t.Fatalf("dead list: %d %s", st, raw)
	}
	sup := e.srv.Client(e.srv.Login(t, "sergeant1"))
	var v api.EntryView
	if sup.Do(t, "GET", "/v1/review/entries/"+ids[0], nil, &v); v.Delivery == nil || v.Delivery.State != api.DeliveryDead || v.Delivery.LastStatus != 400 {
		t.Errorf("entry view delivery: %+v", v.Delivery)
	}
	// Replay one by id: the other stays dead. A delivery that is not dead
	// cannot be replayed; an unknown one is not found.
	first := e.delivery(t, ids[0])
	e.partner.set(func(int, string) reply { return reply{status: 202} })
	var rp api.ReplayResponse
	if st, raw := admin.Do(t, "POST", "/v1/admin/deliveries/replay", api.ReplayRequest{IDs: []string{first.ID}}, &rp); st != 200 || len(rp.Replayed) != 1 {
		t.Fatalf("replay: %d %s", st, raw)
	}
	if st, _ := admin.Do(t, "POST", "/v1/admin/deliveries/replay", api.ReplayRequest{IDs: []string{first.ID}}, nil); st != 409 {
		t.Errorf("replaying a pending delivery: %d", st)
	}
	if st, _ := admin.Do(t, "POST", "/v1/admin/deliveries/replay", api.ReplayRequest{IDs: []string{"nope"}}, nil); st != 404 {
		t.Errorf("replaying an unknown delivery: %d", st)
	}
	e.runOnce(t)
	if d := e.delivery(t, ids[0]); d.State != central.DeliveryDelivered || d.ID != first.ID {
		t.Fatalf("replayed: %+v", d)
	}
	if d := e.delivery(t, ids[1]); d.State != central.DeliveryDead {
		t.Fatalf("not replayed: %+v", d)
	}
	stored, _, _ := e.partner.snapshot()
	if _, ok := stored[first.ID]; !ok || len(stored) != 1 {
		t.Fatalf("partner stored %d", len(stored))
	}
	var got []string
	for _, a := range auditActions(t, e.srv, ids[0]) {
		if strings.HasPrefix(a, "referral.") {
			got = append(got, a)
		}
	}
	if fmt.Sprint(got) != "[referral.enqueue referral.send referral.dead referral.replay referral.send referral.delivered]" {
		t.Errorf("audit: %v", got)
	}
}

// TestExactlyOnceUnderFaults approves many entries while the partner
// misbehaves at random (errors with and without Retry-After, slow answers
// after storing, dropped connections, some permanent refusals), with
// several workers, until nothing is pending. Every approved referral is
// then either delivered, and stored by the partner exactly once under its
// key with the body the outbox holds, or dead with a reason and listed;
// no body was stored twice.
func TestExactlyOnceUnderFaults(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			e := setup(t, backend, partner.Config{Timeout: 300 * time.Millisecond, MaxAttempts: 8, Workers: 4})
			rng := rand.New(rand.NewPCG(9, 2026))
			refused := map[string]bool{}
			e.partner.set(func(n int, key string) reply {
				if refused[key] {
					return reply{status: 422, body: "refused again"}
				}
				switch x := rng.IntN(100); {
				case x < 3:
					refused[key] = true
					return reply{status: 422, body: "missing a field we need"}
				case x < 23:
					return reply{status: 503, retryAfter: "30"}
				case x < 33:
					return reply{status: 500}
				case x < 40:
					return reply{status: 200, keep: true, slow: 2 * time.Second}
				case x < 48:
					return reply{reset: true}
				case x < 52:
					return reply{status: 429}
				}
				return reply{status: 200}
			})
			ids := e.approve(t, 40)
			for round := 0; round < 50; round++ {
				e.runOnce(t)
				e.srv.Clock.Advance(e.cfg.MaxDelay)
				st, err := e.srv.Service.DeliveryStats(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if st.Pending == 0 {
					break
				}
			}
			stored, requests, bad := e.partner.snapshot()
			if bad != 0 {
				t.Errorf("%d requests failed the signature check", bad)
			}
			delivered, dead := 0, 0
			for _, id := range ids {
				d := e.delivery(t, id)
				switch d.State {
				case central.DeliveryDelivered:
					delivered++
					if body, ok := stored[d.ID]; !ok || !bytes.Equal(body, d.Document) {
						t.Errorf("delivery %s is delivered but the partner does not hold its document", d.ID)
					}
				case central.DeliveryDead:
					dead++
					if d.LastError == "" {
						t.Errorf("dead delivery %s has no reason", d.ID)
					}
				default:
					t.Errorf("delivery %s still %s after the rounds", d.ID, d.State)
				}
			}
			for body, n := range e.partner.byBody {
				if n != 1 {
					t.Errorf("body %s stored %d times", body[:12], n)
				}
			}
			var list api.DeliveryList
			admin := e.srv.Client(e.srv.Login(t, "admin"))
			admin.Do(t, "GET", "/v1/admin/deliveries?state=dead", nil, &list)
			if len(list.Deliveries) != dead {
				t.Errorf("%d listed dead, %d dead", len(list.Deliveries), dead)
			}
			if delivered+dead != len(ids) || delivered == 0 || len(stored) < delivered {
				t.Errorf("delivered %d + dead %d of %d; partner stored %d", delivered, dead, len(ids), len(stored))
			}
			t.Logf("%d approved: %d delivered, %d dead; the partner saw %d requests and stored %d", len(ids), delivered, dead, requests, len(stored))
		})
	}
}

// TestTrainingNeverDelivered: a trainer's approval puts nothing in the
// outbox, and a training document that somehow got there is given up
// without being sent.
func TestTrainingNeverDelivered(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{})
	dev := e.srv.Enrol(t, "")
	ent := centraltest.NewEntry(e.srv.UserID(t, "officer1"), 1)
	ent.Training = true
	if r := e.srv.Push(t, dev, centraltest.Item(ent, "")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("%+v", r)
	}
	tr := e.srv.Client(e.srv.Login(t, "trainer1"))
	if st, raw := tr.Do(t, "POST", "/v1/training/entries/"+ent.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}
	if st, err := e.srv.Service.DeliveryStats(context.Background()); err != nil || st != (central.DeliveryStats{}) {
		t.Fatalf("training approval queued something: %+v %v", st, err)
	}
	// Forced into the outbox behind the service's back: still not sent.
	now := e.srv.Clock.Now()
	err := e.srv.Store.Update(context.Background(), func(tx central.Tx) error {
		return tx.CreateDelivery(context.Background(), central.Delivery{ID: "forced", EntryID: ent.ID, Revision: 1, Receipt: "TR-x", Team: "team-a",
			Document: []byte(`{"format":"safeguard-referral/1","training":true}`), State: central.DeliveryPending, NextAttempt: now, Created: now, Updated: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.runOnce(t)
	_, requests, _ := e.partner.snapshot()
	d := e.delivery(t, ent.ID)
	if requests != 0 || d.State != central.DeliveryDead || !strings.Contains(d.LastError, "training") {
		t.Fatalf("partner saw %d requests; %+v", requests, d)
	}
}

// TestRunWakesAndStops: Run delivers an approval at once (woken by it, not
// by the poll), and stops promptly when its context ends, even in the
// middle of an attempt; that attempt is put back, due at once.
func TestRunWakesAndStops(t *testing.T) {
	e := setup(t, centraltest.SQLite, partner.Config{Timeout: time.Minute, Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()

	id := e.approve(t, 1)[0]
	deadline := time.Now().Add(10 * time.Second)
	for e.delivery(t, id).State != central.DeliveryDelivered {
		if time.Now().After(deadline) {
			t.Fatal("Run did not deliver an approval within 10s (poll is 1h)")
		}
		time.Sleep(10 * time.Millisecond)
	}

	e.partner.set(func(int, string) reply { return reply{status: 200, slow: time.Hour} })
	id2 := e.approve(t, 1)[0]
	// Wait until the partner holds the second request, then stop.
	for {
		if _, requests, _ := e.partner.snapshot(); requests >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second approval was not attempted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("stopping took %s", el)
	}
	d := e.delivery(t, id2)
	if d.State != central.DeliveryPending || d.NextAttempt.After(e.srv.Service.Now()) || !strings.Contains(d.LastError, "stopping") {
		t.Fatalf("interrupted attempt: %+v", d)
	}
}

// TestBackoff: the ceiling doubles from BaseDelay to MaxDelay; the wait is
// drawn below it (full jitter), at least a second, and a longer
// Retry-After wins up to MaxRetryAfter.
func TestBackoff(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite)
	var asked []time.Duration
	d, err := partner.New(srv.Service, partner.Config{URL: "http://127.0.0.1:1/", Secret: secret, BaseDelay: 10 * time.Second,
		MaxDelay: time.Minute, MaxRetryAfter: time.Hour, Jitter: func(c time.Duration) time.Duration { asked = append(asked, c); return c - 1 }})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		d.Backoff(i, 0)
	}
	if fmt.Sprint(asked) != "[10s 20s 40s 1m0s 1m0s]" {
		t.Errorf("ceilings %v", asked)
	}
	if w := d.Backoff(1, 30*time.Minute); w != 30*time.Minute {
		t.Errorf("Retry-After: %s", w)
	}
	if w := d.Backoff(1, 48*time.Hour); w != time.Hour {
		t.Errorf("capped Retry-After: %s", w)
	}
	zero, _ := partner.New(srv.Service, partner.Config{URL: "http://127.0.0.1:1/", Secret: secret, Jitter: func(time.Duration) time.Duration { return 0 }})
	if w := zero.Backoff(1, 0); w != time.Second {
		t.Errorf("floor: %s", w)
	}
	for _, bad := range []partner.Config{{URL: "ftp://x/", Secret: secret}, {URL: "/relative", Secret: secret}, {URL: "https://partner.example/"},
		{URL: "http://partner.example/referrals", Secret: secret}} {
		if _, err := partner.New(srv.Service, bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
