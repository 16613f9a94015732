package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/seal"
	"github.com/safeguard-uk/safeguard/central/sqlite"
	"github.com/safeguard-uk/safeguard/central/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) central.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestReopen checks migrations run once and data survives a reopen.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx central.Tx) error { return tx.CreateTeam(ctx, central.Team{ID: "a", Name: "A"}) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := sqlite.Migrate(ctx, s); err != nil || n != 0 {
		t.Fatalf("second migrate ran %d: %v", n, err)
	}
	var mode string
	if err := s.DB.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q %v", mode, err)
	}
	var fk int
	if err := s.DB.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d %v", fk, err)
	}
	var temp int
	if err := s.DB.QueryRow("PRAGMA temp_store").Scan(&temp); err != nil || temp != 2 {
		t.Errorf("temp_store %d %v, want 2 (memory)", temp, err)
	}
	if err := s.View(ctx, func(tx central.Tx) error { _, err := tx.Team(ctx, "a"); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestPresealedRevision: a body sealed before the transaction
// (SealRevisionBody, as push does on every core) is stored as it is, sealed
// (no child data in the clear) and reads back; one sealed for another
// revision number does not open (the seal stays bound to its row).
func TestPresealedRevision(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text, err := seal.NewKEKText()
	if err != nil {
		t.Fatal(err)
	}
	kek, err := seal.ParseKEK(text)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := central.LoadKeyring(ctx, s, kek)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSealer(kr)
	officer, device, entry := uuid.NewString(), uuid.NewString(), uuid.NewString()
	body := []byte(`{"child":"Ffion Jones"}`)
	good, err := s.SealRevisionBody(entry, 1, body)
	if err != nil || !strings.HasPrefix(good, "sg1:") || strings.Contains(good, "Ffion") {
		t.Fatalf("sealed %q %v", good, err)
	}
	wrong, err := s.SealRevisionBody(entry, 2, body)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx central.Tx) error {
		if err := tx.CreateTeam(ctx, central.Team{ID: "a", Name: "A"}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, central.User{ID: officer, Username: "pc", Name: "PC", Role: central.RoleOfficer, Teams: []string{"a"}, PasswordHash: "x"}); err != nil {
			return err
		}
		if err := tx.CreateDevice(ctx, central.Device{ID: device, Name: "tablet", Team: "a", CredentialHash: "h"}); err != nil {
			return err
		}
		if err := tx.CreateEntry(ctx, central.Entry{ID: entry, Officer: officer, Team: "a", Device: device, Revision: 3, Receipt: "SG-1",
			Status: "received"}); err != nil {
			return err
		}
		for _, r := range []central.Revision{{Revision: 1, Stored: good, Receipt: "SG-1"}, {Revision: 3, Stored: wrong, Receipt: "SG-3"}} {
			r.EntryID, r.Body, r.Device, r.Officer, r.ContentHash = entry, body, device, officer, "h"
			if err := tx.CreateRevision(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := s.DB.QueryRow(`SELECT body FROM revisions WHERE entry_id = ? AND revision = 1`, entry).Scan(&raw); err != nil || raw != good {
		t.Fatalf("stored body %q %v, want the presealed one", raw, err)
	}
	s.View(ctx, func(tx central.Tx) error {
		if r, err := tx.Revision(ctx, entry, 1); err != nil || string(r.Body) != string(body) {
			t.Errorf("revision 1: %q %v", r.Body, err)
		}
		if _, err := tx.Revision(ctx, entry, 3); err == nil {
			t.Error("a body sealed for revision 2 opened as revision 3")
		}
		return nil
	})
}
