package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
)

// login signs in and returns the session answer and the refresh cookie.
func (e *env) login(email, password string, header map[string]string) (response, *http.Cookie) {
	e.t.Helper()
	res := e.do(req{method: "POST", path: "/api/auth/login", body: map[string]string{"email": email, "password": password}, header: header})
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "doska_refresh" {
			return res, c
		}
	}
	return res, nil
}

func (e *env) refresh(cookie string) (response, string) {
	e.t.Helper()
	res := e.do(req{method: "POST", path: "/api/auth/refresh", header: map[string]string{"Cookie": "doska_refresh=" + cookie}})
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "doska_refresh" {
			return res, c.Value
		}
	}
	return res, ""
}

func accessToken(t *testing.T, r response) string {
	t.Helper()
	var s struct {
		AccessToken string `json:"access_token"`
	}
	r.json(t, &s)
	if s.AccessToken == "" {
		t.Fatalf("no access token in %s", r.body)
	}
	return s.AccessToken
}

func TestLoginSetsStrictHttpOnlyCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, ck := e.login(e.w.Dev.Email, dbtest.Password, nil)
	if res.status != 200 || ck == nil {
		t.Fatalf("login: %d %s", res.status, res.body)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Errorf("refresh cookie %+v: want HttpOnly, SameSite=Strict, Path=/", ck)
	}
	if strings.Contains(string(res.body), "password") || strings.Contains(string(res.body), "hash") {
		t.Errorf("login answer exposes credentials: %s", res.body)
	}
	if got := res.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	tok := accessToken(t, res)
	if me := e.do(req{method: "GET", path: "/api/me", token: tok}); me.status != 200 {
		t.Errorf("token from login refused: %d", me.status)
	}
	var row struct{ Hash []byte }
	e.db.Raw("SELECT token_hash AS hash FROM refresh_tokens").Scan(&row)
	if string(row.Hash) == ck.Value || len(row.Hash) != 32 {
		t.Errorf("refresh token must be stored as its SHA-256 only")
	}
	var stored string
	e.db.Raw("SELECT password_hash FROM users WHERE id = ?", e.w.Dev.ID).Scan(&stored)
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("password stored as %.30s…, want argon2id with OWASP parameters", stored)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	unknown, _ := e.login("nobody@agency.test", "whatever password", nil)
	wrong, _ := e.login(e.w.Dev.Email, "whatever password", nil)
	if unknown.status != 401 || wrong.status != 401 {
		t.Fatalf("statuses %d / %d, want 401 / 401", unknown.status, wrong.status)
	}
	strip := func(b []byte) string {
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("answer is not JSON: %s", b)
		}
		delete(v, "request_id")
		out, _ := json.Marshal(v)
		return string(out)
	}
	if strip(unknown.body) != strip(wrong.body) {
		t.Errorf("unknown user %s differs from wrong password %s", unknown.body, wrong.body)
	}
}

func TestLoginRateLimitedPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var last response
	for i := 0; i < 6; i++ {
		// Rotating X-Forwarded-For must not help: no proxy is trusted.
		last, _ = e.login(e.w.Dev.Email, "wrong password", map[string]string{"X-Forwarded-For": "10.0.0." + string(rune('1'+i))})
	}
	if last.status != 429 {
		t.Fatalf("6th bad password: status %d, want 429", last.status)
	}
	if ra := last.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q, want seconds", ra)
	}
	// Even the right password is refused while blocked from this address.
	if res, _ := e.login(e.w.Dev.Email, dbtest.Password, nil); res.status != 429 {
		t.Errorf("right password while blocked: %d, want 429", res.status)
	}
	// After the cool-down the owner signs in.
	e.clock.Advance(5*time.Minute + time.Second)
	if res, _ := e.login(e.w.Dev.Email, dbtest.Password, nil); res.status != 200 {
		t.Errorf("after cool-down: %d, want 200", res.status)
	}
	if !strings.Contains(e.logs.String(), `"msg":"rate_limited"`) || !strings.Contains(e.logs.String(), `"msg":"login_failure"`) {
		t.Errorf("rate limiting and failures must be logged")
	}
}

// TestAnAcceptedTokenStillExpires: the server remembers tokens it has
// verified, and a remembered one is refused like any other once it is
// past its expiry (ten minutes, with 30 s of leeway).
func TestAnAcceptedTokenStillExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.w.Dev)
	for i := range 2 {
		if res := e.do(req{method: "GET", path: "/api/me", token: tok}); res.status != 200 {
			t.Fatalf("request %d with a fresh token: %d %s", i+1, res.status, res.body)
		}
	}
	e.clock.Advance(auth.AccessTTL + 20*time.Second)
	if res := e.do(req{method: "GET", path: "/api/me", token: tok}); res.status != 200 {
		t.Fatalf("within the leeway: %d %s", res.status, res.body)
	}
	e.clock.Advance(11 * time.Second)
	if res := e.do(req{method: "GET", path: "/api/me", token: tok}); res.status != 401 {
		t.Errorf("31 s past its expiry: %d, want 401", res.status)
	}
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, ck := e.login(e.w.Dev.Email, dbtest.Password, nil)
	first := ck.Value

	res, second := e.refresh(first)
	if res.status != 200 || second == "" || second == first {
		t.Fatalf("refresh: %d, new cookie %q", res.status, second)
	}
	// A second tab refreshing with the same token within the grace window
	// gets the same successor instead of a revoked family.
	res, again := e.refresh(first)
	if res.status != 200 || again != second {
		t.Fatalf("refresh in grace: %d, successor %q, want %q", res.status, again, second)
	}
	res, third := e.refresh(second)
	if res.status != 200 || third == second {
		t.Fatalf("refresh of successor: %d", res.status)
	}
	// After the grace window, a used token is theft: the family dies.
	e.clock.Advance(11 * time.Second)
	if res, _ := e.refresh(first); res.status != 401 {
		t.Fatalf("replayed token after grace: %d, want 401", res.status)
	}
	if res, _ := e.refresh(third); res.status != 401 {
		t.Errorf("newest token of a revoked family: %d, want 401", res.status)
	}
	if !strings.Contains(e.logs.String(), `"msg":"refresh_reuse"`) {
		t.Errorf("reuse must be logged as a security event")
	}
}

// TestRefreshWithoutCookieIsNoSession: a visitor with no refresh cookie is
// told so with a 204, not a 401 (the app asks on every page load); a cookie
// that is sent but unknown is still refused and cleared.
func TestRefreshWithoutCookieIsNoSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	none := e.do(req{method: "POST", path: "/api/auth/refresh"})
	if none.status != 204 || len(none.body) != 0 {
		t.Errorf("no cookie: %d %s, want 204 and no body", none.status, none.body)
	}
	if len((&http.Response{Header: none.header}).Cookies()) != 0 {
		t.Errorf("no cookie: the answer sets cookies: %v", none.header)
	}
	if stale, _ := e.refresh("not-a-token"); stale.status != 401 {
		t.Errorf("unknown cookie: %d %s, want 401", stale.status, stale.body)
	}
}

func TestParallelRefreshGetsOneSuccessor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, ck := e.login(e.w.Dev.Email, dbtest.Password, nil)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, c := e.refresh(ck.Value)
			if res.status == 200 {
				got[i] = c
			}
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g == "" || g != got[0] {
			t.Fatalf("parallel refreshes gave %q, want one successor for all", got)
		}
	}
	var rows int64
	e.db.Raw("SELECT count(*) FROM refresh_tokens").Scan(&rows)
	if rows != 2 {
		t.Errorf("%d refresh tokens stored, want 2 (the first and its successor)", rows)
	}
}

func TestTwoLoginsTwoFamiliesAndLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, a := e.login(e.w.Dev.Email, dbtest.Password, nil)
	_, b := e.login(e.w.Dev.Email, dbtest.Password, nil)
	res := e.do(req{method: "POST", path: "/api/auth/logout", header: map[string]string{"Cookie": "doska_refresh=" + a.Value}})
	if res.status != 204 {
		t.Fatalf("logout: %d", res.status)
	}
	if res, _ := e.refresh(a.Value); res.status != 401 {
		t.Errorf("refresh after logout: %d, want 401", res.status)
	}
	if res, _ := e.refresh(b.Value); res.status != 200 {
		t.Errorf("the other session must survive a logout: %d", res.status)
	}
}

func TestDeactivationEndsAccessAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, ck := e.login(e.w.Dev.Email, dbtest.Password, nil)
	devTok := accessToken(t, res)
	// Used once before, so the user's row is in the session cache.
	if res := e.do(req{method: "GET", path: "/api/me", token: devTok}); res.status != 200 {
		t.Fatalf("before: %d", res.status)
	}
	off := e.do(req{method: "PATCH", path: "/api/users/" + id(e.w.Dev.ID), token: e.token(e.w.Admin), body: map[string]bool{"active": false}})
	if off.status != 200 {
		t.Fatalf("deactivate: %d %s", off.status, off.body)
	}
	if res := e.do(req{method: "GET", path: "/api/me", token: devTok}); res.status != 401 {
		t.Errorf("unexpired token of a deactivated user: %d, want 401", res.status)
	}
	if res, _ := e.refresh(ck.Value); res.status != 401 {
		t.Errorf("refresh of a deactivated user: %d, want 401", res.status)
	}
	if res, _ := e.login(e.w.Dev.Email, dbtest.Password, nil); res.status != 401 {
		t.Errorf("login of a deactivated user: %d, want 401", res.status)
	}
	self := e.do(req{method: "PATCH", path: "/api/users/" + id(e.w.Admin.ID), token: e.token(e.w.Admin), body: map[string]bool{"active": false}})
	if self.status != 422 || self.errorFields(t)["active"] == "" {
		t.Errorf("admin deactivating themselves: %d %s, want 422 on active", self.status, self.body)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, mine := e.login(e.w.Dev.Email, dbtest.Password, nil)
	oldTok := accessToken(t, res)
	_, theirs := e.login(e.w.Dev.Email, dbtest.Password, nil)

	wrong := e.do(req{method: "POST", path: "/api/me/password", token: oldTok,
		body: map[string]any{"current_password": "not it at all", "new_password": "brand new passphrase"}})
	if wrong.status != 422 || wrong.errorFields(t)["current_password"] == "" {
		t.Fatalf("wrong current password: %d %s", wrong.status, wrong.body)
	}
	common := e.do(req{method: "POST", path: "/api/me/password", token: oldTok,
		body: map[string]any{"current_password": dbtest.Password, "new_password": "password123"}})
	if common.status != 422 || common.errorFields(t)["new_password"] == "" {
		t.Fatalf("common new password: %d %s", common.status, common.body)
	}
	ok := e.do(req{method: "POST", path: "/api/me/password", token: oldTok,
		header: map[string]string{"Cookie": "doska_refresh=" + mine.Value},
		body:   map[string]any{"current_password": dbtest.Password, "new_password": "brand new passphrase", "end_other_sessions": true}})
	if ok.status != 200 {
		t.Fatalf("change: %d %s", ok.status, ok.body)
	}
	if res := e.do(req{method: "GET", path: "/api/me", token: oldTok}); res.status != 401 {
		t.Errorf("access token from before the change: %d, want 401", res.status)
	}
	if res := e.do(req{method: "GET", path: "/api/me", token: accessToken(t, ok)}); res.status != 200 {
		t.Errorf("token returned by the change: %d, want 200", res.status)
	}
	if res, _ := e.refresh(theirs.Value); res.status != 401 {
		t.Errorf("other session's refresh: %d, want 401", res.status)
	}
	if res, _ := e.refresh(mine.Value); res.status != 200 {
		t.Errorf("this session's refresh: %d, want 200", res.status)
	}
	if res, _ := e.login(e.w.Dev.Email, "brand new passphrase", nil); res.status != 200 {
		t.Errorf("login with the new password: %d", res.status)
	}
}

// TestForgedTokens replays the RFC 8725 attack table: every one is 401.
func TestForgedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	key := []byte("0123456789abcdef0123456789abcdef-test-key")
	now := e.clock.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": auth.Issuer, "aud": []string{auth.Audience}, "sub": id(e.w.Admin.ID), "sv": 1,
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "role": "admin"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, c jwt.MapClaims, header map[string]any, k any) string {
		tok := jwt.NewWithClaims(m, c)
		tok.Header["typ"], tok.Header["kid"] = "at+jwt", "k1"
		for h, v := range header {
			tok.Header[h] = v
		}
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := sign(jwt.SigningMethodHS256, claims(nil), nil, key)
	if res := e.do(req{method: "GET", path: "/api/me", token: valid}); res.status != 200 {
		t.Fatalf("control token refused: %d %s", res.status, res.body)
	}
	parts := strings.Split(valid, ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"at+jwt","kid":"k1"}`))
	tampered := claims(func(c jwt.MapClaims) { c["sub"] = id(e.w.Manager.ID) })
	tamperedPayload, _ := json.Marshal(tampered)
	cases := map[string]string{
		"alg none":               noneHeader + "." + parts[1] + ".",
		"tampered payload":       parts[0] + "." + base64.RawURLEncoding.EncodeToString(tamperedPayload) + "." + parts[2],
		"HS512":                  sign(jwt.SigningMethodHS512, claims(nil), nil, key),
		"other key":              sign(jwt.SigningMethodHS256, claims(nil), nil, []byte("another key of enough length 12345678")),
		"no exp":                 sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "exp") }), nil, key),
		"expired 31 s ago":       sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-31 * time.Second).Unix() }), nil, key),
		"not yet valid":          sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Minute).Unix() }), nil, key),
		"issued in the future":   sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }), nil, key),
		"wrong issuer":           sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["iss"] = "evil" }), nil, key),
		"no issuer":              sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "iss") }), nil, key),
		"wrong audience":         sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["aud"] = "other-api" }), nil, key),
		"typ JWT":                sign(jwt.SigningMethodHS256, claims(nil), map[string]any{"typ": "JWT"}, key),
		"unknown kid":            sign(jwt.SigningMethodHS256, claims(nil), map[string]any{"kid": "../../etc/passwd"}, key),
		"attacker jwk header":    sign(jwt.SigningMethodHS256, claims(nil), map[string]any{"jwk": map[string]string{"kty": "oct", "k": "YQ"}, "kid": "attacker"}, []byte("a")),
		"stale session version":  sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["sv"] = 0 }), nil, key),
		"unknown user":           sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["sub"] = "999999" }), nil, key),
		"non-numeric subject":    sign(jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["sub"] = "admin" }), nil, key),
		"a megabyte of dots":     strings.Repeat(".", 1<<20),
		"garbage":                "not.a.token",
		"empty":                  "",
		"bearer with whitespace": " " + valid,
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			hdr := map[string]string{"Authorization": "Bearer " + tok}
			res := e.do(req{method: "GET", path: "/api/me", header: hdr})
			if res.status != 401 && !(name == "a megabyte of dots" && res.status == 431) {
				t.Errorf("status %d, want 401: %s", res.status, res.body)
			}
		})
	}
}
