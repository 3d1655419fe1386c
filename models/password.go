package models

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Password limits follow OWASP ASVS 5.0 V6.2: at least 8 characters, long
// passphrases welcome, nothing truncated or case-folded.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 256
)

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 4000)
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})

// CheckPassword adds a problem for a password that is too short, too long
// or among the most common ones. The password itself is never changed.
func CheckPassword(p Problems, field, password string) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		p.Add(field, PasswordTooShort, PasswordMinLen)
	case n > PasswordMaxLen:
		p.Add(field, PasswordTooLong, PasswordMaxLen)
	default:
		if _, common := commonPasswords()[strings.ToLower(password)]; common {
			p.Add(field, PasswordCommon)
		}
	}
}
