package bench_test

import (
	"context"
	"io"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// approvable pushes n copies of the project's complete example entry (live
// or training) into a fresh SQLite server and returns the server, the ids
// and the reviewer's principal.
func approvable(b *testing.B, n int, training bool) (*centraltest.Server, []string, central.Principal) {
	b.Helper()
	_, srv := centraltest.Start(b, centraltest.SQLite)
	dev := srv.Enrol(b, "")
	officer := srv.UserID(b, "officer1")
	var ids []string
	for len(ids) < n {
		var items []api.PushItem
		for i := 0; i < 100 && len(ids) < n; i++ {
			e := centraltest.Example(b, officer)
			e.Training = training
			items = append(items, centraltest.Item(e, ""))
			ids = append(ids, e.ID)
		}
		srv.Push(b, dev, items...)
	}
	who := "sergeant1"
	if training {
		who = "trainer1"
	}
	p, err := srv.Service.AuthenticateSession(context.Background(), srv.Login(b, who))
	if err != nil {
		b.Fatal(err)
	}
	return srv, ids, p
}

// BenchmarkApprove is one approval of the complete example entry (two
// children, two adults) on SQLite: baseline approves a training entry (the
// decision, the pull-feed change, the audit record); referral approves a
// live one, which also builds its referral document and queues it in the
// outbox in the same transaction.
func BenchmarkApprove(b *testing.B) {
	for _, c := range []struct {
		name string
		ns   central.Namespace
	}{{"baseline", central.Training}, {"referral", central.Live}} {
		b.Run(c.name, func(b *testing.B) {
			srv, ids, p := approvable(b, b.N, c.ns == central.Training)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := srv.Service.Approve(ctx, p, c.ns, ids[i], api.ApproveRequest{Revision: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReferral serves an approved entry's referral (the audited read
// included): baseline the stored JSON, pdf the A4 PDF rendered from it on
// demand (nothing but the JSON is stored).
func BenchmarkReferral(b *testing.B) {
	srv, ids, p := approvable(b, 1, false)
	ctx := context.Background()
	if _, err := srv.Service.Approve(ctx, p, central.Live, ids[0], api.ApproveRequest{Revision: 1}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, format string }{{"baseline", central.ReferralJSON}, {"pdf", central.ReferralPDF}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				err := srv.Service.Referral(ctx, p, central.Live, ids[0], c.format, func(string) io.Writer { return io.Discard })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
