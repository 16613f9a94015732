// Command safeguard is the Safeguard app for police officers recording
// children at risk at the scene: a Fyne app that works offline, keeps every
// answer encrypted on the tablet and sends checks to the central referral
// system when there is signal.
//
// Usage:
//
//	safeguard [-role officer|supervisor|trainer] [-server URL] [-enrol-code CODE] [-data DIR] [-dark] [-text-scale 1.25] [-training]
//
// Build the real window with cgo (see the README); headless tests use the
// ci tag: CGO_ENABLED=0 go test -tags ci ./app/...
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/safeguard-uk/safeguard/app/i18n"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	safeapp "github.com/safeguard-uk/safeguard/app"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/app/trainer"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// appID is the app's identity (also in FyneApp.toml).
const appID = "uk.safeguard.officer"

// defaultServer is the central system the demo runs (make run).
const defaultServer = "http://127.0.0.1:8080"

// startChecklist is the checklist "Start a check" uses (its latest version).
const startChecklist = "child-at-risk"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "safeguard:", err)
		os.Exit(1)
	}
}

func run() error {
	role := flag.String("role", "officer", "officer (the tablet at the scene), supervisor (review at the desk) or trainer (scenarios in the classroom)")
	dataDir := flag.String("data", defaultDataDir(), "folder for the device store (encrypted)")
	enrolCode := flag.String("enrol-code", "", "enrol this tablet with this one-time code at start, if it is not enrolled (the demo uses it)")
	server := flag.String("server", "", "the central system's address (default: the one the tablet enrolled with, else "+defaultServer+")")
	dark := flag.Bool("dark", false, "use the dark high-contrast theme (default: the officer's last choice)")
	scale := flag.Float64("text-scale", 1, "text size factor, 1, 1.25, 1.5... (default: the officer's last choice)")
	training := flag.Bool("training", false, "training mode: entries never reach the live referral queue")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(logger)

	// The checklists load while the store opens and the officer unlocks
	// it: only a check needs them, and that is after the unlock.
	checklists := safeapp.LoadChecklists(loadChecklists)
	srv := *server
	if srv == "" {
		srv = os.Getenv("SAFEGUARD_SERVER")
	}

	a := fyneapp.NewWithID(appID)
	if icon, err := fs.ReadFile(assets.FS, "icon.png"); err == nil {
		a.SetIcon(fyne.NewStaticResource("icon.png", icon))
	}
	th := theme.FromPreferences(a)
	flag.Visit(func(f *flag.Flag) { // flags given on the command line win
		switch f.Name {
		case "dark":
			th.Dark = *dark
		case "text-scale":
			th = theme.New(th.Dark, float32(*scale))
		}
	})
	a.Settings().SetTheme(th)
	if err := i18n.Apply(a); err != nil { // the language chosen in Display, else the system's
		slog.Error("language not applied", "err", err)
	}
	w := a.NewWindow("Safeguard")
	w.Resize(fyne.NewSize(1280, 800))

	wait := func() (*forms.Registry, error) {
		reg, err := checklists.Wait()
		if err != nil {
			return nil, fmt.Errorf("checklists: %w", err)
		}
		return reg, nil
	}
	switch *role {
	case "officer":
		stop, err := officer(w, checklists, *dataDir, srv, *enrolCode, *training, logger)
		if err != nil {
			return err
		}
		defer stop()
	case "supervisor":
		if srv == "" {
			srv = defaultServer
		}
		reg, err := wait()
		if err != nil {
			return err
		}
		ui := supervisor.New(w, supervisor.Config{Client: supervisor.NewClient(srv, supervisor.Live), Checklists: reg, Logger: logger})
		ui.Start()
		w.SetOnClosed(ui.Stop)
	case "trainer":
		reg, err := wait()
		if err != nil {
			return err
		}
		// Practice checks live in a store of their own, fresh each run,
		// and never leave this machine.
		dir, err := os.MkdirTemp("", "safeguard-practice-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		ps, err := trainer.OpenPracticeStore(dir, "trainee", "Trainee", devicestore.Options{Logger: logger})
		if err != nil {
			return err
		}
		defer ps.Close()
		if srv == "" {
			srv = defaultServer
		}
		// The trainer's desk reviews the class's practice checks (sent by
		// trainees' tablets in training mode) on the central system.
		tu, err := trainer.New(w, trainer.Config{Store: ps, Checklists: reg, Logger: logger,
			Desk: supervisor.NewClient(srv, supervisor.Training)})
		if err != nil {
			return err
		}
		tu.Start()
	default:
		return fmt.Errorf("unknown role %q: use officer, supervisor or trainer", *role)
	}
	if os.Getenv(faultKeyEnv) == "1" {
		w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF12, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}, func(fyne.Shortcut) {
			panic("test fault in a screen, carrying a child's name: Amy Example")
		})
	}
	if guardWindow(logger, w.ShowAndRun) {
		exitAfterFault(logger)
	}
	if _, err := wait(); err != nil { // the officer's app closed itself for it
		return err
	}
	return nil
}

// officer sets up the tablet at the scene: the encrypted device store, the
// device's enrolment at the central system, sync, and the officer's
// screens. It returns what to do at exit.
func officer(w fyne.Window, checklists *safeapp.Loading, dataDir, srv, enrolCode string, training bool, logger *slog.Logger) (func(), error) {
	// A build whose checklists do not load (or lack the one a check
	// starts with) is broken: say so and close, as if it had not started.
	go func() {
		if _, err := checklists.Wait(); err != nil {
			logger.Error("checklists not loaded: this build cannot start a check", "err", err)
			fyne.Do(fyne.CurrentApp().Quit)
		}
	}()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	store, err := devicestore.Open(filepath.Join(dataDir, "device.db"), devicestore.Options{Logger: logger, KeyStore: osKeyStore()})
	if err != nil {
		return nil, err
	}
	// Entries and free text record the language the officer writes in:
	// the app's (i18n.Apply above chose it). The language setting calls
	// store.SetLanguage again when it changes.
	if err := store.SetLanguage(i18n.Current()); err != nil {
		logger.Warn("the app's language cannot be recorded on entries", "err", err)
	}
	dev, err := newDevice(dataDir, srv, store, logger)
	if err != nil {
		store.Close()
		return nil, err
	}
	if dev.server == "" {
		dev.server = defaultServer
	}
	if enrolCode != "" && !dev.DeviceEnrolled() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := dev.EnrolDevice(ctx, enrolCode)
		cancel()
		if err != nil {
			dev.Stop()
			store.Close()
			return nil, fmt.Errorf("enrol with the code given: %w", err)
		}
	}
	ui := safeapp.New(w, safeapp.Config{
		Store:      store,
		Checklists: checklists,
		Start:      forms.Ref{ID: startChecklist}, // its latest version
		Training:   training,
		Logger:     logger,
		Sync:       dev,
		Accounts:   dev,
	})
	ui.Start()
	serveUIMap(w, ui, logger)
	w.SetOnClosed(ui.Stop)
	// Back from the background: the signal may be back too.
	fyne.CurrentApp().Lifecycle().SetOnEnteredForeground(dev.Kick)
	return func() { dev.Stop(); store.Close() }, nil
}

func defaultDataDir() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "safeguard")
	}
	return "safeguard-data"
}

// loadChecklists reads which checklist versions and phrase lists this
// build holds, and the hashes they were published with, without compiling
// any: home needs none. A version compiles (with its phrase list) when a
// check first needs it: the newest on the first "Start a check" (about
// 25 ms on a 2-core machine), an older one when a draft made on it is
// first opened.
func loadChecklists() (*forms.Registry, error) {
	reg, err := forms.LoadRegistryLazy(assets.FS)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(reg.Refs(), func(r forms.Ref) bool { return r.ID == startChecklist }) {
		return nil, fmt.Errorf("checklist %q is not in this build", startChecklist)
	}
	return reg, nil
}
