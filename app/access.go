package app

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/ui"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/words"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/devicestore"
)

// EnrolScreen sets up a new tablet with a one-time code from a supervisor.
type EnrolScreen struct {
	Code    *widget.Entry
	Enrol   *widget.Button
	Message *widget.Label
	Busy    *widget.ProgressBarInfinite
}

// LoginScreen is the officer's first sign-in on this tablet (online);
// it is followed by choosing a PIN.
type LoginScreen struct {
	Username *widget.Entry
	Password *SecretEntry
	SignIn   *widget.Button
	Message  *widget.Label
	Busy     *widget.ProgressBarInfinite

	// After a successful sign-in: choose a PIN.
	PIN     *SecretEntry
	Confirm *SecretEntry
	SetPIN  *widget.Button
}

// PINScreen unlocks the tablet offline with the officer's PIN.
type PINScreen struct {
	Officer *widget.Select
	PIN     *SecretEntry
	Unlock  *widget.Button
	Message *widget.Label
	Busy    *widget.ProgressBarInfinite

	ids map[string]string // shown name -> officer id
}

func screen(title, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return theme.Screen(title, intro, parts...)
}

func errorLabel() *widget.Label { return ui.ErrorLabel() }

func say(l *widget.Label, s string) { ui.Say(l, s) }

// ShowEnrol shows the set-up screen, with msg (if any) explaining why.
func (u *UI) ShowEnrol(msg string) {
	s := &EnrolScreen{}
	s.Code = widget.NewEntry()
	s.Code.SetPlaceHolder(lang.L("Set-up code, e.g. K7QF-2M9X"))
	s.Message = errorLabel()
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	s.Enrol = widget.NewButton(lang.L("Set up this tablet"), func() { u.enrol(s) })
	s.Enrol.Importance = widget.HighImportance
	s.Code.OnSubmitted = func(string) { u.enrol(s) }
	say(s.Message, msg)
	u.clear()
	u.Enrol = s
	u.w.SetContent(screen(lang.L("Set up this tablet"),
		lang.L("Your supervisor gives you a one-time set-up code. You need signal for this step only."),
		s.Code, s.Enrol, s.Busy, s.Message))
}

func (u *UI) enrol(s *EnrolScreen) {
	code := strings.TrimSpace(s.Code.Text)
	if code == "" {
		say(s.Message, lang.L("Type the set-up code first."))
		return
	}
	if u.cfg.Accounts == nil {
		say(s.Message, lang.L("This build of the app cannot reach the central system, so the tablet cannot be set up."))
		return
	}
	s.Enrol.Disable()
	s.Busy.Show()
	say(s.Message, "")
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), networkTimeout)
		defer cancel()
		err := u.cfg.Accounts.EnrolDevice(ctx, code)
		fyne.Do(func() {
			if u.Enrol != s {
				return
			}
			s.Busy.Hide()
			s.Enrol.Enable()
			if err != nil {
				u.cfg.Logger.Warn("enrol device", "err", err)
				say(s.Message, lang.L("The tablet was not set up: ")+plain(err))
				return
			}
			u.cfg.Logger.Info("device enrolled")
			u.ShowLogin("")
		})
	})
}

// ShowLogin shows the first sign-in (online).
func (u *UI) ShowLogin(msg string) {
	s := &LoginScreen{}
	s.Username = widget.NewEntry()
	s.Username.SetPlaceHolder(lang.L("User name or collar number"))
	s.Password = newSecretEntry(u.w, lang.L("Password"))
	s.Message = errorLabel()
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	s.SignIn = widget.NewButton(lang.L("Sign in"), func() { u.login(s) })
	s.SignIn.Importance = widget.HighImportance
	s.Password.OnSubmitted = func(string) { u.login(s) }
	say(s.Message, msg)
	u.clear()
	u.Login = s
	u.w.SetContent(screen(lang.L("Sign in"),
		lang.L("The first time on this tablet you sign in with your force account (you need signal). Then you choose a PIN to use offline."),
		s.Username, s.Password, s.SignIn, s.Busy, s.Message))
}

func (u *UI) login(s *LoginScreen) {
	user, pass := strings.TrimSpace(s.Username.Text), s.Password.Text
	if user == "" || pass == "" {
		say(s.Message, lang.L("Type your user name and password."))
		return
	}
	if u.cfg.Accounts == nil {
		say(s.Message, lang.L("This build of the app cannot reach the central system to sign you in."))
		return
	}
	s.SignIn.Disable()
	s.Busy.Show()
	say(s.Message, "")
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), networkTimeout)
		defer cancel()
		id, err := u.cfg.Accounts.Login(ctx, user, pass)
		fyne.Do(func() {
			if u.Login != s {
				return
			}
			s.Busy.Hide()
			s.SignIn.Enable()
			var we *WaitError
			if errors.As(err, &we) {
				u.cfg.Logger.Warn("sign in", "err", err)
				say(s.Message, lang.L("Too many sign-in attempts. Try again in ")+waitInWords(we.After)+".")
				return
			}
			if err != nil {
				u.cfg.Logger.Warn("sign in", "err", err)
				say(s.Message, lang.L("Not signed in: ")+plain(err))
				return
			}
			u.choosePIN(s, id)
		})
	})
}

// choosePIN replaces the sign-in form with the PIN form.
func (u *UI) choosePIN(s *LoginScreen, id Identity) {
	s.PIN = newSecretEntry(u.w, lang.L("New PIN: at least 6 digits"))
	s.Confirm = newSecretEntry(u.w, lang.L("The same PIN again"))
	s.SetPIN = widget.NewButton(lang.L("Save my PIN"), func() { u.setPIN(s, id) })
	s.SetPIN.Importance = widget.HighImportance
	s.Confirm.OnSubmitted = func(string) { u.setPIN(s, id) }
	u.w.SetContent(screen(lang.L("Choose your PIN"),
		fmt.Sprintf(lang.L("Signed in as %s. Choose a PIN of at least 6 digits, not a simple pattern like 111111 or 123456. You will use it to open the app, even with no signal."), id.Name),
		s.PIN, s.Confirm, s.SetPIN, s.Busy, s.Message))
	u.w.Canvas().Focus(s.PIN)
}

func (u *UI) setPIN(s *LoginScreen, id Identity) {
	pin := s.PIN.Text
	if pin != s.Confirm.Text {
		say(s.Message, lang.L("The two PINs are different. Type them again."))
		return
	}
	if err := devicestore.ValidatePIN(pin); err != nil {
		say(s.Message, lang.L("Choose at least 6 digits, not a simple pattern like 111111 or 123456."))
		return
	}
	s.SetPIN.Disable()
	s.Busy.Show()
	say(s.Message, "")
	u.background(func() {
		err := u.cfg.Store.EnrolOfficer(id.OfficerID, id.Name, pin)
		if errors.Is(err, devicestore.ErrOfficerExists) {
			err = u.cfg.Store.Unlock(id.OfficerID, pin)
		}
		fyne.Do(func() {
			if u.Login != s {
				return
			}
			s.Busy.Hide()
			s.SetPIN.Enable()
			if err != nil {
				u.cfg.Logger.Warn("enrol officer", "err", err)
				say(s.Message, lang.L("Your PIN was not saved: ")+plain(err))
				return
			}
			u.cfg.Logger.Info("officer enrolled on device", "officer", id.OfficerID)
			u.ShowHome()
		})
	})
}

// ShowPIN shows the unlock screen.
func (u *UI) ShowPIN() {
	s := &PINScreen{ids: map[string]string{}}
	officers, err := u.cfg.Store.Officers()
	var names []string
	for _, o := range officers {
		names = append(names, o.Name)
		s.ids[o.Name] = o.ID
	}
	s.Officer = widget.NewSelect(names, nil)
	s.Officer.PlaceHolder = lang.L("Who are you?")
	if len(names) > 0 {
		s.Officer.SetSelectedIndex(0)
	}
	s.PIN = newSecretEntry(u.w, lang.L("PIN"))
	s.Message = errorLabel()
	s.Busy = widget.NewProgressBarInfinite()
	s.Busy.Hide()
	s.Unlock = widget.NewButton(lang.L("Unlock"), func() { u.unlock(s) })
	s.Unlock.Importance = widget.HighImportance
	s.PIN.OnSubmitted = func(string) { u.unlock(s) }
	if err != nil {
		say(s.Message, plain(err))
	}
	u.clear()
	u.PIN = s
	parts := []fyne.CanvasObject{s.PIN, s.Unlock, s.Busy, s.Message}
	if len(names) > 1 {
		parts = append([]fyne.CanvasObject{s.Officer}, parts...)
	}
	intro := lang.L("Type your PIN. No signal is needed.")
	if len(names) == 1 {
		intro = lang.L("{{.Name}}: type your PIN. No signal is needed.", map[string]any{"Name": names[0]})
	}
	u.w.SetContent(screen(lang.L("Safeguard is locked"), intro, parts...))
	u.w.Canvas().Focus(s.PIN)
}

func (u *UI) unlock(s *PINScreen) {
	id := s.ids[s.Officer.Selected]
	pin := s.PIN.Text
	if id == "" || pin == "" {
		say(s.Message, lang.L("Type your PIN."))
		return
	}
	s.Unlock.Disable()
	s.Busy.Show()
	say(s.Message, "")
	u.background(func() {
		err := u.cfg.Store.Unlock(id, pin)
		fyne.Do(func() {
			if u.PIN != s {
				return
			}
			s.Busy.Hide()
			s.Unlock.Enable()
			s.PIN.SetText("")
			var pe *devicestore.PINError
			var le *devicestore.LockoutError
			switch {
			case err == nil:
				u.cfg.Logger.Info("unlocked", "officer", id)
				if r := u.resume; r != nil {
					u.resume = nil
					r()
					return
				}
				u.ShowHome()
			case errors.As(err, &pe):
				msg := words.WrongPIN(pe.Remaining)
				if pe.RetryAfter > 0 {
					msg += fmt.Sprintf(lang.L(" Wait %s before trying again."), pe.RetryAfter.Round(1e9))
				}
				say(s.Message, msg)
			case errors.As(err, &le):
				say(s.Message, fmt.Sprintf(lang.L("Too many wrong PINs. Wait %s, then try again."), le.RetryAfter.Round(1e9)))
			case errors.Is(err, devicestore.ErrWiped):
				u.ShowEnrol(lang.L("Too many wrong PINs: this tablet has been wiped. Set it up again with a new code from your supervisor."))
			default:
				say(s.Message, lang.L("Not unlocked: ")+plain(err))
			}
		})
	})
}

// plain is an error in words for the screen (ui.Words).
func plain(err error) string { return ui.Words(err) }
