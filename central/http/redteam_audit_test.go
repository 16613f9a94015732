package http_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/internal/sqlstore"
)

// auditServer starts a SQLite server with some audited history. With
// keyed set it chains with a fresh audit key and checkpoints to a witness
// file outside the database.
func auditServer(t *testing.T, keyed bool) (*centraltest.Server, *sql.DB) {
	t.Helper()
	var cfg central.Config
	if keyed {
		seed, err := central.NewAuditKeySeed()
		if err != nil {
			t.Fatal(err)
		}
		k, err := central.ParseAuditKey(seed)
		if err != nil {
			t.Fatal(err)
		}
		cfg.AuditKeys = &central.AuditKeys{Current: k}
		cfg.Witness = &central.Witness{Path: filepath.Join(t.TempDir(), "audit.witness")}
	}
	_, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithConfig(cfg))
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	srv.Push(t, dev, centraltest.Item(centraltest.NewEntry(officer, 2), "standard"))
	srv.Login(t, "sergeant1")
	srv.Login(t, "admin")
	return srv, srv.Store.(*sqlstore.Store).DB
}

func verify(t *testing.T, srv *centraltest.Server) *api.AuditReport {
	t.Helper()
	rep, err := srv.Service.VerifyAudit(context.Background(), central.System("test-admin-verify"))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// rewrite is the red team with write access to the database: it drops the
// append-only triggers, changes the actor of the first login record, and
// recomputes every hash from the first record on and the head, with hash
// (the published unkeyed AuditHash, or a keyed hash under a key of its
// own). It keeps the records up to keep (all when 0).
func rewrite(t *testing.T, db *sql.DB, keep int64, hash func(prev string, r central.AuditRecord) string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if keep > 0 {
		if _, err := db.ExecContext(ctx, `DELETE FROM audit WHERE seq > ?`, keep); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT seq, at, actor, action, entry_id, revision, detail FROM audit ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var recs []central.AuditRecord
	var ats []int64
	for rows.Next() {
		var r central.AuditRecord
		var at int64
		if err := rows.Scan(&r.Seq, &at, &r.Actor, &r.Action, &r.EntryID, &r.Revision, &r.Detail); err != nil {
			t.Fatal(err)
		}
		recs, ats = append(recs, r), append(ats, at)
	}
	rows.Close()
	changed := false
	prev := ""
	for i, r := range recs {
		r.At = time.UnixMicro(ats[i]).UTC()
		if keep == 0 && !changed && r.Action == "login" {
			r.Actor = "user:someone-else"
			changed = true
		}
		r.PrevHash = prev
		r.Hash = hash(prev, r)
		if _, err := db.ExecContext(ctx, `UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?`, r.Actor, r.PrevHash, r.Hash, r.Seq); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
	}
	if keep == 0 && !changed {
		t.Fatal("red team found no login record to alter")
	}
	last := recs[len(recs)-1]
	if _, err := db.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, last.Seq, prev); err != nil {
		t.Fatal(err)
	}
}

// TestAuditRedTeamRewrite: recomputing every hash and the head after
// altering a record passes verification on an unkeyed chain (the finding,
// kept as the control that the rewrite is faithful) and fails it on a
// keyed chain with a witness, whether the red team recomputes unkeyed or
// under a key of its own.
func TestAuditRedTeamRewrite(t *testing.T) {
	t.Run("unkeyed control", func(t *testing.T) {
		srv, db := auditServer(t, false)
		rewrite(t, db, 0, central.AuditHash)
		if rep := verify(t, srv); !rep.OK {
			t.Fatalf("the control rewrite is not faithful: %v", rep.Problems)
		}
	})
	// The red team's own key, its hashes tagged with the real key's id.
	seed, _ := central.NewAuditKeySeed()
	own, _ := central.ParseAuditKey(seed)
	for _, name := range []string{"recomputed unkeyed", "recomputed under another key"} {
		t.Run(name, func(t *testing.T) {
			srv, db := auditServer(t, true)
			hash := central.AuditHash
			if name != "recomputed unkeyed" {
				real := srv.Service.Config().AuditKeys.Current.ID
				hash = func(prev string, r central.AuditRecord) string {
					return strings.Replace(central.KeyedAuditHash(own, prev, r), own.ID, real, 1)
				}
			}
			if err := srv.Service.Checkpoint(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rep := verify(t, srv); !rep.OK {
				t.Fatalf("intact keyed chain: %v", rep.Problems)
			}
			rewrite(t, db, 0, hash)
			rep := verify(t, srv)
			if rep.OK {
				t.Fatal("the rewritten chain passed verification")
			}
			t.Logf("problems: %v", rep.Problems)
		})
	}
}

// TestAuditRedTeamTruncate: deleting the last records and moving the head
// back to the new last one leaves a consistent keyed chain, but the signed
// checkpoint in the witness names a later record, and verification fails.
func TestAuditRedTeamTruncate(t *testing.T) {
	srv, db := auditServer(t, true)
	ctx := context.Background()
	if err := srv.Service.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	var head int64
	if err := db.QueryRowContext(ctx, `SELECT seq FROM audit_head`).Scan(&head); err != nil {
		t.Fatal(err)
	}
	// Keep the surviving records' own (keyed) hashes: only delete and move.
	for _, q := range []string{`DROP TRIGGER audit_no_delete`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM audit WHERE seq > ?`, head-3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit WHERE seq = ?) WHERE id = 1`, head-3, head-3); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, srv)
	if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "witness signed record") {
		t.Fatalf("deleted tail and moved head: %+v", rep)
	}
}
