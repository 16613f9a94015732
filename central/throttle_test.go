package central

import (
	"context"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/sync/wire"
)

// TestCheckSlotsBounded: beyond MaxChecks running and MaxWaiting waiting,
// a password check is refused at once with 429, and a waiter gives up
// after CheckWait; a freed slot serves the next caller.
func TestCheckSlotsBounded(t *testing.T) {
	th := newThrottle(Limits{MaxChecks: 1, MaxWaiting: 1, CheckWait: 50 * time.Millisecond})
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
	if _, err := th.acquire(ctx); ErrorCode(err) != wire.CodeRateLimited {
		t.Fatalf("third caller: %v, want rate_limited", err)
	}
	if err := <-waiter; ErrorCode(err) != wire.CodeRateLimited {
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
