package models

// Locale is a language Doska speaks, as a BCP 47 language subtag.
type Locale string

const (
	LocaleEnglish  Locale = "en"
	LocalePolish   Locale = "pl"
	LocaleRussian  Locale = "ru"
	LocaleJapanese Locale = "ja"
)

// DefaultLocale is the agency's language until an admin picks another.
const DefaultLocale = LocaleEnglish

// Valid reports whether Doska has a translation for l.
func (l Locale) Valid() bool {
	switch l {
	case LocaleEnglish, LocalePolish, LocaleRussian, LocaleJapanese:
		return true
	}
	return false
}

// CheckLocale records a problem when l is not a language Doska speaks.
func CheckLocale(p Problems, field string, l Locale) {
	if !l.Valid() {
		p.Add(field, LocaleChoice)
	}
}
