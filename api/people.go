package api

import "time"

// The person index, as supervisors see it: alerts about children, the
// family network around an entry, and possible matches to confirm.

// Person alert kinds (PersonAlert.Kind).
const (
	AlertRepeatAppearance  = "repeat_appearance"
	AlertLinkedToImmediate = "linked_to_immediate"
)

// PersonAlert is an alert the person index raised when an entry was
// accepted: a child appearing again and again in lower-risk entries, or
// linked to someone in an immediate-risk entry. Text is in plain words and
// names nobody; the devices of the entry's team get the same text as a
// change of kind alert.
type PersonAlert struct {
	ID      string `json:"id"`
	EntryID string `json:"entryId"`
	Team    string `json:"team"`
	Kind    string `json:"kind"`
	// PersonID is the child's pseudonymous id in the person index;
	// Related the linked person's (linked_to_immediate), Relation how.
	PersonID string `json:"personId"`
	Related  string `json:"related,omitempty"`
	Relation string `json:"relation,omitempty"`
	// Entries are the entries behind the alert, oldest first.
	Entries []string  `json:"entries"`
	Grade   string    `json:"grade"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"`
}

// PersonAlertList is GET /v1/review/alerts: the alerts of the
// supervisor's teams, newest first.
type PersonAlertList struct {
	Alerts []PersonAlert `json:"alerts"`
}

// NetworkAppearance is one entry a person of a network appears in.
type NetworkAppearance struct {
	EntryID string `json:"entryId"`
	Date    string `json:"date"` // YYYY-MM-DD
	Grade   string `json:"grade,omitempty"`
	Role    string `json:"role,omitempty"`
}

// NetworkPerson is one person of a family network.
type NetworkPerson struct {
	// ID is the person's pseudonymous id in the person index.
	ID   string `json:"id"`
	Name string `json:"name"` // display name as recorded most often
	// Roles are the roles the person had in their entries (child, parent,
	// suspect ...), most recent first.
	Roles []string `json:"roles"`
	// InEntry is set for the people of the entry the network was asked
	// for; Depth counts the links from them.
	InEntry bool                `json:"inEntry,omitempty"`
	Depth   int                 `json:"depth"`
	Entries []NetworkAppearance `json:"entries"`
}

// NetworkLink is a relationship recorded between two people: From is Type
// of To, as recorded in EntryID.
type NetworkLink struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Type    string `json:"type"`
	EntryID string `json:"entryId"`
}

// Network is GET /v1/review/entries/{id}/network: the family network
// around an entry's people (audited).
type Network struct {
	EntryID   string          `json:"entryId"`
	People    []NetworkPerson `json:"people"`
	Links     []NetworkLink   `json:"links"`
	Truncated bool            `json:"truncated,omitempty"`
}

// Possible match states.
const (
	MatchPending   = "pending"
	MatchConfirmed = "confirmed"
	MatchRejected  = "rejected"
)

// PossibleMatch is a person recorded in an entry who may be someone known
// before: the matcher was not sure enough to link them. A supervisor
// confirms (the two are merged) or rejects.
type PossibleMatch struct {
	ID      string `json:"id"`
	EntryID string `json:"entryId"`
	Team    string `json:"team"`
	// Person is the new person the record was stored as (Name, DOB as
	// recorded); Match the known person it may be.
	Person     string `json:"person"`
	PersonName string `json:"personName,omitempty"`
	PersonDOB  string `json:"personDob,omitempty"`
	Match      string `json:"match"`
	MatchName  string `json:"matchName,omitempty"`
	MatchDOB   string `json:"matchDob,omitempty"`
	// Score is the matcher's probability that they are one person;
	// Reasons its codes ("given:nickname").
	Score     float64    `json:"score"`
	Reasons   []string   `json:"reasons"`
	State     string     `json:"state"`
	Created   time.Time  `json:"created"`
	DecidedBy string     `json:"decidedBy,omitempty"`
	DecidedAt *time.Time `json:"decidedAt,omitempty"`
	// MergeID names the merge a confirmation made in the person index.
	MergeID string `json:"mergeId,omitempty"`
}

// PossibleMatchList is GET /v1/review/matches[?state=S]: the matches of
// the supervisor's teams, oldest first (pending ones by default).
type PossibleMatchList struct {
	Matches []PossibleMatch `json:"matches"`
}

// MatchDecisionRequest is POST /v1/review/matches/{id}/confirm or
// /reject, with an optional reason (kept in the audit).
type MatchDecisionRequest struct {
	Reason string `json:"reason,omitempty"`
}

// UnmergeResponse is POST /v1/admin/people/merges/{id}/unmerge (body
// MatchDecisionRequest): the records the merge moved are back with From.
type UnmergeResponse struct {
	MergeID string `json:"mergeId"`
	Into    string `json:"into"`
	From    string `json:"from"`
	Records int    `json:"records"`
}
