package models

import (
	"errors"
	"fmt"
	"testing"
)

// TestIntakeFields: each kind a client chooses becomes the card's kind and
// priority; a critical bug needs the confirmation, and an unknown kind or
// a missing one is refused by field.
func TestIntakeFields(t *testing.T) {
	cases := []struct {
		in        Intake
		wantKind  Kind
		wantPrio  Priority
		wantField string
	}{
		{Intake{Kind: RequestQuestion}, KindQuestion, PriorityNormal, ""},
		{Intake{Kind: RequestBug}, KindBug, PriorityNormal, ""},
		{Intake{Kind: RequestCritical, Confirmed: true}, KindBug, PriorityCritical, ""},
		{Intake{Kind: RequestCritical}, KindBug, PriorityCritical, "confirmed"},
		{Intake{Kind: RequestChange}, KindChange, PriorityNormal, ""},
		{Intake{Kind: RequestOrder}, KindOrder, PriorityNormal, ""},
		{Intake{Kind: "urgent"}, KindTask, PriorityNormal, "kind"},
		{Intake{}, KindTask, PriorityNormal, "kind"},
		{Intake{Kind: RequestBug, Files: make([]int64, RequestMaxFiles)}, KindBug, PriorityNormal, ""},
		{Intake{Kind: RequestBug, Files: make([]int64, RequestMaxFiles+1)}, KindBug, PriorityNormal, "attachments"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s confirmed=%v files=%d", tc.in.Kind, tc.in.Confirmed, len(tc.in.Files)), func(t *testing.T) {
			p := Problems{}
			f := tc.in.Fields(p)
			if *f.Kind != tc.wantKind || *f.Priority != tc.wantPrio {
				t.Errorf("kind %s priority %s, want %s %s", *f.Kind, *f.Priority, tc.wantKind, tc.wantPrio)
			}
			if _, ok := p[tc.wantField]; tc.wantField != "" && !ok {
				t.Errorf("problems %v, want one on %s", p, tc.wantField)
			}
			if tc.wantField == "" && len(p) > 0 {
				t.Errorf("problems %v, want none", p)
			}
		})
	}
}

// TestCheckEdit: a client edits the words of their own request while it is
// in set, and nothing else; staff who edit cards always may.
func TestCheckEdit(t *testing.T) {
	client := Actor{UserID: 7, Role: RoleClient, ClientID: 1}
	other := Actor{UserID: 8, Role: RoleClient, ClientID: 1}
	dev := Actor{UserID: 2, Role: RoleDeveloper}
	own := Task{Request: true, ReporterID: 7, Status: StatusSet}
	started := own
	started.Status = StatusInProgress
	staffCard := Task{ReporterID: 7, Status: StatusSet} // not filed as a request
	text := "Clearer words"
	kind := KindOrder
	words := TaskFields{Title: &text, Description: &text, PageURL: &text}
	cases := []struct {
		name      string
		t         Task
		a         Actor
		f         TaskFields
		wantErr   error
		wantField string
	}{
		{"own request in set", own, client, words, nil, ""},
		{"own request, work started", started, client, words, ErrWorkStarted, ""},
		{"own request, its kind", own, client, TaskFields{Kind: &kind}, nil, "kind"},
		{"a colleague's request", own, other, words, ErrForbidden, ""},
		{"a card that is not a request", staffCard, client, words, ErrForbidden, ""},
		{"staff, work started", started, dev, TaskFields{Kind: &kind}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckEdit(tc.t, tc.a, tc.f)
			var ve *ValidationError
			switch {
			case tc.wantField != "":
				if !errors.As(err, &ve) || ve.Fields[tc.wantField].Code() == "" {
					t.Errorf("got %v, want a problem on %s", err, tc.wantField)
				}
			case !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil):
				t.Errorf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestEscalate: only those who triage escalate, to someone, with a reason.
func TestEscalate(t *testing.T) {
	dev := int64(3)
	pm := Actor{UserID: 1, Role: RoleManager}
	cases := []struct {
		name      string
		a         Actor
		to        *int64
		reason    string
		wantErr   error
		wantField string
	}{
		{"PM with a reason", pm, &dev, "Needs the payment code", nil, ""},
		{"PM without a reason", pm, &dev, "  ", nil, "reason"},
		{"PM to nobody", pm, nil, "Needs a developer", nil, "assignee_id"},
		{"developer", Actor{UserID: 3, Role: RoleDeveloper}, &dev, "Mine now", ErrForbidden, ""},
		{"client", Actor{UserID: 7, Role: RoleClient, ClientID: 1}, &dev, "Please", ErrForbidden, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			task := Task{Request: true, Status: StatusSet}
			err := Escalate(&task, tc.a, tc.to, tc.reason)
			var ve *ValidationError
			switch {
			case tc.wantField != "":
				if !errors.As(err, &ve) || ve.Fields[tc.wantField].Code() == "" {
					t.Errorf("got %v, want a problem on %s", err, tc.wantField)
				}
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("got %v, want %v", err, tc.wantErr)
				}
			case err != nil || task.AssigneeID == nil || *task.AssigneeID != dev:
				t.Errorf("got %v, assignee %v; want the developer", err, task.AssigneeID)
			}
		})
	}
}

// TestRequestFileAllowed: a request takes what shows a problem, judged by
// the sniffed type with or without its parameters; nothing that runs or
// hides other files.
func TestRequestFileAllowed(t *testing.T) {
	for typ, want := range map[string]bool{
		"image/png": true, "image/jpeg": true, "video/mp4": true, "application/pdf": true,
		"text/plain; charset=utf-8": true, "text/html; charset=utf-8": false, "image/svg+xml": false,
		"application/zip": false, "application/x-msdownload": false, "application/octet-stream": false, "": false,
	} {
		if got := RequestFileAllowed(typ); got != want {
			t.Errorf("RequestFileAllowed(%q) = %v, want %v", typ, got, want)
		}
	}
}
