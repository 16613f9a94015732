package client_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
	"github.com/safeguard-uk/safeguard/sync/devicesync"
)

const testPIN = "582914"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// device is one officer's tablet: a real device store on a temp file and
// a sync engine pointed at baseURL.
type device struct {
	t       testing.TB
	store   *devicestore.Store
	engine  *client.Engine
	enrol   api.EnrolResponse
	officer string
	reg     *forms.Registry
}

func newDevice(t testing.TB, srv *centraltest.Server, baseURL string, cfg ...func(*client.Config)) *device {
	t.Helper()
	path := filepath.Join(t.TempDir(), "device.db")
	st, err := devicestore.Open(path, devicestore.Options{
		KDF: devicestore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}, InsecureKDF: true, IdleLock: -1, Logger: quiet,
		SendLease: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	officer := srv.UserID(t, "officer1")
	if err := st.EnrolOfficer(officer, "PC Demo", testPIN); err != nil {
		t.Fatal(err)
	}
	if err := st.Unlock(officer, testPIN); err != nil {
		t.Fatal(err)
	}
	en := srv.Enrol(t, "")
	d := &device{t: t, store: st, enrol: en, officer: officer, reg: centraltest.Registry(t)}
	d.engine = d.newEngine(baseURL, cfg...)
	return d
}

func (d *device) newEngine(baseURL string, cfg ...func(*client.Config)) *client.Engine {
	a := devicesync.Adapter{Store: d.store}
	c := client.Config{
		BaseURL: baseURL, DeviceID: d.enrol.DeviceID, Credential: func() string { return d.enrol.Credential },
		Outbox: a, Uploads: a, Inbox: a, Logger: quiet,
		HTTPClient:  &http.Client{Timeout: 5 * time.Second},
		BackoffBase: 10 * time.Millisecond, BackoffCap: 200 * time.Millisecond,
	}
	for _, f := range cfg {
		f(&c)
	}
	e, err := client.New(c)
	if err != nil {
		d.t.Fatal(err)
	}
	return e
}

// submit imports e as a draft and submits it with the grade the checklist
// gives it, as the app does.
func (d *device) submit(e *forms.Entry, photos ...[]byte) *forms.Entry {
	d.t.Helper()
	e.Officer = d.officer
	if err := d.store.ImportDrafts([]devicestore.Draft{{Entry: e, Title: "test"}}); err != nil {
		d.t.Fatal(err)
	}
	for _, p := range photos {
		a, err := d.store.PutAttachment(e.ID, bytesReader(p), "image/jpeg", "photo.jpg")
		if err != nil {
			d.t.Fatal(err)
		}
		cur, err := d.store.Entry(e.ID)
		if err != nil {
			d.t.Fatal(err)
		}
		list, _ := cur.Answers["photos"].Value.([]string)
		if err := d.store.SetAnswer(e.ID, "", "", "photos", forms.Answer{Value: append(list, a.SHA256)}); err != nil {
			d.t.Fatal(err)
		}
	}
	cur, err := d.store.Entry(e.ID)
	if err != nil {
		d.t.Fatal(err)
	}
	c, _ := d.reg.Get(cur.Checklist)
	res, err := forms.Evaluate(c, cur, forms.Options{})
	if err != nil {
		d.t.Fatal(err)
	}
	if !res.Ready {
		d.t.Fatalf("test entry not ready: %+v", res.Problems)
	}
	if _, err := d.store.Submit(e.ID, res.Grade, res.Immediate); err != nil {
		d.t.Fatal(err)
	}
	return cur
}

// syncUntilDone runs rounds until the outbox and the photo queue are
// empty, or fails after the deadline.
func (d *device) syncUntilDone(ctx context.Context, deadline time.Duration) {
	d.t.Helper()
	end := time.Now().Add(deadline)
	for {
		err := d.engine.SyncOnce(ctx)
		if err == nil && d.empty() {
			return
		}
		if time.Now().After(end) {
			d.t.Fatalf("sync did not finish: last error %v; outbox left %d", err, d.left())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (d *device) left() int {
	list, err := d.store.ListEntries(devicestore.Filter{States: []devicestore.State{devicestore.StateQueued, devicestore.StateSent}})
	if err != nil {
		d.t.Fatal(err)
	}
	return len(list)
}

func (d *device) empty() bool {
	if d.left() > 0 {
		return false
	}
	ups, err := d.store.PendingUploads(time.Now().Add(time.Hour), 10)
	if err != nil {
		d.t.Fatal(err)
	}
	return len(ups) == 0
}

func (d *device) summary(id string) devicestore.Summary {
	d.t.Helper()
	list, err := d.store.ListEntries(devicestore.Filter{})
	if err != nil {
		d.t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return s
		}
	}
	d.t.Fatalf("entry %s not on the device", id)
	return devicestore.Summary{}
}

// revisions returns what the server holds for an entry.
func revisions(t testing.TB, srv *centraltest.Server, id string) []central.Revision {
	t.Helper()
	var out []central.Revision
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		var err error
		out, err = tx.Revisions(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// attachmentDigest returns the SHA-256 of the bytes the server holds, and
// whether it marked the attachment complete.
func attachmentDigest(t testing.TB, srv *centraltest.Server, entryID, sha string) (string, bool) {
	t.Helper()
	h := sha256.New()
	var complete bool
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		a, err := tx.Attachment(context.Background(), entryID, sha)
		if err != nil {
			return err
		}
		complete = a.Complete
		return tx.ReadChunks(context.Background(), entryID, sha, func(b []byte) error { h.Write(b); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil)), complete
}

type byteReader struct {
	b []byte
	i int
}

func (r *byteReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}

func bytesReader(b []byte) io.Reader { return &byteReader{b: b} }

// photo returns n pseudo-random bytes (incompressible, like a JPEG).
func photo(seed byte, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
