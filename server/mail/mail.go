// Package mail says what Doska's e-mails say: their kinds, the data an
// outbox row keeps, and the words, in the recipient's language, of the
// plain-text and HTML parts and the headers. It has no SQL and no network:
// the store queues rows (server/store/mail.go), server/mailer sends them.
package mail

import (
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/doska/doska/models"
)

// Kind is what a mail is about. The notice kinds are those a person can
// choose immediate, digest or off for; the others always go at once.
type Kind string

const (
	Invitation       Kind = "invitation"
	PasswordReset    Kind = "password_reset"
	Digest           Kind = "digest"
	Question         Kind = "question"
	ApprovalRequest  Kind = "approval_request"
	Approved         Kind = "approved"
	ChangesRequested Kind = "changes_requested"
	Critical         Kind = "critical"
	Mentioned        Kind = "mentioned"
	WorkshopSummary  Kind = "workshop_summary"
	PackageUsed      Kind = "package_used"
)

// Notices are the kinds that follow an in-app notification of the same
// name (models.NotificationKind), in the order the settings list them.
var Notices = []Kind{Question, ApprovalRequest, Approved, ChangesRequested, Critical, Mentioned, WorkshopSummary, PackageUsed}

// Kinds lists every kind.
var Kinds = append([]Kind{Invitation, PasswordReset, Digest}, Notices...)

// Notice reports whether k is a notice kind, and so has preferences.
func (k Kind) Notice() bool {
	for _, n := range Notices {
		if n == k {
			return true
		}
	}
	return false
}

// Data is what an outbox row keeps of a mail: enough to write it in any
// language. Nothing in it may be more than its recipient can see in the
// app (a client never gets an internal comment's text).
type Data struct {
	Actor   string `json:"actor,omitempty"`
	Project string `json:"project,omitempty"` // or, for an invitation, the client company
	Number  int64  `json:"number,omitempty"`
	Title   string `json:"title,omitempty"`
	Excerpt string `json:"excerpt,omitempty"` // a public comment the mail is about
	Staging string `json:"staging,omitempty"`
	// Secret is a one-time link (invitation, password reset); the store
	// drops it once the mail is delivered.
	Secret string `json:"secret,omitempty"`
	// Items are the mails a digest collects.
	Items []Item `json:"items,omitempty"`
	// Summary is a published workshop's summary as its client reads it.
	Summary *Summary `json:"summary,omitempty"`
	// Package is an hour package that reached a notice level: Project
	// holds the client's name and Title the package's (may be empty).
	Package *Package `json:"package,omitempty"`
}

// Package is what a package notice says: the level reached, in percent,
// and the minutes left. Staff are led to the client's page, the client's
// users to their home.
type Package struct {
	Client      int64  `json:"client"`
	Kind        string `json:"kind"`
	Level       int    `json:"level"`
	LeftMinutes int    `json:"left_minutes"`
	Staff       bool   `json:"staff,omitempty"`
}

// Summary is what a client's users read of a published workshop: Project
// holds the client's name and Title the meeting's day.
type Summary struct {
	Workshop    int64   `json:"workshop"`
	Points      []Point `json:"points,omitempty"`
	Tasks       []Card  `json:"tasks,omitempty"`
	Todos       []Card  `json:"todos,omitempty"`
	NextMeeting string  `json:"next_meeting,omitempty"` // YYYY-MM-DD
}

// Point is an agenda point and what was decided on it.
type Point struct {
	Title    string `json:"title"`
	Decision string `json:"decision,omitempty"`
}

// Card is a card the workshop made, with the estimate agreed.
type Card struct {
	Number          int64  `json:"number"`
	Title           string `json:"title"`
	EstimateMinutes *int   `json:"estimate_minutes,omitempty"`
}

// Item is one line of a digest.
type Item struct {
	Kind Kind `json:"kind"`
	Data Data `json:"data"`
}

// Outgoing is an outbox row as the composer needs it.
type Outgoing struct {
	ID        int64         `gorm:"column:id" json:"id"`
	Kind      Kind          `gorm:"column:kind" json:"kind"`
	UserID    *int64        `gorm:"column:user_id" json:"-"`
	To        string        `gorm:"column:to_addr" json:"to"`
	Locale    models.Locale `gorm:"column:locale" json:"locale"`
	TaskID    *int64        `gorm:"column:task_id" json:"task_id"`
	Data      Data          `gorm:"column:data;serializer:json" json:"-"`
	MessageID string        `gorm:"column:message_id" json:"-"`
	CreatedAt time.Time     `gorm:"column:created_at" json:"created_at"`
}

// Message is a mail ready to send or to show.
type Message struct {
	From    string            `json:"from"`
	To      string            `json:"to"`
	Subject string            `json:"subject"`
	Text    string            `json:"text"`
	HTML    string            `json:"html"`
	Headers map[string]string `json:"headers"`
}

//go:embed texts/*.json
var textFiles embed.FS

// texts holds every language's words; a language lacking a key would show
// the key, so the test checks they all have the same keys.
var texts = map[models.Locale]map[string]string{}

func init() {
	for _, l := range []models.Locale{models.LocaleEnglish, models.LocalePolish, models.LocaleRussian, models.LocaleJapanese} {
		b, err := textFiles.ReadFile("texts/" + string(l) + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("mail texts %s: %v", l, err))
		}
		texts[l] = m
	}
}

// Composer writes mails for one site. Key signs reply and unsubscribe
// tokens; Replies says whether inbound mail is accepted.
type Composer struct {
	Site    *url.URL
	From    mail.Address
	Key     []byte
	Replies bool
}

// domain is the right-hand side of Message-IDs and reply addresses: the
// sender's domain, so replies reach the MX that forwards to Doska.
func (c *Composer) domain() string {
	if i := strings.LastIndexByte(c.From.Address, '@'); i >= 0 {
		return c.From.Address[i+1:]
	}
	return c.Site.Hostname()
}

// ThreadID is the Message-ID every mail about a task refers to, so that
// mail programs thread a card's mails together.
func (c *Composer) ThreadID(task int64) string {
	return "<task-" + strconv.FormatInt(task, 10) + "@" + c.domain() + ">"
}

// Compose writes the mail o in its recipient's language.
func (c *Composer) Compose(o Outgoing) Message {
	w := words(o.Locale)
	d := o.Data
	vars := w.vars(d)
	vars["count"] = strconv.Itoa(len(d.Items))
	m := Message{From: c.From.String(), To: o.To, Subject: w.fill(string(o.Kind)+".subject", vars, false),
		Headers: map[string]string{"Message-ID": "<" + o.MessageID + "@" + c.domain() + ">"}}
	var b body
	b.para(w, string(o.Kind)+".lead", vars)
	if d.Excerpt != "" {
		b.quote(d.Excerpt)
	}
	if d.Staging != "" {
		b.link(w.get("staging"), d.Staging)
	}
	if d.Summary != nil {
		b.summary(w, *d.Summary, c.taskLink)
	}
	for _, it := range d.Items {
		b.item(w.fill(string(it.Kind)+".subject", w.vars(it.Data), false), c.link(it.Data))
	}
	switch {
	case d.Secret != "":
		b.button(w.get("action."+string(o.Kind)), d.Secret)
	case d.Summary != nil:
		b.button(w.get("action.workshop"), c.link(d))
	case d.Package != nil:
		b.button(w.get("action.package"), c.link(d))
	case d.Number != 0:
		b.button(w.get("action.task"), c.taskLink(d.Number))
	}
	if o.TaskID != nil {
		m.Headers["In-Reply-To"] = c.ThreadID(*o.TaskID)
		m.Headers["References"] = c.ThreadID(*o.TaskID)
		if c.Replies && o.UserID != nil {
			m.Headers["Reply-To"] = c.ReplyAddress(*o.TaskID, *o.UserID, o.CreatedAt.Add(ReplyTTL))
			b.small(w.get("footer.reply"))
		}
	}
	if o.UserID != nil && (o.Kind.Notice() || o.Kind == Digest) {
		u := c.UnsubscribeURL(*o.UserID, o.Kind)
		m.Headers["List-Unsubscribe"] = "<" + u + ">"
		m.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
		b.small(w.get("footer.reason"))
		b.link(w.get("footer.unsubscribe"), u)
	}
	m.Text, m.HTML = b.text.String(), page(m.Subject, o.Locale, b.html.String())
	return m
}

func (c *Composer) taskLink(number int64) string {
	return c.Site.String() + "/t/" + strconv.FormatInt(number, 10)
}

// link is where a mail about d leads: the workshop's summary, the
// package's balance (the client's page for staff, the home for the
// client's users), or the card.
func (c *Composer) link(d Data) string {
	switch {
	case d.Summary != nil:
		return c.Site.String() + "/workshops/" + strconv.FormatInt(d.Summary.Workshop, 10)
	case d.Package != nil && d.Package.Staff:
		return c.Site.String() + "/clients/" + strconv.FormatInt(d.Package.Client, 10)
	case d.Package != nil:
		return c.Site.String() + "/"
	}
	return c.taskLink(d.Number)
}

// vars are the values a mail's texts put in their {placeholders}. An
// unnamed package is called by its kind.
func (w lang) vars(d Data) map[string]string {
	v := map[string]string{"actor": d.Actor, "project": d.Project, "number": strconv.FormatInt(d.Number, 10), "title": d.Title}
	if p := d.Package; p != nil {
		if v["title"] == "" {
			v["title"] = w.get("package." + p.Kind)
		}
		v["percent"] = strconv.Itoa(p.Level)
		left := strconv.FormatFloat(math.Round(float64(p.LeftMinutes)/6)/10, 'f', -1, 64) // to a tenth of an hour
		v["hours"] = strings.Replace(left, ".", w.get("decimal"), 1)
	}
	return v
}

type lang map[string]string

func words(l models.Locale) lang {
	if w, ok := texts[l]; ok {
		return w
	}
	return texts[models.DefaultLocale]
}

func (w lang) get(key string) string {
	if s, ok := w[key]; ok {
		return s
	}
	return texts[models.DefaultLocale][key]
}

// fill puts the values into a text's {placeholders}, escaped for HTML
// when the result goes into the HTML part.
func (w lang) fill(key string, vars map[string]string, escape bool) string {
	s := w.get(key)
	if escape {
		s = html.EscapeString(s)
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		if escape {
			v = html.EscapeString(v)
		}
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// body writes the plain-text and the HTML part side by side.
type body struct {
	text, html strings.Builder
}

func (b *body) para(w lang, key string, vars map[string]string) {
	fmt.Fprintf(&b.text, "%s\n\n", w.fill(key, vars, false))
	fmt.Fprintf(&b.html, "<p>%s</p>\n", w.fill(key, vars, true))
}

func (b *body) quote(s string) {
	b.text.WriteString("> " + strings.ReplaceAll(s, "\n", "\n> ") + "\n\n")
	fmt.Fprintf(&b.html, "<blockquote style=\"margin:0 0 16px;padding-left:12px;border-left:3px solid #ccc;white-space:pre-wrap\">%s</blockquote>\n", html.EscapeString(s))
}

func (b *body) link(label, href string) {
	fmt.Fprintf(&b.text, "%s: %s\n\n", label, href)
	fmt.Fprintf(&b.html, "<p><a href=\"%s\">%s</a></p>\n", html.EscapeString(href), html.EscapeString(label))
}

// summary writes a workshop's summary: the points and their decisions,
// the cards made with their estimates, the client's to-dos, the next
// meeting. Empty sections are left out.
func (b *body) summary(w lang, s Summary, taskLink func(int64) string) {
	if len(s.Points) > 0 {
		b.heading(w.get("summary.points"))
		for _, p := range s.Points {
			text := p.Title
			if p.Decision != "" {
				text += " — " + w.fill("summary.decision", map[string]string{"decision": p.Decision}, false)
			}
			b.bullet(text)
		}
	}
	cards := func(key string, list []Card) {
		if len(list) == 0 {
			return
		}
		b.heading(w.get(key))
		for _, c := range list {
			label := "#" + strconv.FormatInt(c.Number, 10) + " " + c.Title
			if c.EstimateMinutes != nil {
				h := strings.Replace(hours(*c.EstimateMinutes), ".", w.get("decimal"), 1)
				label += " · " + w.fill("summary.estimate", map[string]string{"hours": h}, false)
			}
			b.item(label, taskLink(c.Number))
		}
	}
	cards("summary.tasks", s.Tasks)
	cards("summary.todos", s.Todos)
	if s.NextMeeting != "" {
		b.para(w, "summary.next", map[string]string{"day": s.NextMeeting})
	}
}

// hours writes minutes as hours, to the quarter hour an estimate is given in.
func hours(minutes int) string {
	return strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
}

func (b *body) heading(s string) {
	fmt.Fprintf(&b.text, "%s\n\n", strings.ToUpper(s))
	fmt.Fprintf(&b.html, "<h3 style=\"margin:16px 0 8px;font-size:15px\">%s</h3>\n", html.EscapeString(s))
}

func (b *body) bullet(s string) {
	fmt.Fprintf(&b.text, "- %s\n", s)
	fmt.Fprintf(&b.html, "<p>• %s</p>\n", html.EscapeString(s))
}

func (b *body) item(label, href string) {
	fmt.Fprintf(&b.text, "- %s\n  %s\n", label, href)
	fmt.Fprintf(&b.html, "<p>• <a href=\"%s\">%s</a></p>\n", html.EscapeString(href), html.EscapeString(label))
}

func (b *body) button(label, href string) {
	fmt.Fprintf(&b.text, "%s: %s\n\n", label, href)
	fmt.Fprintf(&b.html, "<p><a href=\"%s\" style=\"display:inline-block;padding:10px 16px;background:#1f5fbf;color:#fff;border-radius:6px;text-decoration:none\">%s</a></p>\n",
		html.EscapeString(href), html.EscapeString(label))
}

func (b *body) small(s string) {
	fmt.Fprintf(&b.text, "-- \n%s\n", s)
	fmt.Fprintf(&b.html, "<p style=\"color:#666;font-size:12px\">%s</p>\n", html.EscapeString(s))
}

var layout = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;max-width:560px">
{{.Body}}</body></html>
`))

func page(title string, l models.Locale, bodyHTML string) string {
	var sb strings.Builder
	// The body was escaped piece by piece above; the layout only frames it.
	_ = layout.Execute(&sb, struct {
		Lang, Title string
		Body        template.HTML
	}{string(l), title, template.HTML(bodyHTML)}) //nolint:gosec // escaped in body
	return sb.String()
}
