package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
	"github.com/safeguard-uk/safeguard/sync/devicesync"
)

// childEnv carries the child's instructions when the test binary runs
// itself as the "device process".
const childEnv = "SAFEGUARD_SYNC_CHILD"

type childSpec struct {
	DB, URL, Officer string
	Enrol            api.EnrolResponse
}

// TestMain lets the test binary act as a device process that syncs until
// it is killed.
func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

func runChild(spec string) int {
	var s childSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	st, err := devicestore.Open(s.DB, devicestore.Options{InsecureKDF: true, IdleLock: -1, Logger: quiet, SendLease: time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 2
	}
	if err := st.Unlock(s.Officer, testPIN); err != nil {
		fmt.Fprintln(os.Stderr, "unlock:", err)
		return 2
	}
	a := devicesync.Adapter{Store: st}
	e, err := client.New(client.Config{BaseURL: s.URL, DeviceID: s.Enrol.DeviceID, Credential: func() string { return s.Enrol.Credential },
		Outbox: a, Uploads: a, Inbox: a, Logger: quiet, BatchItems: 5, ChunkBytes: 32 << 10,
		HTTPClient: &http.Client{Timeout: 3 * time.Second}, BackoffBase: 10 * time.Millisecond, BackoffCap: 100 * time.Millisecond, Idle: 50 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	e.Run(context.Background()) // until SIGKILL
	return 0
}

// TestKilledMidSync kills the device process with SIGKILL at random points
// during sync, many times, then lets it finish: every entry is on the
// server exactly once, every photo matches, nothing is stuck.
func TestKilledMidSync(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	kills := 25
	if v, _ := strconv.Atoi(os.Getenv("SAFEGUARD_KILLS")); v > 0 {
		kills = v
	}
	_, srv := centraltest.Start(t, centraltest.SQLite)
	r := serveRestartable(t, srv.HTTP)
	x := startToxiproxy(t, r.addr)
	// A slow link, so that kills land in the middle of requests.
	x.add(t, "lat", "latency", "downstream", 1, `{"latency":120,"jitter":60}`)
	x.add(t, "bw", "bandwidth", "upstream", 1, `{"rate":32}`)

	d := newDevice(t, srv, x.url)
	var entries []*forms.Entry
	photos := map[string]string{}
	for i := 0; i < 120; i++ {
		e := centraltest.NewEntry("", 1+i%4)
		var ph [][]byte
		if i%8 == 0 {
			ph = append(ph, photo(byte(i), 120_000))
		}
		cur := d.submit(e, ph...)
		entries = append(entries, cur)
		for _, a := range cur.Attachments {
			photos[a.SHA256] = cur.ID
		}
	}
	path := d.store.Path()
	d.store.Close()

	spec, _ := json.Marshal(childSpec{DB: path, URL: x.url, Officer: d.officer, Enrol: d.enrol})
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(kill time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(kill)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	for i := 0; i < kills; i++ {
		run(time.Duration(50+rng.IntN(400)) * time.Millisecond)
	}
	before := 0
	for _, e := range entries {
		if len(revisions(t, srv, e.ID)) > 0 {
			before++
		}
	}
	t.Logf("after %d kills %d of %d entries had reached the server", kills, before, len(entries))
	// Let it finish: run until nothing is left (checked in the parent).
	st, err := devicestore.Open(path, devicestore.Options{InsecureKDF: true, IdleLock: -1, Logger: quiet})
	if err != nil {
		t.Fatalf("store after %d kills: %v", kills, err)
	}
	if err := st.Unlock(d.officer, testPIN); err != nil {
		t.Fatal(err)
	}
	d.store = st
	d.engine = d.newEngine(x.url)
	x.clear()
	d.syncUntilDone(context.Background(), 60*time.Second)
	if err := st.VerifyAudit(); err != nil {
		t.Fatalf("device audit after kills: %v", err)
	}
	st.Close()

	lost, dup, bad := 0, 0, 0
	for _, e := range entries {
		switch n := len(revisions(t, srv, e.ID)); {
		case n == 0:
			lost++
		case n > 1:
			dup++
		}
	}
	for sha, entry := range photos {
		if got, ok := attachmentDigest(t, srv, entry, sha); got != sha || !ok {
			bad++
		}
	}
	t.Logf("SIGKILLs: %d, entries checked: %d, photos: %d, lost: %d, duplicated: %d, bad photos: %d", kills, len(entries), len(photos), lost, dup, bad)
	if os.Getenv("SAFEGUARD_FAULT_REPORT") != "" {
		fmt.Printf("device killed with SIGKILL %d times mid-sync: entries %d, photos %d, lost %d, duplicated %d, bad photos %d\n", kills, len(entries), len(photos), lost, dup, bad)
	}
	if lost+dup+bad > 0 {
		t.Fail()
	}
}
