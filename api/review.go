package api

import (
	"encoding/json"
	"time"
)

// LoginRequest signs a supervisor, trainer or administrator in.
// POST /v1/login, no authentication.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse carries a session token, shown once; the server keeps only
// its hash. Send it as "Authorization: Bearer <Token>". It expires at
// Expires; POST /v1/logout ends it early.
type LoginResponse struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	User    User      `json:"user"`
}

// Roles.
const (
	RoleOfficer    = "officer"
	RoleSupervisor = "supervisor"
	RoleTrainer    = "trainer"
	RoleAdmin      = "admin"
)

// User is an account. Passwords never leave the server.
type User struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Teams    []string `json:"teams"`
	Disabled bool     `json:"disabled,omitempty"`
}

// QueueResponse lists entries awaiting review, most serious first, then by
// deadline. GET /v1/review/queue (live entries of the supervisor's teams)
// or GET /v1/training/queue (training entries, trainers only). With
// ?overdue=true only entries past their deadline are listed.
type QueueResponse struct {
	Items []QueueItem `json:"items"`
}

// QueueItem is one entry awaiting review. It carries no child data.
type QueueItem struct {
	EntryID  string    `json:"entryId"`
	Revision int       `json:"revision"`
	Receipt  string    `json:"receipt"`
	Grade    string    `json:"grade"`
	Officer  string    `json:"officer"`
	Team     string    `json:"team"`
	Received time.Time `json:"received"`
	Deadline time.Time `json:"deadline"`
	Overdue  bool      `json:"overdue"`
	// Complete is false while attachments are still being uploaded.
	Complete bool `json:"complete"`
	Training bool `json:"training,omitempty"`
}

// Entry review statuses.
const (
	EntryReceived = "received" // awaiting review (first submission, resubmission or amendment)
	EntryApproved = "approved" // the current revision is approved; it is never changed, only amended
	EntryReturned = "returned" // returned to the officer with reasons; awaits a new revision
)

// EntryView is one entry as a reviewer sees it. Opening an entry is audited.
// GET /v1/review/entries/{id}[?revision=N] (or /v1/training/entries/{id}).
type EntryView struct {
	EntryID  string `json:"entryId"`
	Training bool   `json:"training,omitempty"`
	Status   string `json:"status"`
	// Grade is the entry's current grade (the server's, or a reviewer's
	// change); Computed is the checklist rules' grade for the current
	// revision; DeviceGrade is what the device claimed.
	Grade          string             `json:"grade"`
	Computed       string             `json:"computed"`
	DeviceGrade    string             `json:"deviceGrade,omitempty"`
	GradeDisagrees bool               `json:"gradeDisagrees,omitempty"`
	Officer        string             `json:"officer"`
	Team           string             `json:"team"`
	Current        int                `json:"current"`
	Approved       int                `json:"approved,omitempty"`
	Received       time.Time          `json:"received"`
	Deadline       time.Time          `json:"deadline"`
	Overdue        bool               `json:"overdue"`
	Complete       bool               `json:"complete"`
	Revision       int                `json:"revision"` // the revision whose document is in Entry
	Receipt        string             `json:"receipt"`  // that revision's receipt
	Entry          json.RawMessage    `json:"entry"`
	Revisions      []RevisionInfo     `json:"revisions"`
	Decisions      []DecisionInfo     `json:"decisions"`
	Attachments    []AttachmentStatus `json:"attachments"`
	// Delivery is the state of the referral of the entry's latest approved
	// revision (live entries only; absent before the first approval).
	Delivery *Delivery `json:"delivery,omitempty"`
}

// RevisionInfo summarises one stored revision.
type RevisionInfo struct {
	Revision    int       `json:"revision"`
	Receipt     string    `json:"receipt"`
	ContentHash string    `json:"contentHash"`
	Received    time.Time `json:"received"`
	Grade       string    `json:"grade"`
	DeviceGrade string    `json:"deviceGrade,omitempty"`
	// Diff lists the answers that changed since the previous revision
	// (empty for the first).
	Diff []DiffItem `json:"diff"`
}

// DiffItem is one answer that changed between two revisions. Paths are
// forms.Item paths ("question", "group[instance].question"), plus
// "group[instance]" for a person added or removed, and
// "relationships"/"attachments"/"grading" for those parts.
type DiffItem struct {
	Path   string `json:"path"`
	Change string `json:"change"` // added, removed or changed
}

// DecisionInfo is one reviewer action on an entry.
type DecisionInfo struct {
	Kind     string    `json:"kind"` // approved, returned or grade
	Revision int       `json:"revision"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Grade    string    `json:"grade,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Comments []Comment `json:"comments,omitempty"`
}

// ApproveRequest approves a revision; it must be the current one.
// POST /v1/review/entries/{id}/approve.
type ApproveRequest struct {
	Revision int `json:"revision"`
}

// ReturnRequest returns a revision to the officer with reasons: at least one
// comment or a Text. POST /v1/review/entries/{id}/return.
type ReturnRequest struct {
	Revision int       `json:"revision"`
	Comments []Comment `json:"comments,omitempty"`
	Text     string    `json:"text,omitempty"`
}

// GradeRequest changes an entry's grade. Raising needs no reason; lowering
// needs one. POST /v1/review/entries/{id}/grade.
type GradeRequest struct {
	Grade  string `json:"grade"`
	Reason string `json:"reason,omitempty"`
}

// DecisionResponse is the entry's state after a reviewer action.
type DecisionResponse struct {
	EntryID  string    `json:"entryId"`
	Revision int       `json:"revision"`
	Status   string    `json:"status"`
	Grade    string    `json:"grade"`
	Deadline time.Time `json:"deadline"`
}

// TeamRequest creates a team. POST /v1/admin/teams, admin only.
type TeamRequest struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Team is a unit of officers and their supervisors.
type Team struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UserRequest creates an account. POST /v1/admin/users, admin only.
type UserRequest struct {
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Teams    []string `json:"teams,omitempty"`
	Password string   `json:"password"`
}

// EnrolmentCodeRequest issues a one-time device enrolment code for a team.
// POST /v1/admin/enrolment-codes, admin only.
type EnrolmentCodeRequest struct {
	Team string `json:"team"`
	// TTLSeconds is how long the code stays valid (0: the server default).
	TTLSeconds int64 `json:"ttlSeconds,omitempty"`
}

// EnrolmentCode is shown once; the server keeps only its hash.
type EnrolmentCode struct {
	Code    string    `json:"code"`
	Team    string    `json:"team"`
	Expires time.Time `json:"expires"`
}

// Device is an enrolled device as administrators see it.
type Device struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Team     string     `json:"team"`
	Enrolled time.Time  `json:"enrolled"`
	LastSeen *time.Time `json:"lastSeen,omitempty"`
	Revoked  *time.Time `json:"revoked,omitempty"`
	Reason   string     `json:"reason,omitempty"`
}

// DeviceList is GET /v1/admin/devices.
type DeviceList struct {
	Devices []Device `json:"devices"`
}

// RevokeRequest revokes a device: its next request is refused with
// device_revoked and Wipe. POST /v1/admin/devices/{id}/revoke.
type RevokeRequest struct {
	Reason string `json:"reason"`
}

// AuditReport is the result of verifying the audit chain.
// POST /v1/admin/audit/verify, admin only (also `central verify-audit`).
type AuditReport struct {
	OK       bool     `json:"ok"`
	Records  int64    `json:"records"`
	Head     string   `json:"head"`
	Problems []string `json:"problems,omitempty"`
}
