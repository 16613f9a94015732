// Package app holds Safeguard's Fyne screens for the officer at the scene:
// enrolment, sign-in and PIN unlock, the home screen with the entry lists
// and the sync bar, and the guided checklist (package app/checklistui).
//
// The screens talk to small interfaces (EntryStore, Syncer, Accounts),
// never to SQL or HTTP; main wires the device store, the sync engine and
// the central system's client to them. Background work comes back to the
// widgets only through fyne.Do.
package app

import (
	"context"
	"time"

	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// EntryStore is what the officer's screens need of the device store;
// *devicestore.Store satisfies it.
type EntryStore interface {
	checklistui.Saver
	// NewEntry starts a draft made by the officer who unlocked the store.
	NewEntry(checklist forms.Ref, training bool) (*forms.Entry, error)
	// Entry returns an entry's current revision.
	Entry(entryID string) (*forms.Entry, error)
	// ListEntries lists entries, most recently changed first.
	ListEntries(f devicestore.Filter) ([]devicestore.Summary, error)
	// Review returns the supervisor's decision and comments on a revision
	// (0: the latest decided one).
	Review(entryID string, revision int) (devicestore.Review, error)

	// Officers lists the officers allowed on this device (works locked).
	Officers() ([]devicestore.Officer, error)
	// EnrolOfficer allows an officer on this device with their PIN.
	EnrolOfficer(officerID, displayName, pin string) error
	// Unlock opens the store with an officer's PIN.
	Unlock(officerID, pin string) error
	// Lock forgets the keys.
	Lock()
	// Locked reports whether the store is locked (including after idle time).
	Locked() bool
	// Touch records officer activity, postponing the idle lock.
	Touch()
	// Officer is the id of the officer who unlocked the store.
	Officer() string
	// Wiped reports whether the store was wiped (too many wrong PINs, or
	// the device was revoked).
	Wiped() bool
	// Alerts lists messages from the central system (e.g. a child seen
	// again and again), newest first; DismissAlert marks one as read.
	Alerts(includeDismissed bool) ([]devicestore.Alert, error)
	DismissAlert(id string) error
}

var _ EntryStore = (*devicestore.Store)(nil)

// SyncStatus is what the sync bar shows. Its fields mirror the sync
// engine's status (sync/client.Status), so main's adapter is a copy.
type SyncStatus struct {
	// Online is true when the last request reached the central system.
	Online bool
	// Syncing is true while a sync round runs.
	Syncing bool
	// LastSuccess is when a round last finished without a problem (zero:
	// never).
	LastSuccess time.Time
	// NextAttempt is when the engine will try again on its own.
	NextAttempt time.Time
	// Problem is the latest problem in plain words ("" when all is well),
	// e.g. "No signal".
	Problem string
	// UpgradeRequired: the central system refuses this app's version.
	UpgradeRequired bool
	// Revoked: the central system revoked this device; the store is wiped.
	Revoked bool
	// WaitingEntries and WaitingPhotos count what is left to send, and
	// WaitingBytes its size (zero when the engine cannot tell).
	WaitingEntries int
	WaitingPhotos  int
	WaitingBytes   int64
}

// Syncer is what the screens need of the sync engine.
type Syncer interface {
	// Status returns the current state; it must be cheap and never block
	// on the network (the home screen polls it).
	Status() SyncStatus
	// SyncNow pushes, uploads and pulls once, now; it returns when done or
	// when ctx ends. The screens call it off the UI goroutine.
	SyncNow(ctx context.Context) error
}

// Identity is who signed in online.
type Identity struct {
	OfficerID string
	Name      string
}

// Accounts is what the screens need of the central system before the
// officer can work offline: enrolling the device and the first sign-in.
type Accounts interface {
	// DeviceEnrolled reports whether this device holds a credential from
	// the central system.
	DeviceEnrolled() bool
	// EnrolDevice exchanges a one-time enrolment code for the device's
	// credential.
	EnrolDevice(ctx context.Context, code string) error
	// Login checks an officer's user name and password with the central
	// system (online) and returns who they are.
	Login(ctx context.Context, username, password string) (Identity, error)
}
