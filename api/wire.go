// Package api holds the types that cross the network between a Safeguard
// device and the central referral system, and between the supervisor's app
// and the central system. Both ends import this package, so a field is
// named and documented once.
//
// The protocol is versioned: every request from a device carries the header
// Safeguard-Wire-Version (HeaderVersion) with the device's Version. A server
// that no longer speaks that version answers 426 Upgrade Required with the
// error code CodeUpgradeRequired; every response carries the server's own
// version in the same header. All bodies are JSON (MediaTypeJSON) except
// attachment chunks (MediaTypeChunk). Every error is an Error.
//
// The routes are described by api/openapi.yaml in the repository; the
// server's tests check real responses against that document.
package api

import (
	"encoding/json"
	"time"
)

// Version is the wire protocol version this package describes.
const Version = 1

// MinVersion is the oldest device protocol version the server still accepts.
// A device sending an older version gets 426 and CodeUpgradeRequired.
const MinVersion = 1

// Header names.
const (
	// HeaderVersion carries the sender's wire Version on every request and
	// response. Mandatory on device routes; optional on human routes (if
	// present, it is checked the same way).
	HeaderVersion = "Safeguard-Wire-Version"
	// HeaderOffset carries an attachment's stored offset (in responses) and
	// the offset a chunk starts at (in an append request).
	HeaderOffset = "Upload-Offset"
	// HeaderLength carries an attachment's declared total size in bytes.
	HeaderLength = "Upload-Length"
)

// Media types.
const (
	MediaTypeJSON = "application/json"
	// MediaTypeChunk is the content type of an attachment append (the body
	// is the raw bytes that follow the stored offset).
	MediaTypeChunk = "application/offset+octet-stream"
)

// Error is the body of every 4xx and 5xx response.
type Error struct {
	// Code is a stable, machine-readable code (see the Code constants).
	Code string `json:"code"`
	// Message is a plain-language explanation for logs and screens. It never
	// contains child data, passwords or tokens.
	Message string `json:"message"`
	// Wipe is set when the device's credential has been revoked: the device
	// must delete every entry, draft and key it holds and forget its
	// credential. It is only ever sent to an authenticated-but-revoked device.
	Wipe bool `json:"wipe,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes. The HTTP status is given for each; a client should act on the
// code, not the status.
const (
	CodeInvalid              = "invalid"                // 400: the request is malformed or fails validation
	CodeMalformed            = "malformed"              // 400: the body is not the JSON this route expects
	CodeUnauthorized         = "unauthorized"           // 401: no credential, or an unknown or expired one
	CodeDeviceRevoked        = "device_revoked"         // 401: the device was revoked; Wipe is set
	CodeForbidden            = "forbidden"              // 403: authenticated, but not allowed to do this
	CodeOwnEntry             = "own_entry"              // 403: nobody reviews their own entry
	CodeNotFound             = "not_found"              // 404: no such resource (or not visible to the caller)
	CodeMethodNotAllowed     = "method_not_allowed"     // 405
	CodeConflict             = "conflict"               // 409: the state changed (e.g. a newer revision arrived)
	CodeOffsetMismatch       = "offset_mismatch"        // 409: an append did not start at the stored offset
	CodeTooLarge             = "too_large"              // 413: body, batch or attachment over the limit
	CodeUnsupportedMediaType = "unsupported_media_type" // 415: wrong Content-Type or Content-Encoding
	CodeChecksumMismatch     = "checksum_mismatch"      // 422: a completed attachment's SHA-256 differs; its data was discarded
	CodeUpgradeRequired      = "upgrade_required"       // 426: the device's wire version is too old
	CodeRateLimited          = "rate_limited"           // 429
	CodeInternal             = "internal"               // 500: a server fault; retry later
	CodeUnavailable          = "unavailable"            // 503: shutting down or the database is unreachable; retry later
)

// EnrolRequest exchanges a one-time enrolment code for a device credential.
// POST /v1/enrol, no authentication.
type EnrolRequest struct {
	// Code is the one-time code an administrator issued (case and dashes
	// are ignored).
	Code string `json:"code"`
	// DeviceName is a label for administrators ("Tablet 7, Team A").
	DeviceName string `json:"deviceName"`
}

// EnrolResponse is the device's identity. The credential is shown once: the
// server keeps only its hash.
type EnrolResponse struct {
	DeviceID string `json:"deviceId"`
	// Credential is sent as "Authorization: Bearer <Credential>" on every
	// device request. Keep it in the device's encrypted store.
	Credential string `json:"credential"`
	// Team is the id of the team the device belongs to: only officers of
	// that team may push entries through it.
	Team string `json:"team"`
}

// SignInRequest checks an officer's username and password through an
// enrolled device, so the device learns the officer's id while online.
// POST /v1/device/signin, device authentication.
type SignInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// SignInResponse names the officer. Officer goes in Entry.Officer.
type SignInResponse struct {
	Officer string `json:"officer"`
	Name    string `json:"name"`
	Team    string `json:"team"`
}

// PushRequest is a batch of entry revisions sent by one device.
// POST /v1/push, device authentication, Content-Type application/json,
// optionally Content-Encoding gzip. Items are handled in order and each has
// its own result: one bad item never fails the others.
type PushRequest struct {
	// DeviceID must be the id the credential was issued to.
	DeviceID string     `json:"deviceId"`
	Items    []PushItem `json:"items"`
}

// PushItem is one revision of one entry.
type PushItem struct {
	// EntryID and Revision must equal the entry document's own id and
	// revision.
	EntryID  string `json:"entryId"`
	Revision int    `json:"revision"`
	// ContentHash is the hex SHA-256 of the entry's canonical encoding
	// (forms.ContentHash). The server recomputes it; a mismatch rejects the
	// item as corrupt.
	ContentHash string `json:"contentHash"`
	// DeviceGrade is the grade the device computed ("standard", "medium",
	// "high", "immediate", or "" if none). The server's own grade is
	// authoritative; a disagreement is recorded for review.
	DeviceGrade string `json:"deviceGrade,omitempty"`
	// Entry is the entry document (forms.Entry as JSON).
	Entry json.RawMessage `json:"entry"`
}

// Status is the outcome of one pushed item.
type Status string

// Push outcomes.
const (
	// StatusAccepted: stored; Receipt is new. The device may mark the
	// revision as delivered.
	StatusAccepted Status = "accepted"
	// StatusDuplicate: the same id, revision and content hash was stored
	// before; Receipt is the original one. Treat as accepted.
	StatusDuplicate Status = "duplicate"
	// StatusConflict: the same id and revision was stored with different
	// content. Nothing was stored; the device must keep its copy and show
	// the officer (it is never silently overwritten).
	StatusConflict Status = "conflict"
	// StatusRejected: nothing was stored; Reasons say why. When Permanent is
	// true, sending it again unchanged will fail again: set it aside and tell
	// the officer. When false (for example a checklist version the server
	// does not know yet), retry later.
	StatusRejected Status = "rejected"
)

// PushResponse has one result per item, in the request's order.
type PushResponse struct {
	Results []PushResult `json:"results"`
}

// PushResult is the outcome of one item.
type PushResult struct {
	EntryID  string `json:"entryId"`
	Revision int    `json:"revision"`
	Status   Status `json:"status"`
	// Receipt is the reference the officer can quote (SG-2026-000123; TR-...
	// for training entries). Set for accepted and duplicate.
	Receipt string `json:"receipt,omitempty"`
	// Grade is the server's grade for the revision (accepted, duplicate).
	Grade string `json:"grade,omitempty"`
	// Missing lists the SHA-256 of attachments the server still needs for
	// this entry (accepted, duplicate). Upload them with the attachment
	// routes; the entry is complete when the list is empty.
	Missing []string `json:"missing,omitempty"`
	// Reasons say, in plain language, why an item was rejected or is in
	// conflict. Each problem of an entry that is not ready is one reason,
	// prefixed with the question's path.
	Reasons   []string `json:"reasons,omitempty"`
	Permanent bool     `json:"permanent,omitempty"`
}

// AttachmentStatus is the server's view of one attachment upload.
//
// Resumable upload, per attachment (entry id + SHA-256 as listed in the
// entry):
//   - HEAD or GET /v1/entries/{entry}/attachments/{sha256} returns the
//     stored offset (header Upload-Offset, and this body on GET);
//   - PATCH the same path with Content-Type application/offset+octet-stream,
//     header Upload-Offset equal to the stored offset, and the next bytes as
//     the body. Any other offset gets 409 offset_mismatch (ask again and
//     resume from the stored offset). Bytes beyond the declared size get 413.
//   - When the stored bytes reach the declared size, the server checks the
//     SHA-256: a match completes the attachment; a mismatch discards the
//     data and answers 422 checksum_mismatch (start again from 0).
//
// The entry must have been pushed (and accepted) first.
type AttachmentStatus struct {
	EntryID  string `json:"entryId"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Offset   int64  `json:"offset"`
	Complete bool   `json:"complete"`
	// Refused is set when the declared size is over the server's limit: the
	// attachment will never be accepted and the device may stop trying.
	Refused bool `json:"refused,omitempty"`
}

// ChangeKind is the kind of a pulled change.
type ChangeKind string

// Change kinds.
const (
	// KindDecision: a supervisor approved or returned a revision of one of
	// this device's entries (Decision, Comments, Text).
	KindDecision ChangeKind = "decision"
	// KindAlert: a message for the device's officers, e.g. a supervisor
	// changed an entry's grade (Grade, Text).
	KindAlert ChangeKind = "alert"
	// KindChecklist: a checklist version became available on the server
	// (Text is "id@version").
	KindChecklist ChangeKind = "checklist"
	// KindRevocation: an officer of the device's team was disabled (Text is
	// the officer id): sign them out and wipe their drafts.
	KindRevocation ChangeKind = "revocation"
)

// Decision is a supervisor's decision on a revision.
type Decision string

// Decisions.
const (
	DecisionApproved Decision = "approved"
	DecisionReturned Decision = "returned"
)

// PullResponse is one page of changes for the calling device, ordered by the
// server's sequence (never by device clocks).
// GET /v1/pull?cursor=C&limit=N, device authentication.
type PullResponse struct {
	Changes []Change `json:"changes"`
	// Cursor is opaque: send it back as the cursor parameter to get the
	// changes after the last one returned. Keep it only once the changes
	// are safely stored. An empty cursor means "from the beginning".
	Cursor string `json:"cursor"`
	// More is true when further changes are waiting: pull again at once.
	More bool `json:"more"`
}

// Change is one thing the device should know about.
type Change struct {
	// Seq is the server sequence number; strictly increasing.
	Seq      int64      `json:"seq"`
	Kind     ChangeKind `json:"kind"`
	EntryID  string     `json:"entryId,omitempty"`
	Revision int        `json:"revision,omitempty"`
	// Receipt is the receipt of the revision the change is about.
	Receipt  string    `json:"receipt,omitempty"`
	Decision Decision  `json:"decision,omitempty"`
	Comments []Comment `json:"comments,omitempty"`
	// Grade is the entry's grade after the change.
	Grade string `json:"grade,omitempty"`
	// Text is a general comment, alert text, checklist ref or officer id.
	Text string    `json:"text,omitempty"`
	At   time.Time `json:"at"`
}

// Comment is a supervisor's comment on one question of an entry.
type Comment struct {
	// Question is the item's path as forms.Item.Path gives it:
	// "question" or "group[instance].question".
	Question string `json:"question"`
	Text     string `json:"text"`
}

// DecodeStrict decodes one JSON value into v, refusing unknown fields and
// trailing data. Both ends use it so that a typo is an error, not a silently
// dropped field.
func DecodeStrict(data []byte, v any) error {
	return decodeStrict(data, v)
}
