package trainer

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/i18n"
	"github.com/safeguard-uk/safeguard/app/ui"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// Store is what the trainer's screens need of a device store;
// *devicestore.Store satisfies it. Entries are made in training mode.
type Store interface {
	checklistui.Saver
	NewEntry(checklist forms.Ref, training bool) (*forms.Entry, error)
	Entry(entryID string) (*forms.Entry, error)
}

var _ Store = (*devicestore.Store)(nil)

// Sender sends what the store has queued (the sync engine; main's device
// adapter satisfies it). Practice checks go to the central system's
// training namespace, never the live queue.
type Sender interface {
	SyncNow(ctx context.Context) error
}

// Config is what the trainer's screens are built from.
type Config struct {
	// Store holds the practice checks (a device store unlocked for the
	// trainee; see OpenPracticeStore).
	Store Store
	// Checklists must hold the scenarios' checklist.
	Checklists *forms.Registry
	// Scenarios is the library (nil: those embedded in assets).
	Scenarios []*Scenario
	// Sync, if set, sends submitted practice checks to the training
	// namespace so the trainer can review them.
	Sync Sender
	// Now is the clock for the time taken (time.Now when nil).
	Now func() time.Time
	// Logger receives operational messages, never answers.
	Logger *slog.Logger
	// Desk, if set, opens the trainer's desk: the training queue reviewed
	// with the supervisor's screens, and the classes' results (a
	// *supervisor.Client on the Training namespace).
	Desk Desk
	// DeskPoll is the desk's queue refresh (see supervisor.Config.Poll).
	DeskPoll time.Duration
	// ExportDir is where class results are saved (the home folder when
	// empty).
	ExportDir string
}

// UI is the trainer's screens in one window; one screen field is non-nil
// at a time.
type UI struct {
	cfg Config
	w   fyne.Window

	Library  *LibraryScreen
	Demo     *DemoScreen
	Practice *PracticeScreen
	Results  *ResultsScreen
	// DeskUI is the trainer's desk (the supervisor's screens on the
	// training queue) while it is shown; Class the class results.
	DeskUI   *supervisor.UI
	Class    *ClassResultsScreen
	deskUser api.User

	// Attempts lists this trainee's practice runs, oldest first, each with
	// its score and time taken (submitted ones are also kept in the central
	// system's training namespace).
	Attempts []Attempt

	busy sync.WaitGroup
}

// Attempt is one practice run of a scenario.
type Attempt struct {
	Scenario string
	EntryID  string
	At       time.Time
	Score    Score
}

// New builds the trainer's screens in w; Start shows the library.
func New(w fyne.Window, cfg Config) (*UI, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Scenarios == nil {
		list, err := LoadScenarios(assets.FS)
		if err != nil {
			return nil, fmt.Errorf("training scenarios: %w", err)
		}
		cfg.Scenarios = list
	}
	return &UI{cfg: cfg, w: w}, nil
}

// Start shows the scenario library.
func (u *UI) Start() { u.ShowLibrary() }

// WaitIdle waits for background sends (tests use it).
func (u *UI) WaitIdle() { u.busy.Wait() }

func (u *UI) clear() {
	if u.DeskUI != nil {
		u.DeskUI.Stop()
	}
	u.Library, u.Demo, u.Practice, u.Results, u.DeskUI, u.Class = nil, nil, nil, nil, nil, nil
}

// OpenPracticeStore opens (or creates) a device store for practice checks
// in dir, with a trainee officer enrolled and signed in under officerID
// (an officer account of the central system, if practice checks are to be
// sent). The PIN is random and forgotten: the store holds only fictional
// training data, and a new trainee gets a new store.
func OpenPracticeStore(dir, officerID, name string, opts devicestore.Options) (*devicestore.Store, error) {
	s, err := devicestore.Open(filepath.Join(dir, "training.db"), opts)
	if err != nil {
		return nil, err
	}
	pin := fmt.Sprintf("%06d", time.Now().UnixNano()%1000000)
	officers, err := s.Officers()
	if err == nil {
		for _, o := range officers {
			if o.ID == officerID {
				err = errors.New("this practice store is already in use: remove " + filepath.Join(dir, "training.db") + " to start afresh")
			}
		}
	}
	if err == nil {
		err = s.EnrolOfficer(officerID, name, pin)
	}
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// LibraryScreen lists the scenarios, each with Demonstrate and Practise.
type LibraryScreen struct {
	// Desk opens the trainer's desk (nil without Config.Desk).
	Desk        *widget.Button
	Demonstrate map[string]*widget.Button // by scenario id
	Practise    map[string]*widget.Button
}

// ShowLibrary shows the scenario library.
func (u *UI) ShowLibrary() {
	s := &LibraryScreen{Demonstrate: map[string]*widget.Button{}, Practise: map[string]*widget.Button{}}
	rows := container.NewVBox()
	for _, sc := range u.cfg.Scenarios {
		title := widget.NewLabelWithStyle(sc.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		what := lang.L("Expected: ") + ui.LevelName(sc.Expected.Grade) + lang.L(" risk")
		topic := widget.NewLabel(strings.ToUpper(sc.Topic[:1]) + sc.Topic[1:] + " · " + what)
		topic.Wrapping = fyne.TextWrapWord
		topic.Importance = widget.LowImportance
		demo := widget.NewButtonWithIcon(lang.L("Demonstrate"), fynetheme.MediaPlayIcon(), func() { u.ShowDemo(sc) })
		practise := widget.NewButtonWithIcon(lang.L("Practise"), fynetheme.DocumentCreateIcon(), func() { u.ShowPractice(sc) })
		practise.Importance = widget.HighImportance
		s.Demonstrate[sc.ID] = demo
		s.Practise[sc.ID] = practise
		rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(demo, practise), container.NewVBox(title, topic)))
		rows.Add(widget.NewSeparator())
	}
	head := widget.NewLabelWithStyle(lang.L("Training scenarios"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = fynetheme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("Every case here is made up. Demonstrate walks the checklist with the story, the guidance and what should be recognised at each step. Practise lets a trainee record the case and scores it. Practice checks are marked as training and never reach the live referral queue."))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(trainingMark(), head, intro)
	if u.cfg.Desk != nil {
		s.Desk = widget.NewButtonWithIcon(lang.L("Trainer's desk: review the class's practice checks"), fynetheme.AccountIcon(), u.ShowDesk)
		top.Add(s.Desk)
	}
	u.clear()
	u.Library = s
	u.w.SetContent(container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(rows))))
}

func trainingMark() *widget.Label {
	l := widget.NewLabelWithStyle(lang.L("TRAINING · fictional cases only: nothing here reaches the live referral queue"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// session is a scenario being demonstrated or practised.
type session struct {
	u       *UI
	sc      *Scenario
	c       *forms.Checklist
	flow    *checklistui.Flow
	started time.Time
}

func (u *UI) newSession(sc *Scenario) (*session, error) {
	c, ok := u.cfg.Checklists.Get(sc.Checklist)
	if !ok {
		return nil, fmt.Errorf("this app does not have checklist %s", sc.Checklist)
	}
	e, err := u.cfg.Store.NewEntry(sc.Checklist, true)
	if err != nil {
		return nil, err
	}
	f, err := checklistui.New(c, e, u.cfg.Store, checklistui.Options{Now: u.cfg.Now, Window: u.w, Logger: u.cfg.Logger, Language: i18n.For(c)})
	if err != nil {
		return nil, err
	}
	return &session{u: u, sc: sc, c: c, flow: f, started: u.cfg.Now()}, nil
}

// onPage calls fn after every move between pages of the flow.
func onPage(f *checklistui.Flow, fn func()) {
	for _, b := range []*widget.Button{f.Back, f.Next, f.ReviewIt} {
		old := b.OnTapped
		b.OnTapped = func() { old(); fn() }
	}
	old := f.Jump.OnChanged
	f.Jump.OnChanged = func(s string) { old(s); fn() }
}

// factsHere are the scenario's facts answered on the flow's current page.
func (ss *session) factsHere() []Fact {
	f := ss.flow
	e := f.Entry()
	var out []Fact
	for _, fact := range ss.sc.Facts {
		q, ok := f.Questions[fact.Question]
		if !ok {
			continue
		}
		if fact.Group == "" {
			if q.Instance == "" {
				out = append(out, fact)
			}
			continue
		}
		list := e.Groups[fact.Group]
		if fact.Person < len(list) && list[fact.Person].ID == q.Instance {
			out = append(out, fact)
		}
	}
	return out
}

// rulesHere are the expected rules that read a question on the page.
func (ss *session) rulesHere() []string {
	var out []string
	for _, id := range ss.sc.Expected.Rules {
		when := ""
		for _, r := range ss.c.Rules {
			if r.ID == id {
				when = r.When
			}
		}
		for q := range ss.flow.Questions {
			if mentions(when, q) || (strings.HasPrefix(id, "tool:dash") && strings.HasPrefix(q, "dash_")) {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// FillHere enters the scenario's facts for the page on screen through the
// page's own widgets (adding the people the scenario needs on an empty
// people page, and its links on the links page), as a trainer would tap
// them in front of the class.
func (ss *session) FillHere() error {
	f := ss.flow
	if f.Links != nil {
		e := f.Entry()
		var rels []forms.Relationship
		for _, l := range ss.sc.Links {
			if l.Adult < len(e.Groups["adult"]) && l.Child < len(e.Groups["child"]) {
				rels = append(rels, forms.Relationship{From: e.Groups["adult"][l.Adult].ID, To: e.Groups["child"][l.Child].ID, Type: l.Type})
			}
		}
		return f.SetRelationships(rels)
	}
	if len(f.Questions) == 0 && f.AddPerson != nil {
		f.AddPerson.OnTapped()
		if len(f.Questions) == 0 {
			return nil
		}
	}
	for _, fact := range ss.factsHere() {
		q := f.Questions[fact.Question]
		if err := q.Enter(fact.Text(q.Q)); err != nil {
			return err
		}
	}
	return nil
}

// split lays two objects side by side when the window is wider than tall
// (flow 62%, panel 38%), one above the other otherwise (flow 60%).
type split struct{}

func (split) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := fynetheme.Padding()
	if size.Width >= size.Height {
		w := size.Width * 0.62
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(w-pad/2, size.Height))
		objs[1].Move(fyne.NewPos(w+pad/2, 0))
		objs[1].Resize(fyne.NewSize(size.Width-w-pad/2, size.Height))
		return
	}
	h := size.Height * 0.6
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h-pad/2))
	objs[1].Move(fyne.NewPos(0, h+pad/2))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h-pad/2))
}

func (split) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// DemoScreen walks the checklist with the story and the guidance shown,
// and reveals, page by page, what the officer finds and what should be
// recognised.
type DemoScreen struct {
	Flow      *checklistui.Flow
	Narrative *widget.Label
	// Found lists the facts for the page on screen; Recognise what should
	// be recognised from them.
	Found     *widget.Label
	Recognise *widget.Label
	// FillIn enters this page's facts through the page's widgets.
	FillIn  *widget.Button
	Library *widget.Button
	ss      *session
	panel   *fyne.Container
}

// ShowDemo starts a demonstration of sc.
func (u *UI) ShowDemo(sc *Scenario) {
	ss, err := u.newSession(sc)
	if err != nil {
		u.problem(lang.L("Could not start the demonstration"), err)
		return
	}
	d := &DemoScreen{Flow: ss.flow, ss: ss}
	d.Narrative = wrappedLabel(sc.Narrative)
	d.Found = wrappedLabel("")
	d.Recognise = wrappedLabel("")
	d.Recognise.Importance = widget.WarningImportance
	d.FillIn = widget.NewButtonWithIcon(lang.L("Show the officer's answers here"), fynetheme.MediaFastForwardIcon(), func() {
		if err := ss.FillHere(); err != nil {
			u.cfg.Logger.Warn("demo fill", "err", err)
		}
		d.Refresh()
	})
	d.Library = widget.NewButtonWithIcon(lang.L("Scenarios"), fynetheme.ListIcon(), u.ShowLibrary)
	onPage(ss.flow, d.Refresh)
	ss.flow.OnHome = u.ShowLibrary
	ss.flow.OnSubmitted = func(devicestore.Frozen) { u.ShowLibrary() }
	title := widget.NewLabelWithStyle(lang.L("Demonstration: ")+sc.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	d.panel = container.NewVBox(
		trainingMark(), title, d.Narrative, widget.NewSeparator(),
		boldLabel(lang.L("What the officer finds on this page")), d.Found,
		boldLabel(lang.L("What should be recognised")), d.Recognise,
		d.FillIn, d.Library,
	)
	panel := container.NewVScroll(container.NewPadded(d.panel))
	u.clear()
	u.Demo = d
	u.w.SetContent(container.New(split{}, ss.flow.Object(), panel))
	d.Refresh()
	panel.Content.Refresh() // wrapped text measured at the panel's width
}

// Refresh shows what belongs to the page on screen and opens the
// guidance of every question on it.
func (d *DemoScreen) Refresh() {
	ss := d.ss
	for _, q := range ss.flow.Questions {
		if q.Guidance != nil {
			q.Guidance.Show()
		}
	}
	var found []string
	for _, fact := range ss.factsHere() {
		q := ss.flow.Questions[fact.Question]
		line := "• " + q.Q.Label.In("") + ": " + ui.AnswerText(ss.c, q.Q, forms.Answer{Value: fact.Value()}, "")
		if fact.Finding != "" {
			line += "\n   " + fact.Finding
		}
		found = append(found, line)
	}
	switch {
	case ss.flow.Links != nil && len(ss.sc.Links) > 0:
		found = append(found, lang.L("• Link every child to the adults: who holds parental responsibility, who lives there, who is suspected."))
	case len(ss.flow.Questions) == 0 && ss.flow.AddPerson != nil:
		found = append(found, lang.L("• Add the people: {{.Children}} and {{.Adults}} in this case.", map[string]any{
			"Children": lang.N("{{.Count}} children", ss.sc.Children, map[string]any{"Count": ss.sc.Children}),
			"Adults":   lang.N("{{.Count}} adults", ss.sc.Adults, map[string]any{"Count": ss.sc.Adults}),
		}))
	}
	if len(found) == 0 {
		found = append(found, lang.L("Nothing from this case on this page: answer what is true, and say “Not known” with a reason where you cannot find out."))
	}
	d.Found.SetText(strings.Join(found, "\n"))
	var rec []string
	for _, id := range ss.rulesHere() {
		level, text := RuleText(ss.c, id)
		line := "• " + ui.LevelName(level) + ": " + text
		if t := ss.sc.Teaching[id]; t != "" {
			line += "\n   " + t
		}
		rec = append(rec, line)
	}
	if len(rec) == 0 {
		rec = append(rec, lang.L("Nothing to recognise from this page alone."))
	}
	d.Recognise.SetText(strings.Join(rec, "\n"))
	d.panel.Refresh()
}

// PracticeScreen is a trainee recording a scenario.
type PracticeScreen struct {
	Flow      *checklistui.Flow
	Narrative *widget.Label
	Finish    *widget.Button
	Library   *widget.Button
	ss        *session
}

// ShowPractice starts a practice run of sc.
func (u *UI) ShowPractice(sc *Scenario) {
	ss, err := u.newSession(sc)
	if err != nil {
		u.problem(lang.L("Could not start the practice"), err)
		return
	}
	p := &PracticeScreen{Flow: ss.flow, ss: ss}
	story := sc.Narrative
	// The case's reference is given, so the trainer's desk knows which
	// case a practice check is.
	if ref := sc.Reference(); ref != "" {
		if q := ss.flow.Questions[referenceQuestion]; q != nil {
			if err := q.Enter(ref); err != nil {
				u.cfg.Logger.Warn("practice reference", "err", err)
			}
		}
		story = lang.L("Reference ") + ref + ". " + story
	}
	p.Narrative = wrappedLabel(story)
	p.Finish = widget.NewButtonWithIcon(lang.L("Finish and see my score"), fynetheme.ConfirmIcon(), func() {
		f := ss.flow
		f.ShowPage(0) // saves text still being typed
		if f.Result().Ready {
			_ = f.Submit() // OnSubmitted shows the score
			return
		}
		u.showResults(ss, false)
	})
	p.Finish.Importance = widget.HighImportance
	p.Library = widget.NewButtonWithIcon(lang.L("Give up: back to the scenarios"), fynetheme.ListIcon(), u.ShowLibrary)
	ss.flow.OnHome = u.ShowLibrary
	ss.flow.OnSubmitted = func(devicestore.Frozen) { u.showResults(ss, true) }
	title := widget.NewLabelWithStyle(lang.L("Practice: ")+sc.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	hint := wrappedLabel(lang.L("Record what you would find. Add every child and adult, link them, and answer each part. Your score counts the risks you recognise, the case's facts you record as found, the child's details you record, and whether you called an immediate risk rightly. Nothing scores for a blank. The clock is running."))
	hint.Importance = widget.LowImportance
	panel := container.NewVScroll(container.NewPadded(container.NewVBox(trainingMark(), title, p.Narrative, hint, p.Finish, p.Library)))
	u.clear()
	u.Practice = p
	u.w.SetContent(container.New(split{}, ss.flow.Object(), panel))
	panel.Content.Refresh() // wrapped text measured at the panel's width
}

// ResultsScreen explains a practice score.
type ResultsScreen struct {
	Score   Score
	Total   *widget.Label
	Parts   *widget.Label
	Misses  *widget.Label
	Sent    *widget.Label
	Again   *widget.Button
	Library *widget.Button
}

func (u *UI) showResults(ss *session, submitted bool) {
	took := u.cfg.Now().Sub(ss.started)
	s := ScoreEntry(ss.c, ss.sc, ss.flow.Entry(), ss.flow.Result(), took)
	s.Submitted = submitted
	u.Attempts = append(u.Attempts, Attempt{Scenario: ss.sc.ID, EntryID: ss.flow.Entry().ID, At: u.cfg.Now(), Score: s})
	r := &ResultsScreen{Score: s}
	r.Total = widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Score: %d out of 100"), s.Total), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Total.SizeName = fynetheme.SizeNameHeadingText
	var parts []string
	parts = append(parts, fmt.Sprintf(lang.L("Risks recognised: %d of %d"), len(s.Recognised), len(s.Expected)))
	parts = append(parts, fmt.Sprintf(lang.L("The case's facts recorded as found: %d of %d (%d left blank, %d recorded but wrong)"), s.FactsRight, s.FactsNeeded, len(s.FactsMissed), len(s.FactsWrong)))
	parts = append(parts, fmt.Sprintf(lang.L("Child's details recorded (ethnicity, disability, SEN and the rest): %d of %d"), s.DemoRecorded, s.DemoNeeded))
	want := lang.L("not an immediate risk")
	if s.ImmediateExpected {
		want = lang.L("an immediate risk")
	}
	switch {
	case !s.ImmediateAnswered:
		parts = append(parts, fmt.Sprintf(lang.L("Immediate-risk call: not made, the immediate-safety questions were left unanswered (this case is %s)"), want))
	case s.ImmediateRight():
		parts = append(parts, fmt.Sprintf(lang.L("Immediate-risk call: right (this case is %s)"), want))
	default:
		parts = append(parts, fmt.Sprintf(lang.L("Immediate-risk call: wrong (this case is %s)"), want))
	}
	parts = append(parts, fmt.Sprintf(lang.L("Your grade: %s · expected: %s"), ui.LevelName(s.Grade), ui.LevelName(s.ExpectedGrade)))
	parts = append(parts, lang.L("Time taken: ")+minutes(took))
	if !submitted {
		parts = append(parts, lang.N("Not submitted: {{.Count}} things were still missing.", s.Problems, map[string]any{"Count": s.Problems}))
	}
	r.Parts = wrappedLabel(strings.Join(parts, "\n"))
	var misses []string
	misses = append(misses, s.Explanations...)
	for _, w := range s.FactsWrong {
		misses = append(misses, lang.L("Recorded but wrong: ")+w+".")
	}
	if len(s.FactsMissed) > 0 {
		misses = append(misses, lang.L("Left blank (the case gives them): ")+strings.Join(s.FactsMissed, "; ")+".")
	}
	switch {
	case !s.ImmediateAnswered:
		misses = append(misses, lang.L("The immediate-safety questions were not all answered: answer every one, yes or no, before anything else. An unanswered question is not a “No”."))
	case !s.ImmediateRight():
		if s.ImmediateExpected {
			misses = append(misses, lang.L("Immediate risk not called: in this case something should have made you act at once (see the misses above). A “Yes” on the immediate-safety page does it."))
		} else {
			misses = append(misses, lang.L("Immediate risk called when the case did not need it: check the immediate-safety answers against what you found."))
		}
	}
	for _, m := range s.DemoMissing {
		misses = append(misses, lang.L("Not recorded: ")+m+lang.L(". The inspection found ethnicity blank in 12 of 48 files and disability or SEN in 20 of 48: never leave them blank; say “Not known” with a reason."))
	}
	for _, x := range s.Extra {
		level, text := RuleText(ss.c, x)
		misses = append(misses, lang.L("Also flagged (not in the case's facts): ")+ui.LevelName(level)+": "+text)
	}
	if len(misses) == 0 {
		misses = append(misses, lang.L("Nothing missed. Well done."))
	}
	r.Misses = wrappedLabel(strings.Join(misses, "\n\n"))
	r.Sent = wrappedLabel("")
	r.Sent.Importance = widget.LowImportance
	r.Sent.Hide()
	r.Again = widget.NewButtonWithIcon(lang.L("Try this case again"), fynetheme.ViewRefreshIcon(), func() { u.ShowPractice(ss.sc) })
	r.Library = widget.NewButtonWithIcon(lang.L("Scenarios"), fynetheme.ListIcon(), u.ShowLibrary)
	head := widget.NewLabelWithStyle(lang.L("Results: ")+ss.sc.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(trainingMark(), head, r.Total, r.Parts, widget.NewSeparator(), boldLabel(lang.L("What to learn from it")), r.Misses, r.Sent)
	u.clear()
	u.Results = r
	u.w.SetContent(container.NewBorder(nil, container.NewPadded(container.NewGridWithColumns(2, r.Again, r.Library)), nil, nil,
		container.NewVScroll(container.NewPadded(body))))
	u.cfg.Logger.Info("practice scored", "scenario", ss.sc.ID, "score", s.Total)
	if submitted && u.cfg.Sync != nil {
		r.Sent.SetText(lang.L("Sending to your trainer's training queue…"))
		r.Sent.Show()
		body.Refresh()
		u.busy.Add(1)
		go func() {
			defer u.busy.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := u.cfg.Sync.SyncNow(ctx)
			fyne.Do(func() {
				if err != nil {
					r.Sent.SetText(lang.L("Kept on this device for now: it is sent to the training queue when the central system can be reached."))
				} else {
					r.Sent.SetText(lang.L("Sent to your trainer's training queue (never the live referral queue)."))
				}
				body.Refresh()
			})
		}()
	}
}

func minutes(d time.Duration) string {
	m := int(d.Minutes())
	s := int(d.Seconds()) % 60
	if m == 0 {
		return fmt.Sprintf(lang.L("%d s"), s)
	}
	return fmt.Sprintf(lang.L("%d min %d s"), m, s)
}

func (u *UI) problem(title string, err error) {
	u.cfg.Logger.Warn(title, "err", err)
	l := wrappedLabel(title + ": " + plainErr(err))
	l.Importance = widget.DangerImportance
	back := widget.NewButtonWithIcon(lang.L("Scenarios"), fynetheme.ListIcon(), u.ShowLibrary)
	u.clear()
	u.w.SetContent(container.NewPadded(container.NewVBox(l, back)))
}

// plainErr is an error in words for the screen (ui.Words).
func plainErr(err error) string { return ui.Words(err) }

func wrappedLabel(s string) *widget.Label { return ui.Wrapped(s) }

func boldLabel(s string) *widget.Label { return ui.Bold(s) }
