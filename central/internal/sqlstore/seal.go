package sqlstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/safeguard-uk/safeguard/central"
)

// Sealer encrypts child data at the store boundary (package central/seal's
// Keyring is one): revision bodies, attachment chunks, referral
// documents, decisions' reasons and comments, the pull feed's change bodies
// and the person index's alert texts are sealed as they are written and opened as they are read,
// each bound to its row, so neither the database files nor a dump holds
// them in the clear. Rows written before a sealer was set stay readable.
type Sealer = central.Sealer

// PutSetting overwrites a setting (the data keys' re-wrap).
func (t *Tx) PutSetting(ctx context.Context, name, value string) error {
	r, err := t.exec(ctx, `UPDATE settings SET value = ? WHERE name = ?`, value, name)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("setting %s: not found", name)
	}
	return nil
}

// SetSealer makes the store seal child data from now on (nil: write it in
// the clear). Set it before the store is used.
func (s *Store) SetSealer(x Sealer) { s.sealer = x }

// sealedText starts a sealed value kept in a TEXT column (base64).
const sealedText = "sg1:"

// sealedBlob starts a sealed value kept in a BLOB/BYTEA column.
var sealedBlob = []byte("sgb1")

func revisionAD(entryID string, revision int) []byte {
	return []byte("revision\x00" + entryID + "\x00" + strconv.Itoa(revision))
}

func chunkAD(entryID, sha string, off int64) []byte {
	return []byte("chunk\x00" + entryID + "\x00" + sha + "\x00" + strconv.FormatInt(off, 10))
}

func documentAD(deliveryID string) []byte { return []byte("delivery\x00" + deliveryID) }

// decisionAD binds a decision's sealed reason or comments (field) to the
// row's fixed columns (its id is only known after the insert).
func decisionAD(field, entryID string, revision int, kind string, at int64) []byte {
	return []byte("decision\x00" + field + "\x00" + entryID + "\x00" + strconv.Itoa(revision) + "\x00" + kind + "\x00" + strconv.FormatInt(at, 10))
}

// changeAD binds a pull-feed change's sealed body to its address, kind
// and time (its sequence is only known after the insert).
func changeAD(device, team, kind string, at int64) []byte {
	return []byte("change\x00" + device + "\x00" + team + "\x00" + kind + "\x00" + strconv.FormatInt(at, 10))
}

func alertAD(id string) []byte { return []byte("alert\x00" + id) }

// SealRevisionBody returns a revision body as CreateRevision stores it
// (central.RevisionSealer): sealed when the store seals, else as it is.
func (s *Store) SealRevisionBody(entryID string, revision int, body []byte) (string, error) {
	return s.sealText(body, revisionAD(entryID, revision))
}

// sealText seals pt for a TEXT column (as is with no sealer).
func (t *Tx) sealText(pt, ad []byte) (string, error) { return t.s.sealText(pt, ad) }

func (s *Store) sealText(pt, ad []byte) (string, error) {
	if s.sealer == nil {
		return string(pt), nil
	}
	ct, err := s.sealer.Seal(pt, ad)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	b := make([]byte, len(sealedText)+base64.StdEncoding.EncodedLen(len(ct)))
	copy(b, sealedText)
	base64.StdEncoding.Encode(b[len(sealedText):], ct)
	return string(b), nil
}

// openText opens what sealText wrote; a value written in the clear comes
// back as it is.
func (t *Tx) openText(v string, ad []byte) ([]byte, error) {
	if !strings.HasPrefix(v, sealedText) {
		return []byte(v), nil
	}
	if t.s.sealer == nil {
		return nil, errors.New("this value is sealed and no data key is loaded (give the key-encryption key)")
	}
	ct, err := base64.StdEncoding.DecodeString(v[len(sealedText):])
	if err != nil {
		return nil, fmt.Errorf("sealed value: %w", err)
	}
	return t.s.sealer.Open(ct, ad)
}

func (t *Tx) sealBlob(pt, ad []byte) ([]byte, error) {
	if t.s.sealer == nil {
		return pt, nil
	}
	ct, err := t.s.sealer.Seal(pt, ad)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return append(append([]byte{}, sealedBlob...), ct...), nil
}

// openBlob opens what sealBlob wrote. A chunk written in the clear before
// sealing began is returned as it is, unless it happens to start with the
// sealed marker (then it must open).
func (t *Tx) openBlob(v, ad []byte) ([]byte, error) {
	if !bytes.HasPrefix(v, sealedBlob) {
		return v, nil
	}
	if t.s.sealer == nil {
		return nil, errors.New("this attachment is sealed and no data key is loaded (give the key-encryption key)")
	}
	return t.s.sealer.Open(v[len(sealedBlob):], ad)
}
