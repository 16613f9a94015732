package central

import (
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Role is what an account may do.
type Role string

// Roles. Officers make entries (through an enrolled device); supervisors
// review live entries of their own teams; trainers review training entries
// of their own teams; administrators manage accounts, teams and devices and
// never see entries.
const (
	RoleOfficer    Role = api.RoleOfficer
	RoleSupervisor Role = api.RoleSupervisor
	RoleTrainer    Role = api.RoleTrainer
	RoleAdmin      Role = api.RoleAdmin
)

// Roles lists every role.
var Roles = []Role{RoleOfficer, RoleSupervisor, RoleTrainer, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Team is a unit of officers and the supervisors who review their entries.
type Team struct {
	ID      string
	Name    string
	Created time.Time
}

// User is an account. PasswordHash is an argon2id hash in the PHC string
// format.
type User struct {
	ID           string
	Username     string
	Name         string
	Role         Role
	Teams        []string
	PasswordHash string
	Disabled     bool
	Created      time.Time
}

// InTeam reports whether the user belongs to team.
func (u *User) InTeam(team string) bool {
	for _, t := range u.Teams {
		if t == team {
			return true
		}
	}
	return false
}

// Session is a signed-in human. Only the SHA-256 of its token is stored.
type Session struct {
	TokenHash string
	UserID    string
	Created   time.Time
	Expires   time.Time
}

// EnrolmentCode is a one-time code that enrols one device into a team. Only
// its SHA-256 is stored.
type EnrolmentCode struct {
	CodeHash  string
	Team      string
	CreatedBy string
	Created   time.Time
	Expires   time.Time
	Used      *time.Time
	DeviceID  string
}

// Device is an enrolled tablet. Only the SHA-256 of its credential is stored.
type Device struct {
	ID             string
	Name           string
	Team           string
	CredentialHash string
	Enrolled       time.Time
	LastSeen       *time.Time
	Revoked        *time.Time
	RevokedReason  string
}

// Entry is the server's record of one entry across its revisions: the
// review state. The documents are in Revision.
type Entry struct {
	ID        string
	Training  bool
	Officer   string
	Team      string
	Device    string // the device that sent the current revision
	Checklist forms.Ref
	// Revision is the current (latest received) revision, and Receipt its
	// receipt.
	Revision int
	Receipt  string
	Status   string // api.EntryReceived, EntryApproved or EntryReturned
	// Grade is the entry's grade now: the server's grade of the current
	// revision, or a reviewer's change (ReviewGrade) where that is higher,
	// or lower with a reason.
	Grade         forms.Level
	ReviewGrade   forms.Level
	Received      time.Time // when the current revision arrived
	FirstReceived time.Time
	Deadline      time.Time
	Approved      int // the last approved revision (0: none)
	// Missing counts the attachments of the current revision that are not
	// yet complete (refused ones included).
	Missing int
	Updated time.Time
}

// Revision is one stored revision of an entry: the document exactly as
// accepted (canonical encoding) and what the server made of it.
type Revision struct {
	EntryID     string
	Revision    int
	ContentHash string
	Body        []byte
	Receipt     string
	Device      string
	Officer     string
	Received    time.Time
	Grade       forms.Level // the server's grade (forms.Result.Grade)
	Computed    forms.Level // the rules' grade (forms.Result.Computed)
	DeviceGrade string      // what the device claimed, verbatim
	Disagrees   bool        // DeviceGrade differs from Grade
	Immediate   bool
	Diff        []api.DiffItem
	// Stored, when set, is Body as the store writes it (sealed), made
	// before the transaction by the store's RevisionSealer for this
	// revision's entry, number and Body; "" lets the store make it.
	Stored string
}

// Attachment is one file an entry lists, and how much of it has arrived.
type Attachment struct {
	EntryID   string
	SHA256    string
	Size      int64
	MediaType string
	Offset    int64
	Complete  bool
	Refused   bool // declared size over the limit
}

// Decision kinds.
const (
	DecisionApproved = string(api.DecisionApproved)
	DecisionReturned = string(api.DecisionReturned)
	DecisionGrade    = "grade"
)

// Decision is one reviewer action.
type Decision struct {
	ID       int64
	EntryID  string
	Revision int
	Kind     string
	By       string
	At       time.Time
	Grade    forms.Level
	Reason   string
	Comments []api.Comment
	// Deadline is the entry's review deadline when the decision was made
	// (zero when not recorded), so a late review stays late in reports.
	Deadline time.Time
}

// Change is one item of the pull feed. Device and Team address it: a change
// with a Device goes to that device only; otherwise one with a Team goes to
// every device of that team; one with neither goes to every device.
type Change struct {
	Seq    int64
	Device string
	Team   string
	// Body is the change as the device will see it (Seq is filled in from
	// the stored sequence).
	Body api.Change
}

// AuditRecord is one link of the audit chain. Detail is a small JSON object
// that never holds child data. Hash is the SHA-256 over PrevHash and the
// record's fields (see AuditHash).
type AuditRecord struct {
	Seq      int64
	At       time.Time
	Actor    string
	Action   string
	EntryID  string
	Revision int
	Detail   string
	PrevHash string
	Hash     string
}

// QueueFilter selects entries awaiting review.
type QueueFilter struct {
	Training bool
	Team     string
	// OverdueAt, when set, keeps only entries whose deadline is before it.
	OverdueAt time.Time
	Limit     int
}

// EntryFilter selects entries for exports and reports, in order of first
// submission (then id).
type EntryFilter struct {
	Training bool
	// Teams keeps entries of these teams; nil means every team (an empty,
	// non-nil list matches nothing).
	Teams []string
	// From and To bound the first submission: From <= first received < To.
	// Zero means unbounded.
	From, To time.Time
	// Grade keeps entries of this grade; LevelNone means any.
	Grade forms.Level
	// AfterReceived and AfterID continue a listing after the entry with
	// that first-received time and id (keyset paging); zero starts at the
	// beginning.
	AfterReceived time.Time
	AfterID       string
	Limit         int
}

// Delivery states.
const (
	DeliveryPending   = api.DeliveryPending
	DeliveryDelivered = api.DeliveryDelivered
	DeliveryDead      = api.DeliveryDead
)

// Delivery is one referral in the outbox: the document built when a live
// revision was approved, and its delivery to the partner agency. ID is the
// idempotency key the partner sees: retries of one delivery carry the same
// ID and the same bytes.
type Delivery struct {
	ID       string
	EntryID  string
	Revision int
	Receipt  string
	Team     string
	// Document is the referral JSON (referral.Document.JSON), exactly as
	// built at approval. Lists leave it out.
	Document []byte
	State    string
	// Attempts counts the attempts started (a claim is an attempt).
	Attempts int
	// NextAttempt is when a pending delivery is next due (while an attempt
	// runs: when it may be claimed again if the deliverer died).
	NextAttempt time.Time
	// LastError says why the last attempt failed (a dead delivery: why it
	// was given up); LastStatus is the partner's HTTP status (0: none).
	LastError  string
	LastStatus int
	Created    time.Time
	Updated    time.Time
	Delivered  *time.Time
}

// DeliveryFilter selects deliveries to list, newest first.
type DeliveryFilter struct {
	State   string // "" for every state
	EntryID string // "" for every entry
	Limit   int
}

// DeliveryStats counts the outbox (for metrics). Delivered deliveries are
// not counted: they grow without end, and a scrape must stay cheap (the
// deliverer's attempt counter gives the rate).
type DeliveryStats struct {
	Pending int64
	Dead    int64
	// OldestPending is when the oldest pending delivery was queued (zero
	// when none is pending).
	OldestPending time.Time
}

// QueueStats counts entries awaiting review (for metrics).
type QueueStats struct {
	Depth         int64
	Overdue       int64
	TrainingDepth int64
}
