package models

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors of the domain. The API maps them to HTTP statuses in one
// place; everything else wraps them with %w and the operation's IDs.
var (
	// ErrNotFound is returned for absent objects and for objects the actor
	// may not see, so that the two cannot be told apart.
	ErrNotFound = errors.New("not found")
	// ErrForbidden is returned when the actor may see the object but not do
	// the requested action to it.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated is returned for missing, invalid or revoked credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrGone is returned for a one-time token that was used or has expired.
	ErrGone = errors.New("gone")
	// ErrDuplicate is returned when a unique value (an e-mail, a name) is taken.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnavailable is returned when the database cannot be reached; the
	// request may be retried.
	ErrUnavailable = errors.New("service unavailable")
)

// ValidationError says which input fields are wrong and why.
type ValidationError struct {
	Fields map[string]Problem
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k].Message()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Problems collects field errors while a command validates its input.
type Problems map[string]Problem

// Add records the first problem of a field; later ones for the same field
// are dropped, since a form shows one message per field.
func (p Problems) Add(field string, k *ProblemKind, values ...any) {
	p.Put(field, k.With(values...))
}

// Put records a problem made elsewhere (a parser's) as Add does.
func (p Problems) Put(field string, pr Problem) {
	if _, ok := p[field]; !ok {
		p[field] = pr
	}
}

// Err returns a *ValidationError when there are problems and nil otherwise.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: map[string]Problem(p)}
}

// ConflictError is a state conflict: a stale version or a transition that
// the object's current state does not allow. Reason is one of the
// conflicts.go codes, with its values. Current, when set, is the object as
// it is now, so the caller can show it or retry against it.
type ConflictError struct {
	Reason  Problem
	Current any
	// Fields, when set, name the field the conflict is about with a code
	// the app shows in its reader's language.
	Fields map[string]Problem
}

func (e *ConflictError) Error() string { return "conflict: " + e.Reason.Message() }

// RateLimitedError says that too many attempts were made and when the next
// one is allowed.
type RateLimitedError struct {
	RetryAfterSeconds int
}

func (e *RateLimitedError) Error() string { return "rate limited" }
