package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"time"

	netmail "net/mail"

	"golang.org/x/sync/errgroup"

	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/mailer"
	"github.com/doska/doska/server/mailer/smtpsink"
)

// mails delivers 10,000 queued mails to an SMTP sink in this process with
// two senders working the outbox together, as two instances would, and
// checks that every mail arrived exactly once; then it builds the daily
// digest of 1,000 people who each have five mails held.
func mails(ctx context.Context, e *benchEnv) ([]Result, error) {
	n := e.pick(1000, 10000)
	sink, err := smtpsink.Start()
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	err = e.db.WithContext(ctx).Exec(`INSERT INTO mail_outbox (kind, user_id, to_addr, locale, data, message_id)
		SELECT 'mentioned', ?, 'person' || i || '@bench.test', 'en',
		       jsonb_build_object('actor', 'Bench Manager', 'project', 'Bench', 'number', i, 'title', 'Card ' || i),
		       'bench-' || i
		FROM generate_series(1, ?) i`, e.manager.ID, n).Error
	if err != nil {
		return nil, err
	}
	site, _ := url.Parse(e.base)
	composer := &mail.Composer{Site: site, From: netmail.Address{Name: "Doska", Address: "doska@bench.test"}, Key: []byte("bench-mail-key-0123456789abcdef!")}
	started := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	perSender := make([]int, 2)
	for i := range perSender {
		s := &mailer.Sender{Store: e.store, Composer: composer, SMTP: &url.URL{Scheme: "smtp", Host: sink.Addr},
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		g.Go(func() error {
			k, err := s.DeliverDue(gctx)
			mu.Lock()
			perSender[i] = k
			mu.Unlock()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	elapsed := time.Since(started)
	seen := map[string]int{}
	for _, m := range sink.Messages() {
		seen[m.Header.Get("Message-Id")]++
	}
	dups, missing := 0, n-len(seen)
	for _, c := range seen {
		dups += c - 1
	}
	out := []Result{{Scenario: "mail", Variant: "outbox to SMTP sink, two senders", Size: n, Concurrency: 2, Requests: sink.Count(),
		RPS: float64(sink.Count()) / elapsed.Seconds(), Errors: dups + missing,
		Note: fmt.Sprintf("%.1f s; %d duplicates, %d missing; per sender %d/%d", elapsed.Seconds(), dups, missing, perSender[0], perSender[1])}}

	people := 1000
	hour := time.Now().UTC().Hour()
	err = e.db.WithContext(ctx).Exec(`
WITH u AS (
    INSERT INTO users (email, name, role, client_id, password_hash, digest_hour)
    SELECT 'digest' || i || '@bench.test', 'Digest ' || i, 'client', ?, 'x', ? FROM generate_series(1, ?) i
    RETURNING id, email
)
INSERT INTO mail_outbox (kind, user_id, to_addr, locale, data, message_id, status)
SELECT 'question', u.id, u.email, 'en', jsonb_build_object('actor', 'Bench Manager', 'number', j, 'title', 'Card ' || j),
       'held-' || u.id || '-' || j, 'held'
FROM u, generate_series(1, 5) j`, e.client1, hour, people).Error
	if err != nil {
		return nil, err
	}
	started = time.Now()
	queued, err := e.store.QueueDigests(ctx)
	if err != nil {
		return nil, err
	}
	took := time.Since(started)
	out = append(out, Result{Scenario: "mail", Variant: "daily digest, 5 mails each", Size: people, Concurrency: 1, Requests: queued,
		P50: float64(took.Microseconds()) / 1000, Errors: people - queued,
		Note: fmt.Sprintf("%d digests built and queued in %.2f s", queued, took.Seconds())})
	return out, nil
}
