// Package words holds the officer's screens' counted messages in one
// place, each a plural through Fyne's lang.N (English has one and other;
// Welsh zero, one, two, few, many and other), never "thing(s)".
package words

import (
	"fyne.io/fyne/v2/lang"

	_ "github.com/safeguard-uk/safeguard/app/i18n" // the translations, loaded before any count is said
)

// count is the template data of a counted message.
func count(n int) map[string]any { return map[string]any{"Count": n} }

// ToDo is the review page's summary of what is left.
func ToDo(n int) string {
	return lang.N("{{.Count}} things to do before you can submit. Tap “Go to” to answer each.", n, count(n))
}

// WrongPIN warns how many wrong PINs are left before the tablet wipes.
func WrongPIN(remaining int) string {
	return lang.N("Wrong PIN. After {{.Count}} more wrong PINs this tablet wipes itself.", remaining, count(remaining))
}

// Waiting is the sync bar's count of what is left to send.
func Waiting(entries, photos int, size string) string {
	checks := lang.N("{{.Count}} checks", entries, count(entries))
	if photos > 0 {
		return lang.N("to send: {{.Checks}}, {{.Count}} photos ({{.Size}})", photos,
			map[string]any{"Checks": checks, "Count": photos, "Size": size})
	}
	return lang.L("to send: {{.Checks}} ({{.Size}})", map[string]any{"Checks": checks, "Size": size})
}

// WaitingChecks is the sync bar's count when only the list knows.
func WaitingChecks(n int) string {
	return lang.N("{{.Count}} checks waiting to send", n, count(n))
}

// Results says how many training results were saved to a file.
func Results(n int, file string) string {
	return lang.N("Saved {{.Count}} results to {{.File}}", n, map[string]any{"Count": n, "File": file})
}

// Reasons counts the reasons of an immediate risk.
func Reasons(n int) string { return lang.N("{{.Count}} reasons", n, count(n)) }

// Actions counts the actions of an immediate risk.
func Actions(n int) string { return lang.N("{{.Count}} actions", n, count(n)) }
