package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestPushBatchEncodings pushes one batch mixing plain entries with the
// encodings forms' fast reader leaves to encoding/json (spaced out, a name
// in other case, a name twice, a grading) and one that cannot be read. The
// readable ones are stored as before, each body the entry's canonical
// encoding; the unreadable one is refused with the reason, the rest of the
// batch stored whole; receipts and audit records follow the items' order,
// one record per stored entry.
func TestPushBatchEncodings(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			officer := srv.UserID(t, "officer1")
			e0, r0 := counts(t, srv)

			var items []api.PushItem
			var entries []*forms.Entry
			add := func(e *forms.Entry, raw func([]byte) []byte) {
				it := centraltest.Item(e, "")
				if raw != nil {
					it.Entry = raw(it.Entry)
				}
				items, entries = append(items, it), append(entries, e)
			}
			for i := 0; i < 12; i++ {
				add(centraltest.NewEntry(officer, 1+i%5), nil)
			}
			add(centraltest.NewEntry(officer, 2), func(b []byte) []byte {
				var out bytes.Buffer
				json.Indent(&out, b, "", "  ")
				return out.Bytes()
			})
			add(centraltest.NewEntry(officer, 2), func(b []byte) []byte { return bytes.Replace(b, []byte(`{"id":`), []byte(`{"ID":`), 1) })
			add(centraltest.NewEntry(officer, 2), func(b []byte) []byte { return append([]byte(`{"id":"not this one",`), b[1:]...) })
			graded := centraltest.NewEntry(officer, 2)
			graded.Grading = &forms.Grading{Level: forms.LevelHigh}
			add(graded, nil)
			unreadable := len(items)
			add(centraltest.NewEntry(officer, 2), func(b []byte) []byte { return bytes.Replace(b, []byte(`"revision":1`), []byte(`"revision":"1"`), 1) })
			for i := 0; i < 5; i++ {
				add(centraltest.NewEntry(officer, 3), nil)
			}

			res := srv.Push(t, dev, items...)
			var stored []int
			for i, r := range res.Results {
				switch {
				case i == unreadable:
					if r.Status != api.StatusRejected || !r.Permanent || !strings.Contains(strings.Join(r.Reasons, " "), "cannot be read") ||
						!strings.Contains(strings.Join(r.Reasons, " "), "revision") {
						t.Errorf("unreadable item: %+v", r)
					}
				case r.Status != api.StatusAccepted:
					t.Errorf("item %d: %+v", i, r)
				default:
					stored = append(stored, i)
				}
			}
			if e1, r1 := counts(t, srv); e1 != e0+len(stored) || r1 != r0+len(stored) {
				t.Errorf("stored entries %d->%d, revisions %d->%d; want %d more", e0, e1, r0, r1, len(stored))
			}
			for j := 1; j < len(stored); j++ {
				if a, b := res.Results[stored[j-1]].Receipt, res.Results[stored[j]].Receipt; a >= b {
					t.Errorf("receipts out of item order: %s then %s", a, b)
				}
			}
			ctx := context.Background()
			err := srv.Store.View(ctx, func(tx central.Tx) error {
				for _, i := range stored {
					rev, err := tx.Revision(ctx, entries[i].ID, 1)
					if err != nil {
						return err
					}
					want, _ := entries[i].Encode()
					if !bytes.Equal(rev.Body, want) || rev.Receipt != res.Results[i].Receipt {
						t.Errorf("item %d stored as %s (receipt %s), want its canonical encoding %s (%s)", i, rev.Body, rev.Receipt, want, res.Results[i].Receipt)
					}
				}
				var got []string
				if err := tx.ScanAudit(ctx, func(r central.AuditRecord) error {
					if r.Action == "entry.receive" {
						got = append(got, r.EntryID)
					}
					return nil
				}); err != nil {
					return err
				}
				if len(got) != len(stored) {
					t.Fatalf("%d receive records for %d stored entries", len(got), len(stored))
				}
				for k, i := range stored {
					if got[k] != entries[i].ID {
						t.Errorf("receive record %d is for %s, want item %d's entry", k, got[k], i)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
