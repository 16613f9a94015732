package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	safeapp "github.com/safeguard-uk/safeguard/app"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// BenchmarkStartToHome measures what an officer waits for when the app
// starts on an enrolled tablet: open the encrypted store, build the
// screens, unlock with the PIN (argon2id at the production setting) and
// show the home screen, loading and compiling the checklists meanwhile as
// main does (on a goroutine of their own, started first; the span ends
// only once they are loaded too). The baseline is the store work alone:
// open and unlock.
func BenchmarkStartToHome(b *testing.B) {
	dir := b.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := filepath.Join(dir, "device.db")
	st, err := devicestore.Open(path, devicestore.Options{Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.EnrolOfficer("officer-1", "PC Bench", loopPIN); err != nil {
		b.Fatal(err)
	}
	st.Close()
	// An enrolled tablet whose server is not reachable (no signal).
	if err := writeFileAtomic(filepath.Join(dir, deviceFile), identity{Server: "http://127.0.0.1:1", DeviceID: "d", Credential: "c", Team: "t"}); err != nil {
		b.Fatal(err)
	}
	test.NewTempApp(b).Settings().SetTheme(theme.New(false, 1))

	b.Run("baseline", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st, err := devicestore.Open(path, devicestore.Options{Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			if err := st.Unlock("officer-1", loopPIN); err != nil {
				b.Fatal(err)
			}
			st.Close()
		}
	})
	b.Run("home", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			// as main does at start
			checklists := safeapp.LoadChecklists(loadChecklists)
			st, err := devicestore.Open(path, devicestore.Options{Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			dev, err := newDevice(dir, "", st, quiet)
			if err != nil {
				b.Fatal(err)
			}
			w := test.NewWindow(widget.NewLabel(""))
			w.Resize(fyne.NewSize(1280, 800))
			u := safeapp.New(w, safeapp.Config{Store: st, Checklists: checklists, Start: forms.Ref{ID: startChecklist}, Sync: dev, Accounts: dev,
				LockCheck: -1, StatusPoll: -1, Logger: quiet})
			u.Start()
			if u.PIN == nil {
				b.Fatal("an enrolled tablet does not open at the PIN screen")
			}
			test.Type(u.PIN.PIN, loopPIN)
			test.Tap(u.PIN.Unlock)
			u.WaitIdle()
			if u.Home == nil {
				b.Fatal("no home screen after the PIN")
			}
			w.Canvas().Content().Resize(w.Canvas().Size())
			if _, err := checklists.Wait(); err != nil { // read, within the span
				b.Fatal(err)
			}
			// The newest version compiles on the first "Start a check",
			// after home: outside the span (BenchmarkFirstCheckCompile).
			b.StopTimer()
			if _, ok := checklists.Latest(startChecklist); !ok {
				b.Fatal("no checklist to start a check with")
			}
			b.StartTimer()
			u.Stop()
			dev.Stop()
			w.Close()
			st.Close()
		}
	})
}

// BenchmarkFirstCheckCompile is what the first "Start a check" after
// start adds (home compiles no checklist): reading the registry and
// compiling the newest version with its phrase list.
func BenchmarkFirstCheckCompile(b *testing.B) {
	for b.Loop() {
		reg, err := loadChecklists()
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := reg.Latest(startChecklist); !ok {
			b.Fatal("no checklist to start a check with")
		}
	}
}
