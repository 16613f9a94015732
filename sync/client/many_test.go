package client_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
)

// TestFiftyDevices: 50 devices sync at once to one server, on SQLite and
// on PostgreSQL; every entry is stored exactly once.
func TestFiftyDevices(t *testing.T) {
	if testing.Short() {
		t.Skip("50-device test skipped in -short mode")
	}
	const devices, each = 50, 6
	for _, backend := range []string{centraltest.SQLite, centraltest.Postgres} {
		t.Run(backend, func(t *testing.T) {
			base, srv := centraltest.Start(t, backend)
			devs := make([]*device, devices)
			entries := make([][]*forms.Entry, devices)
			for i := range devs {
				devs[i] = newDevice(t, srv, base, func(c *client.Config) {
					c.HTTPClient = &http.Client{Timeout: 60 * time.Second}
				})
				for j := 0; j < each; j++ {
					e := centraltest.NewEntry("", 1+j%3)
					if j == each-1 && i%5 == 0 {
						e = centraltest.Immediate(e)
					}
					entries[i] = append(entries[i], devs[i].submit(e))
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, devices)
			for _, d := range devs {
				wg.Add(1)
				go func(d *device) {
					defer wg.Done()
					ctx := context.Background()
					deadline := time.Now().Add(90 * time.Second)
					var last error
					for time.Now().Before(deadline) {
						err := d.engine.SyncOnce(ctx)
						if err == nil && d.left() == 0 {
							return
						}
						if err != nil {
							last = err
						}
						time.Sleep(10 * time.Millisecond)
					}
					errs <- fmt.Errorf("%d left, last error: %v", d.left(), last)
				}(d)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("a device did not finish: %v", err)
			}
			lost, dup := 0, 0
			for _, list := range entries {
				for _, e := range list {
					switch n := len(revisions(t, srv, e.ID)); {
					case n == 0:
						lost++
					case n > 1:
						dup++
					}
				}
			}
			t.Logf("%s: %d devices, %d entries, lost %d, duplicated %d", backend, devices, devices*each, lost, dup)
			if lost+dup > 0 {
				t.Fail()
			}
		})
	}
}
