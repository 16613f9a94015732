package people

import (
	"context"
	"errors"
	"iter"

	"github.com/google/uuid"
)

// Errors of the index; adapters wrap them, so test with errors.Is.
var (
	ErrNotFound       = errors.New("not found")
	ErrExists         = errors.New("already exists")
	ErrConflict       = errors.New("conflict with a later change")
	ErrInvalid        = errors.New("invalid")
	ErrUnknownRelType = errors.New("unknown relationship type")
)

// Index stores records and the people they make up. It is safe for
// concurrent use. Adapters: people/sqlite, people/postgres; one contract
// test suite (people/peopletest) runs against both.
type Index interface {
	// Add stores rec as the first record of a new person and returns the
	// person's id. ErrExists if the record id is stored already.
	Add(ctx context.Context, rec Record) (uuid.UUID, error)
	// Link stores rec as a record of the existing person (following
	// merges to the person it now belongs to). ErrNotFound for an unknown
	// person, ErrExists for a stored record id.
	Link(ctx context.Context, rec Record, person uuid.UUID) error
	// Update replaces a stored record's particulars, role and relatives
	// (an amended entry); the record stays with its person. ErrNotFound
	// if it is not stored.
	Update(ctx context.Context, rec Record) error
	// PersonOf returns the person a record belongs to now.
	PersonOf(ctx context.Context, record uuid.UUID) (uuid.UUID, error)
	// Person returns a person's profile, following merges (the returned
	// ID is then the surviving person's).
	Person(ctx context.Context, id uuid.UUID) (Person, error)
	// Records returns the records of a person (following merges), oldest
	// first.
	Records(ctx context.Context, person uuid.UUID) ([]Record, error)
	// Candidates returns the people with a record having any of the
	// probes' keys, ranked by the summed weight of the probes they hit
	// (best first, ties by age), at most limit of them; past the first
	// CandidateKeep, none whose summed weight is under 1/CandidateShare
	// of the best's.
	Candidates(ctx context.Context, probes []Probe, limit int) ([]Person, error)
	// KeyCounts returns about how many records the index holds and how
	// many carry each key (how common a name is).
	KeyCounts(ctx context.Context, keys []Key) (records int64, counts []int64, err error)

	// Relate stores a relationship between two stored records (the same
	// id again is ignored).
	Relate(ctx context.Context, r Relationship) error
	// Edges returns the relationships touching any of the people, as
	// links between people.
	Edges(ctx context.Context, persons []uuid.UUID) ([]Edge, error)
	// Relatives returns, for each of the people, the people related to
	// them as recorded in the related record (name and date of birth),
	// for matching.
	Relatives(ctx context.Context, persons []uuid.UUID) (map[uuid.UUID][]Relative, error)

	// SetEntry records (or updates) an entry's day and grade.
	SetEntry(ctx context.Context, e Entry) error
	// History returns the entries a person appears in, oldest first.
	History(ctx context.Context, person uuid.UUID) ([]Appearance, error)

	// Merge moves every record of person from into person into (a
	// supervisor confirming a possible match, or two duplicates found),
	// marks from as merged, and audits it. The returned event's MergeID
	// undoes it.
	Merge(ctx context.Context, into, from uuid.UUID, actor, reason string) (AuditEvent, error)
	// Unmerge undoes a merge exactly: the records it moved return to the
	// person they came from, which is live again. ErrConflict if the
	// surviving person has since been merged into another (undo that
	// first) or the merge is undone already.
	Unmerge(ctx context.Context, mergeID uuid.UUID, actor, reason string) (AuditEvent, error)
	// Audit returns the audited changes involving a person, oldest first.
	Audit(ctx context.Context, person uuid.UUID) ([]AuditEvent, error)

	Close() error
}

// BulkItem is one record to load, with the person it belongs to.
type BulkItem struct {
	Person uuid.UUID
	Record Record
}

// BulkLoader is implemented by indexes that load many records at once (a
// first import, a benchmark): batched multi-row inserts or COPY in one
// transaction. Items of one person must be adjacent; persons must be new.
type BulkLoader interface {
	BulkLoad(ctx context.Context, items iter.Seq[BulkItem], rels iter.Seq[Relationship]) (int, error)
}

// Transactor is implemented by indexes that can run several calls as one
// transaction (the SQL adapters): fn gets an Index whose every call runs
// in it; it commits when fn returns nil, and rolls back otherwise, so
// nothing fn stored stays. Calls on the given Index must not outlive fn.
type Transactor interface {
	InTx(ctx context.Context, fn func(Index) error) error
}
