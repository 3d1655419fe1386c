package models

import (
	"errors"
	"strings"
)

// Ranks order the cards of a column. A rank is a string key that sorts
// between its neighbours byte by byte (the database column is collated "C"
// so PostgreSQL, Go and JavaScript agree). A move computes one new key
// between the neighbours and writes one row; nothing is renumbered.
//
// The scheme is fractional indexing as described by David Greenspan
// ("Implementing Fractional Indexing") and used by Figma: an integer part
// whose first character encodes its length ('a'..'z' for 2..27 characters,
// 'A'..'Z' for the negative side), followed by a base-62 fraction without
// trailing zeros. Prepending and appending grow keys logarithmically;
// repeated inserts at one spot grow them by about one character per six
// inserts, which RankTooLong catches so the store can respace the column.

const rankDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// RankMaxLen is the key length at which a column is respaced.
const RankMaxLen = 48

// ErrBadRank is returned for a key that is not a valid rank.
var ErrBadRank = errors.New("invalid rank")

const rankSmallestInt = "A00000000000000000000000000"

// RankBetween returns a key that sorts strictly between a and b. An empty
// a means "before b" (the top of the column), an empty b "after a".
func RankBetween(a, b string) (string, error) {
	if a != "" {
		if err := validRank(a); err != nil {
			return "", err
		}
	}
	if b != "" {
		if err := validRank(b); err != nil {
			return "", err
		}
	}
	if a != "" && b != "" && a >= b {
		return "", ErrBadRank
	}
	switch {
	case a == "" && b == "":
		return "a0", nil
	case a == "":
		ib := intPart(b)
		fb := b[len(ib):]
		if ib == rankSmallestInt {
			return ib + midpoint("", fb), nil
		}
		if ib < b {
			return ib, nil
		}
		res, ok := decrementInt(ib)
		if !ok {
			return "", ErrBadRank
		}
		return res, nil
	case b == "":
		ia := intPart(a)
		fa := a[len(ia):]
		if i, ok := incrementInt(ia); ok {
			return i, nil
		}
		return ia + midpoint(fa, ""), nil
	}
	ia, ib := intPart(a), intPart(b)
	fa, fb := a[len(ia):], b[len(ib):]
	if ia == ib {
		return ia + midpoint(fa, fb), nil
	}
	i, ok := incrementInt(ia)
	if !ok {
		return "", ErrBadRank
	}
	if i < b {
		return i, nil
	}
	return ia + midpoint(fa, ""), nil
}

// RankSequence returns n short, evenly spread, increasing keys: the ranks
// of a respaced column.
func RankSequence(n int) []string {
	out := make([]string, 0, n)
	key := ""
	for range n {
		key, _ = RankBetween(key, "")
		out = append(out, key)
	}
	return out
}

// midpoint returns a fraction strictly between fractions a and b ("" for b
// means 1), without trailing zeros.
func midpoint(a, b string) string {
	if b != "" {
		n := 0
		for n < len(b) && digitAt(a, n) == b[n] {
			n++
		}
		if n > 0 {
			return b[:n] + midpoint(tail(a, n), b[n:])
		}
	}
	da := 0
	if a != "" {
		da = strings.IndexByte(rankDigits, a[0])
	}
	db := len(rankDigits)
	if b != "" {
		db = strings.IndexByte(rankDigits, b[0])
	}
	if db-da > 1 {
		return string(rankDigits[(da+db+1)/2])
	}
	if len(b) > 1 {
		return b[:1]
	}
	return string(rankDigits[da]) + midpoint(tail(a, 1), "")
}

func digitAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return '0'
}

func tail(s string, n int) string {
	if n >= len(s) {
		return ""
	}
	return s[n:]
}

func intLen(head byte) int {
	switch {
	case head >= 'a' && head <= 'z':
		return int(head-'a') + 2
	case head >= 'A' && head <= 'Z':
		return int('Z'-head) + 2
	}
	return 0
}

func intPart(key string) string {
	n := intLen(key[0])
	if n > len(key) {
		return key
	}
	return key[:n]
}

func validRank(key string) error {
	if key == "" || key == rankSmallestInt {
		return ErrBadRank
	}
	n := intLen(key[0])
	if n == 0 || n > len(key) {
		return ErrBadRank
	}
	for i := 1; i < len(key); i++ {
		if strings.IndexByte(rankDigits, key[i]) < 0 {
			return ErrBadRank
		}
	}
	if len(key) > n && key[len(key)-1] == '0' {
		return ErrBadRank
	}
	return nil
}

func incrementInt(x string) (string, bool) {
	head, digs := x[0], []byte(x[1:])
	carry := true
	for i := len(digs) - 1; carry && i >= 0; i-- {
		d := strings.IndexByte(rankDigits, digs[i]) + 1
		if d == len(rankDigits) {
			digs[i] = '0'
		} else {
			digs[i] = rankDigits[d]
			carry = false
		}
	}
	if !carry {
		return string(head) + string(digs), true
	}
	switch head {
	case 'Z':
		return "a0", true
	case 'z':
		return "", false
	}
	h := head + 1
	if h > 'a' {
		digs = append(digs, '0')
	} else {
		digs = digs[:len(digs)-1]
	}
	return string(h) + string(digs), true
}

func decrementInt(x string) (string, bool) {
	head, digs := x[0], []byte(x[1:])
	borrow := true
	for i := len(digs) - 1; borrow && i >= 0; i-- {
		d := strings.IndexByte(rankDigits, digs[i]) - 1
		if d == -1 {
			digs[i] = rankDigits[len(rankDigits)-1]
		} else {
			digs[i] = rankDigits[d]
			borrow = false
		}
	}
	if !borrow {
		return string(head) + string(digs), true
	}
	switch head {
	case 'a':
		return "Z" + string(rankDigits[len(rankDigits)-1]), true
	case 'A':
		return "", false
	}
	h := head - 1
	if h < 'Z' {
		digs = append(digs, rankDigits[len(rankDigits)-1])
	} else {
		digs = digs[:len(digs)-1]
	}
	return string(h) + string(digs), true
}

// RankBetweenJittered returns a key strictly between a and b like
// RankBetween, with one extra digit picked by pick (any integer): writers
// that collided on the same key retry with keys that almost never collide
// again, at the cost of one character.
func RankBetweenJittered(a, b string, pick uint) (string, error) {
	k, err := RankBetween(a, b)
	if err != nil {
		return "", err
	}
	candidate := k + string(rankDigits[1+pick%uint(len(rankDigits)-1)])
	if b == "" || candidate < b {
		return candidate, nil
	}
	return RankBetween(k, b)
}
