package models

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanName trims a display name or title and checks it: required, at most
// max characters, no control characters (they break logs and layouts).
func CleanName(p Problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		p.Add(field, "is required")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "must be at most "+itoa(max)+" characters")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		p.Add(field, "must not contain control characters")
	}
	return s
}

// CleanText trims free text (a description) and caps its length; it may be
// empty and may span lines.
func CleanText(p Problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		p.Add(field, "must be at most "+itoa(max)+" characters")
	}
	return s
}

// CleanEmail lower-cases and checks an e-mail address. Only a bare address
// is accepted ("Name <a@b>" is not), so what is stored is what was meant.
func CleanEmail(p Problems, field, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		p.Add(field, "is required")
		return s
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		p.Add(field, "must be a valid e-mail address")
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
