package supervisor

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// LoginScreen signs a supervisor (or trainer) in, online.
type LoginScreen struct {
	Username *widget.Entry
	Password *widget.Entry
	SignIn   *widget.Button
	Message  *widget.Label
	Busy     *widget.ProgressBarInfinite
}

// ShowLogin shows the sign-in screen with msg (if any) explaining why.
func (u *UI) ShowLogin(msg string) {
	s := &LoginScreen{}
	s.Username = widget.NewEntry()
	s.Username.SetPlaceHolder(lang.L("User name"))
	s.Password = widget.NewPasswordEntry()
	s.Password.SetPlaceHolder(lang.L("Password"))
	s.Message = errorLabel()
	say(s.Message, msg)
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	s.SignIn = widget.NewButtonWithIcon(lang.L("Sign in"), fynetheme.LoginIcon(), func() { u.signIn(s) })
	s.SignIn.Importance = widget.HighImportance
	s.Password.OnSubmitted = func(string) { u.signIn(s) }
	s.Username.OnSubmitted = func(string) { u.w.Canvas().Focus(s.Password) }
	title, intro := lang.L("Supervisor sign-in"), lang.L("Sign in with your central system account to review your teams' checks. You need a network connection.")
	if u.training() {
		title, intro = lang.L("Trainer sign-in"), lang.L("Sign in to review your trainees' practice checks. Training checks never reach the live referral queue.")
	}
	u.clear()
	u.Login = s
	u.w.SetContent(screen(title, intro, s.Username, s.Password, s.SignIn, s.Busy, s.Message))
	u.w.Canvas().Focus(s.Username)
}

func (u *UI) signIn(s *LoginScreen) {
	user, pass := strings.TrimSpace(s.Username.Text), s.Password.Text
	if user == "" || pass == "" {
		say(s.Message, lang.L("Enter your user name and password."))
		return
	}
	s.SignIn.Disable()
	s.Busy.Show()
	say(s.Message, "")
	u.background(func(ctx context.Context) {
		resp, err := u.cfg.Client.Login(ctx, user, pass)
		fyne.Do(func() {
			s.SignIn.Enable()
			s.Busy.Hide()
			if err != nil {
				say(s.Message, plain(err))
				return
			}
			want := api.RoleSupervisor
			if u.training() {
				want = api.RoleTrainer
			}
			if resp.User.Role != want && resp.User.Role != api.RoleAdmin {
				say(s.Message, fmt.Sprintf(lang.L("This account is an %s's, not a %s's. Sign in with a %s account."), resp.User.Role, want, want))
				go func() { _ = u.cfg.Client.Logout(context.Background()) }()
				return
			}
			u.user = resp.User
			u.cfg.Logger.Info("reviewer signed in", "user", resp.User.Username)
			u.ShowQueue()
		})
	})
}

// State filters.
const (
	StateAll       = "All states"
	StateOverdue   = "Overdue"
	StateNew       = "New (first revision)"
	StateAmended   = "Amended (resubmitted)"
	StateUploading = "Photos still arriving"
)

var stateFilters = []string{StateAll, StateOverdue, StateNew, StateAmended, StateUploading}

// Grade and team filters' "everything" choices.
const (
	AllGrades = "All grades"
	AllTeams  = "All teams"
)

var gradeFilters = []string{AllGrades, "Immediate", "High", "Medium", "Standard"}

// translated are filter choices in the app's language.
func translated(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = lang.L(k)
	}
	return out
}

// chosenKey is the English key of a filter choice shown in the app's
// language (the choice itself when it is already a key).
func chosenKey(keys []string, shown string) string {
	for _, k := range keys {
		if shown == k || shown == lang.L(k) {
			return k
		}
	}
	return shown
}

// QueueScreen is the review queue.
type QueueScreen struct {
	Who     *widget.Label
	Refresh *widget.Button
	SignOut *widget.Button
	// Report opens the data-quality report (hidden for trainers).
	Report *widget.Button
	// Actions are Config.Actions' buttons, in order.
	Actions []*widget.Button
	// Alert is the banner for new immediate-risk entries; AlertText says
	// which, AlertOpen opens the newest, AlertDismiss hides it.
	Alert        *fyne.Container
	AlertText    *widget.RichText
	AlertOpen    *widget.Button
	AlertDismiss *widget.Button
	// Notice tells what just happened ("Returned to the officer").
	Notice *widget.Label
	// People lists the person index's alerts for the teams (a child who
	// keeps appearing, a link to an immediate-risk check), each opening
	// its check.
	People []*widget.Button
	people *fyne.Container
	// Counts says how many entries wait and how many are overdue.
	Counts  *widget.Label
	Message *widget.Label
	Busy    *widget.ProgressBarInfinite
	// Filters.
	Team  *widget.Select
	Grade *widget.Select
	State *widget.Select
	// Rows holds one button per entry shown, in order; IDs their entry ids.
	Rows []*widget.Button
	IDs  []string

	u    *UI
	list *fyne.Container
	top  *fyne.Container
}

// ShowQueue shows the queue and fetches it.
func (u *UI) ShowQueue() {
	u.showQueue("")
}

func (u *UI) showQueue(notice string) {
	s := &QueueScreen{u: u}
	name := u.user.Name
	if name == "" {
		name = u.user.Username
	}
	s.Who = widget.NewLabel(name + lang.L(" · teams: ") + strings.Join(u.user.Teams, ", "))
	s.Who.Truncation = fyne.TextTruncateEllipsis
	s.Refresh = widget.NewButtonWithIcon(lang.L("Refresh"), fynetheme.ViewRefreshIcon(), u.Refresh)
	s.SignOut = widget.NewButtonWithIcon(lang.L("Sign out"), fynetheme.LogoutIcon(), u.SignOut)
	s.Report = widget.NewButtonWithIcon(lang.L("Data quality"), fynetheme.InfoIcon(), u.ShowQuality)
	if u.training() {
		s.Report.Hide()
	}
	s.AlertText = widget.NewRichText()
	s.AlertOpen = widget.NewButtonWithIcon(lang.L("Open it now"), fynetheme.WarningIcon(), func() {
		if n := len(u.alerts); n > 0 {
			u.OpenEntry(u.alerts[n-1].EntryID)
		}
	})
	s.AlertOpen.Importance = widget.DangerImportance
	s.AlertDismiss = widget.NewButton(lang.L("Dismiss"), func() { u.dismissAlerts(); s.show() })
	s.Alert = alertBox(s.AlertText, container.NewHBox(s.AlertOpen, s.AlertDismiss))
	s.Notice = widget.NewLabel(notice)
	s.Notice.Wrapping = fyne.TextWrapWord
	s.Notice.Importance = widget.SuccessImportance
	if notice == "" {
		s.Notice.Hide()
	}
	s.Counts = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Counts.Wrapping = fyne.TextWrapWord
	s.Message = errorLabel()
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	teams := append([]string{lang.L(AllTeams)}, u.user.Teams...)
	s.list = container.NewVBox()
	s.Team = widget.NewSelect(teams, nil)
	s.Grade = widget.NewSelect(translated(gradeFilters), nil)
	s.State = widget.NewSelect(translated(stateFilters), nil)
	for _, sel := range []*widget.Select{s.Team, s.Grade, s.State} {
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { s.show() }
	}

	title := widget.NewLabelWithStyle(u.queueTitle(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = fynetheme.SizeNameSubHeadingText
	buttons := container.NewHBox()
	for _, a := range u.cfg.Actions {
		b := widget.NewButtonWithIcon(a.Label, a.Icon, a.Do)
		s.Actions = append(s.Actions, b)
		buttons.Add(b)
	}
	buttons.Add(s.Report)
	buttons.Add(s.Refresh)
	buttons.Add(s.SignOut)
	header := container.NewBorder(nil, nil, title, buttons, s.Who)
	filters := container.NewGridWithColumns(3, s.Team, s.Grade, s.State)
	s.people = container.NewVBox()
	s.people.Hide()
	top := container.NewVBox(header, widget.NewSeparator(), s.Alert, s.Notice, s.people, s.Counts, filters, s.Busy, s.Message)
	if u.training() {
		mark := widget.NewLabelWithStyle(lang.L("TRAINING · practice checks only: nothing here reaches the live referral queue"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		mark.Importance = widget.WarningImportance
		mark.Wrapping = fyne.TextWrapWord
		top.Objects = append([]fyne.CanvasObject{mark}, top.Objects...)
	}
	s.top = top
	u.clear()
	u.Queue = s
	u.w.SetContent(container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(s.list))))
	s.show()
	u.Refresh()
}

// alertBox is a banner in the theme's banner colour: a visual alert, no
// sound.
func alertBox(text *widget.RichText, buttons fyne.CanvasObject) *fyne.Container {
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg := canvas.NewRectangle(th.Color(theme.ColorNameBanner, v))
	heading := widget.NewRichText(&widget.TextSegment{Text: lang.L("NEW IMMEDIATE RISK"), Style: widget.RichTextStyle{
		ColorName: theme.ColorNameOnBanner, SizeName: fynetheme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}}})
	text.Wrapping = fyne.TextWrapWord
	inner := container.NewPadded(container.NewBorder(nil, nil, nil, buttons, container.NewVBox(heading, text)))
	box := container.NewStack(bg, inner)
	box.Hide()
	return box
}

// setBannerText shows s in the banner's foreground colour.
func setBannerText(rt *widget.RichText, s string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: s, Style: widget.RichTextStyle{ColorName: theme.ColorNameOnBanner, TextStyle: fyne.TextStyle{Bold: true}}}}
	rt.Refresh()
}

// BannerText is the text of a banner's rich text (tests read it).
func BannerText(rt *widget.RichText) string { return rt.String() }

// Refresh fetches the queue now, showing progress.
func (u *UI) Refresh() {
	s := u.Queue
	if s == nil {
		return
	}
	s.Busy.Show()
	s.Refresh.Disable()
	u.background(func(ctx context.Context) {
		q, err := u.cfg.Client.Queue(ctx)
		fyne.Do(func() {
			s.Busy.Hide()
			s.Refresh.Enable()
			if err != nil {
				s.showProblem(err)
				return
			}
			say(s.Message, "")
			u.takeQueue(q.Items)
		})
		if pc, ok := u.cfg.Client.(interface {
			PersonAlerts(context.Context) (api.PersonAlertList, error)
		}); ok && !u.training() {
			list, err := pc.PersonAlerts(ctx)
			if err == nil {
				fyne.Do(func() { s.showPeople(list.Alerts) })
			}
		}
	})
}

// showPeople lists the person alerts (at most five, newest first).
func (s *QueueScreen) showPeople(alerts []api.PersonAlert) {
	s.people.Objects, s.People = nil, nil
	for i, a := range alerts {
		if i == 5 {
			break
		}
		entry := a.EntryID
		// The button names the alert; the rest of its words wrap beside it
		// (a button's text never wraps, and would run off a tablet).
		head, rest, ok := strings.Cut(a.Text, ": ")
		if !ok {
			head, rest = a.Text, ""
		}
		b := widget.NewButtonWithIcon(head, fynetheme.WarningIcon(), func() { s.u.OpenEntry(entry) })
		b.Alignment = widget.ButtonAlignLeading
		s.People = append(s.People, b)
		words := widget.NewLabel(rest)
		words.Wrapping = fyne.TextWrapWord
		s.people.Add(container.NewBorder(nil, nil, b, nil, words))
	}
	if len(s.People) == 0 {
		s.people.Hide()
	} else {
		s.people.Show()
	}
	s.people.Refresh()
	// The list above the queue grew or shrank: lay the screen out again.
	if c := s.u.w.Content(); c != nil {
		c.Refresh()
	}
}

func (s *QueueScreen) showProblem(err error) {
	var e *Error
	if errors.As(err, &e) && e.Status == 401 {
		s.u.ShowLogin(e.Message)
		return
	}
	say(s.Message, plain(err))
}

// Filtered returns the queue as the filters show it, ordered by grade
// (most serious first) then deadline.
func (s *QueueScreen) Filtered() []api.QueueItem {
	var out []api.QueueItem
	for _, it := range s.u.queue {
		if t := s.Team.Selected; t != "" && t != lang.L(AllTeams) && t != AllTeams && it.Team != t {
			continue
		}
		if g := chosenKey(gradeFilters, s.Grade.Selected); g != "" && g != AllGrades && !strings.EqualFold(g, it.Grade) {
			continue
		}
		switch chosenKey(stateFilters, s.State.Selected) {
		case StateOverdue:
			if !s.u.overdue(it) {
				continue
			}
		case StateNew:
			if it.Revision != 1 {
				continue
			}
		case StateAmended:
			if it.Revision < 2 {
				continue
			}
		case StateUploading:
			if it.Complete {
				continue
			}
		}
		out = append(out, it)
	}
	SortQueue(out)
	return out
}

// SortQueue orders items by grade, most serious first, then by deadline,
// soonest first (the central system sends them so; this keeps the order
// whatever the filters do).
func SortQueue(items []api.QueueItem) {
	sort.SliceStable(items, func(i, j int) bool {
		gi, gj := level(items[i].Grade), level(items[j].Grade)
		if gi != gj {
			return gi > gj
		}
		return items[i].Deadline.Before(items[j].Deadline)
	})
}

func level(s string) forms.Level {
	l, _ := forms.ParseLevel(s)
	return l
}

func (u *UI) overdue(it api.QueueItem) bool {
	return it.Overdue || (!it.Deadline.IsZero() && u.cfg.Now().After(it.Deadline))
}

// show redraws the counts, the alert and the rows.
func (s *QueueScreen) show() {
	u := s.u
	if len(u.alerts) > 0 {
		a := u.alerts[len(u.alerts)-1]
		text := fmt.Sprintf(lang.L("%s from %s arrived at %s: review by %s."), a.Receipt, a.Team, theme.Clock(a.Received), theme.Clock(a.Deadline))
		if n := len(u.alerts); n > 1 {
			text += fmt.Sprintf(lang.L(" %d new immediate-risk checks in all."), n)
		}
		setBannerText(s.AlertText, text)
		s.Alert.Show()
	} else {
		s.Alert.Hide()
	}
	s.top.Refresh()
	overdue := 0
	for _, it := range u.queue {
		if u.overdue(it) {
			overdue++
		}
	}
	items := s.Filtered()
	counts := fmt.Sprintf(lang.L("%d waiting for review · %d overdue"), len(u.queue), overdue)
	if len(items) != len(u.queue) {
		counts += fmt.Sprintf(lang.L(" · %d shown with these filters"), len(items))
	}
	if !u.loaded {
		counts = lang.L("Loading the queue…")
	}
	s.Counts.SetText(counts)
	if overdue > 0 {
		s.Counts.Importance = widget.DangerImportance
	} else {
		s.Counts.Importance = widget.MediumImportance
	}
	s.Counts.Refresh()
	s.list.RemoveAll()
	s.Rows, s.IDs = nil, nil
	for _, it := range items {
		b := widget.NewButton(u.describe(it), func() { u.OpenEntry(it.EntryID) })
		b.Alignment = widget.ButtonAlignLeading
		switch {
		case u.overdue(it):
			b.Importance = widget.DangerImportance
			b.SetIcon(fynetheme.ErrorIcon())
		case it.Grade == forms.LevelImmediate.String():
			b.Importance = widget.WarningImportance
			b.SetIcon(fynetheme.WarningIcon())
		}
		s.Rows = append(s.Rows, b)
		s.IDs = append(s.IDs, it.EntryID)
		s.list.Add(b)
	}
	if u.loaded && len(items) == 0 {
		msg := lang.L("Nothing waits for review. New checks appear here on their own.")
		if len(u.queue) > 0 {
			msg = lang.L("No check matches these filters.")
		}
		s.list.Add(widget.NewLabel(msg))
	}
	s.list.Refresh()
}

// describe is one line about a queued entry.
func (u *UI) describe(it api.QueueItem) string {
	now := u.cfg.Now()
	parts := []string{strings.ToUpper(LevelName(it.Grade)), it.Receipt, it.Team}
	if it.Revision > 1 {
		parts = append(parts, fmt.Sprintf(lang.L("revision %d"), it.Revision))
	}
	parts = append(parts, lang.L("received ")+when(now, it.Received))
	if u.overdue(it) {
		parts = append(parts, lang.L("OVERDUE by ")+span(now.Sub(it.Deadline)))
	} else {
		parts = append(parts, lang.L("review within ")+span(it.Deadline.Sub(now)))
	}
	if !it.Complete {
		parts = append(parts, lang.L("photos still arriving"))
	}
	if it.Training {
		parts = append(parts, "training")
	}
	return strings.Join(parts, " · ")
}

func when(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return theme.Since(now, t)
}

func span(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return lang.L("less than a minute")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("%d min"), int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		m := int(d.Minutes()) % 60
		if m == 0 {
			return fmt.Sprintf(lang.L("%d h"), h)
		}
		return fmt.Sprintf(lang.L("%d h %d min"), h, m)
	}
	return fmt.Sprintf(lang.L("%d days"), int(d.Hours()/24))
}
