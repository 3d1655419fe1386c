package models

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is how a text field may be written. Single-line fields (names,
// titles, labels, links, e-mails, tokens) refuse every control character;
// multi-line fields (descriptions, comments, notes) also take line feeds
// and tabs. The rule holds for every field, so no command can store a NUL
// (PostgreSQL refuses it outright, error 22021) or an escape sequence that
// garbles logs, layouts and terminals.
type Text int

const (
	SingleLine Text = iota
	MultiLine
)

// Problem returns what is wrong with s as a field of this kind, or nil.
func (k Text) Problem(s string) *ProblemKind {
	bad := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(k == MultiLine && (r == '\n' || r == '\t'))
	}) >= 0
	switch {
	case !utf8.ValidString(s):
		return InvalidUTF8
	case bad && k == MultiLine:
		return ControlCharsML
	case bad:
		return ControlChars
	}
	return nil
}

// CleanName trims a single-line name or title and checks it: required, at
// most max characters, no control characters.
func CleanName(p Problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		p.Add(field, Required)
	case n > max:
		// The limit and the length, so the writer knows how much to cut:
		// nothing is ever cut for them.
		p.Add(field, TooLong, max, n)
	case SingleLine.Problem(s) != nil:
		p.Add(field, SingleLine.Problem(s))
	}
	return s
}

// CleanText trims free text (a description) and caps its length; it may be
// empty and may span lines.
func CleanText(p Problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		p.Add(field, TooLong, max, n)
	} else if k := MultiLine.Problem(s); k != nil {
		p.Add(field, k)
	}
	return s
}

// CleanEmail lower-cases and checks an e-mail address. Only a bare address
// is accepted ("Name <a@b>" is not), so what is stored is what was meant.
func CleanEmail(p Problems, field, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		p.Add(field, EmailRequired)
		return s
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		p.Add(field, EmailFormat)
	}
	return s
}
