package central

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

// TestCheckSlotsBounded: beyond MaxChecks running and MaxWaiting waiting,
// a password check is refused at once with 429, and a waiter gives up
// after CheckWait; a freed slot serves the next caller.
func TestCheckSlotsBounded(t *testing.T) {
	th := newThrottle(Limits{MaxChecks: 1, MaxWaiting: 1, CheckWait: 50 * time.Millisecond, ChecksPerSecond: 1000, CheckBurst: 100})
	ctx := context.Background()
	release, err := th.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waiter := make(chan error, 1)
	go func() {
		_, err := th.acquire(ctx)
		waiter <- err
	}()
	for len(th.waiting) == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := th.acquire(ctx); ErrorCode(err) != api.CodeRateLimited {
		t.Fatalf("third caller: %v, want rate_limited", err)
	}
	if err := <-waiter; ErrorCode(err) != api.CodeRateLimited {
		t.Fatalf("waiter: %v, want rate_limited after CheckWait", err)
	}
	release()
	r2, err := th.acquire(ctx)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	r2()
}

func TestWaitInWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "a second", 12 * time.Second: "12 seconds", 70 * time.Second: "about a minute",
		4 * time.Minute: "about 4 minutes", 61 * time.Minute: "about an hour", 5 * time.Hour: "about 5 hours",
	} {
		if got := waitInWords(d); got != want {
			t.Errorf("waitInWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestTarpit: a failed attempt's answer is held back for FailDelay, and
// past MaxDelayed held answers the rest go at once.
func TestTarpit(t *testing.T) {
	th := newThrottle(Limits{FailDelay: 30 * time.Millisecond, MaxDelayed: 1})
	start := time.Now()
	th.tarpit(context.Background())
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("held for %v, want at least 30ms", d)
	}
	th.delayed <- struct{}{} // one answer already held
	done := make(chan struct{})
	go func() { th.tarpit(context.Background()); close(done) }()
	<-done // returns without waiting for the held one: would hang otherwise
}

// TestCheckRateCapped: past the burst, checks wait for the pace, and one
// that would wait longer than CheckWait is refused with 429 at once.
func TestCheckRateCapped(t *testing.T) {
	th := newThrottle(Limits{MaxChecks: 4, ChecksPerSecond: 0.01, CheckBurst: 2, CheckWait: 10 * time.Millisecond})
	for i := 0; i < 2; i++ {
		r, err := th.acquire(context.Background())
		if err != nil {
			t.Fatalf("check %d within the burst: %v", i+1, err)
		}
		r()
	}
	if _, err := th.acquire(context.Background()); ErrorCode(err) != api.CodeRateLimited {
		t.Fatalf("check past the burst: %v, want rate_limited", err)
	}
}

// FuzzParseAuditKey: a damaged key file is refused without repeating it.
func FuzzParseAuditKey(f *testing.F) {
	seed, _ := NewAuditKeySeed()
	f.Add(seed)
	f.Add("not a key")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseAuditKey(s)
		if err != nil && len(s) > 8 && strings.Contains(err.Error(), s) {
			t.Fatalf("the error repeats the key text: %v", err)
		}
		if err == nil && k.ID == "" {
			t.Fatal("a key without an id")
		}
	})
}

// TestUnknownNameSpendsNoHash: once a real check has been timed, checks
// for unknown names wait instead of hashing (no CPU for a flood of made-up
// names) and get the same answer.
func TestUnknownNameSpendsNoHash(t *testing.T) {
	th := newThrottle(Limits{ChecksPerSecond: 1000, CheckBurst: 1000})
	s := &Service{throttle: th, cfg: Config{Argon2: Argon2Params{Time: 1, Memory: 64, Threads: 1}}}
	s.burnPasswordCheck(context.Background(), "guess") // the first: a real hash of the throwaway
	if th.realChecks.Load() != 1 || th.checkTime() <= 0 {
		t.Fatalf("first burn: %d real checks, average %v", th.realChecks.Load(), th.checkTime())
	}
	for i := 0; i < 5; i++ {
		s.burnPasswordCheck(context.Background(), "guess")
	}
	if n := th.realChecks.Load(); n != 1 {
		t.Fatalf("%d real hashes for unknown names, want none after the first", n)
	}
}

// TestCheckBudgetFollowsCheckTime: with no fixed rate, the password-check
// budget is sized from the quickest check seen (its CPU cost) so checks
// use a quarter of one core, within its bounds; slower checks on a loaded
// server do not starve sign-ins; a fixed rate stays fixed.
func TestCheckBudgetFollowsCheckTime(t *testing.T) {
	th := newThrottle(Limits{})
	th.observeCheck(time.Second, 2) // 2 core-seconds: the floor
	if got := float64(th.checkRate.Limit()); got != minAutoRate {
		t.Fatalf("rate %.3f a second, want the floor %v", got, minAutoRate)
	}
	th.observeCheck(200*time.Millisecond, 2) // 0.4 core-seconds a check
	if got := float64(th.checkRate.Limit()); got < 0.62 || got > 0.63 {
		t.Fatalf("rate %.3f a second, want 0.25/0.4 = 0.625", got)
	}
	th.observeCheck(10*time.Second, 2) // a check that waited for a core
	if got := float64(th.checkRate.Limit()); got < 0.62 || got > 0.63 {
		t.Fatalf("rate %.3f after a slow check, want it kept at 0.625", got)
	}
	fixed := newThrottle(Limits{ChecksPerSecond: 7})
	fixed.observeCheck(time.Second, 2)
	if got := float64(fixed.checkRate.Limit()); got != 7 {
		t.Fatalf("fixed rate moved to %.3f", got)
	}
}
