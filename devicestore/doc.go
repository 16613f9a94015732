// Package devicestore is Safeguard's store on the officer's tablet: every
// answer on disk, encrypted, recoverable after a crash, and queued for
// sync. It is the only package that speaks SQL on the device.
//
// # Storage
//
// One SQLite file (modernc.org/sqlite, pure Go: builds with
// CGO_ENABLED=0) in WAL mode with synchronous=FULL and exclusive locking
// (one process, the app, holds the store; the WAL index is in memory, not
// a mapped -shm file), plus a folder of encrypted attachment files beside
// it (path+"-attachments"). Pragmas are set in the DSN so every pooled
// connection has them (see DSN and the comment on basePragmas). The schema
// is versioned by embedded migrations (migrations/NNNN_*.sql, recorded in
// PRAGMA user_version, marked as ours by PRAGMA application_id): Open
// upgrades an older file in one transaction per version, and refuses a
// newer file (ErrNewerSchema) or a damaged or foreign one (ErrCorrupt,
// after PRAGMA quick_check) with an error, never a crash.
//
// # Durability
//
// Every change (SetAnswer, AddInstance, SetGrading, PutAttachment...) is
// its own transaction and the call returns only after the commit is on
// disk, so the screen may show "saved" when the call returns (invariant
// 1). Submit freezes the revision (the entry document from
// forms.Entry.Encode, encrypted, with the hex SHA-256 of its plaintext)
// and puts it in the outbox in the same transaction. Nothing leaves the
// outbox except by an explicit acknowledgement from the server
// (Acknowledge); an item the server refuses for good, or whose stored copy
// is damaged, is set aside with a plain-language reason and never blocks
// the others. The tests kill a child process hundreds of times mid-write
// and check that no acknowledged answer is ever lost. The sync engine's
// own bookkeeping (NextBatch's lease, Acknowledge, AcknowledgeAndNext,
// Defer) is the exception: it is committed without waiting for the disk,
// since a power cut that rolls it back only makes the engine send a
// revision again, which the server answers as a duplicate with its
// receipt; the next officer's change makes it durable too.
//
// # Encryption
//
// A random 256-bit data key is made when the first officer enrols and is
// stored only wrapped, once per officer, under a key derived from the
// officer's PIN with argon2id (DefaultKDF: 3 passes, 64 MiB, 2 lanes;
// reasons beside it). Sub-keys derived with HKDF encrypt:
//   - answers, instance lists' answers, relationships, grading, titles,
//     frozen entry documents, attachment names and digests: each value a
//     XChaCha20-Poly1305 envelope whose associated data names the entry and
//     field (a ciphertext moved to another row does not open);
//   - attachment files: 64 KiB chunks, each sealed with its index and a
//     last-chunk flag (no reordering, truncation or swapping), named by an
//     HMAC of the content's SHA-256 so the file names do not reveal it.
//
// Texts that arrive from the server while the store is locked (supervisor
// comments and reasons, alerts, sync errors) are sealed to the device's
// X25519 public key; its private key is kept encrypted under the data key.
// So decisions, alerts and revocations are applied with no officer signed
// in, yet can only be read after an unlock.
//
// Readable without a PIN: ids, checklist ids and versions, states, times,
// grades and the immediate flag, hashes, receipts, question ids and group
// names, sizes, the officers' ids and display names (the unlock screen
// lists them) and the audit trail (who, what, when; never content). A
// planted child's name, date of birth and words are checked absent from
// the database, its WAL and the attachment files byte for byte.
//
// # Unlocking
//
// PINs are at least six digits and not a trivial pattern. After
// FreeWrongPINs (5) wrong PINs in a row each try waits 30 s, doubling up
// to 15 minutes; the MaxWrongPINs-th (10) wipes the vault. The count is
// kept in the file and raised before each try is made. The store locks
// itself after IdleLock (5 minutes) without officer activity (SetAnswer,
// Entry, Touch...; the sync engine's calls do not count), forgetting the
// keys. Options.Clock is injected so tests never sleep.
//
// # API
//
// The app uses Open, Close, Officers, EnrolOfficer, Unlock, Lock, Touch,
// Locked, Officer, NewEntry, SetAnswer, AddInstance, RemoveInstance,
// SetRelationships, AddRelationship, RemoveRelationship, SetGrading,
// SetTitle, PutAttachment, RemoveAttachment, OpenAttachment, Entry,
// EntryRevision, ListEntries, DiscardDraft, ImportDrafts (training
// scenarios), Submit, Review, Alerts, DismissAlert, SetAside and Requeue.
// The sync engine uses the Outbox, Uploads and Inbox interfaces
// (interfaces.go) and AuditHead. Purge, VerifyAudit and AuditTrail are
// for housekeeping; Wipe for a lost device. Errors wrap the sentinel
// errors of errors.go (ErrLocked, ErrWrongPIN, ErrLockedOut, ErrWiped,
// ErrNotFound, ErrFrozen, ErrPurged, ErrNewerSchema, ErrCorrupt,
// ErrStorageFull, ErrReadOnly, ErrIO...) with what was being done.
//
// Which calls need the store unlocked: everything that reads or writes
// content (ErrLocked otherwise), including NextBatch, PendingUploads and
// the upload calls, because they decrypt. Acknowledge, Defer,
// ApplyChanges, Cursor, Purge, AuditHead, AuditTrail, VerifyAudit and
// Officers work while locked. Only the officer's own calls postpone the
// idle lock; the sync engine's do not.
//
// # Not done here
//
// The data key is protected by the PIN only. A six-digit PIN is 10^6
// guesses: argon2id makes an offline attack on a copied file cost days,
// not years. The production app should also wrap the data key with a key
// held in the tablet's hardware keystore (Android Keystore, TPM), which
// makes a copied file useless off the device; that needs platform code
// (cgo or JNI) outside this pure-Go package. Go cannot reliably scrub key
// copies from memory; Lock clears what it holds. The audit trail is
// hash-chained but not keyed: it detects a changed or removed record, not
// a rewrite of the whole chain; the sync engine should send AuditHead to
// the server, which then anchors it.
package devicestore
