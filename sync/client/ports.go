package client

import (
	"io"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

// Item is one frozen revision waiting in the device's outbox.
type Item struct {
	EntryID  string
	Revision int
	// Hash is the hex SHA-256 of Payload, the entry document.
	Hash    string
	Payload []byte
	// Grade is the device's grade ("standard" … "immediate").
	Grade     string
	Immediate bool
}

// Outcome is the server's answer for one revision.
type Outcome string

// Outcomes.
const (
	Accepted  Outcome = "accepted"
	Duplicate Outcome = "duplicate"
	Conflict  Outcome = "conflict"
	Rejected  Outcome = "rejected"
)

// Result settles one pushed revision.
type Result struct {
	EntryID  string
	Revision int
	Outcome  Outcome
	Receipt  string
	// Reason is in plain words, for the officer.
	Reason string
	// Permanent is set for rejections that retrying cannot cure.
	Permanent bool
}

// Outbox is what the engine needs of the device's queue of frozen
// revisions.
type Outbox interface {
	// NextBatch returns up to maxItems revisions (and about maxBytes of
	// payload), most urgent first, whose next attempt time has come.
	NextBatch(now time.Time, maxItems int, maxBytes int64) ([]Item, error)
	// Acknowledge records the server's answers in one transaction.
	Acknowledge(results []Result) error
	// Defer puts a revision back with the problem in plain words and the
	// time of the next attempt.
	Defer(entryID string, revision int, problem string, next time.Time) error
}

// AckingOutbox is an Outbox that can record answers and hand out the
// next batch in one transaction (one commit instead of two); the engine
// uses it when the Outbox has it. An ErrNotNow from it means the answers
// were recorded but no batch can be handed out now.
type AckingOutbox interface {
	Outbox
	AcknowledgeAndNext(results []Result, now time.Time, maxItems int, maxBytes int64) ([]Item, error)
}

// Upload is a photo waiting to reach the server.
type Upload struct {
	SHA256    string
	Size      int64
	MediaType string
	// Offset is how much the server is known to hold.
	Offset int64
	// EntryIDs are the accepted entries that list the photo.
	EntryIDs []string
}

// Uploads is what the engine needs of the device's attachment queue.
type Uploads interface {
	PendingUploads(now time.Time, max int) ([]Upload, error)
	OpenUpload(sha string) (io.ReadSeekCloser, error)
	SetUploadOffset(sha string, offset int64) error
	MarkUploaded(sha string) error
	DeferUpload(sha, problem string, next time.Time) error
	// RejectUpload gives up on a photo the server refuses for good (over
	// its size limit), with the reason in plain words.
	RejectUpload(sha, reason string) error
}

// Inbox is what the engine needs to apply what it pulls.
type Inbox interface {
	// Cursor is the server cursor of the last applied changes ("" at first).
	Cursor() (string, error)
	// ApplyChanges applies changes and stores the new cursor in one
	// transaction.
	ApplyChanges(cursor string, changes []api.Change) error
	// Revoked is called when the server refuses the device as revoked and
	// says to wipe it.
	Revoked(reason string) error
}
