package devicestore

import (
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeyStore keeps small secrets in the operating system's key store
// (Secret Service on Linux, Keychain on macOS, Windows Credential Manager:
// devicestore/oskeystore adapts github.com/zalando/go-keyring; Android
// Keystore and iOS Keychain adapters come with the mobile builds).
type KeyStore interface {
	// Secret returns the secret stored under name.
	Secret(name string) ([]byte, error)
	// Put stores secret under name.
	Put(name string, secret []byte) error
}

// ErrKeyStore is returned when a vault bound to the key store cannot reach
// its secret there (the key store is locked or absent, or this is a copy
// of the database on another machine). It is not a wrong PIN.
var ErrKeyStore = errors.New("devicestore: this tablet's key store does not hold the vault's secret (is the key store unlocked? a copied database cannot be opened elsewhere)")

// keyStoreMeta is the meta row naming the vault's key-store entry; absent,
// the vault is unbound (PIN only).
const keyStoreMeta = "keystore_name"

// keyStoreFor returns how a PIN becomes the KDF input: with the vault
// bound to the key store, the PIN followed by the key store's secret;
// unbound, the PIN alone. For the first enrolment it binds the vault when
// a key store is configured and works, and returns the entry's name to
// record (on failure it logs and leaves the vault unbound).
func (s *Store) keyStoreFor(first bool) (func(string) string, string, error) {
	plain := func(pin string) string { return pin }
	with := func(secret []byte) func(string) string {
		tag := base64.StdEncoding.EncodeToString(secret)
		return func(pin string) string { return pin + "\x00keystore:" + tag }
	}
	if first {
		if s.opts.KeyStore == nil {
			return plain, "", nil
		}
		name := "safeguard-vault-" + hex.EncodeToString(randomBytes(8))
		secret := randomBytes(keySize)
		if err := s.opts.KeyStore.Put(name, secret); err != nil {
			s.opts.Logger.Warn("no OS key store: the vault is protected by the PIN alone", "err", err)
			return plain, "", nil
		}
		got, err := s.opts.KeyStore.Secret(name)
		if err != nil || string(got) != string(secret) {
			s.opts.Logger.Warn("the OS key store does not read back: the vault is protected by the PIN alone", "err", err)
			return plain, "", nil
		}
		return with(secret), name, nil
	}
	var name []byte
	err := s.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, keyStoreMeta).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return plain, "", nil
	}
	if err != nil {
		return nil, "", storageErr("key store", err)
	}
	if s.opts.KeyStore == nil {
		return nil, "", fmt.Errorf("%w (no key store configured)", ErrKeyStore)
	}
	secret, err := s.opts.KeyStore.Secret(string(name))
	if err != nil || len(secret) != keySize {
		return nil, "", ErrKeyStore
	}
	return with(secret), string(name), nil
}
