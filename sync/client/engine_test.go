package client_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestRoundTrip walks the whole loop: push, a supervisor returns an entry
// with comments, the device gets an editable revision, the amendment goes
// back, the supervisor approves, the device sees it.
func TestRoundTrip(t *testing.T) {
	for _, backend := range []string{centraltest.SQLite, centraltest.Postgres} {
		t.Run(backend, func(t *testing.T) {
			base, srv := centraltest.Start(t, backend)
			d := newDevice(t, srv, base)
			ctx := context.Background()
			plain := d.submit(centraltest.NewEntry("", 2))
			urgent := d.submit(centraltest.Immediate(centraltest.NewEntry("", 1)))
			d.syncUntilDone(ctx, 20*time.Second)

			for _, id := range []string{plain.ID, urgent.ID} {
				if revs := revisions(t, srv, id); len(revs) != 1 {
					t.Fatalf("server holds %d revisions of %s, want 1", len(revs), id)
				}
				s := d.summary(id)
				if s.State != devicestore.StateAccepted || s.Receipt == "" {
					t.Fatalf("device shows %s %q, want accepted with a receipt", s.State, s.Receipt)
				}
			}
			st := d.engine.Status()
			if !st.Online || st.Problem != "" || st.Sent != 2 || st.LastSuccess.IsZero() {
				t.Fatalf("status after a clean round: %+v", st)
			}

			sup := srv.Client(srv.Login(t, "sergeant1"))
			code, body := sup.Do(t, "POST", "/v1/review/entries/"+plain.ID+"/return", api.ReturnRequest{
				Revision: 1, Text: "Please complete the child's words.",
				Comments: []api.Comment{{Question: "incident_ref", Text: "Use the CAD number."}},
			}, nil)
			if code != http.StatusOK {
				t.Fatalf("return: %d %s", code, body)
			}
			d.syncUntilDone(ctx, 10*time.Second)
			s := d.summary(plain.ID)
			if s.State != devicestore.StateReturned || s.Revision != 2 {
				t.Fatalf("after return the device shows %s rev %d, want returned rev 2", s.State, s.Revision)
			}
			rv, err := d.store.Review(plain.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(rv.Comments) == 0 || rv.Comments[0].Text != "Use the CAD number." {
				t.Fatalf("comments did not reach the device: %+v", rv)
			}

			// Amend and resubmit.
			amended, err := d.store.Entry(plain.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.store.SetAnswer(plain.ID, "", "", "incident_ref", answer("CAD-7781")); err != nil {
				t.Fatal(err)
			}
			if _, err := d.store.Submit(plain.ID, s.Grade, false); err != nil {
				t.Fatal(err)
			}
			d.syncUntilDone(ctx, 10*time.Second)
			revs := revisions(t, srv, plain.ID)
			if len(revs) != 2 || revs[1].Revision != 2 || len(revs[1].Diff) == 0 {
				t.Fatalf("server after amendment: %d revisions, diff %+v", len(revs), revs)
			}
			_ = amended
			code, body = sup.Do(t, "POST", "/v1/review/entries/"+plain.ID+"/approve", api.ApproveRequest{Revision: 2}, nil)
			if code != http.StatusOK {
				t.Fatalf("approve: %d %s", code, body)
			}
			d.syncUntilDone(ctx, 10*time.Second)
			if s := d.summary(plain.ID); s.State != devicestore.StateApproved {
				t.Fatalf("after approval the device shows %s", s.State)
			}
		})
	}
}

// TestImmediateFirst: an immediate-risk entry submitted after 30 others
// reaches the server in the first batch.
func TestImmediateFirst(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	var first []string
	d := newDevice(t, srv, base)
	var ids []string
	for i := 0; i < 30; i++ {
		ids = append(ids, d.submit(centraltest.NewEntry("", 1)).ID)
	}
	urgent := d.submit(centraltest.Immediate(centraltest.NewEntry("", 1)))
	items, err := d.store.NextBatch(time.Now(), 5, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		first = append(first, it.EntryID)
	}
	if len(first) == 0 || first[0] != urgent.ID {
		t.Fatalf("first batch %v does not start with the immediate entry %s", first, urgent.ID)
	}
	for _, it := range items {
		d.store.Defer(it.EntryID, it.Revision, "test", time.Now().Add(-time.Second))
	}
	d.syncUntilDone(context.Background(), 20*time.Second)
	for _, id := range append(ids, urgent.ID) {
		if n := len(revisions(t, srv, id)); n != 1 {
			t.Fatalf("%s stored %d times", id, n)
		}
	}
}

// TestOneBadRecordNeverBlocks: an entry the server rejects for good is set
// aside with a plain reason; the others arrive.
func TestOneBadRecordNeverBlocks(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	d := newDevice(t, srv, base)
	good1 := d.submit(centraltest.NewEntry("", 1))
	// Not ready: a mandatory answer is missing (a device bug let it through).
	bad := centraltest.NewEntry("", 1)
	delete(bad.Answers, "triage_life")
	// Made with a checklist version the server does not have (yet).
	unknown := centraltest.NewEntry("", 1)
	unknown.Checklist.Version = "9.9.9"
	for _, e := range []*forms.Entry{bad, unknown} {
		if err := d.store.ImportDrafts([]devicestore.Draft{{Entry: withOfficer(e, d.officer), Title: "bad"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.store.Submit(e.ID, forms.LevelStandard, false); err != nil {
			t.Fatal(err)
		}
	}
	good2 := d.submit(centraltest.NewEntry("", 1))
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		d.engine.SyncOnce(ctx)
	}
	for _, id := range []string{good1.ID, good2.ID} {
		if n := len(revisions(t, srv, id)); n != 1 {
			t.Fatalf("good entry %s stored %d times", id, n)
		}
	}
	if n := len(revisions(t, srv, bad.ID)); n != 0 {
		t.Fatalf("bad entry stored %d times", n)
	}
	aside, err := d.store.SetAside()
	if err != nil {
		t.Fatal(err)
	}
	if len(aside) != 1 || aside[0].EntryID != bad.ID || aside[0].LastError == "" {
		t.Fatalf("set aside: %+v", aside)
	}
	t.Logf("reason shown to the officer: %s", aside[0].LastError)
	// The unknown version may become known: it waits, with its reason, and
	// blocks nothing.
	if s := d.summary(unknown.ID); s.State != devicestore.StateQueued || s.LastError == "" {
		t.Fatalf("unknown-version entry: %+v", s)
	}
}

// TestOfflineThenOnline: with the server unreachable nothing leaves the
// outbox and the status says so in plain words; when it is back, all go.
func TestOfflineThenOnline(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	d := newDevice(t, srv, "http://127.0.0.1:1") // nothing listens on port 1
	e := d.submit(centraltest.NewEntry("", 1))
	err := d.engine.SyncOnce(context.Background())
	if err == nil {
		t.Fatal("sync against a dead address succeeded")
	}
	st := d.engine.Status()
	if st.Online || st.Problem == "" {
		t.Fatalf("offline status: %+v", st)
	}
	if s := d.summary(e.ID); s.State != devicestore.StateQueued || s.LastError == "" {
		t.Fatalf("offline entry: %+v", s)
	}
	d.engine = d.newEngine(base)
	d.syncUntilDone(context.Background(), 10*time.Second)
	if n := len(revisions(t, srv, e.ID)); n != 1 {
		t.Fatalf("stored %d times", n)
	}
}

// TestRunRetriesOnATimer: Run keeps trying with backoff, without anything
// new being written, until the server is there.
func TestRunRetriesOnATimer(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	gate := &switchable{}
	proxy := startGate(t, base, gate)
	d := newDevice(t, srv, proxy)
	e := d.submit(centraltest.NewEntry("", 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { d.engine.Run(ctx); close(done) }()
	time.Sleep(300 * time.Millisecond)
	if n := len(revisions(t, srv, e.ID)); n != 0 {
		t.Fatal("entry arrived through a closed gate")
	}
	gate.open()
	// A bound on liveness, not a timing figure: with retries every 200 ms at
	// most, only a Run that stopped retrying takes this long (10 s was
	// reached once under -race with the whole suite running on 2 cores).
	deadline := time.Now().Add(60 * time.Second)
	for len(revisions(t, srv, e.ID)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("Run did not retry once the server came back: status %+v", d.engine.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestUpgradeRequired: a server that refuses the wire version stops the
// round with a plain message and keeps everything.
func TestUpgradeRequired(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	old := startRewriter(t, base, func(r *http.Request) { r.Header.Set(api.HeaderVersion, "0") })
	d := newDevice(t, srv, old)
	e := d.submit(centraltest.NewEntry("", 1))
	err := d.engine.SyncOnce(context.Background())
	if err == nil || !d.engine.Status().UpgradeRequired {
		t.Fatalf("want upgrade required, got %v %+v", err, d.engine.Status())
	}
	if s := d.summary(e.ID); s.State != devicestore.StateQueued {
		t.Fatalf("entry state %s after a refused upgrade", s.State)
	}
}

// TestRevokedDeviceIsWiped: a revoked device is refused and wipes itself.
func TestRevokedDeviceIsWiped(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	d := newDevice(t, srv, base)
	d.submit(centraltest.NewEntry("", 1))
	admin := srv.Client(srv.Login(t, "admin"))
	if code, body := admin.Do(t, "POST", "/v1/admin/devices/"+d.enrol.DeviceID+"/revoke", api.RevokeRequest{Reason: "tablet lost"}, nil); code/100 != 2 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	d.engine.SyncOnce(context.Background())
	if !d.engine.Status().Revoked || !d.store.Wiped() {
		t.Fatalf("revoked device not wiped: %+v wiped=%v", d.engine.Status(), d.store.Wiped())
	}
}
