// Package uitest holds helpers shared by the app's screen tests: a real
// device store on a temporary file, the embedded checklists, and checks
// on what is on screen (touch target sizes).
package uitest

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// PIN is the test officer's PIN.
const PIN = "480725"

// Officer is the test officer's id.
const Officer = "pc-4411"

// Ref is the checklist the tests use.
var Ref = forms.Ref{ID: "child-at-risk", Version: "1.0.0"}

// Checklist loads the real child-at-risk checklist from the embedded assets.
func Checklist(tb testing.TB) *forms.Checklist {
	tb.Helper()
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		tb.Fatal(err)
	}
	c, ok := reg.Get(Ref)
	if !ok {
		tb.Fatalf("checklist %s missing", Ref)
	}
	return c
}

// Store opens a real device store on a temporary SQLite file with fast
// (insecure, test-only) key derivation, no idle lock and the fixed Clock
// (so golden images do not change with the time of day).
func Store(tb testing.TB) *devicestore.Store {
	tb.Helper()
	return StoreWith(tb, devicestore.Options{IdleLock: -1, Clock: Clock})
}

// StoreWith opens a real device store with opts (fast KDF forced).
func StoreWith(tb testing.TB, opts devicestore.Options) *devicestore.Store {
	tb.Helper()
	opts.KDF = devicestore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.InsecureKDF = true
	s, err := devicestore.Open(filepath.Join(tb.TempDir(), "device.db"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// EnrolledStore is Store with the test officer enrolled (and so unlocked).
func EnrolledStore(tb testing.TB) *devicestore.Store {
	tb.Helper()
	s := Store(tb)
	if err := s.EnrolOfficer(Officer, "PC Test", PIN); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Clock is a fixed time for screens that show "now".
func Clock() time.Time { return time.Date(2026, 11, 25, 22, 30, 0, 0, time.UTC) }

// SmallTargets lists visible tappable objects under o shorter than
// theme.MinTouch.
func SmallTargets(o fyne.CanvasObject) []string {
	var bad []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if _, ok := o.(fyne.Tappable); ok && o.Size().Height < theme.MinTouch {
			bad = append(bad, describe(o))
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := cache(x)
			if r != nil {
				for _, c := range r.Objects() {
					walk(c)
				}
			}
		}
	}
	walk(o)
	return bad
}

func describe(o fyne.CanvasObject) string {
	return fmtObj(o)
}
