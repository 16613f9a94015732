package central

import (
	"context"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Store is the storage every backend (central/sqlite, central/postgres)
// implements. The contract tests in central/storetest run against each.
type Store interface {
	// Update runs fn in a read-write transaction and commits when fn returns
	// nil. Update transactions are serialised, so the audit chain and the
	// change sequence grow in commit order.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Ping checks the database answers (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}

// Tx is what a transaction can do. Lookups of a missing row return an error
// whose code is ENOTFOUND (ErrNotFound).
type Tx interface {
	CreateTeam(ctx context.Context, t Team) error
	Team(ctx context.Context, id string) (Team, error)
	ListTeams(ctx context.Context) ([]Team, error)

	CreateUser(ctx context.Context, u User) error
	// UpdateUser changes name, password hash, disabled flag and teams.
	UpdateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)

	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash string) (Session, error)
	DeleteSession(ctx context.Context, hash string) error
	DeleteUserSessions(ctx context.Context, userID string) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	CreateEnrolmentCode(ctx context.Context, c EnrolmentCode) error
	EnrolmentCode(ctx context.Context, hash string) (EnrolmentCode, error)
	UseEnrolmentCode(ctx context.Context, hash, deviceID string, at time.Time) error

	CreateDevice(ctx context.Context, d Device) error
	DeviceByID(ctx context.Context, id string) (Device, error)
	DeviceByCredential(ctx context.Context, hash string) (Device, error)
	ListDevices(ctx context.Context) ([]Device, error)
	RevokeDevice(ctx context.Context, id string, at time.Time, reason string) error
	TouchDevice(ctx context.Context, id string, at time.Time) error

	Entry(ctx context.Context, id string) (Entry, error)
	// Entries returns the entries with the given ids that exist (one round
	// trip for a whole push batch).
	Entries(ctx context.Context, ids []string) (map[string]Entry, error)
	CreateEntry(ctx context.Context, e Entry) error
	UpdateEntry(ctx context.Context, e Entry) error
	Revision(ctx context.Context, entryID string, revision int) (Revision, error)
	// Revisions lists an entry's revisions, oldest first, without bodies.
	Revisions(ctx context.Context, entryID string) ([]Revision, error)
	CreateRevision(ctx context.Context, r Revision) error
	// NextCounter increments the named counter and returns its new value
	// (1 for a new counter).
	NextCounter(ctx context.Context, name string) (int64, error)
	// Queue lists entries awaiting review (status received) of one team and
	// namespace, by grade (most serious first) then deadline.
	Queue(ctx context.Context, f QueueFilter) ([]Entry, error)
	QueueStats(ctx context.Context, now time.Time) (QueueStats, error)

	Attachments(ctx context.Context, entryID string) ([]Attachment, error)
	Attachment(ctx context.Context, entryID, sha256 string) (Attachment, error)
	// CreateAttachment adds the attachment unless the entry already has one
	// with that digest.
	CreateAttachment(ctx context.Context, a Attachment) error
	// AppendChunk stores data at offset and moves the attachment's offset
	// on by len(data). The caller has checked offset is the stored one.
	AppendChunk(ctx context.Context, entryID, sha256 string, offset int64, data []byte) error
	// ReadChunks calls fn with the stored bytes in order.
	ReadChunks(ctx context.Context, entryID, sha256 string, fn func([]byte) error) error
	// CompleteAttachment marks it complete.
	CompleteAttachment(ctx context.Context, entryID, sha256 string) error
	// ResetAttachment discards the stored bytes (offset back to 0).
	ResetAttachment(ctx context.Context, entryID, sha256 string) error

	CreateDecision(ctx context.Context, d Decision) error
	Decisions(ctx context.Context, entryID string) ([]Decision, error)

	// AppendChange adds a change to the pull feed and returns its sequence.
	AppendChange(ctx context.Context, c Change) (int64, error)
	// Changes lists changes after seq addressed to the device (by id, its
	// team or everyone), in sequence order, at most limit.
	Changes(ctx context.Context, deviceID, team string, after int64, limit int) ([]Change, error)

	// AuditHead returns the last record's sequence and hash (0, "" when
	// empty).
	AuditHead(ctx context.Context) (int64, string, error)
	// AppendAudit stores the record (Seq, PrevHash and Hash already set) and
	// moves the head to it.
	AppendAudit(ctx context.Context, r AuditRecord) error
	// ScanAudit calls fn for every record in sequence order.
	ScanAudit(ctx context.Context, fn func(AuditRecord) error) error

	// ListEntries lists entries matching f, by first submission then id.
	ListEntries(ctx context.Context, f EntryFilter) ([]Entry, error)

	// CreateDelivery adds a referral to the outbox; a second delivery of
	// the same entry revision is refused.
	CreateDelivery(ctx context.Context, d Delivery) error
	// Delivery returns one delivery with its document.
	Delivery(ctx context.Context, id string) (Delivery, error)
	// LatestDelivery returns the delivery of the entry's highest approved
	// revision, with its document.
	LatestDelivery(ctx context.Context, entryID string) (Delivery, error)
	// ListDeliveries lists deliveries, most recently updated first,
	// without documents.
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
	// DueDeliveries returns up to limit pending deliveries due at now
	// (NextAttempt <= now), earliest first, with their documents.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// UpdateDelivery stores a delivery's state, attempts, next attempt,
	// last error and status, updated and delivered times.
	UpdateDelivery(ctx context.Context, d Delivery) error
	DeliveryStats(ctx context.Context) (DeliveryStats, error)

	// Setting returns a server setting (ENOTFOUND when unset).
	Setting(ctx context.Context, name string) (string, error)
	// InitSetting stores value unless the setting exists, and returns the
	// stored value.
	InitSetting(ctx context.Context, name, value string) (string, error)

	// MarkChecklist records a checklist version as announced; it reports
	// whether it was new.
	MarkChecklist(ctx context.Context, ref forms.Ref, hash string, at time.Time) (bool, error)

	PeopleTx
}

// PeopleTx is what a transaction can do with the person index's decisions
// that the central system keeps (alerts and possible matches); every
// Tx implements it.
type PeopleTx interface {
	// CreatePersonAlert stores an alert unless one of the same entry,
	// kind, person and related person exists; it reports whether it was
	// new.
	CreatePersonAlert(ctx context.Context, a PersonAlert) (bool, error)
	// PersonAlerts lists the alerts of the teams, newest first, at most
	// limit.
	PersonAlerts(ctx context.Context, teams []string, limit int) ([]PersonAlert, error)
	// CreatePossibleMatch stores a possible match unless the same record
	// and match are stored; it reports whether it was new.
	CreatePossibleMatch(ctx context.Context, m PossibleMatch) (bool, error)
	PossibleMatch(ctx context.Context, id string) (PossibleMatch, error)
	// PossibleMatches lists the teams' matches in the state ("" any),
	// oldest first, at most limit.
	PossibleMatches(ctx context.Context, teams []string, state string, limit int) ([]PossibleMatch, error)
	// DecidePossibleMatch stores a match's state, decider, time and merge.
	DecidePossibleMatch(ctx context.Context, m PossibleMatch) error

	// QueuePeople records a revision for the person index (in the
	// transaction that accepts it; the same revision again is ignored).
	QueuePeople(ctx context.Context, p PendingPeople) error
	// PendingPeople lists the revisions waiting for the person index
	// whose next attempt is due at now, oldest first, at most limit.
	PendingPeople(ctx context.Context, now time.Time, limit int) ([]PendingPeople, error)
	// RetryPeople counts a failed ingest of a queued revision and puts
	// its next attempt at next.
	RetryPeople(ctx context.Context, p PendingPeople, next time.Time) error
	// NextPeopleAt is the earliest time a queued revision is due (false:
	// the queue is empty).
	NextPeopleAt(ctx context.Context) (time.Time, bool, error)
	// DonePeople removes revisions from the person index's queue.
	DonePeople(ctx context.Context, ps []PendingPeople) error
}

// RevisionSealer is a store that can make a revision body's stored form
// (sealed at rest, bound to its entry and revision) outside any
// transaction, so that push seals its items on every core before it
// takes the write lock (package sqlstore's Store is one). What it returns
// goes in Revision.Stored.
type RevisionSealer interface {
	SealRevisionBody(entryID string, revision int, body []byte) (string, error)
}
