package devicestore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/safeguard-uk/safeguard/devicestore/oskeystore"
)

// failingKeyStore is a machine with no key store answering (headless CI).
type failingKeyStore struct{}

func (failingKeyStore) Secret(string) ([]byte, error) { return nil, errors.New("no secret service") }
func (failingKeyStore) Put(string, []byte) error      { return errors.New("no secret service") }

// TestVaultBoundToKeyStore: with the OS key store (go-keyring's own mock
// provider standing in for Secret Service) the vault unlocks with the PIN
// on the tablet, but a copy of the database elsewhere (no key store, or a
// key store without the secret) does not open even with the right PIN,
// and that failure is not counted as a wrong PIN.
func TestVaultBoundToKeyStore(t *testing.T) {
	gokeyring.MockInit()
	c := newClock()
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.db")
	opts := testOptions(c)
	opts.KeyStore = oskeystore.Store{Service: "safeguard-test"}
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnrolOfficer("pc1", "PC One", "246813"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock("pc1", "246813"); err != nil {
		t.Fatalf("unlock on the tablet: %v", err)
	}
	s.Close()

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "stolen.db")
	if err := os.WriteFile(copyPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	stolen, err := Open(copyPath, testOptions(c))
	if err != nil {
		t.Fatal(err)
	}
	if err := stolen.Unlock("pc1", "246813"); !errors.Is(err, ErrKeyStore) {
		t.Fatalf("the copy without the key store: %v, want ErrKeyStore", err)
	}
	stolen.Close()
	gokeyring.MockInit() // another machine's key store: the entry is not there
	elsewhere := testOptions(c)
	elsewhere.KeyStore = oskeystore.Store{Service: "safeguard-test"}
	stolen, err = Open(copyPath, elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	defer stolen.Close()
	for i := 0; i < 3; i++ {
		if err := stolen.Unlock("pc1", "246813"); !errors.Is(err, ErrKeyStore) {
			t.Fatalf("the copy on another machine: %v, want ErrKeyStore", err)
		}
	}
	if n, _ := getMetaInt(stolen.db, "wrong_pins"); n != 0 {
		t.Errorf("key-store failures counted as %d wrong PINs", n)
	}
}

// TestVaultWithoutKeyStore: where no key store answers, enrolment still
// works (the vault is PIN-only, as before), and a force's longer passcode
// policy is enforced.
func TestVaultWithoutKeyStore(t *testing.T) {
	c := newClock()
	opts := testOptions(c)
	opts.KeyStore = failingKeyStore{}
	opts.MinPIN = 10
	s, err := Open(filepath.Join(t.TempDir(), "v.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.EnrolOfficer("pc1", "PC One", "246813"); !errors.Is(err, ErrWeakPIN) {
		t.Fatalf("a 6-digit PIN under a 10-digit policy: %v", err)
	}
	if err := s.EnrolOfficer("pc1", "PC One", "2468135790"); err != nil {
		t.Fatalf("enrol without a key store: %v", err)
	}
	s.Lock()
	if err := s.Unlock("pc1", "2468135790"); err != nil {
		t.Fatalf("unlock, PIN only: %v", err)
	}
}
