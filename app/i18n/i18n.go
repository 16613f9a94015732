// Package i18n loads the app's English and Welsh words into Fyne's
// localisation (fyne.io/fyne/v2/lang) and applies the officer's language
// choice. Every screen says its words through lang.L, lang.N or lang.X
// with the English text as the key; translations/en.json holds the English
// plural forms and translations/cy.json the Welsh (marked for review by a
// Welsh-speaking officer).
//
// The language follows the system locale unless the officer chose one in
// the Display settings; the choice is kept in the app's preferences.
// Fyne reads the locale from LANGUAGE, LC_ALL, LC_MESSAGES and LANG on
// Linux, so a choice is applied by setting LANGUAGE and reloading; on
// platforms where Fyne asks the operating system instead (Android, iOS,
// macOS, Windows) the choice would need Fyne to expose its localizer.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/safeguard-uk/safeguard/forms"
)

//go:embed translations
var files embed.FS

// PrefLanguage is the preference key of the officer's language choice
// ("" follows the system, "en" English, "cy" Welsh).
const PrefLanguage = "display.language"

// Supported are the languages the app's words are written in, English first.
var Supported = []string{"en", "cy"}

var (
	loadOnce sync.Once
	loadErr  error
	mu       sync.Mutex
	sysLang  string // LANGUAGE as the process started
	hadLang  bool
)

// init loads the translations, so that every package that imports this
// one (each screen package does) speaks with its plural forms from the start.
func init() {
	if err := Load(); err != nil {
		fyne.LogError("Loading the app's translations", err)
	}
}

// Load adds the embedded translations to Fyne's; it is safe to call more
// than once (only the first call loads).
func Load() error {
	loadOnce.Do(func() {
		sysLang, hadLang = os.LookupEnv("LANGUAGE")
		loadErr = lang.AddTranslationsFS(files, "translations")
	})
	return loadErr
}

// Use switches the app's words to a language: "en", "cy", or "" for the
// system's. Screens built afterwards speak it.
func Use(code string) error {
	if err := Load(); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	switch code {
	case "":
		if hadLang {
			os.Setenv("LANGUAGE", sysLang)
		} else {
			os.Unsetenv("LANGUAGE")
		}
	case "en", "cy":
		os.Setenv("LANGUAGE", code)
	default:
		return fmt.Errorf("i18n: language %q is not one of %v", code, Supported)
	}
	// Adding translations makes Fyne choose its language again.
	b, err := files.ReadFile("translations/en.json")
	if err != nil {
		return fmt.Errorf("i18n: %w", err)
	}
	return lang.AddTranslationsForLocale(b, "en")
}

// Apply loads the translations and applies the language the officer
// chose, as kept in the app's preferences.
func Apply(a fyne.App) error {
	return Use(Chosen(a))
}

// Chosen is the language kept in the app's preferences ("" for the system's).
func Chosen(a fyne.App) string {
	return a.Preferences().String(PrefLanguage)
}

// Choose keeps a language choice in the app's preferences and applies it.
func Choose(a fyne.App, code string) error {
	if err := Use(code); err != nil {
		return err
	}
	a.Preferences().SetString(PrefLanguage, code)
	return nil
}

// Current is the language the app's words are in now ("en" or "cy").
func Current() string {
	return lang.X("i18n.language", "en")
}

// For is the language to show a checklist's texts in: the app's language
// when the checklist declares it, else English.
func For(c *forms.Checklist) string {
	cur := Current()
	if c == nil {
		return forms.DefaultLanguage
	}
	for _, l := range c.Languages {
		if l == cur {
			return cur
		}
	}
	return forms.DefaultLanguage
}

// Files are the embedded translation files (translations/en.json, cy.json).
func Files() fs.FS { return files }
