package forms

// Kind is the type of a question's answer.
type Kind string

// Question kinds. The JSON value each expects is described in
// docs/entry-format.md.
const (
	KindYesNo    Kind = "yesno"    // "yes" or "no"
	KindSingle   Kind = "single"   // one option value
	KindMulti    Kind = "multi"    // a list of option values
	KindCode     Kind = "code"     // one code from a code list
	KindText     Kind = "text"     // a short line of text
	KindLongText Kind = "longtext" // free text, may span lines
	KindNumber   Kind = "number"   // a number
	KindDate     Kind = "date"     // YYYY-MM-DD
	KindDateTime Kind = "datetime" // RFC 3339 date and time
	KindScale    Kind = "scale"    // a whole number between Scale.Min and Scale.Max
	KindPhoto    Kind = "photo"    // a list of attachment SHA-256 digests
)

// Kinds lists every question kind, in the order the docs describe them.
var Kinds = []Kind{KindYesNo, KindSingle, KindMulti, KindCode, KindText, KindLongText,
	KindNumber, KindDate, KindDateTime, KindScale, KindPhoto}

// Ref names one version of one checklist.
type Ref struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// String returns "id@version".
func (r Ref) String() string { return r.ID + "@" + r.Version }

// Checklist is a versioned checklist definition as read from its JSON file.
// Load it with Load or Parse, which also compile its expressions; a
// Checklist built by hand cannot be evaluated.
type Checklist struct {
	ID        string              `json:"id"`
	Version   string              `json:"version"`
	Title     Text                `json:"title"`
	Languages []string            `json:"languages,omitempty"`
	CodeLists map[string]CodeList `json:"codelists"`
	Groups    []Group             `json:"groups,omitempty"`
	Sections  []Section           `json:"sections"`
	Rules     []Rule              `json:"rules,omitempty"`
	Actions   map[string]Text     `json:"actions,omitempty"`
	// Relationships says how people in repeat groups are linked to each
	// other within one entry (for example each child to the adults who hold
	// parental responsibility). Nil when the checklist has no people.
	Relationships *Relationships `json:"relationships,omitempty"`
	// RiskTools plugs graded risk instruments (such as DASH 2009) into the
	// entry's grade; each reads the answers of one section.
	RiskTools []RiskToolUse `json:"riskTools,omitempty"`

	hash     string
	compiled *compiled
	recog    *boundRecogniser // the phrase list reading its free text (recognise.go)
}

// Ref returns the checklist's id and version.
func (c *Checklist) Ref() Ref { return Ref{ID: c.ID, Version: c.Version} }

// Hash returns the hex SHA-256 of the checklist's canonical JSON (object
// keys sorted, no insignificant white space). Two files with the same
// content but different formatting share a hash.
func (c *Checklist) Hash() string { return c.hash }

// CodeList is a named list of codes, such as the 18+1 self-defined
// ethnicity codes. Aliases map retired codes to current ones (the older
// 16+1 list's O1 Chinese is A4 now).
type CodeList struct {
	Title   Text              `json:"title"`
	Codes   []Option          `json:"codes"`
	Aliases map[string]string `json:"aliases,omitempty"`
}

// Option is one choice of a single, multi or code question, or one code of
// a code list.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Group is a repeat group: each child, each adult. Sections that name the
// group in Repeat are answered once per instance.
type Group struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
	// Min is the least number of instances a ready entry must have.
	Min int `json:"min"`
	// Max is the most (0: no limit).
	Max int `json:"max,omitempty"`
	// NameQuestion is the id of the question whose answer names an instance
	// in lists and reasons ("Child 2: Amy").
	NameQuestion string `json:"nameQuestion,omitempty"`
}

// Section is a titled part of the checklist.
type Section struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
	// Intro is shown above the section's questions.
	Intro Text `json:"intro,omitempty"`
	// Repeat names a Group: the section is answered once per instance.
	Repeat string `json:"repeat,omitempty"`
	// Relevant is an expression; when it is false the whole section is
	// hidden and nothing in it is required.
	Relevant  string     `json:"relevant,omitempty"`
	Questions []Question `json:"questions"`
}

// Question is one item of a section.
type Question struct {
	ID       string `json:"id"`
	Kind     Kind   `json:"kind"`
	Label    Text   `json:"label"`
	Hint     Text   `json:"hint,omitempty"`
	Guidance Text   `json:"guidance,omitempty"` // "why this matters", shown on request
	// Required is "always", "never" (the default when empty) or an
	// expression that makes the question required when true.
	Required string `json:"required,omitempty"`
	// Relevant is an expression; a question that is not relevant is hidden,
	// never required, and its answer is ignored.
	Relevant   string      `json:"relevant,omitempty"`
	Constraint *Constraint `json:"constraint,omitempty"`
	// NotKnown allows an explicit "Not known" answer, which must carry a
	// reason.
	NotKnown  bool     `json:"notKnown,omitempty"`
	Options   []Option `json:"options,omitempty"`   // single and multi
	CodeList  string   `json:"codelist,omitempty"`  // code
	Scale     *Scale   `json:"scale,omitempty"`     // scale
	Immediate bool     `json:"immediate,omitempty"` // a "yes" here is an immediate risk on its own (shown with a mark)
	// Sensitive marks answers that identify a person or carry their words;
	// stores encrypt every answer, this only tells screens and exports.
	Sensitive bool `json:"sensitive,omitempty"`
}

// Constraint is a validity test on an answered question. In the
// expression, the question's own value is available as "value" as well as
// by its id.
type Constraint struct {
	Expr    string `json:"expr"`
	Message Text   `json:"message"`
}

// Scale is the range of a scale question, with a label for each point.
type Scale struct {
	Min    int             `json:"min"`
	Max    int             `json:"max"`
	Labels map[string]Text `json:"labels,omitempty"` // keyed by the point as a decimal string
}

// Rule is a declared risk rule: when its expression is true, the entry's
// computed grade is at least Level, and Reason and Actions are shown.
type Rule struct {
	ID string `json:"id"`
	// Each names a Group: the rule is tried on every instance, with that
	// instance's answers in scope, and fires once per matching instance.
	Each    string   `json:"each,omitempty"`
	When    string   `json:"when"`
	Level   Level    `json:"level"`
	Reason  Text     `json:"reason"`
	Actions []string `json:"actions,omitempty"`
	// NotKnown says, for the checklist's readers, what the rule does when an
	// answer it reads is "Not known" (expressions see a not-known answer as
	// blank, so a rule that must not read it as "no" says how it is covered).
	NotKnown Text `json:"notKnown,omitempty"`
	// Fact names the one fact the rule recognises. Rules sharing a fact
	// (the triage tick, the child's page and a risk screen all saying "a
	// sexual disclosure") give one reason: the most serious, about the
	// child when one is named. Their actions are all kept.
	Fact string `json:"fact,omitempty"`
}

// Relationships declares the links between people of one entry.
type Relationships struct {
	// CodeList holds the relationship types (parent, step-parent, ...).
	CodeList string `json:"codelist"`
	// From and To name the groups a relationship may join (adult -> child).
	From []string `json:"from"`
	To   []string `json:"to"`
	// RequiredFor lists groups whose every instance must be the target of at
	// least one relationship (every child linked to someone).
	RequiredFor []string `json:"requiredFor,omitempty"`
	Label       Text     `json:"label"`
	Guidance    Text     `json:"guidance,omitempty"`
}

// RiskToolUse plugs a RiskTool into a checklist.
type RiskToolUse struct {
	Tool    string   `json:"tool"`              // registered tool id, e.g. "dash2009"
	Section string   `json:"section"`           // the section whose answers the tool reads
	Actions []string `json:"actions,omitempty"` // actions added when the tool grades high
	// IncompleteActions are added when the tool reports that it could not
	// be fully assessed (items unanswered or not known).
	IncompleteActions []string `json:"incompleteActions,omitempty"`
}

// Section returns the section with the given id.
func (c *Checklist) Section(id string) (*Section, bool) {
	for i := range c.Sections {
		if c.Sections[i].ID == id {
			return &c.Sections[i], true
		}
	}
	return nil, false
}

// Group returns the repeat group with the given id.
func (c *Checklist) Group(id string) (*Group, bool) {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i], true
		}
	}
	return nil, false
}

// Question returns the question with the given id and the section that
// holds it. Question ids are unique across a checklist.
func (c *Checklist) Question(id string) (*Question, *Section, bool) {
	if c.compiled != nil {
		if p, ok := c.compiled.questions[id]; ok {
			return p.q, p.s, true
		}
		return nil, nil, false
	}
	for i := range c.Sections {
		s := &c.Sections[i]
		for j := range s.Questions {
			if s.Questions[j].ID == id {
				return &s.Questions[j], s, true
			}
		}
	}
	return nil, nil, false
}
