package app

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/i18n"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/words"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// maxListed bounds each list on the home screen; older entries are
// counted, not shown.
const maxListed = 50

// HomeScreen lists the officer's entries by where they are, shows the sync
// bar and the big "Start a check" button.
type HomeScreen struct {
	Start *widget.Button
	Lock  *widget.Button
	// Display opens the display choices (dark screen, text size).
	Display *widget.Button
	// Notice shows one-off news (e.g. "Check submitted").
	Notice *widget.Label
	// Alerts shows the central system's messages not yet read (a child
	// who keeps appearing, a link to an immediate-risk check), each with
	// its OK button in AlertOK.
	Alerts  *fyne.Container
	AlertOK []*widget.Button

	// Sync bar.
	SyncText *widget.Label
	SyncBar  *widget.ProgressBarInfinite
	SyncNow  *widget.Button
	sync     SyncStatus

	// Lists, by heading. Each button opens or describes one entry.
	Drafts, Returned, Waiting, Received, Approved *EntryList

	u     *UI
	lists *fyne.Container
}

// EntryList is one heading of the home screen with its entries.
type EntryList struct {
	Heading *widget.Label
	Items   []*widget.Button
	IDs     []string
	box     *fyne.Container
}

// ShowHome shows the home screen.
func (u *UI) ShowHome() {
	h := &HomeScreen{u: u}
	h.Start = widget.NewButtonWithIcon(lang.L("Start a check"), fynetheme.ContentAddIcon(), u.StartCheck)
	h.Start.Importance = widget.HighImportance
	h.Lock = widget.NewButtonWithIcon(lang.L("Lock"), fynetheme.LogoutIcon(), func() {
		u.resume = nil
		u.cfg.Store.Lock()
		u.ShowPIN()
	})
	h.Display = widget.NewButtonWithIcon(lang.L("Display"), fynetheme.ColorPaletteIcon(), func() { u.touch(); u.ShowDisplay() })
	h.Notice = widget.NewLabel("")
	h.Notice.Wrapping = fyne.TextWrapWord
	h.Notice.Importance = widget.SuccessImportance
	h.Notice.Hide()
	h.Alerts = container.NewVBox()
	h.Alerts.Hide()
	h.SyncText = widget.NewLabel("")
	h.SyncText.Wrapping = fyne.TextWrapWord
	h.SyncBar = widget.NewProgressBarInfinite()
	h.SyncBar.Hide()
	h.SyncNow = widget.NewButtonWithIcon(lang.L("Sync now"), fynetheme.ViewRefreshIcon(), u.SyncNow)
	if u.cfg.Sync == nil {
		h.SyncNow.Disable()
		h.SyncText.SetText(lang.L("Sync is not set up in this build: checks stay on this tablet."))
	}
	h.Drafts = newEntryList(lang.L("Drafts"))
	h.Returned = newEntryList(lang.L("Returned to you"))
	h.Waiting = newEntryList(lang.L("Waiting to sync"))
	h.Received = newEntryList(lang.L("Sent, waiting for review"))
	h.Approved = newEntryList(lang.L("Approved"))
	h.lists = container.NewVBox(h.Returned.box, h.Drafts.box, h.Waiting.box, h.Received.box, h.Approved.box)
	h.Reload()

	officer := u.cfg.Store.Officer()
	if officers, err := u.cfg.Store.Officers(); err == nil {
		for _, o := range officers {
			if o.ID == officer {
				officer = o.Name
			}
		}
	}
	title := widget.NewLabelWithStyle("Safeguard", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = fynetheme.SizeNameSubHeadingText
	who := widget.NewLabel(officer)
	who.Truncation = fyne.TextTruncateEllipsis
	if u.cfg.Training {
		who.SetText(officer + lang.L(" · TRAINING MODE: nothing is sent to the live referral queue"))
	}
	header := container.NewBorder(nil, nil, title, container.NewHBox(h.Display, h.Lock), who)
	syncBar := container.NewBorder(nil, nil, nil, h.SyncNow, container.NewVBox(h.SyncText, h.SyncBar))
	big := canvas.NewRectangle(color.Transparent)
	big.SetMinSize(fyne.NewSize(0, 88))
	start := container.NewStack(big, h.Start)
	top := container.NewVBox(header, widget.NewSeparator(), syncBar, widget.NewSeparator(), h.Alerts, start, h.Notice)
	u.clear()
	u.Home = h
	u.w.SetContent(container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(h.lists))))
	if u.cfg.Sync != nil {
		h.showSync(u.cfg.Sync.Status())
	}
}

func newEntryList(heading string) *EntryList {
	l := &EntryList{Heading: widget.NewLabelWithStyle(heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	l.box = container.NewVBox()
	return l
}

// showAlerts lists the central system's unread messages above "Start a
// check".
func (h *HomeScreen) showAlerts() {
	if h.Alerts == nil {
		return
	}
	h.Alerts.Objects, h.AlertOK = nil, nil
	alerts, err := h.u.cfg.Store.Alerts(false)
	if err != nil {
		return // locked or unreadable: the list comes back on the next reload
	}
	for _, a := range alerts {
		id := a.ID
		text := widget.NewLabel(a.Text)
		text.Wrapping = fyne.TextWrapWord
		text.Importance = widget.WarningImportance
		ok := widget.NewButton(lang.L("OK, read"), func() {
			if err := h.u.cfg.Store.DismissAlert(id); err != nil {
				h.u.problem(lang.L("Could not mark the message as read"), err)
				return
			}
			h.showAlerts()
		})
		h.AlertOK = append(h.AlertOK, ok)
		h.Alerts.Add(container.NewBorder(nil, nil, nil, ok, text))
	}
	if len(h.AlertOK) == 0 {
		h.Alerts.Hide() // takes no room
	} else {
		h.Alerts.Show()
	}
	h.Alerts.Refresh()
}

// Reload reads the entry lists from the store again.
func (h *HomeScreen) Reload() {
	h.showAlerts()
	list, err := h.u.cfg.Store.ListEntries(devicestore.Filter{Officer: h.u.cfg.Store.Officer()})
	if err != nil {
		h.u.problem(lang.L("Could not list your checks"), err)
		return
	}
	for _, l := range []*EntryList{h.Drafts, h.Returned, h.Waiting, h.Received, h.Approved} {
		l.Items, l.IDs = nil, nil
		l.box.RemoveAll()
	}
	more := map[*EntryList]int{}
	for _, s := range list {
		var l *EntryList
		switch s.State {
		case devicestore.StateDraft:
			l = h.Drafts
		case devicestore.StateReturned:
			l = h.Returned
		case devicestore.StateQueued, devicestore.StateSent, devicestore.StateRejected:
			l = h.Waiting
		case devicestore.StateAccepted:
			l = h.Received
		case devicestore.StateApproved:
			l = h.Approved
		default:
			continue
		}
		if len(l.Items) >= maxListed {
			more[l]++
			continue
		}
		b := widget.NewButton(describe(s), func() { h.open(s) })
		b.Alignment = widget.ButtonAlignLeading
		if s.Immediate {
			b.Importance = widget.DangerImportance
			b.SetIcon(fynetheme.WarningIcon())
		}
		l.Items = append(l.Items, b)
		l.IDs = append(l.IDs, s.ID)
	}
	for _, l := range []*EntryList{h.Returned, h.Drafts, h.Waiting, h.Received, h.Approved} {
		if len(l.Items) == 0 {
			continue
		}
		head := fmt.Sprintf("%s (%d)", l.Heading.Text, len(l.Items)+more[l])
		hl := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.box.Add(hl)
		for _, b := range l.Items {
			l.box.Add(b)
		}
		if n := more[l]; n > 0 {
			l.box.Add(widget.NewLabel(fmt.Sprintf(lang.L("and %d older"), n)))
		}
	}
	if len(list) == 0 {
		h.Drafts.box.Add(widget.NewLabel(lang.L("No checks on this tablet yet. Tap “Start a check” at an incident.")))
	}
	h.lists.Refresh()
}

func (h *HomeScreen) open(s devicestore.Summary) {
	if s.State.Editable() && !s.Purged {
		h.u.OpenEntry(s.ID, 0)
		return
	}
	h.u.touch()
	msg := describe(s)
	switch {
	case s.Receipt != "":
		msg += lang.L("\nReceipt: ") + s.Receipt
	case s.LastError != "":
		msg += lang.L("\nProblem: ") + s.LastError
	default:
		msg += lang.L("\nOn this tablet, waiting for signal.")
	}
	h.Notice.SetText(msg)
	h.Notice.Show()
}

// describe is one line about an entry: title, when, grade, state.
func describe(s devicestore.Summary) string {
	title := s.Title
	if title == "" {
		title = lang.L("Check with no name yet")
	}
	line := fmt.Sprintf(lang.L("%s · started %s"), title, theme.When(s.Started))
	if s.Immediate {
		line += " · IMMEDIATE RISK"
	} else if s.Grade > forms.LevelNone {
		line += " · " + s.Grade.String() + lang.L(" risk")
	}
	if s.Training {
		line += lang.L(" · training")
	}
	switch s.State {
	case devicestore.StateSent:
		line += lang.L(" · sending")
	case devicestore.StateRejected:
		line += lang.L(" · set aside: ") + s.LastError
	case devicestore.StateAccepted, devicestore.StateApproved:
		if s.Receipt != "" {
			line += lang.L(" · receipt ") + s.Receipt
		}
	}
	return line
}

func (h *HomeScreen) showSync(st SyncStatus) {
	if st.Revoked {
		h.u.ShowEnrol(lang.L("This tablet was switched off from the central system and wiped. Ask your supervisor to set it up again."))
		return
	}
	var text string
	switch {
	case st.Syncing:
		text = lang.L("Syncing…")
	case st.Online:
		text = lang.L("Online")
	default:
		text = lang.L("No signal: checks stay safe on this tablet and are sent when there is signal")
	}
	if !st.LastSuccess.IsZero() {
		text += lang.L(" · last sync ") + ago(h.u.cfg.Now(), st.LastSuccess)
	} else {
		text += lang.L(" · not synced yet")
	}
	switch {
	case st.WaitingEntries > 0 || st.WaitingPhotos > 0:
		text += " · " + words.Waiting(st.WaitingEntries, st.WaitingPhotos, sizeText(st.WaitingBytes))
	case len(h.Waiting.Items) > 0:
		text += " · " + words.WaitingChecks(len(h.Waiting.Items))
	}
	if st.UpgradeRequired {
		text += lang.L("\nUpdate the app: the central system no longer accepts this version.")
	} else if st.Problem != "" {
		text += "\n" + st.Problem
		if !st.NextAttempt.IsZero() && !st.Syncing {
			text += lang.L(" · will try again at ") + theme.Clock(st.NextAttempt)
		}
	}
	h.SyncText.SetText(text)
	if st.Syncing {
		h.SyncBar.Show()
	} else {
		h.SyncBar.Hide()
	}
	h.sync = st
}

// sizeText says a byte count in plain words.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf(lang.L("%.1f MB"), float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf(lang.L("%d KB"), n>>10)
	}
	return fmt.Sprintf(lang.L("%d bytes"), n)
}

func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return lang.L("just now")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("%d min ago"), int(d.Minutes()))
	case d < 24*time.Hour:
		return lang.L("at ") + theme.Clock(t)
	}
	return theme.When(t)
}

// ShowDisplay offers the display choices: a dark screen for night work and
// larger text. Changes apply at once and are remembered.
func (u *UI) ShowDisplay() {
	a := fyne.CurrentApp()
	cur, _ := a.Settings().Theme().(*theme.Theme)
	dark, scale := false, float32(1)
	if cur != nil {
		dark, scale = cur.Dark, cur.Scale
	}
	var names []string
	selected := ""
	for _, s := range theme.TextScales {
		names = append(names, lang.L(s.Name))
		if s.Scale == scale {
			selected = lang.L(s.Name)
		}
	}
	size := widget.NewRadioGroup(names, nil)
	size.Required = true
	size.SetSelected(selected)
	darkCheck := widget.NewCheck(lang.L("Dark screen (for night work)"), nil)
	darkCheck.Checked = dark
	apply := func() {
		sc := float32(1)
		for _, s := range theme.TextScales {
			if lang.L(s.Name) == size.Selected {
				sc = s.Scale
			}
		}
		theme.Apply(a, darkCheck.Checked, sc)
	}
	size.OnChanged = func(string) { apply() }
	darkCheck.OnChanged = func(bool) { apply() }
	language := widget.NewRadioGroup(languageNames(), nil)
	language.Required = true
	language.SetSelected(languageName(i18n.Chosen(a)))
	changed := false
	language.OnChanged = func(name string) {
		if err := i18n.Choose(a, languageCode(name)); err != nil {
			u.cfg.Logger.Error("language not changed", "err", err)
			return
		}
		// Free text written from now on is marked with the new language.
		if ls, ok := u.cfg.Store.(interface{ SetLanguage(string) error }); ok {
			if err := ls.SetLanguage(i18n.Current()); err != nil {
				u.cfg.Logger.Error("the store keeps the old writing language", "err", err)
			}
		}
		changed = true
	}
	d := dialog.NewCustom(lang.L("Display"), lang.L("Done"), container.NewVBox(darkCheck, widget.NewLabel(lang.L("Text size")), size,
		widget.NewLabel(lang.L("Language")), language), u.w)
	u.Display = &DisplayChoices{Dark: darkCheck, TextSize: size, Language: language, Dialog: d}
	d.SetOnClosed(func() {
		u.Display = nil
		if changed && u.Home != nil {
			u.ShowHome() // the home screen again, in the chosen language
		}
	})
	d.Show()
}

// DisplayChoices is the open display dialog.
type DisplayChoices struct {
	Dark     *widget.Check
	TextSize *widget.RadioGroup
	// Language offers the system's language, English or Welsh; the choice
	// is kept in the app's preferences (i18n.PrefLanguage).
	Language *widget.RadioGroup
	Dialog   dialog.Dialog
}

// languages are the language choices: code and name. A language is named
// in itself, so that an officer who cannot read the current one finds theirs.
var languages = []struct{ code, name string }{{"", "As the system"}, {"en", "English"}, {"cy", "Cymraeg"}}

func languageNames() []string {
	var out []string
	for _, l := range languages {
		out = append(out, languageName(l.code))
	}
	return out
}

func languageName(code string) string {
	for _, l := range languages {
		if l.code == code {
			if code == "" {
				return lang.L(l.name)
			}
			return l.name
		}
	}
	return lang.L("As the system")
}

func languageCode(name string) string {
	for _, l := range languages {
		if languageName(l.code) == name {
			return l.code
		}
	}
	return ""
}
