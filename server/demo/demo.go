// Package demo creates the demo data set shown on a fresh install: an agency
// with a PM, two developers and an admin, two clients with a user each, and
// their projects.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// Password is every demo account's password. It exists only in demo mode.
const Password = "doska-demo"

// Login is one demo account as printed at start.
type Login struct {
	Email string
	Role  models.Role
	Note  string
}

type person struct {
	email, name string
	role        models.Role
	client      string
}

var people = []person{
	{"admin@example.com", "Alex Admin", models.RoleAdmin, ""},
	{"pm@example.com", "Pat Morgan", models.RoleManager, ""},
	{"dev1@example.com", "Dana Lee", models.RoleDeveloper, ""},
	{"dev2@example.com", "Sam Ortiz", models.RoleDeveloper, ""},
	{"client@acme.example.com", "Chris Miller", models.RoleClient, "Acme"},
	{"client@globex.example.com", "Greta Novak", models.RoleClient, "Globex"},
}

type project struct {
	client, name, description string
	members                   []string
	tasks                     []card
}

// card is a demo task; assignee and comment author are e-mails.
type card struct {
	title, description string
	status             models.Status
	kind               models.Kind
	priority           models.Priority
	assignee           string
	hours              int
	dueInDays          int
	stagingURL         string
	labels             []string
	comments           []comment
	// ago is how long before start-up the card's story ended; without it
	// the card's column decides (ageOf).
	ago func(now time.Time) time.Duration
	// A client's request: filed by this client user, of this kind, on this
	// page, and left for the PM to pick up.
	filedBy     string
	requestKind models.RequestKind
	pageURL     string
	// quoteHours is paid work's estimate that the PM has sent and the
	// client has yet to accept.
	quoteHours int
}

type comment struct {
	author, body string
	internal     bool
}

var projects = []project{
	{"Acme", "Website relaunch", "New corporate site on the headless CMS, launch before the trade fair.", []string{"pm@example.com", "dev1@example.com"}, []card{
		{title: "Set up the page templates in the CMS", status: models.StatusDone, kind: models.KindTask, assignee: "dev1@example.com", hours: 6, labels: []string{"cms"}},
		{title: "Home page hero with the new claim", description: "Use the claim from the workshop: **\"Made to last\"**. Video on desktop, still image on phones.", status: models.StatusApproval, kind: models.KindChange, assignee: "dev1@example.com", hours: 4, stagingURL: "https://staging.acme.example.com/", labels: []string{"design"},
			comments: []comment{{"dev1@example.com", "On staging now — please check the video on a phone as well.", false}}},
		{title: "Which photos go on the team page?", description: "We need the final list of people and their photos.", status: models.StatusAwaitingReply, kind: models.KindQuestion, assignee: "dev1@example.com",
			ago: businessDays(3), comments: []comment{{"pm@example.com", "Chris, could you send the list of people for the team page?", false}}},
		{title: "Contact form sends no e-mail on staging", description: "Steps: fill in the form, submit, no mail arrives at sales@.", status: models.StatusInProgress, kind: models.KindBug, priority: models.PriorityUrgent, assignee: "dev1@example.com", hours: 3, dueInDays: 2,
			comments: []comment{{"dev1@example.com", "SMTP credentials on staging are the old ones; asking ops.", true}}},
		{title: "Cookie banner with the new legal text", status: models.StatusInProgress, kind: models.KindTask, assignee: "dev1@example.com", hours: 2, dueInDays: 5},
		{title: "News section: list and detail pages", status: models.StatusSet, kind: models.KindTask, assignee: "dev1@example.com", hours: 8, dueInDays: 12, labels: []string{"cms"}},
		{title: "Add our new office in Kraków to the contact page", description: "Address: ul. Długa 5, 31-147 Kraków. Same opening hours as Berlin.", status: models.StatusSet,
			filedBy: "client@acme.example.com", requestKind: models.RequestChange, pageURL: "https://www.acme.example.com/contact", ago: days(2)},
		{title: "Redirects from the old URLs", description: "Export from the old site's sitemap, map to the new structure.", status: models.StatusSet, kind: models.KindTask, hours: 3, labels: []string{"seo"}},
	}},
	{"Acme", "Online shop", "Maintenance and small features of the B2B shop.", []string{"pm@example.com", "dev1@example.com", "dev2@example.com"}, []card{
		{title: "Checkout fails for orders over 10,000 €", description: "Payment provider answers 422 above the limit. Customers cannot order.", status: models.StatusInProgress, kind: models.KindBug, priority: models.PriorityCritical, assignee: "dev2@example.com", hours: 2, dueInDays: 0,
			ago: hours(3)},
		{title: "Newsletter sign-up shows an error on phones", description: "On an iPhone the sign-up box says \"Something went wrong\" after sending. On a laptop it works.", status: models.StatusSet,
			filedBy: "client@acme.example.com", requestKind: models.RequestBug, pageURL: "https://shop.acme.example.com/", ago: yesterdayAt(15)},
		{title: "Show net and gross prices in the cart", status: models.StatusApproval, kind: models.KindChange, assignee: "dev2@example.com", hours: 5, stagingURL: "https://staging-shop.acme.example.com/cart"},
		{title: "Update the shipping rates for 2027", status: models.StatusSet, kind: models.KindTask, assignee: "dev1@example.com", hours: 1, dueInDays: 20},
		{title: "Can we offer invoices as PDF download?", status: models.StatusAwaitingReply, kind: models.KindQuestion, assignee: "dev2@example.com",
			comments: []comment{{"dev2@example.com", "Yes, technically. Should old invoices (before 2025) be included as well?", false}}},
		{title: "Upgrade the shop framework to the current release", status: models.StatusSet, kind: models.KindTask, assignee: "dev2@example.com", hours: 12, labels: []string{"maintenance"}},
		{title: "Product search ignores article numbers", status: models.StatusDone, kind: models.KindBug, assignee: "dev2@example.com", hours: 3},
		{title: "Nightly order export to the ERP", description: "Each night the day's orders go to the ERP as one file, so sales stop typing them in.", status: models.StatusSet, kind: models.KindOrder, hours: 16, quoteHours: 16,
			ago: days(1)},
	}},
	{"Globex", "Customer portal", "Self-service portal: invoices, tickets, contracts.", []string{"pm@example.com", "dev2@example.com"}, []card{
		{title: "Single sign-on with the Globex directory", description: "OIDC against their identity provider; test users are in the shared vault.", status: models.StatusInProgress, kind: models.KindTask, assignee: "dev2@example.com", hours: 10, dueInDays: 9},
		{title: "Contract overview: sort by end date", status: models.StatusApproval, kind: models.KindChange, assignee: "dev2@example.com", hours: 2, stagingURL: "https://portal-staging.globex.example.com/contracts"},
		{title: "Which ticket categories do you need?", status: models.StatusAwaitingReply, kind: models.KindQuestion, assignee: "dev2@example.com",
			ago: businessDays(1), comments: []comment{{"pm@example.com", "Greta, please list the ticket categories your support team uses.", false}}},
		{title: "Invoice download times out for large accounts", status: models.StatusSet, kind: models.KindBug, priority: models.PriorityUrgent, assignee: "dev2@example.com", hours: 4, dueInDays: 3},
		{title: "How do we add a colleague to the portal?", description: "Our new accountant starts on Monday and needs to see the invoices.", status: models.StatusSet,
			filedBy: "client@globex.example.com", requestKind: models.RequestQuestion, ago: hours(5)},
		{title: "Portal accessibility review", status: models.StatusSet, kind: models.KindTask, hours: 6, labels: []string{"a11y"}},
		{title: "Launch the portal for the first 20 customers", status: models.StatusDone, kind: models.KindTask, assignee: "dev2@example.com", hours: 3},
	}},
}

// rates are the clients' hourly rates: Acme sells in euros, Globex in
// dollars, so amounts show on quotes, overrun, reports and statements.
var rates = map[string]models.Rates{
	"Acme":   {Currency: "EUR", HourlyRateCents: 95_00},
	"Globex": {Currency: "USD", HourlyRateCents: 110_00},
}

// Seed creates the demo data set in an empty database and returns the
// logins to print.
func Seed(ctx context.Context, st *store.Store) ([]Login, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	clients := map[string]int64{}
	users := map[string]models.User{}
	for _, p := range people {
		if p.role != models.RoleAdmin {
			continue
		}
		if users[p.email], err = st.CreateUser(ctx, store.NewUser{Email: p.email, Name: p.name, Role: p.role, PasswordHash: hash}); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	admin := users["admin@example.com"].Actor()
	// The admin runs the tool, not projects: no hours to plan with.
	if _, err := st.SetCapacity(ctx, admin, admin.UserID, 0); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	for _, name := range []string{"Acme", "Globex"} {
		c, err := st.CreateClient(ctx, admin, name)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		clients[name] = c.ID
		// Before any card: a quote is priced at the rate of when it is sent.
		if _, err := st.SetRates(ctx, admin, c.ID, rates[name]); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	var logins []Login
	assigned := map[string][]int64{} // developer → their cards
	for _, p := range people {
		if p.role != models.RoleAdmin {
			n := store.NewUser{Email: p.email, Name: p.name, Role: p.role, PasswordHash: hash}
			if p.client != "" {
				id := clients[p.client]
				n.ClientID = &id
			}
			if users[p.email], err = st.CreateUser(ctx, n); err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
		}
		note := string(p.role)
		if p.client != "" {
			note += " at " + p.client
		}
		logins = append(logins, Login{Email: p.email, Role: p.role, Note: note})
	}
	projectIDs := map[string]int64{}
	for _, pr := range projects {
		var members []int64
		for _, m := range pr.members {
			members = append(members, users[m].ID)
		}
		p, err := st.CreateProject(ctx, admin, store.NewProject{ClientID: clients[pr.client], Name: pr.name, Description: pr.description, MemberIDs: members})
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		projectIDs[pr.name] = p.ID
		if err := seedCards(ctx, st, p.ID, pr.tasks, users, assigned); err != nil {
			return nil, err
		}
	}
	if err := seedTime(ctx, st, users, assigned); err != nil {
		return nil, err
	}
	if err := seedSLA(ctx, st, admin, users["pm@example.com"].Actor(), users["client@acme.example.com"].Actor(), clients["Acme"], projectIDs["Online shop"]); err != nil {
		return nil, err
	}
	if err := seedWorkshops(ctx, st, users, clients["Acme"]); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := seedPackages(ctx, st, users["pm@example.com"].Actor(), clients); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return logins, nil
}

// seedPackages sells Acme a block of hours four weeks ago, sized so that
// the time since has used about 80 % of it: the home and the client page
// show a package close to its end, and Acme's time before it is overrun.
// Globex has a small monthly retainer since last month that its time
// exceeds, so its overrun carries an amount every month.
func seedPackages(ctx context.Context, st *store.Store, pm models.Actor, clients map[string]int64) error {
	today, err := st.Today(ctx)
	if err != nil {
		return err
	}
	start := models.Date{Time: today.AddDate(0, 0, -28)}
	spent, err := st.ClientBalance(ctx, pm, clients["Acme"], start, today)
	if err != nil {
		return err
	}
	hours := max(1, (spent.OverrunMinutes*100/80+59)/60)
	if _, err = st.CreatePackage(ctx, pm, clients["Acme"], models.HourPackage{Kind: models.PackageBlock, Name: "Support hours",
		Minutes: hours * 60, StartsOn: start}); err != nil {
		return err
	}
	_, err = st.CreatePackage(ctx, pm, clients["Globex"], models.HourPackage{Kind: models.PackageRetainer, Name: "Portal care",
		Minutes: 10 * 60, StartsOn: models.Date{Time: today.AddDate(0, -1, 1-today.Day())}})
	return err
}

// seedWorkshops gives Acme last week's workshop, published, and the coming
// one, drafted from the board.
func seedWorkshops(ctx context.Context, st *store.Store, users map[string]models.User, acme int64) error {
	pm := users["pm@example.com"].Actor()
	today := time.Now().Truncate(24 * time.Hour)
	attendees := []int64{pm.UserID, users["dev1@example.com"].ID, users["client@acme.example.com"].ID}
	last, err := st.CreateWorkshop(ctx, pm, store.NewWorkshop{ClientID: acme, StartsAt: today.Add(-7*24*time.Hour + 10*time.Hour), Attendees: attendees})
	if err != nil {
		return err
	}
	items := []store.ItemInput{}
	for _, it := range last.Items {
		items = append(items, store.ItemInput{ID: it.ID, Title: it.Title})
	}
	if len(items) > 0 {
		items[0].Notes = "Chris will check it on staging this week."
		items[0].Decision = "Ship it once approved."
	}
	items = append(items, store.ItemInput{Title: "The server's disk was full on Tuesday",
		Notes: "We freed space although hosting is not our job; a bigger disk is the host's to offer."})
	notes, internal := "Next focus: the news section and the redirects.", "Hosting support is unpaid; raise it in the next offer."
	next := models.Date{Time: today.Add(3 * 24 * time.Hour)}
	nextPtr := &next
	held := models.WorkshopHeld
	last, err = st.UpdateWorkshop(ctx, pm, last.ID, store.WorkshopPatch{Version: last.Version, Items: &items, Notes: &notes,
		InternalNotes: &internal, NextMeeting: &nextPtr, State: &held})
	if err != nil {
		return err
	}
	published := models.WorkshopPublished
	if _, err := st.UpdateWorkshop(ctx, pm, last.ID, store.WorkshopPatch{Version: last.Version, State: &published}); err != nil {
		return err
	}
	_, err = st.CreateWorkshop(ctx, pm, store.NewWorkshop{ClientID: acme, StartsAt: next.Add(10 * time.Hour), Attendees: attendees})
	return err
}

// timeNotes are what the demo developers write on their entries.
var timeNotes = []string{"Implementation", "Review fixes", "Testing on staging", "Call with the client", ""}

// seedTime gives each developer time on their cards: every weekday since
// the first of last month, one or two entries of one to four hours, so the
// statement of last month (the default one) has time on it.
func seedTime(ctx context.Context, st *store.Store, users map[string]models.User, assigned map[string][]int64) error {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	first := today.AddDate(0, -1, 1-today.Day())
	for _, email := range []string{"dev1@example.com", "dev2@example.com"} {
		cards := assigned[email]
		dev := users[email].Actor()
		for back := int(today.Sub(first).Hours() / 24); back >= 1; back-- {
			day := today.AddDate(0, 0, -back)
			if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				continue
			}
			start := day.Add(9 * time.Hour)
			for i := range 1 + back%2 {
				n := back*7 + i*3 + len(email)
				minutes := 60 + n*37%180
				e := store.NewEntry{EntryInput: models.EntryInput{StartedAt: start, Minutes: minutes, Note: timeNotes[n%len(timeNotes)]}}
				if _, err := st.AddEntry(ctx, dev, cards[n%len(cards)], e); err != nil {
					return fmt.Errorf("demo: time: %w", err)
				}
				start = start.Add(time.Duration(minutes) * time.Minute)
			}
		}
	}
	return nil
}

// seedCards creates a project's cards in order, each at the bottom of its
// column, with their comments, as the PM would have, and notes whose they are.
func seedCards(ctx context.Context, st *store.Store, projectID int64, cards []card, users map[string]models.User, assigned map[string][]int64) error {
	pm := users["pm@example.com"].Actor()
	last := map[models.Status]int64{}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	now := time.Now()
	for i, c := range cards {
		if c.filedBy != "" {
			t, err := st.FileRequest(ctx, users[c.filedBy].Actor(), projectID, models.Intake{Kind: c.requestKind, Title: c.title,
				Description: c.description, PageURL: c.pageURL, Confirmed: true})
			if err != nil {
				return fmt.Errorf("demo: request %q: %w", c.title, err)
			}
			if err := st.Backdate(ctx, t.ID, c.ago(now)); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			continue
		}
		f := models.TaskFields{Title: &c.title, Description: &c.description, StagingURL: &c.stagingURL, Labels: &c.labels}
		if c.kind != "" {
			f.Kind = &c.kind
		}
		if c.priority != "" {
			f.Priority = &c.priority
		}
		if c.assignee != "" {
			id := users[c.assignee].ID
			pid := &id
			f.AssigneeID = &pid
		}
		if c.hours > 0 {
			minutes := c.hours * 60
			pmin := &minutes
			f.EstimateMinutes = &pmin
		}
		if c.dueInDays > 0 || c.priority == models.PriorityCritical {
			d := &models.Date{Time: today.AddDate(0, 0, c.dueInDays)}
			f.DueDate = &d
		}
		comments := c.comments
		var move models.MoveInput
		if c.status == models.StatusAwaitingReply {
			// The first comment is the question the card waits on.
			move.Question, comments = comments[0].body, comments[1:]
		}
		t, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: projectID, Status: c.status, Fields: f,
			Position: store.Position{After: last[c.status]}, Move: move})
		if err != nil {
			return fmt.Errorf("demo: card %q: %w", c.title, err)
		}
		last[c.status] = t.ID
		if c.quoteHours > 0 {
			if _, err := st.Quote(ctx, pm, t.ID, store.SendQuote, store.QuoteInput{Version: t.Version, Minutes: c.quoteHours * 60}); err != nil {
				return fmt.Errorf("demo: quote on %q: %w", c.title, err)
			}
		}
		if c.assignee != "" {
			assigned[c.assignee] = append(assigned[c.assignee], t.ID)
		}
		for _, cm := range comments {
			if _, err := st.AddComment(ctx, users[cm.author].Actor(), t.ID, store.NewComment{Body: cm.body, Internal: cm.internal}); err != nil {
				return fmt.Errorf("demo: comment on %q: %w", c.title, err)
			}
		}
		ago := ageOf(c.status, i)
		if c.ago != nil {
			ago = c.ago(now)
		}
		if err := st.Backdate(ctx, t.ID, ago); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// ageOf spreads a card over past days by its column: done work last week,
// work in progress over the last days, approvals since yesterday. The
// index keeps cards of one column a few hours apart.
func ageOf(s models.Status, i int) time.Duration {
	base := map[models.Status]time.Duration{
		models.StatusDone: 8 * 24 * time.Hour, models.StatusSet: 4 * 24 * time.Hour,
		models.StatusInProgress: 2 * 24 * time.Hour, models.StatusAwaitingReply: 24 * time.Hour,
		models.StatusApproval: 20 * time.Hour,
	}[s]
	return base + time.Duration(i)*3*time.Hour
}

func hours(n int) func(time.Time) time.Duration {
	return func(time.Time) time.Duration { return time.Duration(n) * time.Hour }
}

func days(n int) func(time.Time) time.Duration { return hours(24 * n) }

// yesterdayAt is the given hour of yesterday, in the server's time zone.
func yesterdayAt(hour int) func(time.Time) time.Duration {
	return func(now time.Time) time.Duration {
		y := now.AddDate(0, 0, -1)
		return now.Sub(time.Date(y.Year(), y.Month(), y.Day(), hour, 0, 0, 0, now.Location()))
	}
}

// businessDays is n working days (Monday to Friday) before now.
func businessDays(n int) func(time.Time) time.Duration {
	return func(now time.Time) time.Duration {
		t := now
		for left := n; left > 0; {
			t = t.AddDate(0, 0, -1)
			if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
				left--
			}
		}
		return now.Sub(t)
	}
}
