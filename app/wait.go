package app

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"time"
)

// WaitError is a refusal that says how long to wait before trying again:
// the central system's 429 with Retry-After after too many failed
// sign-ins. The sign-in screen shows the wait in words.
type WaitError struct {
	After time.Duration
	Err   error
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("try again in %s: %v", waitInWords(e.After), e.Err)
}

func (e *WaitError) Unwrap() error { return e.Err }

// waitInWords says a wait the way a person would ("about 2 minutes").
func waitInWords(d time.Duration) string {
	switch {
	case d <= time.Second:
		return lang.L("a second")
	case d < time.Minute:
		return fmt.Sprintf(lang.L("%d seconds"), int((d+time.Second-1)/time.Second))
	case d < 90*time.Second:
		return lang.L("about a minute")
	case d < time.Hour-30*time.Second:
		return fmt.Sprintf(lang.L("about %d minutes"), int((d+time.Minute/2)/time.Minute))
	case d < 90*time.Minute:
		return lang.L("about an hour")
	}
	return fmt.Sprintf(lang.L("about %d hours"), int((d+time.Hour/2)/time.Hour))
}
