package app

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestChecklistsLoadWhileStarting: the checklists load in the background
// (as main starts them, before the store opens); a check started with no
// version given opens the latest version once they are loaded.
func TestChecklistsLoadWhileStarting(t *testing.T) {
	gate := make(chan struct{})
	loading := LoadChecklists(func() (*forms.Registry, error) {
		<-gate // still loading while the app is built and the home screen shows
		return forms.LoadRegistry(assets.FS)
	})
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := New(w, Config{Store: uitest.EnrolledStore(t), Checklists: loading, Start: forms.Ref{ID: "child-at-risk"},
		LockCheck: -1, StatusPoll: -1, TypingDelay: -1, Now: uitest.Clock})
	t.Cleanup(u.Stop)
	u.ShowHome()
	if u.Home == nil {
		t.Fatal("no home screen while the checklists load")
	}
	close(gate)
	u.StartCheck()
	if u.Flow == nil {
		t.Fatal("no check opened")
	}
	latest, ok := loading.Latest("child-at-risk")
	if !ok {
		t.Fatal("no latest child-at-risk")
	}
	if got := u.Flow.Entry().Checklist; got != latest.Ref() || got.Version == "" {
		t.Fatalf("check started with %s, want the latest %s", got, latest.Ref())
	}
}

// TestChecklistsLoadFailed: a load that fails finds nothing and says why.
func TestChecklistsLoadFailed(t *testing.T) {
	boom := errors.New("boom")
	l := LoadChecklists(func() (*forms.Registry, error) { return nil, boom })
	if _, err := l.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait: %v", err)
	}
	if _, ok := l.Get(uitest.Ref); ok {
		t.Fatal("Get found a checklist in a failed load")
	}
	if _, ok := l.Latest(uitest.Ref.ID); ok {
		t.Fatal("Latest found a checklist in a failed load")
	}
}
