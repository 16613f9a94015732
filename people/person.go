package people

import (
	"time"

	"github.com/google/uuid"
)

// Name is one name of a person as recorded. Given holds the forenames
// (first, then middle names), Family the surname (it may be hyphenated or
// double).
type Name struct {
	Given  string `json:"given,omitempty"`
	Family string `json:"family,omitempty"`
}

// IsZero reports whether both parts are empty.
func (n Name) IsZero() bool { return n.Given == "" && n.Family == "" }

// Sex as recorded, with the checklist's codes. The zero value is unknown.
type Sex string

// Sexes (checklist codes).
const (
	SexUnknown Sex = ""
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
)

// Address is a place a person lives or was found (POLE: Location). Line is
// the address as written, Postcode the UK postcode; Normalised gives the
// forms compared.
type Address struct {
	Line     string `json:"line,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// Account is an online account (POLE: Object): a service and the handle on
// it ("snapchat", "kai_h2010").
type Account struct {
	Service string `json:"service,omitempty"`
	Handle  string `json:"handle"`
}

// Particulars are what is recorded about a person: names, date of birth,
// sex, addresses and objects (phones, vehicles, online accounts). In a
// Record they are what one officer wrote; in a Person's profile they are
// every value recorded across the person's records, most used first.
type Particulars struct {
	Name      Name      `json:"name"`
	Aliases   []Name    `json:"aliases,omitempty"`
	DOB       DOB       `json:"dob,omitzero"`
	AliasDOBs []DOB     `json:"aliasDobs,omitempty"`
	Sex       Sex       `json:"sex,omitempty"`
	Addresses []Address `json:"addresses,omitempty"`
	Phones    []string  `json:"phones,omitempty"`
	Vehicles  []string  `json:"vehicles,omitempty"`
	Accounts  []Account `json:"accounts,omitempty"`
	// Identifiers are typed identifiers (NHS number, PNC ID, UPN, local
	// refs), as written; malformed ones are kept but never compared.
	Identifiers []Identifier `json:"ids,omitempty"`
}

// Names returns the preferred name followed by the aliases, skipping
// empty ones.
func (p *Particulars) Names() []Name {
	out := make([]Name, 0, 1+len(p.Aliases))
	if !p.Name.IsZero() {
		out = append(out, p.Name)
	}
	for _, a := range p.Aliases {
		if !a.IsZero() {
			out = append(out, a)
		}
	}
	return out
}

// DOBs returns the preferred date of birth followed by the alias dates,
// skipping unknown ones.
func (p *Particulars) DOBs() []DOB {
	out := make([]DOB, 0, 1+len(p.AliasDOBs))
	if !p.DOB.IsZero() {
		out = append(out, p.DOB)
	}
	for _, d := range p.AliasDOBs {
		if !d.IsZero() {
			out = append(out, d)
		}
	}
	return out
}

// Role is how a person took part in an entry (POLE: Person-Event). Adults
// carry the checklist's relationship codes as their role; children are
// RoleChild.
type Role string

// Roles.
const (
	RoleChild    Role = "child"    // a child recorded in the entry
	RoleVictim   Role = "victim"   // an adult victim
	RoleSuspect  Role = "suspect"  // suspected of harming a child
	RoleWitness  Role = "witness"  // a witness
	RoleReporter Role = "reporter" // who called it in
	RoleAdult    Role = "adult"    // another adult in the household or involved
)

// Record is one person as an officer recorded them in one entry. ID is the
// person's id inside the entry (the entry format's person id, unique across
// entries); a record belongs to exactly one Person at a time.
type Record struct {
	ID      uuid.UUID `json:"id"`
	EntryID uuid.UUID `json:"entryId"`
	// Seen is the day of the entry: estimated ages count from it.
	Seen Date `json:"seen"`
	Role Role `json:"role,omitempty"`
	Particulars
	// Relatives are the other people recorded in the same entry with a
	// relationship to this one. They help matching (a child recorded with
	// the same mother is more likely the same child); they are not stored
	// as links (Relationship is).
	Relatives []Relative `json:"relatives,omitempty"`
}

// Relative is someone recorded beside a person, and how they relate.
type Relative struct {
	Type RelType `json:"type"`
	// Outgoing is true when the relative is Type of the person (the
	// relative is the parent), false when the person is Type of the
	// relative.
	Outgoing bool `json:"outgoing,omitempty"`
	Name     Name `json:"name"`
	DOB      DOB  `json:"dob,omitzero"`
}

// Person is a cluster of records believed to be one human being, and the
// profile folded from them (Fold).
type Person struct {
	ID uuid.UUID `json:"id"`
	Particulars
	// Records counts the records the person is made of.
	Records int `json:"records"`
	// LastSeen is the latest Seen of the records.
	LastSeen Date `json:"lastSeen,omitzero"`
}

// Grade is an entry's risk grade (the forms package's levels).
type Grade string

// Grades, lowest first.
const (
	GradeNone      Grade = ""
	GradeStandard  Grade = "standard"
	GradeMedium    Grade = "medium"
	GradeHigh      Grade = "high"
	GradeImmediate Grade = "immediate"
)

// Rank orders grades: 0 none, 1 standard ... 4 immediate.
func (g Grade) Rank() int {
	switch g {
	case GradeStandard:
		return 1
	case GradeMedium:
		return 2
	case GradeHigh:
		return 3
	case GradeImmediate:
		return 4
	}
	return 0
}

// Entry is what the index keeps of an entry (POLE: Event): its day and its
// current grade (a supervisor may raise it later; SetEntry again).
type Entry struct {
	ID    uuid.UUID `json:"id"`
	Date  Date      `json:"date"`
	Grade Grade     `json:"grade,omitempty"`
}

// Appearance is one entry a person appears in, with their role.
type Appearance struct {
	EntryID  uuid.UUID `json:"entryId"`
	RecordID uuid.UUID `json:"recordId"`
	Date     Date      `json:"date"`
	Grade    Grade     `json:"grade,omitempty"`
	Role     Role      `json:"role,omitempty"`
}

// AuditAction names an audited change to the index.
type AuditAction string

// Audited actions.
const (
	ActionMerge   AuditAction = "merge"
	ActionUnmerge AuditAction = "unmerge"
)

// AuditEvent is one audited change: a merge moves Records from From into
// Into; its unmerge moves exactly those records back.
type AuditEvent struct {
	Seq     int64       `json:"seq"`
	At      time.Time   `json:"at"`
	Actor   string      `json:"actor"`
	Action  AuditAction `json:"action"`
	MergeID uuid.UUID   `json:"mergeId"`
	Into    uuid.UUID   `json:"into"`
	From    uuid.UUID   `json:"from"`
	Reason  string      `json:"reason,omitempty"`
	Records []uuid.UUID `json:"records"`
}
