package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	netmail "net/mail"

	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
)

var testComposer = &mail.Composer{Site: &url.URL{Scheme: "http", Host: "doska.test"},
	From: netmail.Address{Name: "Doska", Address: "doska@doska.test"}, Key: []byte("mail-key-for-tests-0123456789abc")}

// sentItem is a mail of the Sent mail page, as the tests read it.
type sentItem struct {
	Kind    string `json:"kind"`
	To      string `json:"to"`
	Status  string `json:"status"`
	Message struct {
		Subject string `json:"subject"`
		Text    string `json:"text"`
	} `json:"message"`
}

// sentMail is the Sent mail page as the admin reads it.
func (e *env) sentMail() []sentItem {
	e.t.Helper()
	res := e.do(req{method: "GET", path: "/api/mail", token: e.token(e.w.Admin)})
	if res.status != http.StatusOK {
		e.t.Fatalf("GET /api/mail: %d %s", res.status, res.body)
	}
	var page struct {
		Items []sentItem `json:"items"`
	}
	res.json(e.t, &page)
	return page.Items
}

var resetLink = regexp.MustCompile(`http://doska.test/reset#([\w-]+)`)

// TestPasswordReset: forgot → one mail with a link → a new password once;
// the link is single-use, expires after 30 minutes, and an unknown address
// gets the very same answer and no mail.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	forgot := func(email string) response {
		return e.do(req{method: "POST", path: "/api/auth/forgot", body: map[string]string{"email": email}})
	}
	known, unknown := forgot(e.w.Dev.Email), forgot("nobody@agency.test")
	if known.status != 202 || unknown.status != 202 || string(known.body) != string(unknown.body) {
		t.Fatalf("answers differ: %d %q vs %d %q", known.status, known.body, unknown.status, unknown.body)
	}
	var token string
	for _, m := range e.sentMail() {
		if m.Kind == "password_reset" {
			if m.To != e.w.Dev.Email || token != "" {
				t.Fatalf("reset mail to %s (or a second one)", m.To)
			}
			token = resetLink.FindStringSubmatch(m.Message.Text)[1]
		}
	}
	if token == "" {
		t.Fatal("no reset mail")
	}
	if n := e.count("SELECT count(*) FROM password_resets WHERE token_hash = ?", []byte(token)); n != 0 {
		t.Fatal("the token is stored as it is")
	}
	reset := func(tok, pw string) response {
		return e.do(req{method: "POST", path: "/api/auth/reset", body: map[string]string{"token": tok, "password": pw}})
	}
	if res := reset(token, "password123"); res.status != 422 || res.errorFields(t)["password"] == "" {
		t.Fatalf("a weak password: %d %s", res.status, res.body)
	}
	if res := reset(token, "a brand new passphrase"); res.status != 204 {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	if res, _ := e.login(e.w.Dev.Email, "a brand new passphrase", nil); res.status != 200 {
		t.Fatalf("sign in with the new password: %d", res.status)
	}
	if res, _ := e.login(e.w.Dev.Email, dbtest.Password, nil); res.status != 401 {
		t.Fatalf("the old password still works: %d", res.status)
	}
	if res := reset(token, "yet another passphrase"); res.status != 410 {
		t.Fatalf("second use: %d, want 410", res.status)
	}

	forgot(e.w.Manager.Email)
	var late string
	for _, m := range e.sentMail() {
		if m.Kind == "password_reset" && m.To == e.w.Manager.Email {
			late = resetLink.FindStringSubmatch(m.Message.Text)[1]
		}
	}
	e.clock.Advance(31 * time.Minute)
	if res := reset(late, "a brand new passphrase"); res.status != 410 {
		t.Fatalf("after 31 minutes: %d, want 410", res.status)
	}
}

// TestForgotPasswordRateLimited: three mails an hour per address at most,
// and the fourth ask is refused with Retry-After, without a mail.
func TestForgotPasswordRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 4 {
		res := e.do(req{method: "POST", path: "/api/auth/forgot", body: map[string]string{"email": e.w.Dev.Email}})
		want := 202
		if i == 3 {
			want = 429
		}
		if res.status != want || (want == 429 && res.header.Get("Retry-After") == "") {
			t.Fatalf("ask %d: %d, want %d", i+1, res.status, want)
		}
	}
	if n := e.count("SELECT count(*) FROM mail_outbox WHERE kind = 'password_reset'"); n != 3 {
		t.Errorf("%d reset mails, want 3", n)
	}
	if res := e.do(req{method: "POST", path: "/api/auth/forgot", body: map[string]string{"email": "not an address"}}); res.status != 422 || res.errorFields(t)["email"] == "" {
		t.Errorf("bad address: %d %s", res.status, res.body)
	}
}

// TestUnsubscribeOneClick: the List-Unsubscribe POST of a mail program
// (a form, no session) turns that kind off; staff keep critical mail.
func TestUnsubscribeOneClick(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(token string) int {
		hr, _ := http.NewRequest("POST", e.srv.URL+"/api/mail/unsubscribe/"+token, strings.NewReader("List-Unsubscribe=One-Click"))
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := post(testComposer.UnsubscribeToken(e.w.ClientA.ID, mail.Question)); s != 204 {
		t.Fatalf("unsubscribe: %d", s)
	}
	if n := e.count("SELECT count(*) FROM mail_prefs WHERE user_id = ? AND kind = 'question' AND mode = 'off'", e.w.ClientA.ID); n != 1 {
		t.Fatal("question mail is not off")
	}
	if s := post(testComposer.UnsubscribeToken(e.w.Dev.ID, mail.Critical)); s != 422 {
		t.Errorf("staff turning critical off: %d, want 422", s)
	}
	forged := testComposer.UnsubscribeToken(e.w.ClientA.ID, mail.Mentioned)
	forged = strings.Replace(forged, "-mentioned-", "-approved-", 1)
	if s := post(forged); s != 404 {
		t.Errorf("forged token: %d, want 404", s)
	}
}

// TestInvitationMailed: an invitation goes out by mail with its link.
func TestInvitationMailed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(req{method: "POST", path: "/api/invitations", token: e.token(e.w.Manager),
		body: map[string]string{"email": "newdev@agency.test", "role": "developer"}})
	if res.status != 201 {
		t.Fatalf("invite: %d %s", res.status, res.body)
	}
	var inv struct {
		URL string `json:"url"`
	}
	res.json(t, &inv)
	var found int
	for _, m := range e.sentMail() {
		if m.Kind == "invitation" && m.To == "newdev@agency.test" {
			found++
			if !strings.Contains(m.Message.Text, inv.URL) || !strings.Contains(m.Message.Text, "Pat Manager") {
				t.Errorf("invitation mail lacks the link or the inviter:\n%s", m.Message.Text)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d invitation mails, want 1", found)
	}
}

// TestMailPrefs: each person sets their own; bad values are refused by
// field and change nothing.
func TestMailPrefs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	put := func(body any) response {
		return e.do(req{method: "PUT", path: "/api/me/mail", token: e.token(e.w.Dev), body: body})
	}
	res := put(map[string]any{"digest_hour": 6, "modes": map[string]string{"approved": "digest", "mentioned": "off"}})
	if res.status != 200 {
		t.Fatalf("%d %s", res.status, res.body)
	}
	var p struct {
		DigestHour int               `json:"digest_hour"`
		Modes      map[string]string `json:"modes"`
	}
	res.json(t, &p)
	if p.DigestHour != 6 || p.Modes["approved"] != "digest" || p.Modes["mentioned"] != "off" || p.Modes["critical"] != "immediate" {
		t.Errorf("prefs now %+v", p)
	}
	for field, body := range map[string]any{
		"digest_hour":    map[string]any{"digest_hour": 24},
		"modes.question": map[string]any{"modes": map[string]string{"question": "weekly"}},
		"modes.invoice":  map[string]any{"modes": map[string]string{"invoice": "off"}},
		"modes.critical": map[string]any{"modes": map[string]string{"critical": "off"}},
	} {
		before := e.snapshot()
		res := put(body)
		if res.status != 422 || res.errorFields(t)[field] == "" {
			t.Errorf("%s: %d %s", field, res.status, res.body)
		}
		if e.snapshot() != before {
			t.Errorf("%s: a refused change changed the database", field)
		}
	}
}
