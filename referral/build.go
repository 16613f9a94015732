package referral

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the display zone must load on servers without tzdata

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// DefaultTimeZone is where times are shown when Meta.Location is nil.
const DefaultTimeZone = "Europe/London"

// Meta is what the central system knows about an entry that the entry
// itself does not hold: who sent and approved it, when, and to whom the
// referral goes.
type Meta struct {
	// Receipt is the receipt of the approved revision.
	Receipt string
	// Force and Team name the sender.
	Force string
	Team  string
	// OfficerName and OfficerID name the submitting officer (OfficerID
	// defaults to the entry's Officer).
	OfficerName string
	OfficerID   string
	// SupervisorName and SupervisorID name the approving supervisor.
	SupervisorName string
	SupervisorID   string
	// Submitted is when the approved revision reached the central system;
	// Approved is when it was approved.
	Submitted time.Time
	Approved  time.Time
	// SupervisorGrade is the grade after review; LevelNone means the
	// supervisor kept the officer's grade.
	SupervisorGrade forms.Level
	// SupervisorComments are the supervisor's words on approval.
	SupervisorComments string
	// Partner names the receiving agency ("Oakbridge MASH").
	Partner string
	// History lists earlier reviewer actions on the entry, oldest first.
	History []api.DecisionInfo
	// Generated is the document's date; zero means Approved.
	Generated time.Time
	// Location is the time zone times are shown in; nil means
	// DefaultTimeZone.
	Location *time.Location
	// Language is the language the receiving authority asks for: "en"
	// (also when empty) or "cy". The document's fixed words come from
	// this package's table, the checklist's texts from the checklist when
	// it declares the language (else English, with Document.LanguageNote
	// saying so); the officer's free text is printed as written, marked
	// with the language it was written in. Pass the same language to
	// forms.Evaluate (Options.Language) so the reasons and actions match.
	Language string
}

// Errors returned by Build.
var (
	ErrMissing  = errors.New("referral: checklist, entry and result are all required")
	ErrMismatch = errors.New("referral: entry, result and checklist are of different checklist versions")
	ErrLanguage = errors.New("referral: the language must be \"en\" or \"cy\"")
)

// Well-known parts of the child-at-risk checklist family. Sections this
// package does not know are kept in Document.Other.
const (
	groupChild     = "child"
	groupAdult     = "adult"
	secIncident    = "incident"
	secTriage      = "triage"
	secSeenHeard   = "seen_heard"
	secHome        = "home"
	secActions     = "next_steps"
	secPP          = "police_protection"
	screenPrefix   = "screen_"
	qIncidentRef   = "incident_ref"
	qIncidentTime  = "incident_time"
	qIncidentAddr  = "incident_address"
	qReason        = "reason"
	qWords         = "child_words"
	qWordsTime     = "child_words_time"
	qWordsPresent  = "child_words_present"
	qWordsAsked    = "child_words_asked"
	qChildSeen     = "child_seen"
	qPreverbal     = "child_preverbal"
	qAdultRole     = "adult_role"
	qPPUsed        = "pp_used"
	qPPStart       = "pp_start"
	suffixDOB      = "_dob"
	suffixAgeEst   = "_age_est"
	dateTimeLayout = "Mon 2 Jan 2006 15:04 MST"
	dateLayout     = "2 Jan 2006"
)

// Build makes the referral document for an entry: c is the checklist
// version the entry was made with, res is forms.Evaluate's result for it
// (so that only the questions shown to the officer appear, and the grade
// and reasons are the server's own). Build is pure: the same arguments
// give the same document. It does not refuse training entries (trainers
// demonstrate the referral) but marks them; the caller keeps them out of
// the live delivery queue.
func Build(c *forms.Checklist, e *forms.Entry, res *forms.Result, meta Meta) (*Document, error) {
	if c == nil || e == nil || res == nil {
		return nil, ErrMissing
	}
	if e.Checklist != c.Ref() || res.Checklist != c.Ref() {
		return nil, fmt.Errorf("%w: checklist %s, entry %s, result %s", ErrMismatch, c.Ref(), e.Checklist, res.Checklist)
	}
	lang := meta.Language
	if lang == "" {
		lang = English
	}
	if !ValidLanguage(lang) {
		return nil, fmt.Errorf("%w, not %q", ErrLanguage, meta.Language)
	}
	loc := meta.Location
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(DefaultTimeZone); err != nil {
			return nil, fmt.Errorf("referral: load time zone %s: %w", DefaultTimeZone, err)
		}
	}
	b := &builder{c: c, e: e, res: res, meta: meta, loc: loc, visible: map[string]bool{}, names: map[string]string{},
		lang: lang, clang: lang}
	if !checklistSpeaks(c, lang) {
		b.clang = forms.DefaultLanguage
	}
	for _, it := range res.Visible {
		b.visible[it.Instance+"\x00"+it.Question] = true
	}
	return b.build(), nil
}

type builder struct {
	c       *forms.Checklist
	e       *forms.Entry
	res     *forms.Result
	meta    Meta
	loc     *time.Location
	lang    string            // the document's language (fixed words)
	clang   string            // the checklist texts' language (lang, or English when the checklist lacks it)
	visible map[string]bool   // instance \x00 question
	names   map[string]string // instance id -> display name
	doc     *Document
}

func (b *builder) build() *Document {
	gen := b.meta.Generated
	if gen.IsZero() {
		gen = b.meta.Approved
	}
	d := &Document{
		Format: Format, Marking: Marking, Training: b.e.Training,
		Receipt: b.meta.Receipt, EntryID: b.e.ID, Revision: b.e.Revision, Checklist: b.c.Ref(),
		Generated: gen.UTC(), TimeZone: b.loc.String(),
		From: Origin{Force: b.meta.Force, Team: b.meta.Team}, To: b.meta.Partner,
		Children: []Child{}, Adults: []Adult{}, Relationships: []Relationship{}, Other: []Section{},
		Language: b.lang, ChecklistLanguage: b.clang,
		loc: b.loc,
	}
	if b.clang != b.lang {
		d.LanguageNote = b.t("This version of the checklist has no Welsh texts: its questions, options and reasons are printed in English.")
	}
	b.doc = d
	b.nameEveryone()

	riskTool := map[string]bool{}
	for _, t := range b.c.RiskTools {
		riskTool[t.Section] = true
	}
	d.Risks = Risks{Computed: b.res.Computed, Immediate: b.res.Immediate, ByGrade: []RiskGroup{},
		Concerns: []Section{}, NoConcern: []string{}, Assessments: []Section{}}
	d.Actions = Actions{Taken: []Step{}, Advised: []Advice{}, Fields: []Field{}}
	d.Incident.Fields = []Field{}
	d.ImmediateSafety.Fields = []Field{}
	d.Home.Fields = []Field{}

	for si := range b.c.Sections {
		sec := &b.c.Sections[si]
		if sec.Repeat != "" {
			continue // people are built below, instance by instance
		}
		s := b.section(sec, nil)
		switch {
		case sec.ID == secIncident:
			d.Incident.Section = s
		case sec.ID == secTriage:
			d.ImmediateSafety = s
		case sec.ID == secHome:
			d.Home = s
		case sec.ID == secActions:
			d.Actions.Fields = s.Fields
		case sec.ID == secPP:
			if len(s.Fields) > 0 {
				d.Actions.PoliceProtection = &PoliceProtection{Fields: s.Fields}
			}
		case riskTool[sec.ID]:
			if len(s.Fields) > 0 {
				d.Risks.Assessments = append(d.Risks.Assessments, s)
			}
		case strings.HasPrefix(sec.ID, screenPrefix):
			b.screen(sec, s)
		case len(s.Fields) > 0:
			d.Other = append(d.Other, s)
		}
	}
	b.incident()
	b.people()
	b.relationships()
	b.risks()
	b.concernsNotSeen()
	b.disclosures() // disclosures.go
	b.actions()
	b.decisions()
	return d
}

// nameEveryone names each person once: the group's name question, or
// "Child 2" when the name is blank.
func (b *builder) nameEveryone() {
	for _, g := range b.c.Groups {
		for i, inst := range b.e.Groups[g.ID] {
			name := ""
			if a, ok := inst.Answers[g.NameQuestion]; ok && g.NameQuestion != "" {
				switch {
				case a.NotKnown:
					name = fmt.Sprintf(b.t("Name not known (%s %d)"), g.Label.In(b.clang), i+1)
				default:
					if s, ok := a.Value.(string); ok {
						name = strings.TrimSpace(s)
					}
				}
			}
			if name == "" {
				name = fmt.Sprintf("%s %d", g.Label.In(b.clang), i+1)
			}
			b.names[inst.ID] = name
		}
	}
}

func (b *builder) name(id string) string {
	if n, ok := b.names[id]; ok {
		return n
	}
	return b.t("Unknown person")
}

// section returns the answered, visible questions of sec for one instance
// (nil: the top level).
func (b *builder) section(sec *forms.Section, inst *forms.Instance) Section {
	s := Section{ID: sec.ID, Title: sec.Title.In(b.clang), Fields: []Field{}}
	answers, instID := b.e.Answers, ""
	if inst != nil {
		answers, instID = inst.Answers, inst.ID
	}
	for qi := range sec.Questions {
		q := &sec.Questions[qi]
		if !b.visible[instID+"\x00"+q.ID] {
			continue
		}
		a, ok := answers[q.ID]
		if !ok || a.IsBlank() {
			continue
		}
		s.Fields = append(s.Fields, b.field(q, a, answers))
	}
	return s
}

// answer returns a visible, non-blank answer of the top level or of an
// instance.
func (b *builder) answer(inst *forms.Instance, id string) (forms.Answer, bool) {
	answers, instID := b.e.Answers, ""
	if inst != nil {
		answers, instID = inst.Answers, inst.ID
	}
	if !b.visible[instID+"\x00"+id] {
		return forms.Answer{}, false
	}
	a, ok := answers[id]
	if !ok || a.IsBlank() {
		return forms.Answer{}, false
	}
	return a, true
}

// str returns a visible answer's string value ("" when blank, not known
// or not a string).
func (b *builder) str(inst *forms.Instance, id string) string {
	a, ok := b.answer(inst, id)
	if !ok {
		return ""
	}
	s, _ := a.Value.(string)
	return s
}

// is reports whether a visible answer's value (or one of its values) is
// one of want.
func (b *builder) is(inst *forms.Instance, id string, want ...string) bool {
	a, ok := b.answer(inst, id)
	if !ok {
		return false
	}
	for _, v := range stringsOf(a.Value) {
		for _, w := range want {
			if v == w {
				return true
			}
		}
	}
	return false
}

// words returns the rendered value of a visible answer, or "".
func (b *builder) words(inst *forms.Instance, id string) string {
	a, ok := b.answer(inst, id)
	if !ok {
		return ""
	}
	q, _, found := b.c.Question(id)
	if !found {
		return rawText(a.Value)
	}
	answers := b.e.Answers
	if inst != nil {
		answers = inst.Answers
	}
	return b.field(q, a, answers).Value
}

// when returns a visible date-time answer as a time, or nil.
func (b *builder) when(inst *forms.Instance, id string) *time.Time {
	s := b.str(inst, id)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

func (b *builder) incident() {
	d := b.doc
	d.Incident.Reference = b.words(nil, qIncidentRef)
	d.Incident.Time = b.when(nil, qIncidentTime)
	d.Incident.Address = b.words(nil, qIncidentAddr)
	d.Incident.Reason = b.words(nil, qReason)
	if d.Incident.ID == "" {
		d.Incident.ID, d.Incident.Title = secIncident, b.t(HeadingIncident)
	}
	if d.ImmediateSafety.ID == "" {
		d.ImmediateSafety = Section{ID: secTriage, Title: b.t(HeadingSafety), Fields: []Field{}}
	}
	if d.Home.ID == "" {
		d.Home = Section{ID: secHome, Title: b.t(HeadingHome), Fields: []Field{}}
	}
}

// incidentTime is the moment ages are measured at: the incident, else the
// entry's start.
func (b *builder) incidentTime() time.Time {
	if t := b.when(nil, qIncidentTime); t != nil {
		return *t
	}
	return b.e.Started
}

func (b *builder) people() {
	d := b.doc
	for _, g := range b.c.Groups {
		var secs []*forms.Section
		for si := range b.c.Sections {
			if b.c.Sections[si].Repeat == g.ID {
				secs = append(secs, &b.c.Sections[si])
			}
		}
		for i := range b.e.Groups[g.ID] {
			inst := &b.e.Groups[g.ID][i]
			switch g.ID {
			case groupChild:
				d.Children = append(d.Children, b.child(secs, inst, i))
			case groupAdult:
				d.Adults = append(d.Adults, b.adult(secs, inst, i))
			default:
				for _, sec := range secs {
					s := b.section(sec, inst)
					if len(s.Fields) > 0 {
						s.Title = s.Title + ": " + b.name(inst.ID)
						d.Other = append(d.Other, s)
					}
				}
			}
		}
	}
}

func (b *builder) child(secs []*forms.Section, inst *forms.Instance, i int) Child {
	ch := Child{ID: inst.ID, Number: i + 1, Name: b.name(inst.ID), Details: []Field{}, SeenAndHeard: []Field{}, Other: []Section{}}
	for k, sec := range secs {
		s := b.section(sec, inst)
		switch {
		case k == 0:
			ch.Details = s.Fields
		case sec.ID == secSeenHeard:
			for _, f := range s.Fields {
				switch f.Question {
				case qWords, qWordsTime, qWordsPresent, qWordsAsked:
					if !f.NotKnown {
						continue // in Words
					}
				}
				ch.SeenAndHeard = append(ch.SeenAndHeard, f)
			}
		case len(s.Fields) > 0:
			ch.Other = append(ch.Other, s)
		}
	}
	if a, ok := b.answer(inst, qWords); ok && !a.NotKnown {
		if text, _ := a.Value.(string); strings.TrimSpace(text) != "" {
			ch.Words = &Words{Text: text, Time: b.when(inst, qWordsTime),
				Present: b.words(inst, qWordsPresent), Asked: b.words(inst, qWordsAsked), Lang: b.e.WrittenIn(a)}
		}
	}
	ch.DateOfBirth, ch.AgeYears = b.age(secs, inst)
	return ch
}

// age finds the date of birth (a date question whose id ends in _dob) or
// the estimated age (a number question ending in _age_est).
func (b *builder) age(secs []*forms.Section, inst *forms.Instance) (string, *int) {
	if len(secs) == 0 {
		return "", nil
	}
	for _, q := range secs[0].Questions {
		switch {
		case q.Kind == forms.KindDate && strings.HasSuffix(q.ID, suffixDOB):
			s := b.str(inst, q.ID)
			if dob, err := time.Parse(time.DateOnly, s); err == nil {
				if y, ok := yearsBetween(dob, b.incidentTime()); ok {
					return s, &y
				}
				return s, nil
			}
		case q.Kind == forms.KindNumber && strings.HasSuffix(q.ID, suffixAgeEst):
			if a, ok := b.answer(inst, q.ID); ok {
				if f, ok := a.Value.(float64); ok && f >= 0 && f < 200 {
					y := int(f)
					return "", &y
				}
			}
		}
	}
	return "", nil
}

// yearsBetween is the whole years from birth to at; false when at is
// before birth or unknown.
func yearsBetween(birth, at time.Time) (int, bool) {
	if at.IsZero() || at.Before(birth) {
		return 0, false
	}
	y := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		y--
	}
	return y, true
}

func (b *builder) adult(secs []*forms.Section, inst *forms.Instance, i int) Adult {
	ad := Adult{ID: inst.ID, Number: i + 1, Name: b.name(inst.ID), Details: []Field{}}
	for _, sec := range secs {
		ad.Details = append(ad.Details, b.section(sec, inst).Fields...)
	}
	ad.Role = b.words(inst, qAdultRole)
	return ad
}

// relationPhrases words the v1 relationship codes as "X is <phrase> Y".
var relationPhrases = map[string]string{
	"parent":            "parent of",
	"pr_holder":         "holder of parental responsibility for",
	"step_parent":       "step-parent of",
	"partner_of_parent": "partner of the parent of",
	"sibling":           "adult brother or sister of",
	"household_member":  "household member with",
	"associate":         "associate of",
	"suspect":           "suspected of harming",
}

func (b *builder) relationships() {
	var list forms.CodeList
	if b.c.Relationships != nil {
		list = b.c.CodeLists[b.c.Relationships.CodeList]
	}
	for _, r := range b.e.Relationships {
		label := codeLabel(list, r.Type, b.clang)
		rel := Relationship{From: r.From, FromName: b.name(r.From), To: r.To, ToName: b.name(r.To), Type: r.Type, TypeLabel: label}
		switch p, ok := relationPhrases[r.Type]; {
		case ok && b.lang == Welsh:
			rel.Text = fmt.Sprintf(welshRelations[r.Type], rel.FromName, rel.ToName)
		case ok:
			rel.Text = rel.FromName + " is " + p + " " + rel.ToName
		default:
			rel.Text = fmt.Sprintf(b.t("%s is linked to %s: %s"), rel.FromName, rel.ToName, label)
		}
		b.doc.Relationships = append(b.doc.Relationships, rel)
	}
}

// screen files a risk screen as a concern or as "no concern", by its first
// (yes/no) question.
func (b *builder) screen(sec *forms.Section, s Section) {
	if len(s.Fields) == 0 {
		return
	}
	first := s.Fields[0]
	if len(sec.Questions) > 0 && first.Question == sec.Questions[0].ID && len(first.Codes) == 1 && first.Codes[0] == "no" && len(s.Fields) == 1 {
		b.doc.Risks.NoConcern = append(b.doc.Risks.NoConcern, s.Title)
		return
	}
	b.doc.Risks.Concerns = append(b.doc.Risks.Concerns, s)
}

func (b *builder) risks() {
	groups := map[forms.Level]*RiskGroup{}
	for _, r := range b.res.Reasons {
		risk := Risk{Rule: r.Rule, Text: r.Text}
		if r.Instance != "" {
			risk.PersonID, risk.Group = r.Instance, r.Group
			risk.Person = b.name(r.Instance)
			// The engine's text, as the review screen and the supervisor
			// show it ("Amira (Child 2): …").
		}
		g := groups[r.Level]
		if g == nil {
			g = &RiskGroup{Grade: r.Level, Reasons: []Risk{}}
			groups[r.Level] = g
		}
		g.Reasons = append(g.Reasons, risk)
	}
	for l := forms.LevelImmediate; l >= forms.LevelNone; l-- {
		if g := groups[l]; g != nil {
			b.doc.Risks.ByGrade = append(b.doc.Risks.ByGrade, *g)
		}
	}
	// Levels outside the known range (never made by Evaluate) still appear.
	var odd []forms.Level
	for l := range groups {
		if l < forms.LevelNone || l > forms.LevelImmediate {
			odd = append(odd, l)
		}
	}
	sort.Slice(odd, func(i, j int) bool { return odd[i] > odd[j] })
	for _, l := range odd {
		b.doc.Risks.ByGrade = append(b.doc.Risks.ByGrade, *groups[l])
	}
}

func (b *builder) decisions() {
	d := b.doc
	off := OfficerDecision{Name: b.meta.OfficerName, ID: b.meta.OfficerID, Grade: b.res.Grade, Computed: b.res.Computed,
		Lowered: b.res.Lowered, LoweredReason: b.res.LoweredReason, Submitted: timePtr(b.meta.Submitted)}
	if off.ID == "" {
		off.ID = b.e.Officer
	}
	sup := SupervisorDecision{Name: b.meta.SupervisorName, ID: b.meta.SupervisorID, Decision: api.EntryApproved,
		At: timePtr(b.meta.Approved), Grade: b.meta.SupervisorGrade, Comments: b.meta.SupervisorComments}
	if sup.Grade == forms.LevelNone {
		sup.Grade = off.Grade
	}
	switch {
	case sup.Grade > off.Grade:
		sup.Change = "raised"
	case sup.Grade < off.Grade:
		sup.Change = "lowered"
	default:
		sup.Change = "agreed"
	}
	hist := make([]Event, 0, len(b.meta.History))
	for _, h := range b.meta.History {
		lvl, _ := forms.ParseLevel(h.Grade)
		hist = append(hist, Event{Kind: h.Kind, Revision: h.Revision, By: h.By, At: h.At.UTC(), Grade: lvl, Reason: h.Reason})
	}
	d.Decisions = Decisions{Officer: off, Supervisor: sup, History: hist}
	d.Grade = sup.Grade
	d.Immediate = b.res.Immediate || d.Grade == forms.LevelImmediate
}

// t returns a fixed phrase of the document in its language.
func (b *builder) t(en string) string { return tr(b.lang, en) }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
