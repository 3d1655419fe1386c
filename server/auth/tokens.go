package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/doska/doska/models"
)

// Access-token settings (RFC 8725, RFC 9068). Only HS256 tokens of type
// at+jwt, issued by us for our API, are accepted.
const (
	Issuer         = "doska"
	Audience       = "doska-api"
	accessType     = "at+jwt"
	keyID          = "k1"
	AccessTTL      = 10 * time.Minute
	maxTokenLength = 4096 // golang-jwt CVE-2025-30204: bound input before parsing
	maxVerified    = 4096 // tokens whose signature and header are remembered
)

// ErrInvalidToken is returned for every token that does not verify; the
// reason is deliberately not told apart.
var ErrInvalidToken = errors.New("auth: invalid token")

// Claims are the access token's claims. role and cid are informative only:
// every request reloads the user and trusts the database.
type Claims struct {
	jwt.RegisteredClaims
	Role     models.Role `json:"role"`
	ClientID int64       `json:"cid,omitempty"`
	Version  int64       `json:"sv"`
}

// UserID returns the subject as a user ID.
func (c Claims) UserID() (int64, error) {
	return strconv.ParseInt(c.Subject, 10, 64)
}

// Tokens issues and verifies access tokens and derives refresh tokens.
type Tokens struct {
	key        []byte
	refreshKey []byte
	now        func() time.Time
	parser     *jwt.Parser
	validator  *jwt.Validator // the parser's checks of the claims alone

	// verified remembers the claims of tokens that passed the parser, by
	// the whole token: a tab sends the same one with every request for ten
	// minutes, and decoding and checking it again was 8 % of the server's
	// CPU during moves. Only the claims' times are checked again. It is
	// emptied when full.
	mu       sync.Mutex
	verified map[string]Claims
}

// NewTokens returns a Tokens signing with key (at least 32 bytes).
func NewTokens(key []byte, now func() time.Time) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: signing key must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("doska refresh successor"))
	checks := []jwt.ParserOption{
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithLeeway(30 * time.Second),
		jwt.WithTimeFunc(now),
	}
	return &Tokens{
		key:        key,
		refreshKey: mac.Sum(nil),
		now:        now,
		parser:     jwt.NewParser(append(checks, jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}))...),
		validator:  jwt.NewValidator(checks...),
		verified:   map[string]Claims{},
	}, nil
}

// Issue returns a signed access token for the user and its expiry.
func (t *Tokens) Issue(u models.User) (string, time.Time, error) {
	now := t.now().UTC().Truncate(time.Second)
	exp := now.Add(AccessTTL)
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, err
	}
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   strconv.FormatInt(u.ID, 10),
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
		Role:    u.Role,
		Version: u.SessionVersion,
	}
	if u.ClientID != nil {
		c.ClientID = *u.ClientID
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header["typ"] = accessType
	tok.Header["kid"] = keyID
	s, err := tok.SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign: %w", err)
	}
	return s, exp, nil
}

// Parse verifies an access token and returns its claims.
func (t *Tokens) Parse(s string) (Claims, error) {
	var c Claims
	if len(s) > maxTokenLength {
		return c, ErrInvalidToken
	}
	t.mu.Lock()
	c, seen := t.verified[s]
	t.mu.Unlock()
	if seen {
		if t.validator.Validate(c) != nil {
			return Claims{}, ErrInvalidToken
		}
		return c, nil
	}
	_, err := t.parser.ParseWithClaims(s, &c, func(tok *jwt.Token) (any, error) {
		// Header claims such as jku, x5u or jwk are never read (RFC 8725 §3.10).
		if tok.Header["typ"] != accessType || tok.Header["kid"] != keyID {
			return nil, ErrInvalidToken
		}
		return t.key, nil
	})
	if err != nil {
		return Claims{}, ErrInvalidToken
	}
	if _, err := c.UserID(); err != nil {
		return Claims{}, ErrInvalidToken
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerified {
		clear(t.verified)
	}
	t.verified[s] = c
	t.mu.Unlock()
	return c, nil
}

// NewRefreshToken returns a fresh opaque refresh token (256 random bits).
func NewRefreshToken() (string, error) {
	return randomToken()
}

// NewInvitationToken returns a fresh invitation token (256 random bits).
func NewInvitationToken() (string, error) {
	return randomToken()
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Successor is the refresh token that replaces token. It is derived rather
// than random so that a second tab refreshing with the same token within the
// grace window receives the same successor, without storing any token.
func (t *Tokens) Successor(token string) string {
	mac := hmac.New(sha256.New, t.refreshKey)
	mac.Write([]byte(token))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// HashToken is how refresh and invitation tokens are stored.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
