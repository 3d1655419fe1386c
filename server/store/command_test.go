package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// TestCommandInputRules checks that every command validates its input
// itself, at its boundary, before its transaction: a caller other than the
// HTTP handlers (a test, the demo seed, a future job) gets the same answer,
// a validation error naming the field, and nothing changes.
func TestCommandInputRules(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev, client := w.Dev.Actor(), w.ClientA.Actor()
	nobody := (*int64)(nil)
	cases := []struct {
		name  string
		field string
		run   func() error
	}{
		{"move without version", "version", func() error {
			_, err := st.MoveTask(ctx, dev, w.TaskA.ID, store.TaskMove{Status: models.StatusInProgress})
			return err
		}},
		{"move to no column", "status", func() error {
			_, err := st.MoveTask(ctx, dev, w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version, Status: "doing"})
			return err
		}},
		{"update without version", "version", func() error {
			_, err := st.UpdateTask(ctx, dev, w.TaskA.ID, 0, title("renamed"))
			return err
		}},
		{"client sets a staff field", "assignee_id", func() error {
			_, err := st.UpdateTask(ctx, client, w.TaskA.ID, w.TaskA.Version, models.TaskFields{AssigneeID: &nobody})
			return err
		}},
		{"archive without version", "version", func() error {
			_, err := st.ArchiveTask(ctx, dev, w.TaskA.ID, 0)
			return err
		}},
		{"restore without version", "version", func() error {
			_, err := st.RestoreTask(ctx, dev, w.ArchivedA.ID, 0)
			return err
		}},
		{"deploy without version", "version", func() error {
			_, err := st.MarkDeployed(ctx, dev, w.ApprovedA.ID, 0)
			return err
		}},
		{"unplan without version", "version", func() error {
			_, err := st.UnplanTask(ctx, w.Manager.Actor(), w.PlannedA.ID, 0)
			return err
		}},
	}
	before, err := st.Seqs(ctx, w.Admin.Actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		err := tc.run()
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields[tc.field].Code() == "" {
			t.Errorf("%s: got %v, want a validation error on %q", tc.name, err, tc.field)
		}
	}
	after, err := st.Seqs(ctx, w.Admin.Actor())
	if err != nil {
		t.Fatal(err)
	}
	for p, n := range before {
		if after[p] != n {
			t.Errorf("project %d: events %d → %d; refused commands must change nothing", p, n, after[p])
		}
	}
}

// TestEventsTravelWithTheCommit: a command's event statement, which locks
// its project's counter until the commit, is sent in one round trip with
// the COMMIT, so the lock is never held while an answer travels to the
// server and the COMMIT back: on a busy board every other command waited
// for that trip. A move's card row goes in the same round trip, ahead of
// the event; the BEGIN goes with the loading of the card, and the keys
// around its new place are read by the same statement. A move is two round
// trips.
func TestEventsTravelWithTheCommit(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	st, _, w := dbtest.Traced(t, dbtest.URL(t), log)
	ctx := context.Background()
	title := "Next to the menu"
	neighbour, err := st.CreateTask(ctx, w.Dev.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusInProgress,
		Fields: models.TaskFields{Title: &title, Priority: &w.TaskA.Priority}})
	if err != nil {
		t.Fatal(err)
	}
	log.take()
	moved, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version,
		Status: models.StatusInProgress, Position: store.Position{After: neighbour.ID}})
	if err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	batches := log.batches
	log.mu.Unlock()
	if len(batches) != 2 {
		t.Fatalf("%d batches, want 2 (the BEGIN with the card; the card's update, the event and the commit): %q", len(batches), batches)
	}
	if b := batches[0]; len(b) != 3 || b[0] != "begin" || !strings.HasSuffix(b[1], "for update") || !strings.HasPrefix(b[2], "select tasks.id") ||
		!strings.Contains(b[2], "left join (select n.rank as pivot") {
		t.Errorf("first batch %q, want the BEGIN, the lock, and the loading of the card with the keys around its place", b)
	}
	b := batches[1]
	if len(b) != 3 || !strings.HasPrefix(b[0], "update tasks") || !strings.Contains(b[1], "insert into events") || b[2] != "commit" {
		t.Fatalf("batch %q, want the card's update, the event's statement, then the commit", b)
	}
	if trips := len(log.take()) - len(batches[0]) - len(b) + 2; trips != 2 {
		t.Errorf("the move took %d round trips, want 2", trips)
	}
	if moved.Rank <= neighbour.Rank {
		t.Errorf("placed after the card ranked %q, the card got %q", neighbour.Rank, moved.Rank)
	}
	// Back to the top of its band, which the neighbour heads: the edge of
	// the band is read with the card too.
	log.take()
	top, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: moved.Version, Status: models.StatusInProgress})
	if err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	edge := log.batches
	log.mu.Unlock()
	if len(edge) != 2 || len(edge[0]) != 3 {
		t.Fatalf("the move to the top sent batches %q, want 2: the card with the band's edge, then the commit", edge)
	}
	if trips := len(log.take()) - len(edge[0]) - len(edge[1]) + 2; trips != 2 {
		t.Errorf("the move to the top took %d round trips, want 2", trips)
	}
	if top.Rank >= neighbour.Rank {
		t.Errorf("placed at the top, above the card ranked %q, the card got %q", neighbour.Rank, top.Rank)
	}
	// The card as answered is the card as stored.
	stored, err := st.Task(ctx, w.Dev.Actor(), w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(top, stored) {
		t.Errorf("answered %+v\nstored   %+v", top, stored)
	}
}

// TestAMoveAfterACommentCountsIt: a move that waited for the card while a
// comment was being added to it answers and announces the card with that
// comment counted. Read in the statement that waited for the lock, the
// counts were those of the moment before the wait, and the move's event
// took the board's count back by one.
func TestAMoveAfterACommentCountsIt(t *testing.T) {
	t.Parallel()
	st, db, w := dbtest.Traced(t, dbtest.URL(t), nil)
	ctx := context.Background()
	before, err := st.Task(ctx, w.Dev.Actor(), w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A comment being added holds the card, as AddComment does.
	commenting := db.Begin()
	defer commenting.Rollback()
	if err := commenting.Exec("SELECT FROM tasks WHERE id = ? FOR UPDATE", w.TaskA.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := commenting.Exec("INSERT INTO comments (task_id, author_id, body) VALUES (?, ?, 'Done on staging')",
		w.TaskA.ID, w.Dev.ID).Error; err != nil {
		t.Fatal(err)
	}
	type result struct {
		task models.Task
		err  error
	}
	moved := make(chan result, 1)
	go func() {
		tk, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version, Status: models.StatusInProgress})
		moved <- result{tk, err}
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var waiting int
		if err := db.Raw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Row().Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the move did not wait for the card")
		}
	}
	if err := commenting.Commit().Error; err != nil {
		t.Fatal(err)
	}
	r := <-moved
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.task.CommentCount != before.CommentCount+1 {
		t.Errorf("the moved card counts %d comments, want %d", r.task.CommentCount, before.CommentCount+1)
	}
}

// TestAQuestionCountsOnTheCardItIsAskedOn: the card a move to "awaiting
// reply" answers with counts the question the move posted, as the card
// read afterwards does, for staff and for the client who is asked.
func TestAQuestionCountsOnTheCardItIsAskedOn(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	before, err := st.Task(ctx, w.Dev.Actor(), w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: before.Version,
		Status: models.StatusAwaitingReply, Move: models.MoveInput{Question: "Which logo, the round one?"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{w.Dev, w.ClientA} {
		stored, err := st.Task(ctx, u.Actor(), w.TaskA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if answered := moved.For(u.Actor()).CommentCount; answered != stored.CommentCount {
			t.Errorf("%s: the move answered %d comments, the card holds %d", u.Name, answered, stored.CommentCount)
		}
	}
	if moved.CommentCount != before.CommentCount+1 {
		t.Errorf("the asked card counts %d comments, want %d", moved.CommentCount, before.CommentCount+1)
	}
}

// TestAQuestionInFewRoundTrips: a question to the client is the busiest
// move: a card, a comment, a notice with its bell and a mail. Each round
// trip of a command is a wait for PostgreSQL and back, and on one board
// the next command waits for it too. It took 16; the comment now comes back
// from its INSERT with the card's counts, the bells ring from the
// notifications' INSERT, the mail reads the names, the excerpt and the
// agency's language inside its INSERT, the BEGIN and the keys around the
// card's place go with the card, and the card's row, the notifications
// and the mail with the COMMIT: four, the card, the comment, who may read
// it, and the commit. The mail still carries the question, the names, and
// the agency's language for a person who chose none.
func TestAQuestionInFewRoundTrips(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	log := &statementLog{}
	st, db, w := dbtest.Traced(t, dsn, log)
	ctx := context.Background()
	if err := db.Exec(`UPDATE users SET locale = NULL WHERE id = ?`, w.ClientA.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO settings (key, value) VALUES ('default_locale', '"ru"')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`).Error; err != nil {
		t.Fatal(err)
	}
	rang := make(chan int64, 10)
	listener := silentListener(dsn)
	listener.Notification = func(id int64) { rang <- id }
	listen(t, listener)

	log.take()
	if _, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version,
		Status: models.StatusAwaitingReply, Move: models.MoveInput{Question: "Which logo, the round one?"}}); err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	batches, batched := len(log.batches), 0
	for _, b := range log.batches {
		batched += len(b)
	}
	log.mu.Unlock()
	if trips := len(log.take()) - batched + batches; trips > 4 {
		t.Errorf("the question took %d round trips, want at most 4", trips)
	}

	select {
	case id := <-rang:
		if id != w.ClientA.ID {
			t.Errorf("the bell rang for user %d, want the client %d", id, w.ClientA.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client's bell did not ring")
	}
	var sent []mail.Outgoing
	if err := db.Table("mail_outbox").Select("kind, user_id, locale, data").Where("task_id = ? AND kind = ?", w.TaskA.ID, mail.Question).
		Find(&sent).Error; err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || *sent[0].UserID != w.ClientA.ID || sent[0].Locale != models.LocaleRussian {
		t.Fatalf("question mails %+v; want one, to the client, in the agency's Russian", sent)
	}
	if d := sent[0].Data; d.Excerpt != "Which logo, the round one?" || d.Project != w.ProjectA.Name || d.Actor != w.Dev.Name {
		t.Errorf("the mail says %+v; want the question, project %q and %q", d, w.ProjectA.Name, w.Dev.Name)
	}
}

// TestCommandsTakeTurns: with room for one command, a second waits until
// the first has committed, and one whose caller gives up while it waits
// ends with the caller's error, having changed nothing.
func TestCommandsTakeTurns(t *testing.T) {
	t.Parallel()
	st, _ := newStore(t)
	st.LimitCommands(1)
	ctx := context.Background()

	inFirst, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- st.CommandForTest(ctx, func() error { close(inFirst); <-release; return nil })
	}()
	<-inFirst

	ran := make(chan struct{})
	second := make(chan error, 1)
	go func() {
		second <- st.CommandForTest(ctx, func() error { close(ran); return nil })
	}()
	for deadline := time.Now().Add(5 * time.Second); st.CommandsWaiting() != 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d commands wait, want the second one", st.CommandsWaiting())
		}
	}
	select {
	case <-ran:
		t.Fatal("the second command ran while the first held the only turn")
	case <-time.After(50 * time.Millisecond):
	}

	gaveUp, cancel := context.WithCancel(ctx)
	third := make(chan error, 1)
	go func() {
		third <- st.CommandForTest(gaveUp, func() error { t.Error("the third command ran after its caller gave up"); return nil })
	}()
	for deadline := time.Now().Add(5 * time.Second); st.CommandsWaiting() != 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d commands wait, want two", st.CommandsWaiting())
		}
	}
	cancel()
	if err := <-third; !errors.Is(err, context.Canceled) {
		t.Fatalf("the third command: %v, want the caller's context.Canceled", err)
	}

	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	<-ran
	if n := st.CommandsWaiting(); n != 0 {
		t.Errorf("%d commands still wait", n)
	}
}
