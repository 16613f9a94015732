package devicestore

import (
	"io"
	"time"
)

// The small interfaces the sync engine needs, as *Store satisfies them.
// The sync engine may declare its own (the design asks it to); these are
// here so the compiler checks that the store keeps providing them.

// Outbox pushes submitted revisions.
type Outbox interface {
	// NextBatch returns the next revisions to push, immediate risk first,
	// and leases them (ErrLocked while the store is locked).
	NextBatch(now time.Time, maxItems int, maxBytes int64) ([]OutboxItem, error)
	// Acknowledge records the server's answers in one transaction.
	Acknowledge(acks []Ack) error
	// Defer schedules another attempt after a failure.
	Defer(entryID string, revision int, problem string, next time.Time) error
}

// Uploads sends attachments, resumably.
type Uploads interface {
	PendingUploads(now time.Time, max int) ([]Upload, error)
	OpenUpload(sha string) (io.ReadSeekCloser, error)
	SetUploadOffset(sha string, offset int64) error
	MarkUploaded(sha string) error
	DeferUpload(sha, problem string, next time.Time) error
	RejectUpload(sha, reason string) error
}

// Inbox applies pulled changes.
type Inbox interface {
	Cursor() (string, error)
	ApplyChanges(cursor string, changes []Change) error
}

var (
	_ Outbox  = (*Store)(nil)
	_ Uploads = (*Store)(nil)
	_ Inbox   = (*Store)(nil)
)
