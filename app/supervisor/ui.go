// Package supervisor holds Safeguard's screens for the supervisor at the
// desk (online): sign-in, the review queue ordered by grade then deadline
// with overdue entries highlighted and counted, filters, an entry's full
// view with its revisions and what changed between them, approve, return
// with reasons per question, grade changes, and an alert when a new
// immediate-risk entry arrives. Trainers use the same screens on the
// central system's training namespace (Config.Namespace = Training).
//
// The screens talk to a Reviewer (the central system's reviewer API;
// *Client is the real one); network calls run off the UI goroutine and
// come back through fyne.Do.
package supervisor

import (
	"context"
	"fyne.io/fyne/v2/lang"
	_ "github.com/safeguard-uk/safeguard/app/i18n" // the translations
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Defaults for Config fields left zero.
const (
	// DefaultPoll is how often the queue is fetched again in the
	// background, so a new immediate-risk entry is noticed within half a
	// minute (its review target is one hour).
	DefaultPoll = 30 * time.Second
	// callTimeout bounds one call to the central system.
	callTimeout = 30 * time.Second
)

// Config is what the supervisor's screens are built from.
type Config struct {
	// Client is the central system's reviewer API (required).
	Client Reviewer
	// Checklists evaluates entries again on screen (reasons, actions,
	// which questions show); entries of a checklist not in it are shown
	// without them.
	Checklists *forms.Registry
	// Namespace is Live (supervisors, the default) or Training (trainers
	// reviewing trainees' entries); it only changes words on screen, the
	// Client decides the routes.
	Namespace string
	// Poll is how often the queue is refreshed in the background
	// (DefaultPoll when zero; negative: never, tests call Poll).
	Poll time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Language of checklist texts ("en" when empty).
	Language string
	// Logger receives operational messages, never child data.
	Logger *slog.Logger
	// OnSignOut, if set, is called after signing out (e.g. to show a role
	// choice again); otherwise the sign-in screen shows.
	OnSignOut func()
	// Actions are extra buttons on the queue's header.
	Actions []Action
}

// UI is the supervisor's screens in one window. Screens are fields so
// tests drive them by name; only one is non-nil at a time.
type UI struct {
	cfg Config
	w   fyne.Window

	Login   *LoginScreen
	Queue   *QueueScreen
	Entry   *EntryScreen
	Quality *QualityScreen
	Network *NetworkScreen

	user  api.User
	queue []api.QueueItem
	// seen holds every entry id the queue has shown, so a new
	// immediate-risk entry is told apart from one already there.
	seen   map[string]bool
	loaded bool
	// alerts are the new immediate-risk entries not yet opened or
	// dismissed, newest last.
	alerts []api.QueueItem

	title string
	stop  chan struct{}
	once  sync.Once
	busy  sync.WaitGroup
	mu    sync.Mutex // guards polling (one fetch at a time)
	poll  bool
}

// New builds the screens in w. Call Start to show the sign-in screen.
func New(w fyne.Window, cfg Config) *UI {
	if cfg.Poll == 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Namespace == "" {
		cfg.Namespace = Live
	}
	return &UI{cfg: cfg, w: w, stop: make(chan struct{}), seen: map[string]bool{}, title: w.Title()}
}

// Start shows the sign-in screen and starts the background queue check.
func (u *UI) Start() {
	u.shortcuts()
	u.ShowLogin("")
	u.startPolling()
}

// StartSignedIn shows the queue for user, already signed in through the
// same Client (the trainer's desk coming back to its queue).
func (u *UI) StartSignedIn(user api.User) {
	u.shortcuts()
	u.user = user
	u.ShowQueue()
	u.startPolling()
}

func (u *UI) startPolling() {
	if u.cfg.Poll > 0 {
		go func() {
			t := time.NewTicker(u.cfg.Poll)
			defer t.Stop()
			for {
				select {
				case <-u.stop:
					return
				case <-t.C:
					u.pollOnce(true)
				}
			}
		}()
	}
}

// Stop ends the background queue check.
func (u *UI) Stop() { u.once.Do(func() { close(u.stop) }) }

// WaitIdle waits until network calls started by the screens have finished
// and handed their results to the screens (tests use it).
func (u *UI) WaitIdle() { u.busy.Wait() }

// User is who is signed in (zero before sign-in).
func (u *UI) User() api.User { return u.user }

// background runs fn off the UI goroutine with a bounded context.
func (u *UI) background(fn func(ctx context.Context)) {
	u.busy.Add(1)
	go func() {
		defer u.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// shortcuts: F5 or Ctrl+R refreshes the queue, Escape goes back from an
// entry to the queue. Everything else is reachable with Tab, Space and
// Enter.
func (u *UI) shortcuts() {
	c := u.w.Canvas()
	refresh := func(fyne.Shortcut) {
		if u.Queue != nil {
			u.Refresh()
		}
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}, refresh)
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyF5:
			refresh(nil)
		case fyne.KeyEscape:
			if u.Entry != nil {
				u.ShowQueue()
			}
		}
	})
}

func (u *UI) clear() { u.Login, u.Queue, u.Entry, u.Quality, u.Network = nil, nil, nil, nil, nil }

// words that change between supervisors and trainers.
func (u *UI) training() bool { return u.cfg.Namespace == Training }

func (u *UI) queueTitle() string {
	if u.training() {
		return lang.L("Trainees' checks")
	}
	return lang.L("Review queue")
}

// Poll fetches the queue once in the background, as the timer does:
// a new immediate-risk entry raises the alert.
func (u *UI) Poll() { u.pollOnce(false) }

func (u *UI) pollOnce(timer bool) {
	u.mu.Lock()
	if u.poll || !u.signedIn() {
		u.mu.Unlock()
		return
	}
	u.poll = true
	u.mu.Unlock()
	run := func(ctx context.Context) {
		defer func() { u.mu.Lock(); u.poll = false; u.mu.Unlock() }()
		q, err := u.cfg.Client.Queue(ctx)
		fyne.Do(func() {
			if err != nil {
				u.cfg.Logger.Warn("queue poll", "err", err)
				if u.Queue != nil {
					u.Queue.showProblem(err)
				}
				return
			}
			u.takeQueue(q.Items)
		})
	}
	if timer {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		run(ctx)
		return
	}
	u.background(run)
}

func (u *UI) signedIn() bool {
	if c, ok := u.cfg.Client.(*Client); ok {
		return c.Token() != ""
	}
	return u.user.ID != ""
}

// takeQueue keeps the latest queue, raises the alert for immediate-risk
// entries not seen before (after the first load) and redraws the queue.
func (u *UI) takeQueue(items []api.QueueItem) {
	for _, it := range items {
		if !u.seen[it.EntryID] && u.loaded && it.Grade == forms.LevelImmediate.String() {
			u.alerts = append(u.alerts, it)
		}
		u.seen[it.EntryID] = true
	}
	// Forget alerts for entries no longer waiting (someone else decided).
	waiting := map[string]bool{}
	for _, it := range items {
		waiting[it.EntryID] = true
	}
	keep := u.alerts[:0]
	for _, a := range u.alerts {
		if waiting[a.EntryID] {
			keep = append(keep, a)
		}
	}
	u.alerts = keep
	u.loaded = true
	u.queue = items
	u.showAlertTitle()
	if u.Queue != nil {
		u.Queue.show()
	}
	if u.Entry != nil {
		u.Entry.showAlert()
	}
}

// showAlertTitle marks the window title while an alert waits, so the
// alert is visible even from another window's task bar (no sound).
func (u *UI) showAlertTitle() {
	if len(u.alerts) > 0 {
		u.w.SetTitle(lang.L("(!) New immediate risk · ") + u.title)
	} else {
		u.w.SetTitle(u.title)
	}
}

// dismissAlerts forgets the alerts.
func (u *UI) dismissAlerts() {
	u.alerts = nil
	u.showAlertTitle()
}

// Alerts lists the new immediate-risk entries not yet opened or dismissed.
func (u *UI) Alerts() []api.QueueItem { return append([]api.QueueItem(nil), u.alerts...) }

func (u *UI) openedAlert(id string) {
	keep := u.alerts[:0]
	for _, a := range u.alerts {
		if a.EntryID != id {
			keep = append(keep, a)
		}
	}
	u.alerts = keep
	u.showAlertTitle()
}

// SignOut ends the session and shows the sign-in screen.
func (u *UI) SignOut() {
	u.background(func(ctx context.Context) {
		if err := u.cfg.Client.Logout(ctx); err != nil {
			u.cfg.Logger.Warn("sign out", "err", err)
		}
		fyne.Do(func() {
			u.user = api.User{}
			u.queue, u.alerts, u.loaded = nil, nil, false
			u.seen = map[string]bool{}
			u.showAlertTitle()
			if u.cfg.OnSignOut != nil {
				u.clear()
				u.cfg.OnSignOut()
				return
			}
			u.ShowLogin("")
		})
	})
}
