package http_test

import (
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// TestEntryBelongsToSignedInOfficer: with officer binding on (as serve
// runs), a device with nobody signed in cannot file an entry as anyone,
// a device signed in by officer1 cannot file one as officer2 (refused with
// officer_not_signed_in, retryable), and each goes through once that
// officer signs in on the device.
func TestEntryBelongsToSignedInOfficer(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) { testBinding(t, backend) })
	}
}

func testBinding(t *testing.T, backend string) {
	_, srv := centraltest.Start(t, backend, centraltest.WithConfig(central.Config{OfficerBinding: true}))
	dev := srv.Enrol(t, "")
	o1, o2 := srv.UserID(t, "officer1"), srv.UserID(t, "officer2")
	refused := func(res api.PushResponse, what string) {
		t.Helper()
		r := res.Results[0]
		if r.Status != api.StatusRejected || r.Permanent || len(r.Reasons) == 0 || !strings.HasPrefix(r.Reasons[0], central.CodeOfficerNotSignedIn) {
			t.Fatalf("%s: %+v, want a retryable %s rejection", what, r, central.CodeOfficerNotSignedIn)
		}
	}
	e1 := centraltest.NewEntry(o1, 1)
	refused(srv.Push(t, dev, centraltest.Item(e1, "standard")), "nobody signed in")

	signIn := func(user string) {
		t.Helper()
		if st, raw := srv.Client(dev.Credential).Do(t, "POST", "/v1/device/signin", api.SignInRequest{Username: user, Password: central.DemoPassword}, nil); st != 200 {
			t.Fatalf("sign in %s: %d %s", user, st, raw)
		}
	}
	signIn("officer1")
	if r := srv.Push(t, dev, centraltest.Item(e1, "standard")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("officer1's entry after officer1 signed in: %+v", r)
	}
	e2 := centraltest.NewEntry(o2, 1)
	refused(srv.Push(t, dev, centraltest.Item(e2, "standard")), "officer2's entry on officer1's device")
	signIn("officer2")
	if r := srv.Push(t, dev, centraltest.Item(e2, "standard")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("officer2's entry after officer2 signed in: %+v", r)
	}
	// officer1's queued entries still go (a shared tablet's outbox).
	if r := srv.Push(t, dev, centraltest.Item(centraltest.NewEntry(o1, 1), "standard")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("officer1's later entry after officer2 signed in: %+v", r)
	}
	// Another device of the team, nobody signed in: refused for officer1.
	refused(srv.Push(t, srv.Enrol(t, ""), centraltest.Item(centraltest.NewEntry(o1, 1), "standard")), "another device")
}
