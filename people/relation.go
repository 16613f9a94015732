package people

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// RelType is a typed, directed link between two people: "From is Type of
// To" (the adult is the parent of the child). The values are the
// checklist's relationship codes.
type RelType string

// Relationship types (POLE: Person-Person), the checklist's codes.
const (
	RelParent          RelType = "parent"            // From is a parent of To
	RelPRHolder        RelType = "pr_holder"         // From holds parental responsibility for To (not a parent)
	RelStepParent      RelType = "step_parent"       // From is To's step-parent
	RelPartnerOfParent RelType = "partner_of_parent" // From is the partner of To's parent
	RelSibling         RelType = "sibling"           // From and To are brothers or sisters
	RelHouseholdMember RelType = "household_member"  // From lives in To's household
	RelAssociate       RelType = "associate"         // From is an associate or friend of To
	RelSuspect         RelType = "suspect"           // From is suspected of harming To
)

// RelTypes lists every relationship type.
var RelTypes = []RelType{RelParent, RelPRHolder, RelStepParent, RelPartnerOfParent,
	RelSibling, RelHouseholdMember, RelAssociate, RelSuspect}

// ParseRelType accepts a checklist code; "partner" (the adult-role option
// for a parent's partner) is read as partner_of_parent.
func ParseRelType(s string) (RelType, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "partner" {
		return RelPartnerOfParent, nil
	}
	for _, t := range RelTypes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("relationship type %q: %w", s, ErrUnknownRelType)
}

// Family reports whether the type is a family or care link (what the
// family network shows first).
func (t RelType) Family() bool {
	switch t {
	case RelParent, RelPRHolder, RelStepParent, RelPartnerOfParent, RelSibling:
		return true
	}
	return false
}

// Relationship links two records of the same entry: From is Type of To.
// Through its records it links two people; merges and unmerges move the
// records, so the link follows them.
type Relationship struct {
	ID      uuid.UUID `json:"id"`
	EntryID uuid.UUID `json:"entryId"`
	From    uuid.UUID `json:"from"` // record id
	To      uuid.UUID `json:"to"`   // record id
	Type    RelType   `json:"type"`
}

// Edge is a Relationship seen between people (the records' current
// persons).
type Edge struct {
	ID         uuid.UUID `json:"id"`
	EntryID    uuid.UUID `json:"entryId"`
	From       uuid.UUID `json:"from"` // person id
	To         uuid.UUID `json:"to"`   // person id
	FromRecord uuid.UUID `json:"fromRecord"`
	ToRecord   uuid.UUID `json:"toRecord"`
	Type       RelType   `json:"type"`
}
