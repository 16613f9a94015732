package app

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/i18n"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// Defaults for Config fields left zero.
const (
	// DefaultLockCheck is how often the app checks whether the store has
	// locked itself after idle time (the store's own idle limit is 5
	// minutes; checking every 5 s shows the PIN screen promptly).
	DefaultLockCheck = 5 * time.Second
	// DefaultStatusPoll is how often the sync bar asks the sync engine for
	// its state.
	DefaultStatusPoll = 2 * time.Second
	// DefaultTypingDelay is the pause in typing after which a text answer
	// is saved (it is also saved on Enter and on leaving the field).
	DefaultTypingDelay = 700 * time.Millisecond
	// networkTimeout bounds enrolment and sign-in calls.
	networkTimeout = 30 * time.Second
)

// Config is what the officer's app is built from.
type Config struct {
	Store EntryStore
	// Checklists holds the checklist versions the device knows (a
	// *forms.Registry, or one still loading: LoadChecklists); Start is the
	// one "Start a check" uses (with no version: the latest of its id,
	// looked up when a check starts).
	Checklists Checklists
	Start      forms.Ref
	// Sync is the sync engine (nil: the sync bar says sync is not set up).
	Sync Syncer
	// Accounts enrols the device and signs officers in online (nil: the
	// enrolment screen says the central system cannot be reached).
	Accounts Accounts
	// Training starts entries in training mode.
	Training bool
	// LockCheck, StatusPoll, TypingDelay: see the Default constants.
	// A negative LockCheck or StatusPoll turns the background check off
	// (tests call CheckLock and RefreshSync themselves).
	LockCheck   time.Duration
	StatusPoll  time.Duration
	TypingDelay time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives operational messages; never child data.
	Logger *slog.Logger
}

// UI is the officer's app in one window. Screens are kept as fields so
// tests drive them by name.
type UI struct {
	cfg Config
	w   fyne.Window

	// The screen on show (only one is non-nil).
	Enrol *EnrolScreen
	Login *LoginScreen
	PIN   *PINScreen
	Home  *HomeScreen
	Flow  *checklistui.Flow
	// Display is the display dialog while it is open.
	Display *DisplayChoices

	resume  func()                              // what to show again after unlocking (nil: home)
	banners map[string]*checklistui.BannerState // per entry: the immediate-risk banner as the officer left it
	stop    chan struct{}
	busy    sync.WaitGroup // background calls (network, key derivation, sync)
}

// background runs fn off the UI goroutine; fn hands results back with
// fyne.Do.
func (u *UI) background(fn func()) {
	u.busy.Add(1)
	go func() {
		defer u.busy.Done()
		defer func() {
			// A fault off the UI goroutine would end the process: log
			// where, never the value (it may carry an answer).
			if v := recover(); v != nil {
				u.cfg.Logger.Error("background work hit a fault", "fault", fmt.Sprintf("%T", v))
			}
		}()
		fn()
	}()
}

// WaitIdle waits until background calls started by the screens (sign-in,
// unlock, sync now) have finished and handed their results to the screen.
// Tests use it; the test driver runs fyne.Do on the calling goroutine.
func (u *UI) WaitIdle() { u.busy.Wait() }

// New builds the app in w. Call Start to show the first screen.
func New(w fyne.Window, cfg Config) *UI {
	if cfg.LockCheck == 0 {
		cfg.LockCheck = DefaultLockCheck
	}
	if cfg.StatusPoll == 0 {
		cfg.StatusPoll = DefaultStatusPoll
	}
	if cfg.TypingDelay == 0 {
		cfg.TypingDelay = DefaultTypingDelay
	}
	if cfg.TypingDelay < 0 {
		cfg.TypingDelay = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &UI{cfg: cfg, w: w, stop: make(chan struct{})}
}

// shortcuts adds the desktop keyboard shortcuts: Alt+Right and Alt+Left
// move between parts of a check, Ctrl+L locks the app. Everything else is
// reachable with Tab, Space and Enter.
func (u *UI) shortcuts() {
	c := u.w.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
		if f := u.Flow; f != nil {
			p, _ := f.Page()
			f.ShowPage(p + 1)
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
		if f := u.Flow; f != nil {
			p, _ := f.Page()
			f.ShowPage(p - 1)
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.Home != nil || u.Flow != nil {
			u.lockNow()
		}
	})
}

// Start shows the first screen: enrolment on a new device, sign-in when
// no officer is set up here yet, otherwise the PIN screen. It also starts
// the idle-lock and sync-status checks.
func (u *UI) Start() {
	u.shortcuts()
	u.showFirst()
	if u.cfg.LockCheck > 0 {
		go u.every(u.cfg.LockCheck, func() { fyne.Do(u.CheckLock) })
	}
	if u.cfg.StatusPoll > 0 && u.cfg.Sync != nil {
		go u.every(u.cfg.StatusPoll, func() {
			st := u.cfg.Sync.Status()
			fyne.Do(func() {
				if u.Home != nil {
					u.Home.showSync(st)
				}
			})
		})
	}
}

// Stop ends the background checks.
func (u *UI) Stop() {
	select {
	case <-u.stop:
	default:
		close(u.stop)
	}
}

func (u *UI) every(d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-u.stop:
			return
		case <-t.C:
			fn()
		}
	}
}

func (u *UI) showFirst() {
	officers, err := u.cfg.Store.Officers()
	switch {
	case err != nil:
		u.cfg.Logger.Error("list officers", "err", err)
		u.ShowEnrol(plain(err))
	case u.cfg.Store.Wiped():
		u.ShowEnrol(lang.L("This tablet was wiped. Set it up again with a new code from your supervisor."))
	case len(officers) > 0:
		u.ShowPIN()
	case u.cfg.Accounts != nil && u.cfg.Accounts.DeviceEnrolled():
		u.ShowLogin("")
	default:
		u.ShowEnrol("")
	}
}

func (u *UI) clear() {
	u.Enrol, u.Login, u.PIN, u.Home, u.Flow = nil, nil, nil, nil, nil
}

func (u *UI) touch() { u.cfg.Store.Touch() }

// CheckLock shows the PIN screen when the store has locked itself (idle
// time); after unlocking, the officer returns to what they were doing.
func (u *UI) CheckLock() {
	if u.Enrol != nil || u.Login != nil || u.PIN != nil {
		return
	}
	if !u.cfg.Store.Locked() {
		return
	}
	u.lockNow()
}

func (u *UI) lockNow() {
	if f := u.Flow; f != nil {
		id := f.Entry().ID
		page, _ := f.Page()
		u.resume = func() { u.OpenEntry(id, page) }
	} else {
		u.resume = nil
	}
	u.cfg.Store.Lock()
	u.ShowPIN()
}

// StartCheck starts a new entry and opens it.
func (u *UI) StartCheck() {
	u.touch()
	ref := u.cfg.Start
	if ref.Version == "" {
		c, ok := u.cfg.Checklists.Latest(ref.ID)
		if !ok {
			u.problem(lang.L("Could not start a check"), errors.New("this tablet does not have checklist "+ref.ID))
			return
		}
		ref = c.Ref()
	}
	e, err := u.cfg.Store.NewEntry(ref, u.cfg.Training)
	if err != nil {
		u.problem(lang.L("Could not start a check"), err)
		return
	}
	u.cfg.Logger.Info("entry started", "entry", e.ID)
	u.openFlow(e, 0)
}

// OpenEntry opens a draft or returned entry at page.
func (u *UI) OpenEntry(id string, page int) {
	u.touch()
	e, err := u.cfg.Store.Entry(id)
	if err != nil {
		u.problem(lang.L("Could not open the check"), err)
		return
	}
	u.openFlow(e, page)
}

func (u *UI) openFlow(e *forms.Entry, page int) {
	c, ok := u.cfg.Checklists.Get(e.Checklist)
	if !ok {
		u.problem(lang.L("Could not open the check"), errors.New("this tablet does not have checklist "+e.Checklist.String()))
		return
	}
	f, err := checklistui.New(c, e, u.cfg.Store, checklistui.Options{
		TypingDelay: u.cfg.TypingDelay,
		Now:         u.cfg.Now,
		Window:      u.w,
		Touch:       u.touch,
		Logger:      u.cfg.Logger,
		Returned:    u.returned(e),
		Banner:      u.bannerState(e.ID),
		Language:    i18n.For(c),
	})
	if err != nil {
		u.problem(lang.L("Could not open the check"), err)
		return
	}
	f.OnHome = func() { u.ShowHome() }
	f.OnLocked = u.lockNow
	f.OnSubmitted = func(fr devicestore.Frozen) {
		u.ShowHome()
		msg := lang.L("Saved on this tablet and queued. It will be sent as soon as there is signal.")
		if fr.Priority >= devicestore.PriorityImmediate {
			msg = lang.L("Saved on this tablet and queued first, because of the immediate risk. It will be sent as soon as there is signal.")
		}
		u.Home.Notice.SetText(lang.L("Check submitted. ") + msg)
		u.Home.Notice.Show()
		u.syncThen(func() {
			// Show the receipt the moment the server has acknowledged it.
			list, err := u.cfg.Store.ListEntries(devicestore.Filter{})
			if err != nil || u.Home == nil {
				return
			}
			for _, s := range list {
				if s.ID == fr.EntryID && s.Receipt != "" {
					u.Home.Notice.SetText(lang.L("Check received by the central system. Receipt number: ") + s.Receipt + lang.L(". Quote it when you call."))
					u.Home.Notice.Show()
				}
			}
		})
	}
	u.clear()
	u.Flow = f
	if page > 0 {
		f.ShowPage(page)
	}
	u.w.SetContent(f.Object())
}

// bannerState is entry id's banner state, kept while the app runs.
func (u *UI) bannerState(id string) *checklistui.BannerState {
	if u.banners == nil {
		u.banners = map[string]*checklistui.BannerState{}
	}
	st, ok := u.banners[id]
	if !ok {
		st = &checklistui.BannerState{}
		u.banners[id] = st
	}
	return st
}

// returned reads the supervisor's comments on the revision an amended
// entry was copied from (nil for a first revision or when there are none).
func (u *UI) returned(e *forms.Entry) *checklistui.Returned {
	if e.Revision < 2 {
		return nil
	}
	rv, err := u.cfg.Store.Review(e.ID, e.Revision-1)
	if err != nil || rv.Decision != devicestore.DecisionReturned {
		return nil
	}
	ret := &checklistui.Returned{Reason: rv.Reason, Comments: map[string]string{}}
	for _, c := range rv.Comments {
		if c.Path == "" {
			if ret.Reason != "" {
				ret.Reason += " "
			}
			ret.Reason += c.Text
			continue
		}
		ret.Comments[c.Path] = c.Text
	}
	return ret
}

// SyncNow asks the sync engine to sync, off the UI goroutine, and updates
// the home screen when it is done.
func (u *UI) SyncNow() { u.syncThen(nil) }

// syncThen syncs like SyncNow and then runs after on the UI goroutine.
func (u *UI) syncThen(after func()) {
	s := u.cfg.Sync
	if s == nil {
		return
	}
	if u.Home != nil {
		u.Home.SyncNow.Disable()
		u.Home.SyncText.SetText(lang.L("Syncing…"))
	}
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		err := s.SyncNow(ctx)
		if err != nil {
			u.cfg.Logger.Warn("sync", "err", err)
		}
		st := s.Status()
		fyne.Do(func() {
			if u.Home != nil {
				u.Home.SyncNow.Enable()
				u.Home.showSync(st)
				u.Home.Reload()
			}
			if after != nil {
				after()
			}
		})
	})
}

func (u *UI) problem(title string, err error) {
	u.cfg.Logger.Warn(title, "err", err)
	if errors.Is(err, devicestore.ErrLocked) {
		u.lockNow()
		return
	}
	dialog.ShowInformation(title, plain(err), u.w)
}
