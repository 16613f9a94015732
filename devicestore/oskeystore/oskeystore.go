// Package oskeystore keeps the tablet vault's secret in the operating
// system's key store through github.com/zalando/go-keyring: Secret Service
// (GNOME Keyring, KWallet) on Linux, Keychain on macOS, Credential Manager
// on Windows. Detect reports none where none answers (a headless machine),
// and the vault then stays protected by the PIN alone.
package oskeystore

import (
	"encoding/base64"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Store is a devicestore.KeyStore over the OS key store, its entries under
// Service.
type Store struct{ Service string }

// Secret implements devicestore.KeyStore.
func (s Store) Secret(name string) ([]byte, error) {
	v, err := keyring.Get(s.Service, name)
	if err != nil {
		return nil, fmt.Errorf("os key store: %w", err)
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("os key store: entry %s is damaged", name)
	}
	return b, nil
}

// Put implements devicestore.KeyStore.
func (s Store) Put(name string, secret []byte) error {
	if err := keyring.Set(s.Service, name, base64.StdEncoding.EncodeToString(secret)); err != nil {
		return fmt.Errorf("os key store: %w", err)
	}
	return nil
}

// Detect returns the OS key store when it answers a probe (write, read
// back, delete), and nil otherwise.
func Detect(service string) *Store {
	const probe = "safeguard-probe"
	if err := keyring.Set(service, probe, "1"); err != nil {
		return nil
	}
	v, err := keyring.Get(service, probe)
	_ = keyring.Delete(service, probe)
	if err != nil || v != "1" {
		return nil
	}
	return &Store{Service: service}
}
