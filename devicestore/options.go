package devicestore

import (
	"fmt"
	"log/slog"
	"time"
)

// KDFParams are the argon2id parameters that turn an officer's PIN into the
// key that wraps the device's data key. They are stored with each officer's
// wrapped key, so changing the defaults later does not lock anyone out.
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8  // lanes
}

func (p KDFParams) String() string {
	return fmt.Sprintf("argon2id t=%d m=%dKiB p=%d", p.Time, p.MemoryKiB, p.Threads)
}

// DefaultKDF is the production argon2id setting: 3 passes over 64 MiB with 2
// lanes. This is the second recommended setting of RFC 9106 (section 4)
// with the lanes cut to the two cores of a police tablet. On the
// development machine it takes 0.1-0.3 s (see cmd/storebench); a mid-range
// Android tablet is 3-5 times slower, so an unlock costs the officer well
// under a second and an attacker with a copy of the file about the same per
// guess on one core, while 64 MiB per guess keeps GPUs from running many
// guesses in parallel. A six-digit PIN has only 10^6 values, so the KDF
// alone cannot stop a determined offline attack on a stolen file: it buys
// days, not years. The wrong-PIN wipe protects the running app; binding the
// key to the tablet's hardware keystore is the real fix (see doc.go).
var DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// minKDF is the floor below which Open refuses KDF parameters unless
// Options.InsecureKDF is set (tests use fast parameters).
var minKDF = KDFParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

// Defaults for Options fields left zero.
const (
	// DefaultIdleLock locks the store after five minutes without officer
	// activity (the requirement; matches common mobile device
	// management policies for devices holding personal data).
	DefaultIdleLock = 5 * time.Minute
	// DefaultMaxWrongPINs wipes the vault at the tenth wrong PIN in a row.
	DefaultMaxWrongPINs = 10
	// DefaultFreeWrongPINs is how many wrong PINs are allowed before each
	// further try must wait (30 s, doubling, at most 15 minutes).
	DefaultFreeWrongPINs = 5
	// DefaultRetention keeps an entry's content for 7 days after the server
	// acknowledged it and a supervisor decided on it, so the officer can
	// still look at what was approved during the rest of the shift pattern.
	DefaultRetention = 7 * 24 * time.Hour
	// DefaultSendLease is how long an item handed out by NextBatch is held
	// back from the next batch while the sync engine sends it.
	DefaultSendLease = 2 * time.Minute
	// MinPINLength is the shortest PIN accepted.
	MinPINLength = 6
)

// Options configure a Store. The zero value is valid: defaults are used.
type Options struct {
	// Clock returns the current time; tests inject a fake. Defaults to
	// time.Now.
	Clock func() time.Time
	// IdleLock is how long the store stays unlocked without officer
	// activity. Defaults to DefaultIdleLock; a negative value disables
	// idle locking (tests only).
	IdleLock time.Duration
	// MaxWrongPINs is the number of wrong PINs in a row that wipes the
	// vault. Defaults to DefaultMaxWrongPINs.
	MaxWrongPINs int
	// FreeWrongPINs is the number of wrong PINs allowed before a growing
	// delay applies. Defaults to DefaultFreeWrongPINs.
	FreeWrongPINs int
	// KDF is the argon2id setting for newly enrolled officers. Defaults to
	// DefaultKDF.
	KDF KDFParams
	// InsecureKDF allows KDF parameters below the floor of 2 passes over
	// 19 MiB (tests only).
	InsecureKDF bool
	// Retention is how long content is kept after acknowledgement and
	// decision. Defaults to DefaultRetention.
	Retention time.Duration
	// SendLease: see DefaultSendLease.
	SendLease time.Duration
	// MaxSizeBytes caps the database file (through SQLite's max_page_count),
	// so the store reports ErrStorageFull before it fills the tablet. Zero
	// means no cap.
	MaxSizeBytes int64
	// Logger receives operational messages (never PINs or content).
	// Defaults to slog.Default().
	Logger *slog.Logger
	// KeyStore, when set, binds the vault to the operating system's key
	// store (see keystore.go and devicestore/oskeystore): a random secret
	// kept there is mixed into every officer's PIN key, so a copy of the
	// database file cannot be guessed at off the device. When it fails at
	// the first enrolment the vault is made unbound (PIN only).
	KeyStore KeyStore
	// MinPIN is the shortest passcode accepted for newly enrolled officers
	// (MinPINLength when smaller): a force that requires longer passcodes
	// sets, say, 10.
	MinPIN int
}

func (o Options) withDefaults() (Options, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.IdleLock == 0 {
		o.IdleLock = DefaultIdleLock
	}
	if o.MaxWrongPINs == 0 {
		o.MaxWrongPINs = DefaultMaxWrongPINs
	}
	if o.FreeWrongPINs == 0 {
		o.FreeWrongPINs = DefaultFreeWrongPINs
	}
	if o.FreeWrongPINs > o.MaxWrongPINs {
		o.FreeWrongPINs = o.MaxWrongPINs
	}
	if o.KDF == (KDFParams{}) {
		o.KDF = DefaultKDF
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.SendLease == 0 {
		o.SendLease = DefaultSendLease
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxWrongPINs < 1 {
		return o, fmt.Errorf("%w: MaxWrongPINs must be at least 1", ErrInvalid)
	}
	if o.KDF.Time < 1 || o.KDF.Threads < 1 || o.KDF.MemoryKiB < 8*uint32(o.KDF.Threads) {
		return o, fmt.Errorf("%w: KDF parameters %s are not valid for argon2id", ErrInvalid, o.KDF)
	}
	if !o.InsecureKDF && (o.KDF.Time < minKDF.Time || o.KDF.MemoryKiB < minKDF.MemoryKiB) {
		return o, fmt.Errorf("%w: KDF parameters %s are below the floor %s (set InsecureKDF in tests)", ErrInvalid, o.KDF, minKDF)
	}
	return o, nil
}
