package mail

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// ReplyTTL is how long a card mail's reply address takes replies: a client
// answering an old mail weeks later is normal, a year later is not.
const ReplyTTL = 90 * 24 * time.Hour

// Tokens are not stored: the HMAC binds their fields, so a forged or
// altered one fails the check. They are lower-case, since some mail
// servers lower-case the local part of an address.
func (c *Composer) sign(parts ...string) string {
	mac := hmac.New(sha256.New, c.Key)
	mac.Write([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(mac.Sum(nil)[:12])
}

// ReplyAddress is reply+<task>-<user>-<expiry>-<mac>@domain: a reply to it
// can only become a comment by that user on that task, until expiry.
func (c *Composer) ReplyAddress(task, user int64, expires time.Time) string {
	t, u, e := strconv.FormatInt(task, 10), strconv.FormatInt(user, 10), strconv.FormatInt(expires.Unix(), 10)
	return "reply+" + t + "-" + u + "-" + e + "-" + c.sign("reply", t, u, e) + "@" + c.domain()
}

// Errors of a reply address.
var (
	ErrForged  = errors.New("mail: reply address forged or malformed")
	ErrExpired = errors.New("mail: reply address expired")
)

// ParseReply checks a reply address and returns the task and user it was
// made for.
func (c *Composer) ParseReply(addr string, now time.Time) (task, user int64, err error) {
	local, dom, ok := strings.Cut(strings.ToLower(addr), "@")
	token, found := strings.CutPrefix(local, "reply+")
	if !ok || !found || dom != strings.ToLower(c.domain()) {
		return 0, 0, ErrForged
	}
	f := strings.Split(token, "-")
	if len(f) != 4 || !hmac.Equal([]byte(f[3]), []byte(c.sign("reply", f[0], f[1], f[2]))) {
		return 0, 0, ErrForged
	}
	task, err1 := strconv.ParseInt(f[0], 10, 64)
	user, err2 := strconv.ParseInt(f[1], 10, 64)
	exp, err3 := strconv.ParseInt(f[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, ErrForged
	}
	if now.After(time.Unix(exp, 0)) {
		return task, user, ErrExpired
	}
	return task, user, nil
}

// UnsubscribeToken is <user>-<kind>-<mac>: it can only turn off that kind
// of mail for that user, which is all RFC 8058's one-click POST may do.
func (c *Composer) UnsubscribeToken(user int64, kind Kind) string {
	u := strconv.FormatInt(user, 10)
	return u + "-" + string(kind) + "-" + c.sign("unsubscribe", u, string(kind))
}

// UnsubscribeURL is the List-Unsubscribe target for user and kind.
func (c *Composer) UnsubscribeURL(user int64, kind Kind) string {
	return c.Site.String() + "/api/mail/unsubscribe/" + c.UnsubscribeToken(user, kind)
}

// ParseUnsubscribe checks an unsubscribe token.
func (c *Composer) ParseUnsubscribe(token string) (int64, Kind, error) {
	f := strings.Split(token, "-")
	if len(f) != 3 || !hmac.Equal([]byte(f[2]), []byte(c.sign("unsubscribe", f[0], f[1]))) {
		return 0, "", ErrForged
	}
	user, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, "", ErrForged
	}
	return user, Kind(f[1]), nil
}
