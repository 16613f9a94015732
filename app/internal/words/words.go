// Package words holds the officer's screens' counted messages in one
// place, with the plural as a word ("1 thing", "46 things"), never
// "thing(s)". A later move to language files replaces this package.
package words

import "fmt"

// Count says n with the singular or the plural noun: Count(1, "thing",
// "things") is "1 thing", Count(0, ...) "0 things".
func Count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ToDo is the review page's summary of what is left.
func ToDo(n int) string {
	return Count(n, "thing", "things") + " to do before you can submit. Tap “Go to” to answer each."
}

// WrongPIN warns how many wrong PINs are left before the tablet wipes.
func WrongPIN(remaining int) string {
	if remaining == 1 {
		return "Wrong PIN. One more wrong PIN and this tablet wipes itself."
	}
	return fmt.Sprintf("Wrong PIN. After %s this tablet wipes itself.", Count(remaining, "more wrong PIN", "more wrong PINs"))
}

// Waiting is the sync bar's count of what is left to send.
func Waiting(entries, photos int, size string) string {
	s := "to send: " + Count(entries, "check", "checks")
	if photos > 0 {
		s += ", " + Count(photos, "photo", "photos")
	}
	return s + " (" + size + ")"
}

// WaitingChecks is the sync bar's count when only the list knows.
func WaitingChecks(n int) string { return Count(n, "check", "checks") + " waiting to send" }
