package peopletest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealer is a real people.Sealer for tests: XChaCha20-Poly1305 with a
// random nonce for sealing, HMAC-SHA256 for blinding, both under random
// keys of its own.
type Sealer struct {
	key      []byte
	blindKey []byte
}

// NewSealer returns a Sealer with fresh random keys.
func NewSealer() *Sealer {
	s := &Sealer{key: make([]byte, chacha20poly1305.KeySize), blindKey: make([]byte, 32)}
	rand.Read(s.key)
	rand.Read(s.blindKey)
	return s
}

// Seal implements people.Sealer.
func (s *Sealer) Seal(plaintext, ad []byte) ([]byte, error) {
	a, err := chacha20poly1305.NewX(s.key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plaintext)+a.Overhead())
	rand.Read(nonce)
	return a.Seal(nonce, nonce, plaintext, ad), nil
}

// Open implements people.Sealer.
func (s *Sealer) Open(ciphertext, ad []byte) ([]byte, error) {
	a, err := chacha20poly1305.NewX(s.key)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if len(ciphertext) < a.NonceSize() {
		return nil, errors.New("open: too short")
	}
	p, err := a.Open(nil, ciphertext[:a.NonceSize()], ciphertext[a.NonceSize():], ad)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return p, nil
}

// Blind implements people.Sealer.
func (s *Sealer) Blind(v []byte) []byte {
	m := hmac.New(sha256.New, s.blindKey)
	m.Write(v)
	return m.Sum(nil)
}
