package supervisor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/safeguard-uk/safeguard/app/i18n"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// gradeChoices are the grades a reviewer may set, least serious first.
var gradeChoices = []string{"Standard", "Medium", "High", "Immediate"}

// EntryScreen is one entry as a reviewer sees it: what the officer
// recorded, why it is graded as it is, its revisions and what changed,
// and the decision (approve, return with reasons, change the grade).
type EntryScreen struct {
	Back *widget.Button
	// Family opens the family network around the entry's people.
	Family *widget.Button
	Title  *widget.Label
	// Summary: status, grades, officer, team, times.
	Summary *widget.Label
	// Reasons and Actions from evaluating the entry with its checklist.
	Reasons *widget.Label
	Actions *widget.Label
	// Disclosures lists what the recogniser flagged in the free text and
	// the officer's answers (nil when it flagged nothing; disclosures.go).
	Disclosures *widget.Label
	// Revision chooses the revision on show; Changes lists what changed in
	// it since the one before.
	Revision *widget.Select
	Changes  []string
	// ChangesText shows Changes.
	ChangesText *widget.Label
	// Decisions lists earlier approvals, returns and grade changes.
	Decisions *widget.Label
	// Answers by path (forms.Item.Path), each with its comment box.
	Answers map[string]*AnswerRow
	// Links lists the relationships between people.
	Links *widget.Label

	// Decision.
	Overall     *widget.Entry
	Approve     *widget.Button
	ReturnIt    *widget.Button
	Grade       *widget.Select
	GradeReason *widget.Entry
	ChangeGrade *widget.Button
	// Locked explains why the decision controls are off (an older
	// revision on show, or the entry already decided).
	Locked *widget.Label

	Notice  *widget.Label
	Message *widget.Label
	Busy    *widget.ProgressBarInfinite
	// Alert is the new immediate-risk banner (as on the queue).
	Alert     *fyne.Container
	AlertText *widget.RichText

	// View is the entry as the central system sent it; Entry its document
	// and Result its evaluation (nil when the checklist is unknown here).
	View   api.EntryView
	Entry  *forms.Entry
	Result *forms.Result

	u      *UI
	id     string
	c      *forms.Checklist
	body   *fyne.Container
	header *fyne.Container
}

// AnswerRow is one answered question.
type AnswerRow struct {
	Path    string
	Label   *widget.Label
	Value   *widget.Label
	Changed *widget.Label // nil unless the answer changed in this revision
	// Written names the language the officer wrote the answer's free text
	// in ("Written in Welsh"); nil for codes and for entries made before
	// languages were recorded.
	Written *widget.Label
	// Comment is the reviewer's comment for the officer on this answer.
	Comment *widget.Entry
}

// OpenEntry opens an entry's current revision (the central system audits
// the open).
func (u *UI) OpenEntry(id string) {
	u.openedAlert(id)
	s := &EntryScreen{u: u, id: id, Answers: map[string]*AnswerRow{}}
	s.build()
	u.clear()
	u.Entry = s
	u.w.SetContent(s.root())
	s.load(0, "")
}

func (s *EntryScreen) build() {
	u := s.u
	s.Back = widget.NewButtonWithIcon(lang.L("Back to the queue"), fynetheme.NavigateBackIcon(), u.ShowQueue)
	s.Family = widget.NewButtonWithIcon(lang.L("Family network"), fynetheme.AccountIcon(), func() { u.ShowNetwork(s.id) })
	s.Title = widget.NewLabelWithStyle(lang.L("Opening…"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Title.Truncation = fyne.TextTruncateEllipsis
	s.Title.SizeName = fynetheme.SizeNameSubHeadingText
	s.Summary = wrapped("")
	s.Reasons = wrapped("")
	s.Actions = wrapped("")
	s.ChangesText = wrapped("")
	s.Decisions = wrapped("")
	s.Links = wrapped("")
	s.Revision = widget.NewSelect(nil, nil)
	s.Overall = widget.NewEntry()
	s.Overall.SetPlaceHolder(lang.L("Overall reason for returning"))
	s.ReturnIt = widget.NewButtonWithIcon(lang.L("Return to officer"), fynetheme.MailReplyIcon(), s.doReturn)
	s.ReturnIt.Importance = widget.WarningImportance
	s.Approve = widget.NewButtonWithIcon(lang.L("Approve"), fynetheme.ConfirmIcon(), s.doApprove)
	s.Approve.Importance = widget.HighImportance
	var grades []string
	for _, g := range gradeChoices {
		grades = append(grades, lang.L(g))
	}
	s.Grade = widget.NewSelect(grades, nil)
	s.Grade.PlaceHolder = lang.L("Grade")
	s.GradeReason = widget.NewEntry()
	s.GradeReason.SetPlaceHolder(lang.L("Reason (needed to lower the grade)"))
	s.ChangeGrade = widget.NewButton(lang.L("Change grade"), s.doGrade)
	s.Locked = wrapped("")
	s.Locked.Importance = widget.WarningImportance
	s.Locked.Hide()
	s.Notice = wrapped("")
	s.Notice.Importance = widget.SuccessImportance
	s.Notice.Hide()
	s.Message = errorLabel()
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	s.AlertText = widget.NewRichText()
	open := widget.NewButtonWithIcon(lang.L("Open it"), fynetheme.WarningIcon(), func() {
		if n := len(u.alerts); n > 0 {
			u.OpenEntry(u.alerts[n-1].EntryID)
		}
	})
	open.Importance = widget.DangerImportance
	s.Alert = alertBox(s.AlertText, open)
	s.body = container.NewVBox()
	s.enableDecision(false)
}

func (s *EntryScreen) root() fyne.CanvasObject {
	s.header = container.NewVBox(
		container.NewBorder(nil, nil, s.Back, s.Family, s.Title),
		s.Alert,
	)
	header := s.header
	decide := container.NewBorder(nil, nil, nil, container.NewHBox(s.ReturnIt, s.Approve), s.Overall)
	grade := container.NewBorder(nil, nil, nil, s.ChangeGrade, container.NewGridWithColumns(2, s.Grade, s.GradeReason))
	footer := container.NewVBox(widget.NewSeparator(), s.Locked, decide, grade, s.Busy, s.Message, s.Notice)
	return container.NewBorder(container.NewPadded(header), container.NewPadded(footer), nil, nil, container.NewVScroll(container.NewPadded(s.body)))
}

func (s *EntryScreen) enableDecision(on bool) {
	for _, w := range []fyne.Disableable{s.Approve, s.ReturnIt, s.Overall, s.Grade, s.GradeReason, s.ChangeGrade} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	for _, r := range s.Answers {
		if on {
			r.Comment.Enable()
		} else {
			r.Comment.Disable()
		}
	}
}

// load fetches revision rev (0: current) and shows it; notice, if any,
// is shown once loaded.
func (s *EntryScreen) load(rev int, notice string) {
	s.Busy.Show()
	s.enableDecision(false)
	say(s.Message, "")
	s.u.background(func(ctx context.Context) {
		v, err := s.u.cfg.Client.Open(ctx, s.id, rev)
		fyne.Do(func() {
			if s.u.Entry != s {
				return
			}
			s.Busy.Hide()
			if err != nil {
				var e *Error
				if errors.As(err, &e) && e.Status == 401 {
					s.u.ShowLogin(e.Message)
					return
				}
				say(s.Message, plain(err))
				s.Title.SetText(lang.L("Could not open the check"))
				return
			}
			s.show(v)
			if notice != "" {
				say(s.Notice, notice)
			}
		})
	})
}

// ShowRevision shows another revision of the entry (read only).
func (s *EntryScreen) ShowRevision(rev int) { s.load(rev, "") }

func (s *EntryScreen) show(v api.EntryView) {
	u := s.u
	lng := u.cfg.Language
	s.View = v
	s.Entry, s.Result, s.c = nil, nil, nil
	s.Answers = map[string]*AnswerRow{}
	e, err := forms.DecodeEntry(v.Entry)
	if err != nil {
		say(s.Message, lang.L("The check's document could not be read: ")+plain(err))
		return
	}
	s.Entry = e
	if u.cfg.Checklists != nil {
		if c, ok := u.cfg.Checklists.Get(e.Checklist); ok {
			s.c = c
			if lng == "" {
				lng = i18n.For(c)
			}
			if res, err := forms.Evaluate(c, e, forms.Options{Language: lng}); err == nil {
				s.Result = res
			}
		}
	}

	// Title and summary.
	now := u.cfg.Now()
	s.showSummary(v, e, now)

	objs := []fyne.CanvasObject{s.Summary}
	if v.Training || e.Training {
		mark := widget.NewLabelWithStyle(lang.L("TRAINING CHECK · made in training mode: it never reaches the live referral queue"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		mark.Wrapping = fyne.TextWrapWord
		mark.Importance = widget.WarningImportance
		objs = append([]fyne.CanvasObject{mark}, objs...)
	}

	// Reasons and actions.
	objs = append(objs, heading(lang.L("Why this grade")))
	s.showReasons(e)
	objs = append(objs, s.Reasons, s.Actions)
	objs = append(objs, s.disclosureSection(e, lng)...) // disclosures.go

	// Revisions and what changed.
	revObjs, changed := s.revisionSection(v, e, now, lng)
	objs = append(objs, revObjs...)

	// Decisions so far.
	objs = append(objs, s.decisionSection(v, e, now, lng)...)

	// Answers by section.
	objs = append(objs, heading(lang.L("What the officer recorded")))
	if s.c != nil && s.Result != nil {
		objs = append(objs, s.answerRows(e, changed)...)
	}
	objs = append(objs, heading(lang.L("People and how they are linked")))
	if s.c != nil {
		lines := RelationshipLines(s.c, e, lng)
		if len(lines) == 0 {
			s.Links.SetText(lang.L("No links recorded."))
		} else {
			s.Links.SetText(strings.Join(lines, "\n"))
		}
		if _, ok := changed["relationships"]; ok {
			s.Links.Importance = widget.WarningImportance
			s.Links.SetText(s.Links.Text + lang.L("\n(changed in this revision)"))
		}
	}
	objs = append(objs, s.Links)
	s.body.Objects = objs
	s.body.Refresh()

	// Decision controls.
	s.showControls(v)
	s.showAlert()
}

// showSummary sets the title and fills the summary under it: status,
// grade, times, photos, delivery.
func (s *EntryScreen) showSummary(v api.EntryView, e *forms.Entry, now time.Time) {
	title := fmt.Sprintf(lang.L("%s · %s risk"), v.Receipt, LevelName(v.Grade))
	if v.Training || e.Training {
		title = "TRAINING · " + title
	}
	s.Title.SetText(title)
	var sum []string
	status := map[string]string{api.EntryReceived: lang.L("Waiting for review"), api.EntryApproved: lang.L("Approved"), api.EntryReturned: lang.L("Returned to the officer")}[v.Status]
	if status == "" {
		status = v.Status
	}
	sum = append(sum, fmt.Sprintf(lang.L("%s · revision %d of %d · team %s"), status, v.Revision, v.Current, v.Team))
	g := lang.L("Grade: ") + LevelName(v.Grade) + lang.L(" (the checklist rules say ") + LevelName(v.Computed)
	if v.DeviceGrade != "" {
		g += lang.L("; the officer's tablet said ") + LevelName(v.DeviceGrade)
	}
	g += ")"
	if v.GradeDisagrees {
		g += lang.L(" — the officer's grade and the rules disagree: check it.")
	}
	sum = append(sum, g)
	dl := lang.L("Received ") + when(now, v.Received) + lang.L(" · review by ") + when(now, v.Deadline)
	if v.Status == api.EntryReceived && (v.Overdue || now.After(v.Deadline)) {
		dl += lang.L(" · OVERDUE by ") + span(now.Sub(v.Deadline))
	}
	sum = append(sum, dl)
	if !v.Complete {
		sum = append(sum, lang.L("Some photos are still arriving from the tablet."))
	}
	if v.Delivery != nil {
		sum = append(sum, lang.L("Referral to partners: ")+v.Delivery.State)
	}
	if e.Language != "" {
		sum = append(sum, writtenWords(e.Language)+" · "+lang.L("free text is shown as the officer wrote it, marked with its language"))
	}
	sum = append(sum, lang.L("Opening a check is recorded in the audit trail."))
	s.Summary.SetText(strings.Join(sum, "\n"))
	if v.Status == api.EntryReceived && (v.Overdue || now.After(v.Deadline)) {
		s.Summary.Importance = widget.DangerImportance
	} else {
		s.Summary.Importance = widget.MediumImportance
	}
}

// showReasons fills why the rules gave the grade and what should be done.
func (s *EntryScreen) showReasons(e *forms.Entry) {
	if s.Result != nil {
		var rs []string
		for _, r := range s.Result.Reasons {
			line := "• " + LevelName(r.Level.String()) + ": " + r.Text
			rs = append(rs, line)
		}
		if len(rs) == 0 {
			rs = append(rs, lang.L("No risk rule fired: standard."))
		}
		s.Reasons.SetText(strings.Join(rs, "\n"))
		var as []string
		for _, a := range s.Result.Actions {
			as = append(as, "• "+a.Text)
		}
		if len(as) > 0 {
			s.Actions.SetText(lang.L("What should be done:\n") + strings.Join(as, "\n"))
		} else {
			s.Actions.SetText("")
		}
	} else {
		s.Reasons.SetText(lang.L("This app does not have checklist ") + e.Checklist.String() + lang.L(": the reasons cannot be shown."))
		s.Actions.SetText("")
	}
}

// revisionSection is the revision picker and what changed in the shown
// revision; changed maps each changed path to its change.
func (s *EntryScreen) revisionSection(v api.EntryView, e *forms.Entry, now time.Time, lng string) (objs []fyne.CanvasObject, changed map[string]string) {
	objs = append(objs, heading(lang.L("Revisions")))
	var revs []string
	var diff []DiffLine
	for _, r := range v.Revisions {
		label := fmt.Sprintf(lang.L("Revision %d · received %s · %s"), r.Revision, when(now, r.Received), LevelName(r.Grade))
		if r.Revision == v.Current {
			label += lang.L(" (latest)")
		}
		revs = append(revs, label)
		if r.Revision == v.Revision {
			for _, d := range r.Diff {
				diff = append(diff, DiffLine{Path: d.Path, Change: d.Change})
			}
		}
	}
	s.Revision.Options = revs
	s.Revision.OnChanged = nil
	for i, r := range v.Revisions {
		if r.Revision == v.Revision {
			s.Revision.SetSelectedIndex(i)
		}
	}
	s.Revision.OnChanged = func(string) {
		i := s.Revision.SelectedIndex()
		if i >= 0 && i < len(v.Revisions) && v.Revisions[i].Revision != s.View.Revision {
			s.ShowRevision(v.Revisions[i].Revision)
		}
	}
	objs = append(objs, s.Revision)
	changed = map[string]string{}
	s.Changes = nil
	if s.c != nil {
		s.Changes = Changes(s.c, e, nil, diff, lng)
	} else {
		for _, d := range diff {
			s.Changes = append(s.Changes, d.Path+": "+d.Change)
		}
	}
	for _, d := range diff {
		changed[d.Path] = d.Change
	}
	switch {
	case v.Revision == 1:
		s.ChangesText.SetText(lang.L("First revision: nothing to compare."))
	case len(s.Changes) == 0:
		s.ChangesText.SetText(fmt.Sprintf(lang.L("Nothing changed since revision %d."), v.Revision-1))
	default:
		s.ChangesText.SetText(fmt.Sprintf(lang.L("What changed since revision %d:\n• %s"), v.Revision-1, strings.Join(s.Changes, "\n• ")))
	}
	s.ChangesText.Importance = widget.MediumImportance
	if len(s.Changes) > 0 {
		s.ChangesText.Importance = widget.WarningImportance
	}
	objs = append(objs, s.ChangesText)
	return objs, changed
}

// decisionSection lists the decisions so far (nothing when there are none).
func (s *EntryScreen) decisionSection(v api.EntryView, e *forms.Entry, now time.Time, lng string) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	if len(v.Decisions) > 0 {
		objs = append(objs, heading(lang.L("Decisions so far")))
		var ds []string
		for _, d := range v.Decisions {
			line := fmt.Sprintf(lang.L("• %s, revision %d, %s"), decisionWord(d.Kind), d.Revision, when(now, d.At))
			if d.Grade != "" {
				line += lang.L(" · grade ") + LevelName(d.Grade)
			}
			if d.Reason != "" {
				line += " · " + d.Reason
			}
			for _, c := range d.Comments {
				label := c.Question
				if s.c != nil {
					label = PathLabel(s.c, e, nil, c.Question, lng)
				}
				line += "\n    " + label + ": " + c.Text
			}
			ds = append(ds, line)
		}
		s.Decisions.SetText(strings.Join(ds, "\n"))
		objs = append(objs, s.Decisions)
	}
	return objs
}

// showControls sets the decision controls for the shown revision.
func (s *EntryScreen) showControls(v api.EntryView) {
	s.Grade.SetSelected(LevelName(v.Grade))
	open := v.Status == api.EntryReceived && v.Revision == v.Current
	switch {
	case v.Revision != v.Current:
		say(s.Locked, fmt.Sprintf(lang.L("You are looking at revision %d. Decisions are made on the latest, revision %d."), v.Revision, v.Current))
	case v.Status == api.EntryApproved:
		say(s.Locked, lang.L("This revision is approved. It is never changed; the officer can only amend it."))
	case v.Status == api.EntryReturned:
		say(s.Locked, lang.L("Returned to the officer: waiting for their amended revision."))
	default:
		say(s.Locked, "")
	}
	s.enableDecision(open)
	if v.Status != api.EntryApproved && v.Revision == v.Current {
		// The grade may be changed while the entry is not approved.
		s.Grade.Enable()
		s.GradeReason.Enable()
		s.ChangeGrade.Enable()
	}
}

func decisionWord(kind string) string {
	switch kind {
	case "approved":
		return lang.L("Approved")
	case "returned":
		return lang.L("Returned")
	case "grade":
		return lang.L("Grade changed")
	}
	return kind
}

// answerRows renders the visible, answered questions section by section
// (person by person for repeating sections), each with a comment box.
func (s *EntryScreen) answerRows(e *forms.Entry, changed map[string]string) []fyne.CanvasObject {
	lng := s.u.cfg.Language
	if lng == "" {
		lng = i18n.For(s.c)
	}
	var objs []fyne.CanvasObject
	last := ""
	for _, it := range s.Result.Visible {
		q, sec, ok := s.c.Question(it.Question)
		if !ok {
			continue
		}
		answers := e.Answers
		if it.Instance != "" {
			inst, ok := e.Instance(it.Group, it.Instance)
			if !ok {
				continue
			}
			answers = inst.Answers
		}
		a, ok := answers[it.Question]
		if !ok || a.IsBlank() {
			continue
		}
		key := it.Section + "/" + it.Instance
		if key != last {
			t := sec.Title.In(lng)
			if it.Instance != "" {
				t = PersonName(s.c, e, it.Group, it.Instance, lng) + " — " + t
				if _, added := changed[it.Group+"["+it.Instance+"]"]; added {
					t += lang.L(" (added in this revision)")
				}
			}
			h := widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			h.Wrapping = fyne.TextWrapWord
			h.Importance = widget.HighImportance
			objs = append(objs, widget.NewSeparator(), h)
			last = key
		}
		path := it.Path()
		r := &AnswerRow{Path: path}
		r.Label = widget.NewLabelWithStyle(q.Label.In(lng), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		r.Label.Wrapping = fyne.TextWrapWord
		r.Value = wrapped(AnswerText(s.c, q, a, lng))
		left := container.NewVBox(r.Label, r.Value)
		if w := writtenIn(e, q, a); w != "" {
			r.Written = wrapped(w)
			r.Written.Importance = widget.LowImportance
			r.Written.TextStyle = fyne.TextStyle{Italic: true}
			left.Add(r.Written)
		}
		if ch, ok := changed[path]; ok {
			r.Changed = wrapped(lang.L("Changed in this revision (") + ch + ")")
			r.Changed.Importance = widget.WarningImportance
			r.Changed.TextStyle = fyne.TextStyle{Bold: true}
			left.Add(r.Changed)
		}
		r.Comment = widget.NewMultiLineEntry()
		r.Comment.Wrapping = fyne.TextWrapWord
		r.Comment.SetMinRowsVisible(1)
		r.Comment.SetPlaceHolder(lang.L("Comment for the officer on this answer"))
		s.Answers[path] = r
		objs = append(objs, container.NewGridWithColumns(2, left, r.Comment))
	}
	return objs
}

func (s *EntryScreen) showAlert() {
	u := s.u
	defer s.header.Refresh()
	if len(u.alerts) == 0 {
		s.Alert.Hide()
		return
	}
	a := u.alerts[len(u.alerts)-1]
	setBannerText(s.AlertText, fmt.Sprintf(lang.L("%s from %s arrived at %s: review by %s."), a.Receipt, a.Team, theme.Clock(a.Received), theme.Clock(a.Deadline)))
	s.Alert.Show()
}

// Comments returns the comments typed beside answers, in on-screen order.
func (s *EntryScreen) Comments() []api.Comment {
	var out []api.Comment
	if s.Result == nil {
		return nil
	}
	for _, it := range s.Result.Visible {
		r, ok := s.Answers[it.Path()]
		if !ok {
			continue
		}
		if t := strings.TrimSpace(r.Comment.Text); t != "" {
			out = append(out, api.Comment{Question: r.Path, Text: t})
		}
	}
	return out
}

func (s *EntryScreen) busy(on bool) {
	if on {
		s.Busy.Show()
		s.enableDecision(false)
		say(s.Message, "")
		say(s.Notice, "")
	} else {
		s.Busy.Hide()
	}
}

func (s *EntryScreen) failed(err error) {
	s.busy(false)
	var e *Error
	if errors.As(err, &e) && e.Status == 401 {
		s.u.ShowLogin(e.Message)
		return
	}
	say(s.Message, plain(err))
	s.show(s.View)
}

func (s *EntryScreen) doApprove() {
	v := s.View
	if len(s.Comments()) > 0 {
		say(s.Message, lang.L("You wrote comments beside answers. To send them, return the check instead; to approve, clear them first."))
		return
	}
	s.busy(true)
	s.u.background(func(ctx context.Context) {
		_, err := s.u.cfg.Client.Approve(ctx, v.EntryID, v.Current)
		fyne.Do(func() {
			if err != nil {
				s.failed(err)
				return
			}
			s.u.cfg.Logger.Info("entry approved", "entry", v.EntryID, "revision", v.Current)
			s.u.showQueue(fmt.Sprintf(lang.L("Approved %s (revision %d). The officer's tablet shows it at its next sync."), v.Receipt, v.Current))
		})
	})
}

func (s *EntryScreen) doReturn() {
	v := s.View
	req := api.ReturnRequest{Revision: v.Current, Comments: s.Comments(), Text: strings.TrimSpace(s.Overall.Text)}
	if len(req.Comments) == 0 && req.Text == "" {
		say(s.Message, lang.L("Say what needs changing: write a comment beside an answer, or an overall reason, then return it."))
		return
	}
	s.busy(true)
	s.u.background(func(ctx context.Context) {
		_, err := s.u.cfg.Client.Return(ctx, v.EntryID, req)
		fyne.Do(func() {
			if err != nil {
				s.failed(err)
				return
			}
			s.u.cfg.Logger.Info("entry returned", "entry", v.EntryID, "revision", v.Current, "comments", len(req.Comments))
			n := len(req.Comments)
			what := lang.L("with your reason")
			if n == 1 {
				what = lang.L("with 1 comment")
			} else if n > 1 {
				what = fmt.Sprintf(lang.L("with %d comments"), n)
			}
			s.u.showQueue(fmt.Sprintf(lang.L("Returned %s to the officer %s. It comes back here when they amend it."), v.Receipt, what))
		})
	})
}

func (s *EntryScreen) doGrade() {
	v := s.View
	if s.Grade.Selected == "" {
		say(s.Message, lang.L("Choose a grade first."))
		return
	}
	to := strings.ToLower(gradeChoices[max(s.Grade.SelectedIndex(), 0)])
	cur, _ := forms.ParseLevel(v.Grade)
	nl, err := forms.ParseLevel(to)
	if err != nil {
		say(s.Message, lang.L("Choose a grade first."))
		return
	}
	reason := strings.TrimSpace(s.GradeReason.Text)
	switch {
	case nl == cur:
		say(s.Message, lang.L("That is already the grade."))
		return
	case nl < cur && reason == "":
		say(s.Message, lang.L("To lower the grade, say why in the reason box. Raising it needs no reason."))
		return
	}
	s.busy(true)
	s.u.background(func(ctx context.Context) {
		_, err := s.u.cfg.Client.Grade(ctx, v.EntryID, api.GradeRequest{Grade: to, Reason: reason})
		fyne.Do(func() {
			if err != nil {
				s.failed(err)
				return
			}
			s.load(0, lang.L("Grade changed to ")+LevelName(to)+".")
		})
	})
}

// writtenIn says which language an answer's free text was written in, or
// "" when the answer holds none (codes, numbers, dates) or the entry does
// not say (made before languages were recorded).
func writtenIn(e *forms.Entry, q *forms.Question, a forms.Answer) string {
	free := a.NotKnown && strings.TrimSpace(a.Reason) != ""
	if !a.NotKnown && (q.Kind == forms.KindText || q.Kind == forms.KindLongText) {
		v, _ := a.Value.(string)
		free = strings.TrimSpace(v) != ""
	}
	tag := e.WrittenIn(a)
	if !free || tag == "" {
		return ""
	}
	return writtenWords(tag)
}

// writtenWords is "Written in Welsh" for a language tag, through the
// app's translations (one key per language: Welsh mutates the language's
// name after "yn").
func writtenWords(tag string) string {
	switch primary, _, _ := strings.Cut(tag, "-"); primary {
	case "cy":
		return lang.L("Written in Welsh")
	case "en":
		return lang.L("Written in English")
	}
	return lang.X("Written in the language tagged {{.Tag}}", "Written in the language tagged {{.Tag}}", map[string]string{"Tag": tag})
}
