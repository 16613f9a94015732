package devicestore

import (
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Envelope formats. Every encrypted value in the database is one of:
//
//	0x01 | nonce (24) | XChaCha20-Poly1305 ciphertext and tag      sealed with a key derived from the device data key
//	0x02 | ephemeral X25519 public key (32) | nonce (24) | ciphertext and tag
//	                                                             sealed to the device's public key
//
// Both are bound to associated data naming what the value is (entry,
// field, question), so a ciphertext copied to another row does not open.
// The second form lets data that arrives from the server while the store
// is locked (supervisor comments, alerts, error reasons) be stored
// encrypted without the data key; only an unlocked store can read it.
const (
	envKey byte = 1
	envBox byte = 2

	keySize   = chacha20poly1305.KeySize
	nonceSize = chacha20poly1305.NonceSizeX
	tagSize   = chacha20poly1305.Overhead
	saltSize  = 16
)

var errEnvelope = errors.New("devicestore: encrypted value is malformed or does not belong here")

// ad builds associated data from parts, each length-prefixed so that no two
// different lists of parts give the same bytes.
func ad(parts ...string) []byte {
	b := make([]byte, 0, 64)
	b = append(b, "safeguard/v1"...)
	for _, p := range parts {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	return b
}

// seal encrypts plaintext under aead with a random nonce.
func seal(aead cipher.AEAD, plaintext, assoc []byte) []byte {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+tagSize)
	out[0] = envKey
	if _, err := rand.Read(out[1 : 1+nonceSize]); err != nil {
		panic("devicestore: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return aead.Seal(out, out[1:1+nonceSize], plaintext, assoc)
}

// envelope is a parsed encrypted value.
type envelope struct {
	kind   byte
	ephPub []byte // envBox only
	nonce  []byte
	ct     []byte
}

// parseEnvelope splits an encrypted value into its parts without
// decrypting it. It never panics on any input.
func parseEnvelope(b []byte) (envelope, error) {
	if len(b) == 0 {
		return envelope{}, errEnvelope
	}
	switch b[0] {
	case envKey:
		if len(b) < 1+nonceSize+tagSize {
			return envelope{}, errEnvelope
		}
		return envelope{kind: envKey, nonce: b[1 : 1+nonceSize], ct: b[1+nonceSize:]}, nil
	case envBox:
		if len(b) < 1+32+nonceSize+tagSize {
			return envelope{}, errEnvelope
		}
		return envelope{kind: envBox, ephPub: b[1:33], nonce: b[33 : 33+nonceSize], ct: b[33+nonceSize:]}, nil
	}
	return envelope{}, errEnvelope
}

// open decrypts a value made by seal or sealTo.
func (k *keyring) open(b, assoc []byte) ([]byte, error) {
	env, err := parseEnvelope(b)
	if err != nil {
		return nil, err
	}
	switch env.kind {
	case envKey:
		pt, err := k.content.Open(nil, env.nonce, env.ct, assoc)
		if err != nil {
			return nil, errEnvelope
		}
		return pt, nil
	default:
		return openBox(k.priv, env, assoc)
	}
}

func openBox(priv *ecdh.PrivateKey, env envelope, assoc []byte) ([]byte, error) {
	eph, err := ecdh.X25519().NewPublicKey(env.ephPub)
	if err != nil {
		return nil, errEnvelope
	}
	shared, err := priv.ECDH(eph) // fails for low-order points
	if err != nil {
		return nil, errEnvelope
	}
	aead, err := boxAEAD(shared, eph, priv.PublicKey())
	if err != nil {
		return nil, errEnvelope
	}
	pt, err := aead.Open(nil, env.nonce, env.ct, assoc)
	if err != nil {
		return nil, errEnvelope
	}
	return pt, nil
}

// boxAEAD derives the sealing key from the X25519 shared secret, bound to
// both public keys.
func boxAEAD(shared []byte, eph, recipient *ecdh.PublicKey) (cipher.AEAD, error) {
	salt := append(append([]byte{}, eph.Bytes()...), recipient.Bytes()...)
	key, err := hkdf.Key(sha256.New, shared, salt, "safeguard/box/v1", keySize)
	if err != nil {
		return nil, err
	}
	return chacha20poly1305.NewX(key)
}

// sealTo encrypts plaintext to the device's public key: anyone may seal,
// only the unlocked store can open.
func sealTo(pub *ecdh.PublicKey, plaintext, assoc []byte) ([]byte, error) {
	if pub == nil {
		return nil, fmt.Errorf("%w: no officer has been enrolled on this device yet", ErrLocked)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, err
	}
	aead, err := boxAEAD(shared, eph.PublicKey(), pub)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+32+nonceSize, 1+32+nonceSize+len(plaintext)+tagSize)
	out[0] = envBox
	copy(out[1:33], eph.PublicKey().Bytes())
	if _, err := rand.Read(out[33 : 33+nonceSize]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[33:33+nonceSize], plaintext, assoc), nil
}

// keyring holds the unlocked keys. All are derived from the device data
// key (DEK) except the device's X25519 private key, which is stored
// encrypted under the content key.
type keyring struct {
	dek     []byte
	content cipher.AEAD // answers, fields, payloads, names
	attach  cipher.AEAD // attachment file chunks
	macKey  []byte      // names attachment files (HMAC of the plaintext digest)
	priv    *ecdh.PrivateKey
}

func newKeyring(dek []byte) (*keyring, error) {
	if len(dek) != keySize {
		return nil, fmt.Errorf("devicestore: data key has %d bytes, want %d", len(dek), keySize)
	}
	sub := func(info string) []byte {
		k, err := hkdf.Key(sha256.New, dek, nil, "safeguard/"+info+"/v1", keySize)
		if err != nil {
			panic(err) // only fails for impossible lengths
		}
		return k
	}
	content, err := chacha20poly1305.NewX(sub("content"))
	if err != nil {
		return nil, err
	}
	attach, err := chacha20poly1305.NewX(sub("attachment"))
	if err != nil {
		return nil, err
	}
	k := &keyring{dek: append([]byte(nil), dek...), content: content, attach: attach, macKey: sub("attachment-name")}
	return k, nil
}

// zero overwrites the key bytes the keyring holds. The AEADs keep their own
// copies of the expanded keys, which become garbage; Go gives no way to
// scrub those, so this is best effort.
func (k *keyring) zero() {
	clear(k.dek)
	clear(k.macKey)
	k.content, k.attach, k.priv = nil, nil, nil
}

// seal encrypts with the content key.
func (k *keyring) seal(plaintext, assoc []byte) []byte { return seal(k.content, plaintext, assoc) }

// attachmentID names an attachment by a keyed hash of its plaintext digest,
// so the files and rows on disk do not reveal the digest of a known photo.
func (k *keyring) attachmentID(sha string) string {
	m := hmac.New(sha256.New, k.macKey)
	m.Write([]byte(sha))
	return hex.EncodeToString(m.Sum(nil))
}

// pinKey derives the key-encryption key from a PIN.
func pinKey(pin string, salt []byte, p KDFParams) []byte {
	return argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, p.Threads, keySize)
}

func wrapAD(officerID string, p KDFParams) []byte {
	return ad("data-key", officerID, p.String())
}

// wrapKey encrypts the DEK with a PIN-derived key.
func wrapKey(dek []byte, officerID, pin string, salt []byte, p KDFParams) ([]byte, error) {
	kek := pinKey(pin, salt, p)
	defer clear(kek)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	return seal(aead, dek, wrapAD(officerID, p)), nil
}

// unwrapKey recovers the DEK; a wrong PIN fails authentication.
func unwrapKey(wrapped []byte, officerID, pin string, salt []byte, p KDFParams) ([]byte, error) {
	kek := pinKey(pin, salt, p)
	defer clear(kek)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	env, err := parseEnvelope(wrapped)
	if err != nil || env.kind != envKey {
		return nil, errEnvelope
	}
	dek, err := aead.Open(nil, env.nonce, env.ct, wrapAD(officerID, p))
	if err != nil {
		return nil, errEnvelope
	}
	return dek, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("devicestore: no randomness: " + err.Error())
	}
	return b
}
