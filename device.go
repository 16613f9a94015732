package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	safeapp "github.com/safeguard-uk/safeguard/app"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/sync/client"
	"github.com/safeguard-uk/safeguard/sync/devicesync"
)

// deviceFile holds the device's identity at the central system, written
// once at enrolment (mode 0600, beside the encrypted store). The
// credential lets the tablet push and pull; it cannot read anything the
// tablet did not send, and an administrator can revoke it.
const deviceFile = "device.json"

// identity is the device's enrolment.
type identity struct {
	Server     string `json:"server"`
	DeviceID   string `json:"deviceId"`
	Credential string `json:"credential"`
	Team       string `json:"team"`
}

// device joins the screens to the central system: it enrols the tablet,
// signs officers in online, and runs the sync engine once enrolled. It
// implements app.Accounts and app.Syncer.
type device struct {
	dir    string
	server string
	store  *devicestore.Store
	hc     *http.Client
	log    *slog.Logger
	idle   time.Duration

	mu     sync.Mutex
	id     *identity
	engine *client.Engine
	cancel context.CancelFunc
}

var (
	_ safeapp.Accounts = (*device)(nil)
	_ safeapp.Syncer   = (*device)(nil)
)

// newDevice reads an earlier enrolment from dir, if any, and starts sync
// for it.
func newDevice(dir, server string, store *devicestore.Store, log *slog.Logger) (*device, error) {
	d := &device{dir: dir, server: server, store: store, hc: &http.Client{Timeout: 30 * time.Second}, log: log}
	data, err := os.ReadFile(filepath.Join(dir, deviceFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return d, nil
	case err != nil:
		return nil, fmt.Errorf("read the device's enrolment: %w", err)
	}
	var id identity
	if err := json.Unmarshal(data, &id); err != nil || id.DeviceID == "" || id.Credential == "" {
		return nil, fmt.Errorf("the device's enrolment file %s is damaged: remove it and enrol again", filepath.Join(dir, deviceFile))
	}
	if server == "" {
		d.server = id.Server
	}
	if err := d.start(&id); err != nil {
		return nil, err
	}
	return d, nil
}

// DeviceEnrolled implements app.Accounts.
func (d *device) DeviceEnrolled() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.id != nil
}

// EnrolDevice implements app.Accounts.
func (d *device) EnrolDevice(ctx context.Context, code string) error {
	name, _ := os.Hostname()
	resp, err := client.Enrol(ctx, d.hc, d.server, code, "Safeguard on "+name)
	if err != nil {
		return err
	}
	id := &identity{Server: d.server, DeviceID: resp.DeviceID, Credential: resp.Credential, Team: resp.Team}
	if err := writeFileAtomic(filepath.Join(d.dir, deviceFile), id); err != nil {
		return fmt.Errorf("save the enrolment: %w", err)
	}
	d.log.Info("device enrolled", "device", resp.DeviceID, "team", resp.Team)
	return d.start(id)
}

// Login implements app.Accounts: the officer's password is checked by the
// central system through the enrolled device.
func (d *device) Login(ctx context.Context, username, password string) (safeapp.Identity, error) {
	d.mu.Lock()
	id := d.id
	d.mu.Unlock()
	if id == nil {
		return safeapp.Identity{}, errors.New("enrol this tablet first")
	}
	resp, err := client.SignIn(ctx, d.hc, d.server, id.Credential, username, password)
	var ce *client.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		return safeapp.Identity{}, &safeapp.WaitError{After: ce.RetryAfter, Err: err}
	}
	if err != nil {
		return safeapp.Identity{}, err
	}
	return safeapp.Identity{OfficerID: resp.Officer, Name: resp.Name}, nil
}

func (d *device) start(id *identity) error {
	a := devicesync.Adapter{Store: d.store}
	eng, err := client.New(client.Config{
		BaseURL: d.server, DeviceID: id.DeviceID, Credential: func() string { return id.Credential },
		Outbox: a, Uploads: a, Inbox: a, Logger: d.log, Idle: d.idle,
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.mu.Lock()
	d.id, d.engine, d.cancel = id, eng, cancel
	d.mu.Unlock()
	go eng.Run(ctx)
	return nil
}

// Status implements app.Syncer.
func (d *device) Status() safeapp.SyncStatus {
	d.mu.Lock()
	eng := d.engine
	d.mu.Unlock()
	if eng == nil {
		return safeapp.SyncStatus{Problem: "This tablet is not enrolled yet."}
	}
	s := eng.Status()
	st := safeapp.SyncStatus{Online: s.Online, Syncing: s.Syncing, LastSuccess: s.LastSuccess, NextAttempt: s.NextAttempt,
		Problem: s.Problem, UpgradeRequired: s.UpgradeRequired, Revoked: s.Revoked}
	if lockedStoreProblem(s.Problem) && !d.store.Locked() {
		// The last round ran while nobody was signed in; someone is now,
		// so that message is stale: say nothing wrong and send at once.
		st.Problem = ""
		eng.Kick()
	}
	if b, err := d.store.Backlog(); err == nil {
		st.WaitingEntries, st.WaitingPhotos, st.WaitingBytes = b.Entries, b.Photos, b.EntryBytes+b.PhotoBytes
	}
	return st
}

// lockedStoreProblem reports whether the engine's problem is the one it
// gives when a round could not read the outbox because the store was
// locked (sync/client's engine, "Sign in to send what is waiting").
func lockedStoreProblem(p string) bool { return strings.HasPrefix(p, "Sign in to send") }

// SyncNow implements app.Syncer.
func (d *device) SyncNow(ctx context.Context) error {
	d.mu.Lock()
	eng := d.engine
	d.mu.Unlock()
	if eng == nil {
		return errors.New("this tablet is not enrolled yet")
	}
	return eng.SyncNow(ctx)
}

// Kick asks for a sync round now, e.g. when the app comes back to the
// front (the signal may have returned while it was in the background).
func (d *device) Kick() {
	d.mu.Lock()
	eng := d.engine
	d.mu.Unlock()
	if eng != nil {
		eng.Kick()
	}
}

// Stop ends the sync engine.
func (d *device) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cancel != nil {
		d.cancel()
	}
}

// writeFileAtomic writes v as JSON to path (mode 0600) so that a crash
// leaves either the old file or the new one.
func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
