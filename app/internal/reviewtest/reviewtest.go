// Package reviewtest holds helpers for the supervisor's and trainer's
// screen tests: an officer's tablet made of a real device store and the
// real sync engine (sync/client over sync/devicesync.Adapter),
// enrolled with a real central system on loopback (centraltest), as main
// wires them.
package reviewtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
	"github.com/safeguard-uk/safeguard/sync/devicesync"
)

// Quiet is a logger that drops everything.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Device is an officer's tablet enrolled in team A, with officer1 signed
// in (unlocked).
type Device struct {
	T       testing.TB
	Store   *devicestore.Store
	Engine  *client.Engine
	Officer string
	Enrol   api.EnrolResponse
}

// NewDevice enrols a tablet with the central system at base and signs
// officer1 in on it. The engine is not running: Sync runs one round.
func NewDevice(t testing.TB, srv *centraltest.Server, base string) *Device {
	t.Helper()
	store := uitest.StoreWith(t, devicestore.Options{IdleLock: -1})
	officer := srv.UserID(t, "officer1")
	if err := store.EnrolOfficer(officer, "PC Alex Officer", uitest.PIN); err != nil {
		t.Fatal(err)
	}
	en := srv.Enrol(t, "")
	a := devicesync.Adapter{Store: store}
	eng, err := client.New(client.Config{
		BaseURL: base, DeviceID: en.DeviceID, Credential: func() string { return en.Credential },
		Outbox: a, Uploads: a, Inbox: a, Logger: Quiet,
		HTTPClient:  &http.Client{Timeout: 10 * time.Second},
		BackoffBase: 10 * time.Millisecond, BackoffCap: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Device{T: t, Store: store, Engine: eng, Officer: officer, Enrol: en}
}

// Sync runs sync rounds until nothing waits to be sent (or fails the test
// after 20 s).
func (d *Device) Sync() {
	d.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := d.Engine.SyncNow(ctx)
		cancel()
		items, qerr := d.Store.NextBatch(time.Now().Add(time.Hour), 10, 1<<20)
		if err == nil && qerr == nil && len(items) == 0 {
			return
		}
		if time.Now().After(deadline) {
			d.T.Fatalf("sync did not finish: %v (waiting: %d)", err, len(items))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Summary is the entry's line on the tablet.
func (d *Device) Summary(id string) devicestore.Summary {
	d.T.Helper()
	list, err := d.Store.ListEntries(devicestore.Filter{})
	if err != nil {
		d.T.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return s
		}
	}
	d.T.Fatalf("entry %s not on the tablet", id)
	return devicestore.Summary{}
}

// Set answers a question of the entry on the tablet ("" group for
// sections that do not repeat; instance is the person's index).
func (d *Device) Set(id, group string, index int, question string, value any) {
	d.T.Helper()
	inst := ""
	if group != "" {
		e, err := d.Store.Entry(id)
		if err != nil {
			d.T.Fatal(err)
		}
		inst = e.Groups[group][index].ID
	}
	if err := d.Store.SetAnswer(id, group, inst, question, forms.Answer{Value: value}); err != nil {
		d.T.Fatal(err)
	}
}

// Submit evaluates the entry and submits it as the app does.
func (d *Device) Submit(c *forms.Checklist, id string) *forms.Result {
	d.T.Helper()
	e, err := d.Store.Entry(id)
	if err != nil {
		d.T.Fatal(err)
	}
	res, err := forms.Evaluate(c, e, forms.Options{})
	if err != nil {
		d.T.Fatal(err)
	}
	if !res.Ready {
		d.T.Fatalf("entry not ready: %+v", res.Problems)
	}
	if _, err := d.Store.Submit(id, res.Grade, res.Immediate); err != nil {
		d.T.Fatal(err)
	}
	return res
}

// Check records a complete check on the tablet (one child, one adult,
// every question answered, names and a reference that read well) and
// returns its id, not yet submitted. With immediate, the child's life is
// at risk.
func (d *Device) Check(c *forms.Checklist, ref, child string, immediate bool) string {
	d.T.Helper()
	e := uitest.Fill(d.T, d.Store, c, 1, 1)
	d.Set(e.ID, "", 0, "incident_ref", ref)
	d.Set(e.ID, "", 0, "incident_address", "14 Example Road, Testtown")
	d.Set(e.ID, "child", 0, "child_name", child)
	d.Set(e.ID, "adult", 0, "adult_name", "Dan Carer")
	if immediate {
		d.Set(e.ID, "", 0, "triage_life", "yes")
	}
	return e.ID
}
