package forms

// Result is the evaluation of one entry against its checklist.
type Result struct {
	Checklist Ref `json:"checklist"`
	// Ready is true when nothing required is missing or invalid: the entry
	// may be submitted.
	Ready bool `json:"ready"`
	// Grade is the entry's grade: the computed grade, or the officer's own
	// when raised, or when lowered with a reason.
	Grade Level `json:"grade"`
	// Computed is the highest level of any rule or risk tool that fired
	// (standard when none did).
	Computed Level `json:"computed"`
	// Lowered is set when the officer graded below the computed grade; the
	// reason is in LoweredReason and is kept with the entry.
	Lowered       bool   `json:"lowered,omitempty"`
	LoweredReason string `json:"loweredReason,omitempty"`
	// Immediate is true when any rule fired at the immediate level: the
	// screen shows the banner and the entry goes first in the sync queue.
	Immediate bool `json:"immediate"`
	// Reasons lists every rule that fired, most serious first.
	Reasons []Reason `json:"reasons"`
	// Actions lists what to do, each once, in the order of the first
	// reason asking for it.
	Actions []Action `json:"actions"`
	// Problems lists what stops the entry being ready, in checklist order.
	Problems []Problem `json:"problems"`
	// Sections gives each section's (or each section instance's)
	// completeness, in checklist order.
	Sections []SectionStatus `json:"sections"`
	// Visible lists the questions to show, in checklist order.
	Visible []Item `json:"visible"`
	// Prompts are the disclosures the recogniser found in the free text,
	// each asking the officer "is this a disclosure?" (recognise.go), and
	// Recogniser names the phrase list ("id@version hash").
	Prompts    []Prompt `json:"prompts,omitempty"`
	Recogniser string   `json:"recogniser,omitempty"`
}

// Item locates one question of an entry: in a repeating section, Instance
// is the group instance's id.
type Item struct {
	Section  string `json:"section"`
	Question string `json:"question"`
	Group    string `json:"group,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// Path returns a stable name for the item: "question" or
// "group[instance].question".
func (i Item) Path() string {
	if i.Instance == "" {
		return i.Question
	}
	return i.Group + "[" + i.Instance + "]." + i.Question
}

// ProblemCode says what kind of problem an answer has.
type ProblemCode string

// Problem codes.
const (
	ProblemRequired          ProblemCode = "required"         // blank, but must be answered
	ProblemNotKnownNoReason  ProblemCode = "not_known_reason" // "Not known" without a reason
	ProblemNotKnownForbidden ProblemCode = "not_known_disallowed"
	ProblemInvalid           ProblemCode = "invalid"          // wrong type, unknown option or code
	ProblemConstraint        ProblemCode = "constraint"       // the question's constraint failed
	ProblemUnknownQuestion   ProblemCode = "unknown_question" // answer to no question of this checklist
	ProblemGroupCount        ProblemCode = "group_count"      // too few or too many children/adults
	ProblemUnlinked          ProblemCode = "unlinked"         // a person no relationship points to
	ProblemRelationship      ProblemCode = "relationship"     // a relationship of the wrong type or between the wrong groups
	ProblemGrading           ProblemCode = "grading"          // grade lowered without a reason
	ProblemAttachment        ProblemCode = "attachment"       // photo answer naming an attachment the entry does not list
)

// Problem is one thing that stops the entry being ready.
type Problem struct {
	Item
	Code    ProblemCode `json:"code"`
	Message string      `json:"message"`
}

// SectionStatus is how complete one section (or one instance of a
// repeating section) is.
type SectionStatus struct {
	Section  string `json:"section"`
	Instance string `json:"instance,omitempty"`
	Relevant bool   `json:"relevant"`
	// Required counts the required questions now visible; Answered counts
	// those answered acceptably.
	Required int  `json:"required"`
	Answered int  `json:"answered"`
	Problems int  `json:"problems"`
	Complete bool `json:"complete"`
}

// Reason is one rule (or risk tool) that fired.
type Reason struct {
	Rule     string `json:"rule"`
	Level    Level  `json:"level"`
	Text     string `json:"text"`
	Group    string `json:"group,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// Action is one thing the officer must do.
type Action struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}
