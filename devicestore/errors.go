package devicestore

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors. Callers test them with errors.Is; the errors returned
// carry more context (what was being done, which entry) in their text.
var (
	// ErrLocked: the operation needs the data key and no officer has
	// unlocked the store (or it locked itself after idle time).
	ErrLocked = errors.New("devicestore: the store is locked; an officer must unlock it with their PIN")
	// ErrWrongPIN: the PIN did not open the officer's key. The error is a
	// *PINError telling how many tries are left.
	ErrWrongPIN = errors.New("devicestore: wrong PIN")
	// ErrLockedOut: too many wrong PINs were given; the error is a
	// *LockoutError telling how long to wait.
	ErrLockedOut = errors.New("devicestore: too many wrong PINs, wait before trying again")
	// ErrWiped: the store's keys and content were destroyed (too many wrong
	// PINs, or the device was revoked). The device must be set up again.
	ErrWiped = errors.New("devicestore: the store has been wiped; this device must be set up again")
	// ErrNotFound: no such entry, instance, officer or attachment.
	ErrNotFound = errors.New("devicestore: not found")
	// ErrFrozen: the revision has been submitted and can no longer change.
	ErrFrozen = errors.New("devicestore: the entry has been submitted and can no longer be changed")
	// ErrPurged: the entry's content was removed from the device after the
	// server acknowledged it and a supervisor decided on it.
	ErrPurged = errors.New("devicestore: the entry's content has been removed from this device after review")
	// ErrNewerSchema: the file was written by a newer version of the app.
	ErrNewerSchema = errors.New("devicestore: the store was written by a newer version of the app; update the app")
	// ErrCorrupt: the file is damaged or is not a Safeguard device store.
	ErrCorrupt = errors.New("devicestore: the store file is damaged or is not a Safeguard device store")
	// ErrWeakPIN: the PIN is shorter than six digits, has other characters,
	// or is a simple pattern (all one digit, a run like 123456).
	ErrWeakPIN = errors.New("devicestore: the PIN must be at least 6 digits and not a simple pattern such as 111111 or 123456")
	// ErrOfficerExists: the officer is already enrolled on this device.
	ErrOfficerExists = errors.New("devicestore: the officer is already enrolled on this device")
	// ErrStorageFull: the device's storage (or the store's size limit) is
	// full. What was committed before is kept.
	ErrStorageFull = errors.New("devicestore: the device storage is full; what was already saved is kept")
	// ErrReadOnly: the storage refuses writes (read-only file, directory or
	// file system). What was committed before is kept.
	ErrReadOnly = errors.New("devicestore: the device storage is read-only; what was already saved is kept")
	// ErrIO: the storage failed to read or write (failing flash, file too
	// large for the file system, removed card).
	ErrIO = errors.New("devicestore: the device storage failed to read or write; what was already saved is kept")
	// ErrInUse: another process (a second copy of the app) holds the store.
	ErrInUse = errors.New("devicestore: the store is in use by another copy of the app")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("devicestore: the store is closed")
	// ErrInvalid: an argument is malformed (empty id, unsupported answer
	// value, relationship to an unknown person...).
	ErrInvalid = errors.New("devicestore: invalid request")
	// ErrAuditBroken: the local audit trail does not verify: a record was
	// changed, removed or inserted.
	ErrAuditBroken = errors.New("devicestore: the audit trail has been tampered with")
)

// PINError is returned by Unlock for a wrong PIN. It matches ErrWrongPIN.
type PINError struct {
	// Remaining is the number of wrong PINs still allowed before the store
	// wipes itself.
	Remaining int
	// RetryAfter is how long the next try must wait (zero while fewer than
	// five wrong PINs have been given).
	RetryAfter time.Duration
}

func (e *PINError) Error() string {
	s := fmt.Sprintf("devicestore: wrong PIN; %d more wrong PIN(s) will wipe this device", e.Remaining)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf("; try again in %s", e.RetryAfter.Round(time.Second))
	}
	return s
}

// Is makes errors.Is(err, ErrWrongPIN) true.
func (e *PINError) Is(target error) bool { return target == ErrWrongPIN }

// LockoutError is returned by Unlock while a delay after wrong PINs runs.
// It matches ErrLockedOut.
type LockoutError struct {
	RetryAfter time.Duration
}

func (e *LockoutError) Error() string {
	return fmt.Sprintf("devicestore: too many wrong PINs; try again in %s", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrLockedOut) true.
func (e *LockoutError) Is(target error) bool { return target == ErrLockedOut }

// storageErr wraps an error from SQLite or the file system with what was
// being done and, where it is recognised, one of the sentinel errors so
// the screen can say something plain ("storage full").
func storageErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if s := classify(err); s != nil {
		return fmt.Errorf("%s: %w (%w)", op, s, err)
	}
	return fmt.Errorf("devicestore: %s: %w", op, err)
}

func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return ErrStorageFull
		case sqlite3.SQLITE_READONLY:
			return ErrReadOnly
		case sqlite3.SQLITE_IOERR:
			return ErrIO
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return ErrCorrupt
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return ErrReadOnly
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return ErrInUse
		}
		return nil
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return ErrStorageFull
	case errors.Is(err, syscall.EFBIG):
		return ErrStorageFull
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return ErrReadOnly
	case errors.Is(err, syscall.EIO):
		return ErrIO
	}
	return nil
}
