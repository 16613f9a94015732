// Package seal encrypts child data at rest on the central system: a
// Keyring of data keys (XChaCha20-Poly1305, golang.org/x/crypto) seals
// revision bodies, attachments and referral documents; the data keys are
// stored in the database only wrapped by a key-encryption key (KEK) that
// the database never holds (a file or the environment, or a KMS behind
// the KEK interface). Rotating the KEK re-wraps the data keys (Rewrap):
// nothing sealed is rewritten and running servers, which hold the data
// keys unwrapped in memory, carry on.
//
// A Keyring also blinds values for lookup columns (Blind: a keyed hash),
// and satisfies the person index's sealer interface
// (Seal, Open, Blind).
package seal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// KEK wraps and unwraps data keys: a key held outside the database (a
// file, the environment, or a KMS; the interface is a KMS's encrypt and
// decrypt calls).
type KEK interface {
	// ID names the key (stored beside what it wrapped).
	ID() string
	Wrap(dek, additionalData []byte) ([]byte, error)
	Unwrap(wrapped, additionalData []byte) ([]byte, error)
}

// LocalKEK is a 32-byte key-encryption key held in memory, read from a
// file or the environment.
type LocalKEK struct {
	id  string
	key []byte
}

// NewKEKText returns a fresh KEK in the file format (base64, one line).
func NewKEKText() (string, error) {
	k := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("kek: %w", err)
	}
	return base64.StdEncoding.EncodeToString(k) + "\n", nil
}

// ParseKEK reads a KEK in the file format; errors never repeat the text.
func ParseKEK(text string) (*LocalKEK, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(k) != chacha20poly1305.KeySize {
		return nil, errors.New("kek: not the base64 of a 32-byte key (make one with `central data-key new-kek`)")
	}
	id := sha256.Sum256(append([]byte("safeguard kek id\x00"), k...))
	return &LocalKEK{id: "local:" + hex.EncodeToString(id[:6]), key: k}, nil
}

// LoadKEK reads a KEK from a file (mode 600 or stricter) or, when path is
// "", from the environment variable env; nil, nil when neither is set.
func LoadKEK(path, env string) (*LocalKEK, error) {
	if path == "" {
		v := os.Getenv(env)
		if v == "" {
			return nil, nil
		}
		return ParseKEK(v)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("kek: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("kek %s: readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kek: %w", err)
	}
	k, err := ParseKEK(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ID implements KEK.
func (k *LocalKEK) ID() string { return k.id }

// Wrap implements KEK.
func (k *LocalKEK) Wrap(dek, ad []byte) ([]byte, error) { return sealWith(k.key, dek, ad) }

// Unwrap implements KEK.
func (k *LocalKEK) Unwrap(w, ad []byte) ([]byte, error) { return openWith(k.key, w, ad) }

func sealWith(key, pt, ad []byte) ([]byte, error) {
	return sealInto(make([]byte, 0, chacha20poly1305.NonceSizeX+len(pt)+chacha20poly1305.Overhead), key, pt, ad)
}

// sealInto appends a fresh random nonce and the sealed pt to dst (in
// place when dst has the room).
func sealInto(dst, key, pt, ad []byte) ([]byte, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	n := len(dst)
	dst = append(dst, make([]byte, a.NonceSize())...)
	nonce := dst[n:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return a.Seal(dst, nonce, pt, ad), nil
}

func openWith(key, ct, ad []byte) ([]byte, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(ct) < a.NonceSize()+a.Overhead() {
		return nil, errors.New("sealed value too short")
	}
	return a.Open(nil, ct[:a.NonceSize()], ct[a.NonceSize():], ad)
}

// magic starts every sealed value: "SG", format 1.
var magic = []byte{'S', 'G', 1}

// headerLen is magic plus the 4-byte data key number.
const headerLen = 3 + 4

// Overhead is how much longer a sealed value is than its plaintext.
const Overhead = headerLen + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// Keyring holds the data keys unwrapped, the current one sealing.
type Keyring struct {
	current uint32
	keys    map[uint32][]byte
	blind   []byte
}

// Stored is a Keyring as the database keeps it: every key wrapped.
type Stored struct {
	KEK     string            `json:"kek"`
	Current uint32            `json:"current"`
	Keys    map[uint32]string `json:"keys"` // base64 wrapped data keys
	Blind   string            `json:"blind"`
}

func wrapAD(n uint32) []byte { return []byte(fmt.Sprintf("safeguard data key %d", n)) }

var blindAD = []byte("safeguard blind key")

// New makes a keyring with one fresh data key and a blind key, and its
// stored form wrapped by kek.
func New(kek KEK) (*Keyring, Stored, error) {
	k := &Keyring{current: 1, keys: map[uint32][]byte{}}
	dek := make([]byte, chacha20poly1305.KeySize)
	k.blind = make([]byte, 32)
	if _, err := rand.Read(dek); err != nil {
		return nil, Stored{}, err
	}
	if _, err := rand.Read(k.blind); err != nil {
		return nil, Stored{}, err
	}
	k.keys[1] = dek
	st, err := k.wrap(kek)
	return k, st, err
}

func (k *Keyring) wrap(kek KEK) (Stored, error) {
	st := Stored{KEK: kek.ID(), Current: k.current, Keys: map[uint32]string{}}
	for n, dek := range k.keys {
		w, err := kek.Wrap(dek, wrapAD(n))
		if err != nil {
			return Stored{}, fmt.Errorf("wrap data key %d: %w", n, err)
		}
		st.Keys[n] = base64.StdEncoding.EncodeToString(w)
	}
	w, err := kek.Wrap(k.blind, blindAD)
	if err != nil {
		return Stored{}, fmt.Errorf("wrap blind key: %w", err)
	}
	st.Blind = base64.StdEncoding.EncodeToString(w)
	return st, nil
}

// Open unwraps a stored keyring with kek.
func Open(kek KEK, st Stored) (*Keyring, error) {
	if st.KEK != kek.ID() {
		return nil, fmt.Errorf("the data keys are wrapped by %s, not by the key given (%s)", st.KEK, kek.ID())
	}
	k := &Keyring{current: st.Current, keys: map[uint32][]byte{}}
	for n, s := range st.Keys {
		w, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("data key %d: %w", n, err)
		}
		dek, err := kek.Unwrap(w, wrapAD(n))
		if err != nil {
			return nil, fmt.Errorf("data key %d does not unwrap with %s: %w", n, kek.ID(), err)
		}
		k.keys[n] = dek
	}
	if _, ok := k.keys[k.current]; !ok {
		return nil, fmt.Errorf("the current data key %d is missing", k.current)
	}
	w, err := base64.StdEncoding.DecodeString(st.Blind)
	if err != nil {
		return nil, fmt.Errorf("blind key: %w", err)
	}
	if k.blind, err = kek.Unwrap(w, blindAD); err != nil {
		return nil, fmt.Errorf("blind key does not unwrap: %w", err)
	}
	return k, nil
}

// Rewrap re-wraps a stored keyring from the old KEK to the new one. The
// data keys, and so everything sealed, stay the same.
func Rewrap(st Stored, old, new KEK) (Stored, error) {
	k, err := Open(old, st)
	if err != nil {
		return Stored{}, err
	}
	return k.wrap(new)
}

// AddDataKey makes a new current data key (new values are sealed with it;
// older ones still open) and returns the stored form wrapped by kek.
func (k *Keyring) AddDataKey(kek KEK) (Stored, error) {
	dek := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(dek); err != nil {
		return Stored{}, err
	}
	n := k.current
	for m := range k.keys {
		n = max(n, m)
	}
	k.keys[n+1] = dek
	k.current = n + 1
	return k.wrap(kek)
}

// Seal encrypts plaintext bound to additionalData (say, the row it goes
// in: a sealed value moved to another row does not open).
func (k *Keyring) Seal(plaintext, additionalData []byte) ([]byte, error) {
	// The header, then what sealWith makes, sealed in place in one buffer.
	out := make([]byte, headerLen, Overhead+len(plaintext))
	copy(out, magic)
	binary.BigEndian.PutUint32(out[3:], k.current)
	out, err := sealInto(out, k.keys[k.current], plaintext, additionalData)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return out, nil
}

// Open decrypts what Seal made with the same additionalData.
func (k *Keyring) Open(ciphertext, additionalData []byte) ([]byte, error) {
	if !IsSealed(ciphertext) {
		return nil, errors.New("open: not a sealed value")
	}
	n := binary.BigEndian.Uint32(ciphertext[3:headerLen])
	dek, ok := k.keys[n]
	if !ok {
		return nil, fmt.Errorf("open: data key %d is not in the keyring", n)
	}
	pt, err := openWith(dek, ciphertext[headerLen:], additionalData)
	if err != nil {
		return nil, fmt.Errorf("open: the sealed value is damaged or not for this row: %w", err)
	}
	return pt, nil
}

// IsSealed reports whether b starts like a sealed value.
func IsSealed(b []byte) bool {
	return len(b) >= Overhead && b[0] == magic[0] && b[1] == magic[1] && b[2] == magic[2]
}

// Blind is a keyed hash of value (HMAC-SHA256 under the blind key) for
// lookup columns: equal values give equal hashes, and without the key the
// hash tells nothing about the value.
func (k *Keyring) Blind(value []byte) []byte {
	m := hmac.New(sha256.New, k.blind)
	m.Write(value)
	return m.Sum(nil)
}

// Marshal encodes a stored keyring for the settings table.
func (st Stored) Marshal() (string, error) {
	b, err := json.Marshal(st)
	return string(b), err
}

// Unmarshal decodes a stored keyring.
func Unmarshal(s string) (Stored, error) {
	var st Stored
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return Stored{}, fmt.Errorf("stored keyring: %w", err)
	}
	return st, nil
}
