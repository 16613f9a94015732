package ui

import (
	"errors"
	"fmt"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/safeguard-uk/safeguard/app/i18n"
	"github.com/safeguard-uk/safeguard/devicestore"
)

type worded struct{}

func (worded) Error() string { return "supervisor: 409" }
func (worded) Words() string { return "its own words" }

type messaged struct{}

func (messaged) Error() string       { return "sync: wrong PIN (code)" }
func (messaged) UserMessage() string { return "Wrong PIN" }

// TestWords: an error says its own words, a wrapped store error is said by
// its kind, in English and in Welsh, and no error text is cut up.
func TestWords(t *testing.T) {
	wrapped := fmt.Errorf("unlock pc-4411: %w", devicestore.ErrWrongPIN)
	for _, c := range []struct {
		err  error
		want string
	}{
		{wrapped, "Wrong PIN"},
		{fmt.Errorf("send: %w", worded{}), "its own words"},
		{messaged{}, "Wrong PIN"},
		{errors.New("something else: as written"), "something else: as written"},
		{nil, ""},
	} {
		if got := Words(c.err); got != c.want {
			t.Errorf("Words(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	if err := i18n.Use("cy"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Use("en") })
	if got := Words(wrapped); got != "PIN anghywir" {
		t.Errorf("in Welsh, Words(wrong PIN) = %q", got)
	}
	for _, s := range storeWords {
		if lang.L(s.words) == s.words {
			t.Errorf("%q has no Welsh", s.words)
		}
	}
}
