package devicestore

import (
	"crypto/ecdh"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Officer is an officer allowed on this device.
type Officer struct {
	ID         string
	Name       string
	Enrolled   time.Time
	LastUnlock time.Time // zero if never
	KDF        KDFParams
}

// ValidatePIN checks a new PIN: at least MinPINLength digits, not all one
// digit, not a run up or down (123456, 987654).
func ValidatePIN(pin string) error {
	if len(pin) < MinPINLength {
		return ErrWeakPIN
	}
	same, up, down := true, true, true
	for i := 0; i < len(pin); i++ {
		c := pin[i]
		if c < '0' || c > '9' {
			return ErrWeakPIN
		}
		if i > 0 {
			p := pin[i-1]
			same = same && c == p
			up = up && c == (p-'0'+1)%10+'0'
			down = down && c == (p-'0'+9)%10+'0'
		}
	}
	if same || up || down {
		return ErrWeakPIN
	}
	return nil
}

// EnrolOfficer allows an officer on this device. The first officer creates
// the device's random data key and key pair, and the store is then
// unlocked for them. Every later officer needs the store unlocked (by an
// officer already enrolled, who hands the tablet over) so the data key can
// be wrapped for them too.
func (s *Store) EnrolOfficer(officerID, displayName, pin string) error {
	if officerID == "" || displayName == "" {
		return fmt.Errorf("enrol officer: %w: id and name are required", ErrInvalid)
	}
	if err := ValidatePIN(pin); err != nil {
		return fmt.Errorf("enrol officer %s: %w", officerID, err)
	}
	if len(pin) < s.opts.MinPIN {
		return fmt.Errorf("enrol officer %s: %w (this force requires at least %d digits)", officerID, ErrWeakPIN, s.opts.MinPIN)
	}
	return s.run(func() error {
		if s.wiped {
			return ErrWiped
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM officers`).Scan(&n); err != nil {
			return storageErr("enrol officer", err)
		}
		first := n == 0
		var kr *keyring
		var dek []byte
		if first {
			dek = randomBytes(keySize)
			var err error
			if kr, err = newKeyring(dek); err != nil {
				return err
			}
			priv, err := ecdh.X25519().GenerateKey(rand.Reader)
			if err != nil {
				return err
			}
			kr.priv = priv
		} else {
			var err error
			if kr, err = s.keysFor(true); err != nil {
				return fmt.Errorf("enrol officer %s: %w (an enrolled officer must unlock first)", officerID, err)
			}
			dek = kr.dek
		}
		bound, ksName, err := s.keyStoreFor(first)
		if err != nil {
			return fmt.Errorf("enrol officer %s: %w", officerID, err)
		}
		salt := randomBytes(saltSize)
		p := s.opts.KDF
		wrapped, err := wrapKey(dek, officerID, bound(pin), salt, p)
		if err != nil {
			return err
		}
		now := s.now()
		deviceID := s.deviceID
		if first && deviceID == "" {
			deviceID = uuid.NewString()
		}
		err = s.tx("enrol officer", func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO officers(id, name, salt, kdf_time, kdf_memory, kdf_threads, wrapped, enrolled) VALUES (?,?,?,?,?,?,?,?)`,
				officerID, displayName, salt, p.Time, p.MemoryKiB, p.Threads, wrapped, now)
			if err != nil {
				var exists int
				if tx.QueryRow(`SELECT 1 FROM officers WHERE id = ?`, officerID).Scan(&exists) == nil {
					return fmt.Errorf("enrol officer %s: %w", officerID, ErrOfficerExists)
				}
				return storageErr("enrol officer", err)
			}
			if first {
				if err := setMeta(tx, "device_id", []byte(deviceID)); err != nil {
					return storageErr("enrol officer", err)
				}
				if err := setMeta(tx, "public_key", kr.priv.PublicKey().Bytes()); err != nil {
					return storageErr("enrol officer", err)
				}
				if ksName != "" {
					if err := setMeta(tx, keyStoreMeta, []byte(ksName)); err != nil {
						return storageErr("enrol officer", err)
					}
				}
				sealed := kr.seal(kr.priv.Bytes(), ad("device-private-key", deviceID))
				if err := setMeta(tx, "private_key", sealed); err != nil {
					return storageErr("enrol officer", err)
				}
			}
			return s.audit(tx, s.actor(), "enrol", "", officerID)
		})
		if err != nil {
			if first {
				kr.zero()
			}
			return err
		}
		if first {
			s.deviceID = deviceID
			s.pub = kr.priv.PublicKey()
			s.setUnlocked(kr, officerID)
		}
		return nil
	})
}

// Officers lists the officers allowed on this device (readable while
// locked: the unlock screen shows them).
func (s *Store) Officers() ([]Officer, error) {
	return locked(s, func() ([]Officer, error) {
		rows, err := s.db.Query(`SELECT id, name, enrolled, last_unlock, kdf_time, kdf_memory, kdf_threads FROM officers ORDER BY name, id`)
		if err != nil {
			return nil, storageErr("list officers", err)
		}
		defer rows.Close()
		var out []Officer
		for rows.Next() {
			var o Officer
			var enrolled int64
			var last sql.NullInt64
			if err := rows.Scan(&o.ID, &o.Name, &enrolled, &last, &o.KDF.Time, &o.KDF.MemoryKiB, &o.KDF.Threads); err != nil {
				return nil, storageErr("list officers", err)
			}
			o.Enrolled, o.LastUnlock = fromMS(enrolled), nullTime(last)
			out = append(out, o)
		}
		return out, storageErr("list officers", rows.Err())
	})
}

// lockoutDelay is the wait after the n-th wrong PIN in a row: none up to
// FreeWrongPINs, then 30 s doubling, at most 15 minutes.
func (s *Store) lockoutDelay(n int) time.Duration {
	if n < s.opts.FreeWrongPINs {
		return 0
	}
	d := 30 * time.Second
	for i := s.opts.FreeWrongPINs; i < n && d < 15*time.Minute; i++ {
		d *= 2
	}
	return min(d, 15*time.Minute)
}

// Unlock opens the store for an officer. A wrong PIN returns a *PINError
// (ErrWrongPIN); while a delay after repeated wrong PINs runs it returns a
// *LockoutError (ErrLockedOut) without trying the PIN; the MaxWrongPINs-th
// wrong PIN in a row wipes the store and returns ErrWiped. The wrong-PIN
// count is kept in the file and is raised before the PIN is tried, so
// killing the app mid-try does not give a free guess.
func (s *Store) Unlock(officerID, pin string) error {
	return s.run(func() error {
		if s.wiped {
			return ErrWiped
		}
		var salt, wrapped []byte
		var p KDFParams
		err := s.db.QueryRow(`SELECT salt, wrapped, kdf_time, kdf_memory, kdf_threads FROM officers WHERE id = ?`, officerID).
			Scan(&salt, &wrapped, &p.Time, &p.MemoryKiB, &p.Threads)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unlock: officer %q is not enrolled on this device: %w", officerID, ErrNotFound)
		}
		if err != nil {
			return storageErr("unlock", err)
		}
		now := s.clock()
		until, err := getMetaInt(s.db, "locked_until")
		if err != nil {
			return storageErr("unlock", err)
		}
		if wait := time.UnixMilli(until).Sub(now); until > 0 && wait > 0 {
			return &LockoutError{RetryAfter: wait}
		}
		bound, _, err := s.keyStoreFor(false)
		if err != nil {
			return fmt.Errorf("unlock: %w", err) // not a wrong PIN: nothing is counted
		}
		// Count the try before making it.
		var wrong int
		err = s.tx("unlock", func(tx *sql.Tx) error {
			n, err := getMetaInt(tx, "wrong_pins")
			if err != nil {
				return storageErr("unlock", err)
			}
			wrong = int(n) + 1
			return storageErr("unlock", setMeta(tx, "wrong_pins", []byte(strconv.Itoa(wrong))))
		})
		if err != nil {
			return err
		}
		dek, uerr := unwrapKey(wrapped, officerID, bound(pin), salt, p)
		if uerr != nil {
			return s.wrongPIN(officerID, wrong, now)
		}
		defer clear(dek)
		kr, err := newKeyring(dek)
		if err != nil {
			return err
		}
		var sealedPriv []byte
		if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'private_key'`).Scan(&sealedPriv); err != nil {
			return storageErr("unlock", err)
		}
		privBytes, err := kr.open(sealedPriv, ad("device-private-key", s.deviceID))
		if err != nil {
			return fmt.Errorf("unlock: %w (device key does not open)", ErrCorrupt)
		}
		if kr.priv, err = ecdh.X25519().NewPrivateKey(privBytes); err != nil {
			return fmt.Errorf("unlock: %w (device key)", ErrCorrupt)
		}
		clear(privBytes)
		err = s.tx("unlock", func(tx *sql.Tx) error {
			if err := setMeta(tx, "wrong_pins", []byte("0")); err != nil {
				return storageErr("unlock", err)
			}
			if _, err := tx.Exec(`DELETE FROM meta WHERE key = 'locked_until'`); err != nil {
				return storageErr("unlock", err)
			}
			if _, err := tx.Exec(`UPDATE officers SET last_unlock = ? WHERE id = ?`, now.UnixMilli(), officerID); err != nil {
				return storageErr("unlock", err)
			}
			return s.audit(tx, officerID, "unlock", "", "")
		})
		if err != nil {
			kr.zero()
			return err
		}
		s.setUnlocked(kr, officerID)
		return nil
	})
}

func (s *Store) wrongPIN(officerID string, wrong int, now time.Time) error {
	remaining := s.opts.MaxWrongPINs - wrong
	if remaining <= 0 {
		s.opts.Logger.Warn("device store wiped after too many wrong PINs", "tries", wrong)
		if err := s.wipeLocked("too many wrong PINs"); err != nil {
			return err
		}
		return ErrWiped
	}
	delay := s.lockoutDelay(wrong)
	err := s.tx("unlock", func(tx *sql.Tx) error {
		if delay > 0 {
			v := strconv.FormatInt(now.Add(delay).UnixMilli(), 10)
			if err := setMeta(tx, "locked_until", []byte(v)); err != nil {
				return storageErr("unlock", err)
			}
		}
		return s.audit(tx, officerID, "unlock-failed", "", strconv.Itoa(wrong))
	})
	if err != nil {
		return err
	}
	return &PINError{Remaining: remaining, RetryAfter: delay}
}

func (s *Store) setUnlocked(kr *keyring, officerID string) {
	if s.keys != nil && s.keys != kr {
		s.keys.zero()
	}
	s.keys, s.officer, s.lastActive = kr, officerID, s.clock()
	s.opened = map[string]bool{}
}

// Lock forgets the keys. Content stays on disk, encrypted.
func (s *Store) Lock() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lockLocked()
}

func (s *Store) lockLocked() {
	if s.keys != nil {
		s.keys.zero()
	}
	s.keys, s.officer = nil, ""
	s.opened = map[string]bool{}
}

func (s *Store) checkIdleLocked() {
	if s.keys != nil && s.opts.IdleLock > 0 && s.clock().Sub(s.lastActive) >= s.opts.IdleLock {
		s.lockLocked()
	}
}

// Touch records officer activity (a tap), postponing the idle lock.
func (s *Store) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkIdleLocked()
	if s.keys != nil {
		s.lastActive = s.clock()
	}
}

// Locked reports whether the store is locked (including after idle time).
func (s *Store) Locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkIdleLocked()
	return s.keys == nil
}

// Officer returns the id of the officer who unlocked the store, "" when
// locked.
func (s *Store) Officer() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkIdleLocked()
	return s.officer
}

// Wiped reports whether the store has been wiped.
func (s *Store) Wiped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wiped
}

// Wipe destroys the store's keys and content so that nothing can be
// recovered, even with a PIN: key rows are deleted (overwritten with
// zeros by secure_delete), every content row is deleted, attachment files
// are removed, the WAL is checkpointed and truncated and the file is
// vacuumed. What stays: the entry ids, states and receipts, the audit trail
// and the wipe marker. Unsent entries are lost: this is the one deletion
// that does not wait for the server (a lost or revoked device).
func (s *Store) Wipe(reason string) error {
	return s.run(func() error {
		return s.wipeLocked(reason)
	})
}

func (s *Store) wipeLocked(reason string) error {
	s.lockLocked()
	err := s.tx("wipe", func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM officers`,
			`DELETE FROM meta WHERE key IN ('private_key', 'locked_until', 'wrong_pins')`,
			`DELETE FROM answers`, `DELETE FROM instances`, `DELETE FROM fields`,
			`DELETE FROM entry_attachments`, `DELETE FROM attachments`,
			`DELETE FROM comments`, `DELETE FROM alerts`, `DELETE FROM outbox`,
			`DELETE FROM payloads`, `UPDATE revisions SET note = NULL`,
			`UPDATE entries SET title = NULL`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return storageErr("wipe", err)
			}
		}
		if err := setMeta(tx, "wiped", []byte(strconv.FormatInt(s.now(), 10))); err != nil {
			return storageErr("wipe", err)
		}
		return s.audit(tx, "system", "wipe", "", reason)
	})
	if err != nil {
		return err
	}
	s.wiped = true
	files, _ := filepath.Glob(filepath.Join(s.attDir, "*"))
	for _, f := range files {
		os.Remove(f)
	}
	return s.compact("wipe")
}

// compact moves everything committed into the main file, empties the WAL
// and rebuilds the file, so deleted content is not left in free pages or
// old WAL frames.
func (s *Store) compact(op string) error {
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return storageErr(op, err)
	}
	if _, err := s.db.Exec(`VACUUM`); err != nil {
		return storageErr(op, err)
	}
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return storageErr(op, err)
	}
	return nil
}

// actor is who the audit trail names for the current operation.
func (s *Store) actor() string {
	if s.officer != "" {
		return s.officer
	}
	return "system"
}
