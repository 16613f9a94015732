package referral

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Format names this version of the referral document; it is the value of
// the "format" member of every JSON document. A change that removes or
// renames a member, or changes what one means, gets a new Format; adding a
// member does not.
const Format = "safeguard-referral/1"

// Marking is the government security classification printed at the top and
// bottom of every page and carried in the JSON.
const Marking = "OFFICIAL-SENSITIVE"

// PoliceProtectionLimit is the longest police protection may last (Children
// Act 1989 s46(6)); it is never extended.
const PoliceProtectionLimit = 72 * time.Hour

// Document is an approved entry as a referral to children's social care:
// everything a social worker needs, in words rather than codes, in the
// order they read it. Build makes one; JSON and PDF write it out.
//
// The JSON form (see docs/referral-format.md for a full example):
//
//	{
//	  "format": "safeguard-referral/1",       // Format
//	  "marking": "OFFICIAL-SENSITIVE",         // Marking
//	  "training": true,                        // only for training entries
//	  "receipt": "R-…", "entryId": "…", "revision": 1,
//	  "checklist": {"id": "child-at-risk", "version": "1.0.0"},
//	  "generated": RFC 3339, "timeZone": "Europe/London",
//	  "from": {"force": "…", "team": "…"}, "to": "partner name",
//	  "language": "cy", "checklistLanguage": "cy", // "languageNote" on fallback
//	  "grade": "high",                         // the grade after review
//	  "immediate": false,
//	  "incident": {section, "reference", "time", "address", "reason"},
//	  "immediateSafety": section,
//	  "children": [{"id", "number", "name", "dateOfBirth", "ageYears",
//	                "details": [field], "seenAndHeard": [field],
//	                "words": {"text", "time", "present", "asked"},
//	                "otherSections": [section]}],
//	  "adults": [{"id", "number", "name", "role", "details": [field]}],
//	  "relationships": [{"from", "fromName", "to", "toName", "type",
//	                     "typeLabel", "text"}],
//	  "home": section,
//	  "otherSections": [section],
//	  "risks": {"computed", "immediate",
//	            "byGrade": [{"grade", "reasons": [{"rule", "text", "person", "personId", "group"}]}],
//	            "concerns": [section], "noConcern": ["Physical abuse", …],
//	            "assessments": [section]},
//	  "actions": {"taken": [{"id", "title", "done", "status", "time", "detail"}],
//	              "policeProtection": {"started", "mustEndBy", "fields": [field]},
//	              "advised": [{"id", "text", "done", "evidence"}],
//	              "fields": [field]},
//	  "decisions": {"officer": {"name", "id", "submitted", "grade", "computed",
//	                            "lowered", "loweredReason"},
//	                "supervisor": {"name", "id", "decision", "at", "grade",
//	                               "change", "comments"},
//	                "history": [{"kind", "revision", "by", "at", "grade", "reason"}]}
//	}
//
// where section is {"id", "title", "fields": [field]} and field is
// {"question", "label", "value", "codes", "notKnown", "reason", "sensitive", "lang"}.
// Lists are never null (an empty list is []); times are RFC 3339 in UTC and
// omitted when unknown; grades are "standard", "medium", "high" or
// "immediate". Only questions that were shown to the officer and answered
// appear. A field's value is the answer in words (code-list labels, not
// codes: "W1 White: English, Welsh, Scottish, Northern Irish or British");
// codes carries the machine-readable codes behind it for yes/no, single,
// multi and code questions. A "Not known" answer has notKnown true and the
// value "Not known — <reason>".
type Document struct {
	Format    string    `json:"format"`
	Marking   string    `json:"marking"`
	Training  bool      `json:"training,omitempty"`
	Receipt   string    `json:"receipt"`
	EntryID   string    `json:"entryId"`
	Revision  int       `json:"revision"`
	Checklist forms.Ref `json:"checklist"`
	Generated time.Time `json:"generated"`
	TimeZone  string    `json:"timeZone"`
	From      Origin    `json:"from"`
	To        string    `json:"to,omitempty"`
	// Language is the language the document is in ("en" or "cy": the
	// receiving authority's choice, Meta.Language); absent in documents
	// made before referrals had a language, which are English.
	Language string `json:"language,omitempty"`
	// ChecklistLanguage is the language the checklist's texts (questions,
	// options, reasons, actions) are printed in: Language when the
	// checklist version has it, else "en", with LanguageNote saying so in
	// the document's language.
	ChecklistLanguage string         `json:"checklistLanguage,omitempty"`
	LanguageNote      string         `json:"languageNote,omitempty"`
	Grade             forms.Level    `json:"grade"`
	Immediate         bool           `json:"immediate"`
	Incident          Incident       `json:"incident"`
	ImmediateSafety   Section        `json:"immediateSafety"`
	Children          []Child        `json:"children"`
	Adults            []Adult        `json:"adults"`
	Relationships     []Relationship `json:"relationships"`
	Home              Section        `json:"home"`
	// Other holds sections of the checklist this format has no place for
	// (a later checklist version's additions), so nothing answered is lost.
	Other     []Section `json:"otherSections"`
	Risks     Risks     `json:"risks"`
	Actions   Actions   `json:"actions"`
	Decisions Decisions `json:"decisions"`

	loc *time.Location
}

// Origin says who sends the referral.
type Origin struct {
	Force string `json:"force"`
	Team  string `json:"team"`
}

// Section is one part of the checklist as answered: its title and the
// answered questions shown to the officer, in checklist order.
type Section struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Fields []Field `json:"fields"`
}

// Field is one answered question.
type Field struct {
	Question string `json:"question"`
	Label    string `json:"label"`
	// Value is the answer in words, ready to print.
	Value string `json:"value"`
	// Codes are the option values or codes behind Value (yes/no, single,
	// multi and code questions only).
	Codes    []string `json:"codes,omitempty"`
	NotKnown bool     `json:"notKnown,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	// Sensitive marks answers that identify a person or carry their words.
	Sensitive bool `json:"sensitive,omitempty"`
	// Lang is the language the officer wrote the free text in (a text
	// answer's value, or a "Not known" reason), as the entry records it
	// (forms.Entry.WrittenIn); the text itself is printed as written.
	// Absent for codes and for entries that do not say.
	Lang string `json:"lang,omitempty"`
}

// Incident is the incident section with its key answers pulled out.
type Incident struct {
	Section
	Reference string     `json:"reference,omitempty"`
	Time      *time.Time `json:"time,omitempty"`
	Address   string     `json:"address,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// Child is one child of the entry.
type Child struct {
	ID string `json:"id"`
	// Number is the child's place in the entry, from 1.
	Number int    `json:"number"`
	Name   string `json:"name"`
	// DateOfBirth is YYYY-MM-DD when known.
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	// AgeYears is the age at the incident: from the date of birth, or the
	// officer's estimate.
	AgeYears *int `json:"ageYears,omitempty"`
	// Details holds the demographics: every answered question of the
	// child's details section (ethnicity, disability, SEN, school, GP...).
	Details []Field `json:"details"`
	// SeenAndHeard holds whether the child was seen and spoken to alone,
	// their wishes, demeanour and injuries; the child's own words are in
	// Words instead.
	SeenAndHeard []Field `json:"seenAndHeard"`
	// Words are the child's own words, verbatim; nil when none were
	// recorded.
	Words *Words    `json:"words,omitempty"`
	Other []Section `json:"otherSections"`
}

// Words are what a child said, exactly as recorded, with when, who was
// present and what the officer had asked.
type Words struct {
	Text    string     `json:"text"`
	Time    *time.Time `json:"time,omitempty"`
	Present string     `json:"present,omitempty"`
	Asked   string     `json:"asked,omitempty"`
	// Lang is the language the words were written down in (see Field.Lang).
	Lang string `json:"lang,omitempty"`
}

// Adult is one adult of the entry.
type Adult struct {
	ID      string  `json:"id"`
	Number  int     `json:"number"`
	Name    string  `json:"name"`
	Role    string  `json:"role,omitempty"`
	Details []Field `json:"details"`
}

// Relationship links two people of the entry, in words: "Dana Fairweather
// is parent of Mia Fairweather".
type Relationship struct {
	From      string `json:"from"`
	FromName  string `json:"fromName"`
	To        string `json:"to"`
	ToName    string `json:"toName"`
	Type      string `json:"type"`
	TypeLabel string `json:"typeLabel"`
	Text      string `json:"text"`
}

// Risks is what the checklist's rules and risk tools found.
type Risks struct {
	// Computed is the grade the rules gave (before any officer or
	// supervisor change); the document's Grade is the final one.
	Computed  forms.Level `json:"computed"`
	Immediate bool        `json:"immediate"`
	// ByGrade groups the reasons by grade, most serious first.
	ByGrade []RiskGroup `json:"byGrade"`
	// Concerns are the risk screens the officer answered with a concern.
	Concerns []Section `json:"concerns"`
	// NoConcern lists the titles of screens answered "no concern".
	NoConcern []string `json:"noConcern"`
	// Assessments are risk tools' sections (DASH), as answered.
	Assessments []Section `json:"assessments"`
	// Disclosures are what the recogniser flagged in the free text and
	// what the officer answered (disclosures.go).
	Disclosures []Disclosure `json:"disclosures,omitempty"`
}

// RiskGroup is the reasons of one grade.
type RiskGroup struct {
	Grade   forms.Level `json:"grade"`
	Reasons []Risk      `json:"reasons"`
}

// Risk is one reason for the grade. Person names the child or adult it is
// about, if it is about one (Group says which: "child" or "adult").
type Risk struct {
	Rule     string `json:"rule"`
	Text     string `json:"text"`
	Person   string `json:"person,omitempty"`
	PersonID string `json:"personId,omitempty"`
	Group    string `json:"group,omitempty"`
}

// Actions is what the officer did and what the checklist advised.
type Actions struct {
	// Taken lists the steps recorded: police protection, referral,
	// strategy discussion, ABE interview, medical examination, flags.
	Taken []Step `json:"taken"`
	// PoliceProtection is set when police protection was used.
	PoliceProtection *PoliceProtection `json:"policeProtection,omitempty"`
	// Advised lists the actions the checklist asked for, each with whether
	// the entry shows it done.
	Advised []Advice `json:"advised"`
	// Fields holds every answered question of the actions section.
	Fields []Field `json:"fields"`
}

// Step is one action recorded in the entry.
type Step struct {
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	Done   bool       `json:"done"`
	Status string     `json:"status"`
	Time   *time.Time `json:"time,omitempty"`
	Detail string     `json:"detail,omitempty"`
}

// PoliceProtection is the police protection sub-form. MustEndBy is
// Started plus PoliceProtectionLimit.
type PoliceProtection struct {
	Started   *time.Time `json:"started,omitempty"`
	MustEndBy *time.Time `json:"mustEndBy,omitempty"`
	Fields    []Field    `json:"fields"`
}

// Advice is one action the checklist advised. Done is true only when an
// answer shows it was done; Evidence says which.
type Advice struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Done     bool   `json:"done"`
	Evidence string `json:"evidence,omitempty"`
}

// Decisions are the officer's grading and the supervisor's approval.
type Decisions struct {
	Officer    OfficerDecision    `json:"officer"`
	Supervisor SupervisorDecision `json:"supervisor"`
	// History lists earlier reviewer actions on the entry (returns, grade
	// changes), oldest first.
	History []Event `json:"history"`
}

// OfficerDecision is the submitting officer and their grade.
type OfficerDecision struct {
	Name      string     `json:"name,omitempty"`
	ID        string     `json:"id,omitempty"`
	Submitted *time.Time `json:"submitted,omitempty"`
	// Grade is the entry's grade as submitted (the rules' grade, or the
	// officer's own where raised, or lowered with a reason).
	Grade         forms.Level `json:"grade"`
	Computed      forms.Level `json:"computed"`
	Lowered       bool        `json:"lowered,omitempty"`
	LoweredReason string      `json:"loweredReason,omitempty"`
}

// SupervisorDecision is the approval.
type SupervisorDecision struct {
	Name     string      `json:"name,omitempty"`
	ID       string      `json:"id,omitempty"`
	Decision string      `json:"decision"`
	At       *time.Time  `json:"at,omitempty"`
	Grade    forms.Level `json:"grade"`
	// Change is "agreed", "raised" or "lowered", against the officer's
	// grade.
	Change   string `json:"change"`
	Comments string `json:"comments,omitempty"`
}

// Event is one earlier reviewer action.
type Event struct {
	Kind     string      `json:"kind"`
	Revision int         `json:"revision"`
	By       string      `json:"by"`
	At       time.Time   `json:"at"`
	Grade    forms.Level `json:"grade,omitempty"`
	Reason   string      `json:"reason,omitempty"`
}

// JSON returns the document as indented JSON (two spaces, members in the
// order documented on Document, a final newline). Equal documents give
// equal bytes.
func (d *Document) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("referral %s: encode JSON: %w", d.Receipt, err)
	}
	return append(b, '\n'), nil
}
