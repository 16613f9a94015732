package forms

// DefaultLanguage is the language every checklist must provide; other
// languages (for example "cy" for Welsh) fall back to it per text.
const DefaultLanguage = "en"

// Text is a translatable string keyed by BCP 47 language tag ("en", "cy").
type Text map[string]string

// In returns the text in lang, falling back to English when the
// translation is missing.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t[DefaultLanguage]
}

// String returns the English text.
func (t Text) String() string { return t[DefaultLanguage] }
