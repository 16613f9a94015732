package http_test

import (
	"context"
	"testing"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestReadsAudited: the pull feed (when it returns changes), the review
// queue, the alerts and the administrators' lists each leave an audit
// record naming who read.
func TestReadsAudited(t *testing.T) {
	_, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithPeople())
	dev := srv.Enrol(t, "")
	srv.Push(t, dev, centraltest.Item(centraltest.NewEntry(srv.UserID(t, "officer1"), 1), "standard"))
	sup := srv.Client(srv.Login(t, "sergeant1"))
	adm := srv.Client(srv.Login(t, "admin"))
	for _, c := range []struct {
		c    *centraltest.Client
		path string
	}{
		{srv.Client(dev.Credential), "/v1/pull"}, {sup, "/v1/review/queue"}, {sup, "/v1/review/alerts"},
		{adm, "/v1/admin/users"}, {adm, "/v1/admin/devices"}, {adm, "/v1/admin/deliveries"},
	} {
		if st, raw := c.c.Do(t, "GET", c.path, nil, nil); st != 200 {
			t.Fatalf("%s: %d %s", c.path, st, raw)
		}
	}
	want := map[string]bool{"pull": false, "queue.list": false, "person.alerts.list": false,
		"admin.users.list": false, "admin.devices.list": false, "admin.deliveries.list": false}
	err := srv.Store.View(context.Background(), func(tx central.Tx) error {
		return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
			if _, ok := want[r.Action]; ok && r.Actor != "" {
				want[r.Action] = true
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for a, ok := range want {
		if !ok {
			t.Errorf("no audit record %q", a)
		}
	}
}
