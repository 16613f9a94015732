package checklistui

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	_ "github.com/safeguard-uk/safeguard/app/i18n" // the translations
	"github.com/safeguard-uk/safeguard/app/ui"
	"image/color"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// Options tune a Flow. The zero value is valid.
type Options struct {
	// Language of the checklist's texts ("en" when empty).
	Language string
	// TypingDelay is how long typing must pause before a text answer is
	// saved; it is also saved on Enter and when the field loses focus.
	// Zero saves on every change.
	TypingDelay time.Duration
	// Now is the clock for the "Now" buttons (time.Now when nil).
	Now func() time.Time
	// Window hosts dialogs (confirmations, the photo file picker).
	Window fyne.Window
	// Touch is called on every officer action (to postpone the idle lock).
	Touch func()
	// Logger receives operational messages; never answers.
	Logger *slog.Logger
	// Banner keeps the immediate-risk banner as the officer left it
	// (details open or not, actions ticked) across flows of one entry;
	// nil starts it collapsed.
	Banner *BannerState
	// Returned is set for an entry a supervisor returned: Reason is their
	// overall reason, Comments their comments by forms.Item.Path
	// ("question" or "group[instance].question"), shown beside the
	// questions.
	Returned *Returned
}

// Returned is a supervisor's return of an entry, as the flow shows it.
type Returned struct {
	Reason   string
	Comments map[string]string
}

// pageKind says what a page of the flow shows.
type pageKind int

const (
	pageSection pageKind = iota // a section (or one instance of a repeating section)
	pageEmpty                   // a repeating section's group has nobody yet
	pageLinks                   // the relationships between people
	pageReview                  // every problem, the grade and the submit button
)

type page struct {
	kind     pageKind
	section  *forms.Section
	group    string
	instance string
	index    int // instance index in its group
}

func (p page) key() string {
	return fmt.Sprintf("%d/%s/%s", p.kind, sectionID(p.section), p.instance)
}

func sectionID(s *forms.Section) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// Flow is the guided checklist for one entry. Build it with New and put
// Flow.Object() in a window. Fields are exported so tests drive the
// widgets by name.
type Flow struct {
	c    *forms.Checklist
	e    *forms.Entry
	s    Saver
	opts Options
	res  *forms.Result
	// inc re-evaluates the entry after each answer, re-running only the
	// expressions the answer can change (its result is Evaluate's).
	inc *forms.Incremental

	pages []page
	// pageNames are the names in the parts' titles when pages was built
	// (see names).
	pageNames []string
	cur       int

	// Header.
	Home         *widget.Button
	Title        *widget.Label
	Progress     *widget.ProgressBar
	ProgressText *widget.Label
	Banner       *Banner
	// Body.
	PageTitle *widget.Label
	Body      *fyne.Container
	Scroll    *container.Scroll
	// Footer.
	Back     *widget.Button
	Next     *widget.Button
	Jump     *widget.Select
	ReviewIt *widget.Button
	// Questions on the current page, by question id.
	Questions map[string]*Question
	// Group controls on the current page (nil when not shown).
	AddPerson    *widget.Button
	RemovePerson *widget.Button
	// Links is the relationships editor (on the links page).
	Links *LinksEditor
	// Review is the review page (on the review page).
	Review *Review

	// OnHome is called when the officer leaves the flow with Home.
	OnHome func()
	// OnSubmitted is called after the store has frozen and queued the entry.
	OnSubmitted func(devicestore.Frozen)
	// OnLocked is called when the store refuses a change because it locked
	// itself (idle time): the app shows the PIN screen.
	OnLocked func()

	title string // last title sent to the store
	root  fyne.CanvasObject
	// built keeps each section page's widgets once built (by page key),
	// so switching parts updates them instead of building them again;
	// adding or removing a person or renaming one empties it.
	built map[string]*builtPage
}

// builtPage is a section page's widgets.
type builtPage struct {
	objs                    []fyne.CanvasObject
	questions               map[string]*Question
	addPerson, removePerson *widget.Button
}

// New builds the flow for entry e of checklist c, saving through s.
func New(c *forms.Checklist, e *forms.Entry, s Saver, opts Options) (*Flow, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if e.Answers == nil {
		e.Answers = map[string]forms.Answer{}
	}
	f := &Flow{c: c, e: e, s: s, opts: opts, Questions: map[string]*Question{}}
	f.inc = forms.NewIncremental(c, forms.Options{Language: opts.Language})
	if err := f.evaluate(); err != nil {
		return nil, err
	}
	f.build()
	f.buildPages()
	f.show(0)
	f.afterEvaluate()
	return f, nil
}

// Object is the flow's root widget.
func (f *Flow) Object() fyne.CanvasObject { return f.root }

// Result is the latest evaluation of the entry.
func (f *Flow) Result() *forms.Result { return f.res }

// Entry is the entry as last saved.
func (f *Flow) Entry() *forms.Entry { return f.e }

func (f *Flow) touch() {
	if f.opts.Touch != nil {
		f.opts.Touch()
	}
}

func (f *Flow) evaluate() error {
	res, err := f.inc.Evaluate(f.e)
	if err != nil {
		return err
	}
	f.res = res
	return nil
}

func (f *Flow) build() {
	f.Home = widget.NewButtonWithIcon(lang.L("Home"), fynetheme.HomeIcon(), func() {
		f.touch()
		f.flushAll()
		if f.OnHome != nil {
			f.OnHome()
		}
	})
	f.Title = widget.NewLabelWithStyle(f.c.Title.In(f.opts.Language), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.Title.Truncation = fyne.TextTruncateEllipsis
	f.Progress = widget.NewProgressBar()
	f.ProgressText = widget.NewLabel("")
	f.Progress.TextFormatter = func() string { return f.ProgressText.Text }
	f.Banner = newBanner(f)
	f.PageTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.PageTitle.Wrapping = fyne.TextWrapWord
	f.PageTitle.SizeName = fynetheme.SizeNameSubHeadingText
	f.Body = container.NewVBox()
	scroll := newPageScroll(f, clearOfScrollBar(f.Body))
	f.Scroll = &scroll.Scroll
	f.Back = widget.NewButtonWithIcon(lang.L("Back"), fynetheme.NavigateBackIcon(), func() { f.touch(); f.flushAll(); f.show(f.cur - 1) })
	f.Next = widget.NewButtonWithIcon(lang.L("Next"), fynetheme.NavigateNextIcon(), func() { f.touch(); f.flushAll(); f.show(f.cur + 1) })
	f.Next.IconPlacement = widget.ButtonIconTrailingText
	f.Next.Importance = widget.HighImportance
	f.Jump = widget.NewSelect(nil, func(s string) {
		for i, o := range f.Jump.Options {
			if o == s && i != f.cur {
				f.touch()
				f.flushAll()
				f.show(i)
				return
			}
		}
	})
	f.Jump.PlaceHolder = lang.L("Go to part…")
	f.ReviewIt = widget.NewButtonWithIcon(lang.L("Review and submit"), fynetheme.DocumentIcon(), func() {
		f.touch()
		f.flushAll()
		f.show(len(f.pages) - 1)
	})
	header := container.NewVBox(
		container.NewBorder(nil, nil, f.Home, nil, f.Title),
		f.Progress,
	)
	// The banner sits above the footer: when it appears the viewport
	// shrinks from below and nothing above it moves.
	footer := container.NewVBox(f.Banner.Object(), container.NewPadded(container.NewBorder(nil, nil, f.Back, container.NewHBox(f.ReviewIt, f.Next), f.Jump)))
	f.root = container.NewBorder(header, footer, nil, nil, scroll)
}

// buildPages works out the pages from the checklist, the entry's people
// and what is relevant now: consecutive sections repeating over one group
// are shown person by person (child 1's details, then child 1 seen and
// heard, then child 2...).
func (f *Flow) buildPages() {
	relevant := map[string]bool{}
	for _, st := range f.res.Sections {
		relevant[st.Section+"/"+st.Instance] = st.Relevant
	}
	var pages []page
	linkGroups := map[string]bool{}
	if r := f.c.Relationships; r != nil {
		for _, g := range append(append([]string{}, r.From...), r.To...) {
			linkGroups[g] = true
		}
	}
	lastLinkSection := -1
	for i := range f.c.Sections {
		if linkGroups[f.c.Sections[i].Repeat] {
			lastLinkSection = i
		}
	}
	for i := 0; i < len(f.c.Sections); {
		s := &f.c.Sections[i]
		if s.Repeat == "" {
			if relevant[s.ID+"/"] {
				pages = append(pages, page{kind: pageSection, section: s})
			}
			i++
			continue
		}
		j := i
		for j < len(f.c.Sections) && f.c.Sections[j].Repeat == s.Repeat {
			j++
		}
		insts := f.e.Groups[s.Repeat]
		if len(insts) == 0 {
			pages = append(pages, page{kind: pageEmpty, section: s, group: s.Repeat})
		}
		for n, inst := range insts {
			for k := i; k < j; k++ {
				sk := &f.c.Sections[k]
				if relevant[sk.ID+"/"+inst.ID] {
					pages = append(pages, page{kind: pageSection, section: sk, group: s.Repeat, instance: inst.ID, index: n})
				}
			}
		}
		if lastLinkSection >= i && lastLinkSection < j {
			pages = append(pages, page{kind: pageLinks})
		}
		i = j
	}
	pages = append(pages, page{kind: pageReview})
	names := f.names(f.pageNames[:0:0])
	if slices.Equal(pages, f.pages) && slices.Equal(names, f.pageNames) {
		return // an answer rarely changes the parts or their titles
	}
	f.pages, f.pageNames = pages, names
	opts := make([]string, len(pages))
	for i, p := range pages {
		opts[i] = fmt.Sprintf("%d. %s", i+1, f.pageTitle(p))
	}
	if !slices.Equal(opts, f.Jump.Options) { // an answer rarely changes the parts
		f.Jump.Options = opts
		f.Jump.Refresh()
	}
}

// names appends to out the names the parts' titles show (each person's
// name answer, in entry order), to tell when the titles change.
func (f *Flow) names(out []string) []string {
	for _, g := range f.c.Groups {
		if g.NameQuestion == "" {
			continue
		}
		for _, inst := range f.e.Groups[g.ID] {
			s, _ := inst.Answers[g.NameQuestion].Value.(string)
			out = append(out, s)
		}
	}
	return out
}

// selectPage shows page i as chosen in the part selector (redrawn only
// when it changed).
func (f *Flow) selectPage(i int) {
	if f.Jump.SelectedIndex() != i {
		f.Jump.SetSelectedIndex(i)
	}
}

// personName is "Child 2: Amy" (or "Child 2" before a name is given).
func (f *Flow) personName(group, instance string) string {
	g, ok := f.c.Group(group)
	if !ok {
		return group
	}
	for i, inst := range f.e.Groups[group] {
		if inst.ID != instance {
			continue
		}
		name := fmt.Sprintf("%s %d", g.Label.In(f.opts.Language), i+1)
		if a, ok := inst.Answers[g.NameQuestion]; ok {
			if s, ok := a.Value.(string); ok && strings.TrimSpace(s) != "" {
				name += ": " + s
			}
		}
		return name
	}
	return g.Label.In(f.opts.Language)
}

func (f *Flow) pageTitle(p page) string {
	switch p.kind {
	case pageEmpty:
		return p.section.Title.In(f.opts.Language)
	case pageLinks:
		return lang.L("How people are linked")
	case pageReview:
		return lang.L("Review and submit")
	}
	t := p.section.Title.In(f.opts.Language)
	if p.instance != "" {
		t = f.personName(p.group, p.instance) + " — " + t
	}
	return t
}

// Page returns the number (from 0) and title of the page on screen.
func (f *Flow) Page() (int, string) { return f.cur, f.pageTitle(f.pages[f.cur]) }

// Pages returns the titles of every page, in order.
func (f *Flow) Pages() []string {
	out := make([]string, len(f.pages))
	for i, p := range f.pages {
		out[i] = f.pageTitle(p)
	}
	return out
}

// ShowPage shows page i (clamped to the pages there are).
func (f *Flow) ShowPage(i int) { f.flushAll(); f.show(i) }

// show builds page i's widgets and puts them on screen.
func (f *Flow) show(i int) {
	if i < 0 {
		i = 0
	}
	if i >= len(f.pages) {
		i = len(f.pages) - 1
	}
	f.cur = i
	p := f.pages[i]
	f.Questions = map[string]*Question{}
	f.AddPerson, f.RemovePerson, f.Links, f.Review = nil, nil, nil, nil
	f.PageTitle.SetText(f.pageTitle(p))
	if bp, ok := f.built[p.key()]; ok && p.kind == pageSection {
		f.Questions, f.AddPerson, f.RemovePerson = bp.questions, bp.addPerson, bp.removePerson
		f.Body.Objects = bp.objs
		f.toTop()
		f.selectPage(i)
		f.updateNav()
		f.updateVisibility(true)
		return
	}
	objs := []fyne.CanvasObject{f.PageTitle}
	if ret := f.opts.Returned; ret != nil && (i == 0 || p.kind == pageReview) {
		objs = append(objs, f.supervisorNote(lang.L("Returned by your supervisor: ")+ret.Reason))
	}
	switch p.kind {
	case pageSection:
		if intro := p.section.Intro.In(f.opts.Language); intro != "" {
			l := widget.NewLabel(intro)
			l.Wrapping = fyne.TextWrapWord
			objs = append(objs, l)
		}
		visible := f.visibleOn(p)
		for qi := range p.section.Questions {
			q := &p.section.Questions[qi]
			r := f.newQuestion(q, p.group, p.instance)
			if visible[q.ID] {
				r.ensureBuilt()
			} else {
				r.box.Hide()
			}
			f.Questions[q.ID] = r
			objs = append(objs, r.box)
		}
		if p.group != "" {
			objs = append(objs, f.groupControls(p))
		}
	case pageEmpty:
		g, _ := f.c.Group(p.group)
		name := strings.ToLower(g.Label.In(f.opts.Language))
		msg := fmt.Sprintf(lang.L("No %s recorded yet."), name)
		if g.Min > 0 {
			msg += fmt.Sprintf(lang.L(" Add at least %d."), g.Min)
		}
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l, f.groupControls(p))
	case pageLinks:
		f.Links = newLinksEditor(f)
		objs = append(objs, f.Links.Object())
	case pageReview:
		f.Review = newReview(f)
		objs = append(objs, f.Review.Object())
	}
	f.Body.Objects = objs
	if p.kind == pageSection {
		if f.built == nil {
			f.built = map[string]*builtPage{}
		}
		f.built[p.key()] = &builtPage{objs: objs, questions: f.Questions, addPerson: f.AddPerson, removePerson: f.RemovePerson}
	}
	if p.kind != pageSection {
		f.Body.Refresh()
	}
	f.toTop()
	f.selectPage(i)
	f.updateNav()
	f.updateVisibility(true)
}

// toTop scrolls the page to its top, if it is not there.
func (f *Flow) toTop() {
	if f.Scroll.Offset.Y != 0 {
		f.Scroll.ScrollToTop()
	}
}

func (f *Flow) groupControls(p page) fyne.CanvasObject {
	g, _ := f.c.Group(p.group)
	label := strings.ToLower(g.Label.In(f.opts.Language))
	article := "a"
	if strings.ContainsAny(label[:1], "aeiou") {
		article = "an"
	}
	addText := fmt.Sprintf(lang.L("Add %s %s"), article, label)
	if len(f.e.Groups[p.group]) > 0 {
		addText = fmt.Sprintf(lang.L("Add another %s"), label)
	}
	f.AddPerson = widget.NewButtonWithIcon(addText, fynetheme.ContentAddIcon(), func() { f.touch(); f.AddInstance(p.group) })
	if g.Max > 0 && len(f.e.Groups[p.group]) >= g.Max {
		f.AddPerson.Disable()
	}
	objs := []fyne.CanvasObject{f.AddPerson}
	if p.instance != "" {
		inst := p.instance
		f.RemovePerson = widget.NewButtonWithIcon(lang.L("Remove ")+f.personName(p.group, inst), fynetheme.DeleteIcon(), func() {
			f.touch()
			name := f.personName(p.group, inst)
			do := func(ok bool) {
				if ok {
					f.RemoveInstance(p.group, inst)
				}
			}
			if f.opts.Window == nil {
				do(true)
				return
			}
			dialog.ShowConfirm(lang.L("Remove ")+name+"?", lang.L("Everything recorded about ")+name+lang.L(" in this check will be removed."), do, f.opts.Window)
		})
		f.RemovePerson.Importance = widget.DangerImportance
		objs = append(objs, f.RemovePerson)
	}
	return container.NewGridWithColumns(len(objs), objs...)
}

func (f *Flow) supervisorNote(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// AddInstance adds a person to group through the store and shows their
// first page.
func (f *Flow) AddInstance(group string) {
	id, err := f.s.AddInstance(f.e.ID, group)
	if err != nil {
		f.fail(lang.L("Could not add: ")+plain(err), err)
		return
	}
	if f.e.Groups == nil {
		f.e.Groups = map[string][]forms.Instance{}
	}
	f.e.Groups[group] = append(f.e.Groups[group], forms.Instance{ID: id, Answers: map[string]forms.Answer{}})
	f.built = nil
	f.changed()
	for i, p := range f.pages {
		if p.kind == pageSection && p.instance == id {
			f.show(i)
			return
		}
	}
	f.show(f.cur)
}

// RemoveInstance removes a person through the store.
func (f *Flow) RemoveInstance(group, id string) {
	if err := f.s.RemoveInstance(f.e.ID, group, id); err != nil {
		f.fail(lang.L("Could not remove: ")+plain(err), err)
		return
	}
	list := f.e.Groups[group]
	for i := range list {
		if list[i].ID == id {
			f.e.Groups[group] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	var rels []forms.Relationship
	for _, r := range f.e.Relationships {
		if r.From != id && r.To != id {
			rels = append(rels, r)
		}
	}
	f.e.Relationships = rels
	f.built = nil
	cur := f.cur
	f.changed()
	f.show(min(cur, len(f.pages)-1))
}

// answerChanged saves what is on screen for r, then re-evaluates.
func (f *Flow) answerChanged(r *Question) {
	f.touch()
	a, msg := r.answer()
	if msg != "" {
		r.setProblem(msg)
		r.setStatus(lang.L("Not saved yet: see the message above."), true)
		return
	}
	r.setProblem("")
	if err := f.s.SetAnswer(f.e.ID, r.Group, r.Instance, r.Q.ID, a); err != nil {
		r.setStatus(lang.L("Not saved: ")+plain(err), true)
		f.opts.Logger.Warn("answer not saved", "entry", f.e.ID, "question", r.Q.ID, "err", err)
		f.locked(err)
		return
	}
	answers := f.e.Answers
	if r.Instance != "" {
		inst, ok := f.e.Instance(r.Group, r.Instance)
		if !ok {
			return
		}
		if inst.Answers == nil {
			inst.Answers = map[string]forms.Answer{}
		}
		answers = inst.Answers
	}
	if a.IsBlank() {
		delete(answers, r.Q.ID)
		r.setStatus(lang.L("Cleared and saved"), false)
	} else {
		answers[r.Q.ID] = a
		r.setStatus(lang.L("Saved"), false)
	}
	if g, ok := f.c.Group(r.Group); ok && g.NameQuestion == r.Q.ID {
		f.built = nil // "Remove Child 1: name" buttons say the new name
	}
	if err := f.evaluate(); err != nil {
		f.opts.Logger.Error("evaluate", "entry", f.e.ID, "err", err)
		return
	}
	if f.inc.Unchanged {
		// Only an answer nothing reads changed (a reference, a
		// description): the result is the one on screen. What reads the
		// answers themselves is updated: the entry's title and the
		// suggestions ("Use the incident address").
		f.updateTitle()
		f.updateSuggestions()
	} else {
		f.afterChange()
	}
	f.showNext(r)
}

// changed re-evaluates after a saved change and updates what is shown.
func (f *Flow) changed() {
	if err := f.evaluate(); err != nil {
		f.opts.Logger.Error("evaluate", "entry", f.e.ID, "err", err)
		return
	}
	f.afterChange()
}

// updateSuggestions shows or hides the suggestions of the current page's
// questions after an answer changed, laying the page out again if any
// did.
func (f *Flow) updateSuggestions() {
	relayout := false
	for _, r := range f.Questions {
		if r.built && r.updateSuggestion() {
			relayout = true
		}
	}
	if relayout {
		f.relayoutBody()
	}
}

// afterChange updates what is shown from a new result.
func (f *Flow) afterChange() {
	before := f.pages[f.cur]
	f.buildPages()
	for i, p := range f.pages {
		if p.kind == before.kind && p.section == before.section && p.instance == before.instance { // p.key() == before.key()
			f.cur = i
			break
		}
	}
	if f.cur >= len(f.pages) {
		f.cur = len(f.pages) - 1
	}
	f.selectPage(f.cur)
	f.updateVisibility(false)
	f.updateNav()
	f.afterEvaluate()
	if f.Review != nil {
		f.Review.refresh()
	}
	if f.Links != nil {
		f.Links.refresh()
	}
}

// afterEvaluate updates the progress, the banner and tells the store the
// grade when it changed.
func (f *Flow) afterEvaluate() {
	total, done := 0, 0
	for _, st := range f.res.Sections {
		if !st.Relevant {
			continue
		}
		total++
		if st.Complete {
			done++
		}
	}
	if text := fmt.Sprintf(lang.L("%d of %d parts complete"), done, total); text != f.ProgressText.Text {
		f.ProgressText.SetText(text)
		if total > 0 {
			f.Progress.SetValue(float64(done) / float64(total)) // redraws it with the new text
		} else {
			f.Progress.Refresh()
		}
	}
	f.Banner.update(f.res)
	f.updateTitle()
}

// updateTitle tells the store the entry's title when it changed.
func (f *Flow) updateTitle() {
	if t := f.entryTitle(); t != f.title {
		if err := f.s.SetTitle(f.e.ID, t); err != nil {
			f.opts.Logger.Warn("title not saved", "entry", f.e.ID, "err", err)
		} else {
			f.title = t
		}
	}
}

// updateVisibility shows the questions of the current page that are
// relevant now and hides the rest; it lays the page out again when that
// changed anything (or always, when relayout is set).
func (f *Flow) updateVisibility(relayout bool) {
	p := f.pages[f.cur]
	if p.kind != pageSection {
		return
	}
	visible := f.visibleOn(p)
	problems := map[string]string{}
	for _, pr := range f.res.Problems {
		if pr.Section == p.section.ID && pr.Instance == p.instance && (pr.Code == forms.ProblemConstraint || pr.Code == forms.ProblemInvalid || pr.Code == forms.ProblemNotKnownNoReason) {
			problems[pr.Question] = f.problemText(pr)
		}
	}
	for id, r := range f.Questions {
		if visible[id] != r.box.Visible() {
			relayout = true
			if visible[id] {
				r.ensureBuilt()
				r.box.Show()
			} else {
				r.box.Hide()
			}
		}
		if !r.built {
			continue
		}
		if r.updateSuggestion() {
			relayout = true
		}
		if msg, ok := problems[id]; ok {
			r.setProblem(msg)
		} else if !r.Problem.Hidden && r.Status.Color != f.errorColor() {
			r.setProblem("")
		}
	}
	if f.updatePrompts() { // disclosure.go
		relayout = true
	}
	if relayout {
		f.relayoutBody()
	}
}

// visibleOn is the set of questions of page p that are relevant now.
func (f *Flow) visibleOn(p page) map[string]bool {
	visible := map[string]bool{}
	for _, it := range f.res.Visible {
		if it.Section == p.section.ID && it.Instance == p.instance {
			visible[it.Question] = true
		}
	}
	return visible
}

// answerOf is the stored answer to r's question.
func (f *Flow) answerOf(r *Question) forms.Answer {
	answers := f.e.Answers
	if r.Instance != "" {
		inst, ok := f.e.Instance(r.Group, r.Instance)
		if !ok {
			return forms.Answer{}
		}
		answers = inst.Answers
	}
	return answers[r.Q.ID]
}

// relayoutBody lays the page out again after its rows changed or showed
// and hid, without refreshing every widget on it (a Container.Refresh
// redraws each row's icons and text: that was most of a part switch).
func (f *Flow) relayoutBody() {
	content := f.Scroll.Content
	view := f.Scroll.Size()
	min := content.MinSize()
	size := fyne.NewSize(max(view.Width, min.Width), max(view.Height, min.Height))
	body := f.Body.Size()
	// A resize lays out what it resizes; lay out by hand only what kept
	// its size (laying the page out twice was a third of a first visit).
	if content.Size() != size {
		content.Resize(size)
	} else if c, ok := content.(*fyne.Container); ok && c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
	if f.Body.Size() == body {
		f.Body.Layout.Layout(f.Body.Objects, f.Body.Size())
	}
	if f.opts.Window != nil {
		f.opts.Window.Canvas().Refresh(f.Body)
	} else {
		canvas.Refresh(f.Body)
	}
}

func (f *Flow) updateNav() {
	enable(f.Back, f.cur > 0)
	enable(f.Next, f.cur < len(f.pages)-1)
	enable(f.ReviewIt, f.pages[f.cur].kind != pageReview)
}

// flushAll saves text still waiting for a pause in typing.
func (f *Flow) flushAll() {
	for _, r := range f.Questions {
		for _, e := range r.entries() {
			e.flush()
		}
	}
}

// GoTo shows the page holding item and focuses its question; for a
// problem about a whole group it shows the group's first page, for a
// missing link the links page.
func (f *Flow) GoTo(it forms.Item, code forms.ProblemCode) {
	f.flushAll()
	target := -1
	for i, p := range f.pages {
		switch {
		case code == forms.ProblemUnlinked || code == forms.ProblemRelationship:
			if p.kind == pageLinks {
				target = i
			}
		case it.Question == "" && it.Instance == "":
			if p.section != nil && p.section.ID == it.Section && (p.kind == pageEmpty || p.index == 0) {
				target = i
			}
		default:
			if p.kind == pageSection && p.section.ID == it.Section && p.instance == it.Instance {
				target = i
			}
		}
		if target >= 0 {
			break
		}
	}
	if target < 0 {
		return
	}
	f.show(target)
	if r, ok := f.Questions[it.Question]; ok {
		f.Scroll.Refresh()
		f.Scroll.ScrollToOffset(fyne.NewPos(0, r.box.Position().Y))
		if fo := r.input.Focus(); fo != nil {
			if c := fyne.CurrentApp().Driver().CanvasForObject(f.root); c != nil {
				c.Focus(fo)
			}
		}
	}
}

// pickPhoto opens the file picker and attaches the chosen image.
func (f *Flow) pickPhoto(r *Question) {
	f.touch()
	if f.opts.Window == nil {
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		f.AttachPhoto(r, rc.URI().Name(), rc.URI().MimeType(), rc)
	}, f.opts.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".heic"}))
	d.Show()
}

// AttachPhoto stores a photo through the store and adds it to the photo
// question r.
func (f *Flow) AttachPhoto(r *Question, name, mediaType string, content io.Reader) {
	p, ok := r.input.(*photoInput)
	if !ok {
		return
	}
	att, err := f.s.PutAttachment(f.e.ID, content, mediaType, name)
	if err != nil {
		r.setStatus(lang.L("Photo not saved: ")+plain(err), true)
		f.opts.Logger.Warn("photo not saved", "entry", f.e.ID, "err", err)
		return
	}
	known := false
	for _, a := range f.e.Attachments {
		known = known || a.SHA256 == att.SHA256
	}
	if !known {
		f.e.Attachments = append(f.e.Attachments, att)
	}
	p.add(att.SHA256)
	f.answerChanged(r)
}

func (f *Flow) attachmentName(sha string) string {
	for _, a := range f.e.Attachments {
		if a.SHA256 == sha && a.Name != "" {
			return a.Name
		}
	}
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}

// SetRelationships saves the entry's relationships through the store.
func (f *Flow) SetRelationships(rels []forms.Relationship) error {
	f.touch()
	if err := f.s.SetRelationships(f.e.ID, rels); err != nil {
		f.fail(lang.L("Link not saved: ")+plain(err), err)
		return err
	}
	f.e.Relationships = rels
	f.changed()
	return nil
}

// SetGrading saves the officer's grade through the store.
func (f *Flow) SetGrading(g *forms.Grading) error {
	f.touch()
	if err := f.s.SetGrading(f.e.ID, g); err != nil {
		f.fail(lang.L("Grade not saved: ")+plain(err), err)
		return err
	}
	f.e.Grading = g
	f.changed()
	return nil
}

// Submit freezes and queues the entry when it is ready.
func (f *Flow) Submit() error {
	f.touch()
	f.flushAll()
	if !f.res.Ready {
		return errors.New("the check is not finished")
	}
	fr, err := f.s.Submit(f.e.ID, f.res.Grade, f.res.Immediate)
	if err != nil {
		f.fail(lang.L("Not submitted: ")+plain(err), err)
		return err
	}
	f.opts.Logger.Info("entry submitted", "entry", f.e.ID, "revision", fr.Revision, "grade", f.res.Grade.String(), "immediate", f.res.Immediate)
	if f.OnSubmitted != nil {
		f.OnSubmitted(fr)
	}
	return nil
}

func (f *Flow) fail(msg string, err error) {
	f.opts.Logger.Warn("flow", "entry", f.e.ID, "err", err)
	if f.locked(err) {
		return
	}
	if f.opts.Window != nil {
		dialog.ShowInformation(lang.L("Not saved"), msg, f.opts.Window)
	}
}

// locked reports whether err says the store locked itself, and if so
// hands over to OnLocked.
func (f *Flow) locked(err error) bool {
	if !errors.Is(err, devicestore.ErrLocked) {
		return false
	}
	if f.OnLocked != nil {
		f.OnLocked()
	}
	return true
}

// entryTitle is the label entry lists show: the first child's name and
// the incident address, as far as they are known.
func (f *Flow) entryTitle() string {
	var parts []string
	for _, g := range f.c.Groups {
		if len(f.e.Groups[g.ID]) == 0 || g.NameQuestion == "" {
			continue
		}
		if s, ok := f.e.Groups[g.ID][0].Answers[g.NameQuestion].Value.(string); ok && strings.TrimSpace(s) != "" {
			name := strings.TrimSpace(s)
			if n := len(f.e.Groups[g.ID]); n > 1 {
				name += fmt.Sprintf(lang.L(" and %d more"), n-1)
			}
			parts = append(parts, name)
		}
		break
	}
	if s, ok := f.e.Answers["incident_address"].Value.(string); ok && strings.TrimSpace(s) != "" {
		parts = append(parts, strings.TrimSpace(s))
	}
	return strings.Join(parts, ", ")
}

// plain is an error in words for the screen (ui.Words).
func plain(err error) string { return ui.Words(err) }

func (f *Flow) mutedColor() color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameMuted, fyne.CurrentApp().Settings().ThemeVariant())
}

func (f *Flow) errorColor() color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(fynetheme.ColorNameError, fyne.CurrentApp().Settings().ThemeVariant())
}

func (f *Flow) captionSize() float32 {
	return fyne.CurrentApp().Settings().Theme().Size(fynetheme.SizeNameText)
}

// removePhoto takes a photo off the entry's list through the store, unless
// another photo answer still refers to it.
func (f *Flow) removePhoto(sha string) bool {
	uses := 0
	count := func(m map[string]forms.Answer) {
		for _, a := range m {
			if list, ok := a.Value.([]string); ok {
				for _, h := range list {
					if h == sha {
						uses++
					}
				}
			}
		}
	}
	count(f.e.Answers)
	for _, list := range f.e.Groups {
		for _, inst := range list {
			count(inst.Answers)
		}
	}
	if uses > 1 {
		return true
	}
	if err := f.s.RemoveAttachment(f.e.ID, sha); err != nil {
		f.fail(lang.L("Photo not removed: ")+plain(err), err)
		return false
	}
	var keep []forms.Attachment
	for _, a := range f.e.Attachments {
		if a.SHA256 != sha {
			keep = append(keep, a)
		}
	}
	f.e.Attachments = keep
	return true
}

// relayout lays the screen's frame out again after the banner (in the
// footer) showed, hid or changed size: the page keeps its widgets and is
// only resized, never refreshed (a Container.Refresh of the root redrew
// every widget of the page, most of an answer that shows the banner).
func (f *Flow) relayout() {
	c, ok := f.root.(*fyne.Container)
	if !ok || c.Layout == nil {
		return
	}
	if pc, ok := f.Scroll.Content.(*fyne.Container); ok {
		if l, ok := pc.Layout.(*insetLayout); ok {
			m := pc.MinSize() // once: the page does not change here
			l.frozen = &m
			defer func() { l.frozen = nil }()
		}
	}
	c.Layout.Layout(c.Objects, c.Size())
	for _, o := range c.Objects {
		if oc, ok := o.(*fyne.Container); ok && oc.Layout != nil {
			oc.Layout.Layout(oc.Objects, oc.Size()) // header and footer, whose size may not have changed
		}
	}
	if f.opts.Window != nil {
		f.opts.Window.Canvas().Refresh(c)
	} else {
		canvas.Refresh(c)
	}
}
