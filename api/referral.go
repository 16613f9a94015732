package api

import "time"

// Referral delivery states. An approved live revision's referral is
// pending until the partner agency acknowledges it (delivered), or until
// it is given up (dead: refused by the partner, or too many failed
// attempts) and waits for an administrator to replay it.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is the state of one referral's delivery to the partner agency.
// It carries no child data. EntryView.Delivery shows the latest one of an
// entry; GET /v1/admin/deliveries lists them.
type Delivery struct {
	// ID is the delivery's idempotency key: the partner receives it in the
	// Idempotency-Key header of every attempt.
	ID       string `json:"id"`
	EntryID  string `json:"entryId"`
	Revision int    `json:"revision"`
	Receipt  string `json:"receipt"`
	Team     string `json:"team"`
	State    string `json:"state"` // pending, delivered or dead
	Attempts int    `json:"attempts"`
	// NextAttempt is when a pending delivery is next tried.
	NextAttempt *time.Time `json:"nextAttempt,omitempty"`
	// LastError says why the last attempt failed, or why a dead delivery
	// was given up; LastStatus is the partner's HTTP status, if it
	// answered.
	LastError  string     `json:"lastError,omitempty"`
	LastStatus int        `json:"lastStatus,omitempty"`
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	Delivered  *time.Time `json:"delivered,omitempty"`
}

// DeliveryList is GET /v1/admin/deliveries[?state=S&limit=N], admin only:
// most recently changed first.
type DeliveryList struct {
	Deliveries []Delivery `json:"deliveries"`
}

// ReplayRequest puts dead deliveries back in the outbox, due at once with
// their attempts counted afresh. An empty IDs replays every dead delivery.
// POST /v1/admin/deliveries/replay, admin only (also `central delivery
// replay`).
type ReplayRequest struct {
	IDs []string `json:"ids,omitempty"`
}

// ReplayResponse lists the deliveries put back.
type ReplayResponse struct {
	Replayed []string `json:"replayed"`
}

// ExportRow is one row of GET /v1/exports/entries.csv|json: one child of
// one live entry (an entry without children gives one row with the child
// columns empty). The entry columns repeat on each of its children's rows.
//
// Answers are given as stored codes ("W1", "yes", "K"); "not_known" marks
// a "Not known" answer and "" a blank one. Times are RFC 3339 in UTC.
// Entry and Child are pseudonyms: stable across exports from one server
// (a keyed hash of the ids), never the ids themselves. The fields marked
// personal are filled only in a personal export (a supervisor's export of
// their own teams); otherwise they are left out. Officer is the officer's
// account id in a personal export and a pseudonym otherwise.
type ExportRow struct {
	Entry         string     `json:"entry"`
	Team          string     `json:"team"`
	Officer       string     `json:"officer"`
	Checklist     string     `json:"checklist"`
	Revision      int        `json:"revision"`
	Status        string     `json:"status"`
	Grade         string     `json:"grade"`
	Computed      string     `json:"computed"`
	Immediate     bool       `json:"immediate"`
	Submitted     time.Time  `json:"submitted"`
	Reviewed      *time.Time `json:"reviewed,omitempty"`
	ReviewMinutes *int64     `json:"reviewMinutes,omitempty"`
	Approved      *time.Time `json:"approved,omitempty"`
	Deadline      time.Time  `json:"deadline"`
	Overdue       bool       `json:"overdue"`
	Returns       int        `json:"returns"`
	ReturnReasons []string   `json:"returnReasons"`
	Reason        string     `json:"reason"`
	Children      int        `json:"children"`
	Adults        int        `json:"adults"`
	Delivery      string     `json:"delivery"` // the latest referral delivery state ("" when none)
	Child         string     `json:"child"`
	ChildNumber   int        `json:"childNumber"`
	AgeYears      *int       `json:"ageYears,omitempty"`
	Sex           string     `json:"sex"`
	EthnicitySelf string     `json:"ethnicitySelf"`
	EthnicityOfcr string     `json:"ethnicityOfficer"`
	Disability    string     `json:"disability"`
	SEN           string     `json:"sen"`
	SENNeed       string     `json:"senNeed"`
	Seen          string     `json:"seen"`
	SpokenAlone   string     `json:"spokenAlone"`
	VoiceRecorded string     `json:"voiceRecorded"`
	EntryID       string     `json:"entryId,omitempty"`         // personal
	Receipt       string     `json:"receipt,omitempty"`         // personal
	IncidentRef   string     `json:"incidentRef,omitempty"`     // personal
	IncidentAddr  string     `json:"incidentAddress,omitempty"` // personal
	ChildName     string     `json:"childName,omitempty"`       // personal
	ChildDOB      string     `json:"childDob,omitempty"`        // personal
	ChildAddress  string     `json:"childAddress,omitempty"`    // personal
	ChildWords    string     `json:"childWords,omitempty"`      // personal
}

// Export is GET /v1/exports/entries.json.
type Export struct {
	Generated time.Time `json:"generated"`
	// Personal says whether the personal fields are filled.
	Personal bool         `json:"personal"`
	Filter   ExportFilter `json:"filter"`
	Rows     []ExportRow  `json:"rows"`
}

// ExportFilter is the filter an export or report was made with, as
// applied: From and To are dates (YYYY-MM-DD, Europe/London, To
// inclusive), Teams the teams included.
type ExportFilter struct {
	From  string   `json:"from,omitempty"`
	To    string   `json:"to,omitempty"`
	Teams []string `json:"teams"`
	Grade string   `json:"grade,omitempty"`
}
