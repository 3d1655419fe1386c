// Package smtpsink is an SMTP server in the test's (or benchmark's) own
// process that keeps every message it accepts, and can be told to refuse
// the next ones, so tests see exactly what Doska sent over real SMTP.
package smtpsink

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted mail.
type Message struct {
	From string
	To   []string
	Raw  []byte
	// Header is parsed from Raw.
	Header mail.Header
}

// Sink is a running SMTP server.
type Sink struct {
	Addr   string
	srv    *smtp.Server
	mu     sync.Mutex
	msgs   []Message
	refuse int
	// Accept, when set, is called with each message before it is
	// accepted; an error refuses the message (a test kills a sender
	// mid-send with it).
	Accept func(Message) error
}

// Start listens on a free loopback port.
func Start() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Sink{Addr: ln.Addr().String()}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "sink.test"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// Close stops the server.
func (s *Sink) Close() error { return s.srv.Close() }

// Refuse makes the server answer the next n messages with a temporary error.
func (s *Sink) Refuse(n int) {
	s.mu.Lock()
	s.refuse = n
	s.mu.Unlock()
}

// Messages returns what the server accepted so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Count is len(Messages()) without the copy.
func (s *Sink) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

type backend struct{ s *Sink }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Sink
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: x.from, To: x.to, Raw: raw}
	if pm, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = pm.Header
	}
	x.s.mu.Lock()
	if x.s.refuse > 0 {
		x.s.refuse--
		x.s.mu.Unlock()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.s.mu.Unlock()
	if x.s.Accept != nil {
		if err := x.s.Accept(m); err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
		}
	}
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, m)
	x.s.mu.Unlock()
	return nil
}

// ErrNone is returned by Wait when too few messages came in time.
var ErrNone = errors.New("smtpsink: fewer messages than expected")

// Wait waits until at least n messages arrived or d passed.
func (s *Sink) Wait(n int, d time.Duration) ([]Message, error) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if s.Count() >= n {
			return s.Messages(), nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return s.Messages(), ErrNone
}
