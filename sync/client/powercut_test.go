package client_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestPowerCutLosesOnlyBookkeeping: the device store commits the sync
// engine's bookkeeping (leases, the server's answers) without waiting for
// the disk, so a power cut may roll back what it recorded since the last
// durable write. The worst case is simulated: the device file goes back
// to how it was after the last submission (every sync commit since lost)
// and the device syncs again. The server keeps each entry exactly once
// and answers the repeats as duplicates; the device ends with every entry
// accepted under the receipt the server first gave it, nothing left to
// send, and its audit chain whole.
func TestPowerCutLosesOnlyBookkeeping(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	d := newDevice(t, srv, base)
	var entries []*forms.Entry
	for i := 0; i < 60; i++ {
		entries = append(entries, d.submit(centraltest.NewEntry("", 1+i%3)))
	}
	path := d.store.Path()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.store.Close()) // checkpointed: the file alone is the store
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("a log is left after Close; the snapshot would not be the whole store")
	}
	lastDurable, err := os.ReadFile(path)
	must(err)
	reopen := func() {
		st, err := devicestore.Open(path, devicestore.Options{InsecureKDF: true, IdleLock: -1, Logger: quiet, SendLease: 2 * time.Second})
		must(err)
		must(st.Unlock(d.officer, testPIN))
		d.store = st
		d.engine = d.newEngine(base)
	}
	reopen()
	d.syncUntilDone(context.Background(), 60*time.Second)
	first := map[string]string{}
	for _, e := range entries {
		m := d.summary(e.ID)
		if m.State != devicestore.StateAccepted || m.Receipt == "" {
			t.Fatalf("entry %s after sync: %+v", e.ID, m)
		}
		first[e.ID] = m.Receipt
	}
	// The power cut: every commit since the last submission is lost.
	d.store.Close()
	os.Remove(path + "-wal")
	must(os.WriteFile(path, lastDurable, 0o600))
	reopen()
	if d.left() != len(entries) {
		t.Fatalf("after the cut %d entries wait, want all %d", d.left(), len(entries))
	}
	d.syncUntilDone(context.Background(), 60*time.Second)
	for _, e := range entries {
		if n := len(revisions(t, srv, e.ID)); n != 1 {
			t.Errorf("entry %s: %d revisions on the server", e.ID, n)
		}
		if m := d.summary(e.ID); m.State != devicestore.StateAccepted || m.Receipt != first[e.ID] {
			t.Errorf("entry %s after the second sync: state %s receipt %q, first receipt %q", e.ID, m.State, m.Receipt, first[e.ID])
		}
	}
	must(d.store.VerifyAudit())
}
