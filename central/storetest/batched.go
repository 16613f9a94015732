package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// batchedPush writes n entries as a push does in one transaction (entry,
// revision with its receipt, audit record each: queued and written
// together at commit, multi-row or as one batch); fail, when >= 0, makes
// the fail-th revision repeat an earlier one's key, so the database
// refuses it at commit time.
func batchedPush(s central.Store, officer, device string, n, fail int) ([]central.Entry, error) {
	var es []central.Entry
	err := s.Update(ctx, func(tx central.Tx) error {
		seq, head, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			c, err := tx.NextCounter(ctx, "receipt:SG-2026")
			if err != nil {
				return err
			}
			e := entry(officer, device, "a", forms.LevelStandard, t0.Add(time.Duration(i)*time.Minute))
			e.Receipt = fmt.Sprintf("SG-2026-%06d", c)
			if err := tx.CreateEntry(ctx, e); err != nil {
				return err
			}
			rev := central.Revision{EntryID: e.ID, Revision: 1, ContentHash: "h", Body: []byte(`{"n":` + fmt.Sprint(i) + `}`), Receipt: e.Receipt,
				Device: device, Officer: officer, Received: t0, Diff: []api.DiffItem{}}
			if i == fail {
				rev.EntryID = es[0].ID // revision 1 of the first entry again
			}
			if err := tx.CreateRevision(ctx, rev); err != nil {
				return err
			}
			r := central.AuditRecord{Seq: seq + 1, At: t0, Actor: "device:" + device, Action: "entry.receive", EntryID: e.ID, Revision: 1,
				Detail: `{"receipt":"` + e.Receipt + `"}`, PrevHash: head}
			r.Hash = central.AuditHash(head, r)
			if err := tx.AppendAudit(ctx, r); err != nil {
				return err
			}
			seq, head = r.Seq, r.Hash
			es = append(es, e)
		}
		return nil
	})
	return es, err
}

// testBatchedWrites: a push's rows written together keep their order (the
// audit chain and the receipts follow the items), a batch larger than one
// multi-row statement is written whole, and a row the database refuses at
// commit time fails the whole transaction, leaving nothing of it behind
// (no entry, no revision, no audit record, the receipt counter unmoved).
func testBatchedWrites(t *testing.T, s central.Store) {
	officer, device := seed(t, s)
	good, err := batchedPush(s, officer, device, 130, -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := batchedPush(s, officer, device, 70, 45); err == nil {
		t.Fatal("a batch repeating a revision's key was stored")
	}
	s.View(ctx, func(tx central.Tx) error {
		for i, e := range good {
			got, err := tx.Entry(ctx, e.ID)
			if err != nil || got.Receipt != fmt.Sprintf("SG-2026-%06d", i+1) {
				t.Fatalf("entry %d: %+v %v", i, got, err)
			}
			r, err := tx.Revision(ctx, e.ID, 1)
			if err != nil || string(r.Body) != fmt.Sprintf(`{"n":%d}`, i) {
				t.Fatalf("revision %d: %s %v", i, r.Body, err)
			}
		}
		var n int
		prev := ""
		err := tx.ScanAudit(ctx, func(r central.AuditRecord) error {
			if r.PrevHash != prev || central.AuditHash(r.PrevHash, r) != r.Hash {
				t.Errorf("record %d breaks the chain", r.Seq)
			}
			if r.Action == "entry.receive" {
				if n >= len(good) || r.EntryID != good[n].ID {
					t.Errorf("record %d is for %s, not item %d's entry", r.Seq, r.EntryID, n)
				}
				n++
			}
			prev = r.Hash
			return nil
		})
		if err != nil || n != len(good) {
			t.Errorf("%d receive records (want %d): %v", n, len(good), err)
		}
		seq, head, err := tx.AuditHead(ctx)
		if err != nil || head != prev || seq != int64(len(good)) {
			t.Errorf("head %d %q %v after the failed batch", seq, head, err)
		}
		return nil
	})
	// The failed batch's entries are not there, and its receipts are
	// numbered again by the next push.
	next, err := batchedPush(s, officer, device, 1, -1)
	if err != nil || next[0].Receipt != fmt.Sprintf("SG-2026-%06d", len(good)+1) {
		t.Errorf("next receipt %+v %v", next, err)
	}
	s.View(ctx, func(tx central.Tx) error {
		m, err := tx.Entries(ctx, []string{uuid.NewString(), next[0].ID})
		if err != nil || len(m) != 1 {
			t.Errorf("entries %v %v", m, err)
		}
		return nil
	})
}
