package models

import (
	"errors"
	"testing"
	"time"
)

// TestMoveFlow walks every move between the five columns: what the move
// needs, what it does to the approval fields, and what it entails.
func TestMoveFlow(t *testing.T) {
	question := MoveInput{Question: "Which colour?", StagingURL: "https://staging.acme.test/"}
	cases := []struct {
		name       string
		from, to   Status
		in         MoveInput
		approval   ApprovalState // of the card before the move
		wantField  string        // a validation error on this field
		wantState  ApprovalState
		wantNotice NotificationKind
		wantTo     Recipients
		wantQ      bool // the question is posted as a comment
	}{
		{"reorder in set", StatusSet, StatusSet, MoveInput{}, ApprovalNone, "", ApprovalNone, "", NoOne, false},
		{"start work", StatusSet, StatusInProgress, MoveInput{}, ApprovalNone, "", ApprovalNone, "", NoOne, false},
		{"ask without a question", StatusInProgress, StatusAwaitingReply, MoveInput{}, ApprovalNone, "question", ApprovalNone, "", NoOne, false},
		{"ask the client", StatusInProgress, StatusAwaitingReply, question, ApprovalNone, "", ApprovalNone, NoteQuestion, ClientUsers, true},
		{"reorder while waiting asks nothing", StatusAwaitingReply, StatusAwaitingReply, MoveInput{}, ApprovalNone, "", ApprovalNone, "", NoOne, false},
		{"approval without staging", StatusInProgress, StatusApproval, MoveInput{}, ApprovalNone, "staging_url", ApprovalPending, "", NoOne, false},
		{"send for approval", StatusInProgress, StatusApproval, question, ApprovalChanges, "", ApprovalPending, NoteApprovalRequest, ClientUsers, false},
		{"reorder in approval keeps the approval", StatusApproval, StatusApproval, MoveInput{}, ApprovalApproved, "", ApprovalApproved, "", NoOne, false},
		{"leaving approval withdraws it", StatusApproval, StatusInProgress, MoveInput{}, ApprovalApproved, "", ApprovalNone, "", NoOne, false},
		{"done by hand", StatusApproval, StatusDone, MoveInput{}, ApprovalApproved, "", ApprovalNone, "", NoOne, false},
		{"reopen", StatusDone, StatusSet, MoveInput{}, ApprovalNone, "", ApprovalNone, "", NoOne, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			task := Task{Status: tc.from, ApprovalState: tc.approval}
			step, err := Move(&task, tc.to, tc.in)
			if tc.wantField != "" {
				var verr *ValidationError
				if !errors.As(err, &verr) || verr.Fields[tc.wantField].Code() == "" {
					t.Fatalf("got %v, want a problem with %s", err, tc.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if task.Status != tc.to || task.ApprovalState != tc.wantState {
				t.Errorf("card %s/%s, want %s/%s", task.Status, task.ApprovalState, tc.to, tc.wantState)
			}
			if step.Place != PlaceAt || step.Event != EventTaskMoved || step.Notice != tc.wantNotice || step.To != tc.wantTo ||
				(step.Comment != "") != tc.wantQ {
				t.Errorf("step %+v", step)
			}
		})
	}
}

// TestClientSteps covers what the client's users do to a card, and what
// nobody else may do in their place.
func TestClientSteps(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	client := Actor{UserID: 7, Role: RoleClient, ClientID: 1}
	manager := Actor{UserID: 2, Role: RoleManager}
	dev := Actor{UserID: 3, Role: RoleDeveloper}
	waiting := func() Task {
		return Task{Status: StatusAwaitingReply, StatusChangedAt: now.Add(-90 * time.Minute)}
	}
	pending := func() Task {
		return Task{Status: StatusApproval, ApprovalState: ApprovalPending, StagingURL: "https://s.test/"}
	}

	t.Run("a client's comment answers", func(t *testing.T) {
		task := waiting()
		step, ok := Answered(&task, client, now)
		if !ok || task.Status != StatusInProgress || step.Place != PlaceOnTop || step.Waited != 5400 ||
			step.Reason != ReasonClientAnswered || step.Notice != NoteAnswered || step.To != AssigneeOrManagers {
			t.Fatalf("ok %v, card %s, step %+v", ok, task.Status, step)
		}
	})
	for _, tc := range []struct {
		name string
		a    Actor
		task Task
	}{{"staff comments answer nothing", dev, waiting()}, {"a client comment elsewhere answers nothing", client, pending()}} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.task.Status
			if _, ok := Answered(&tc.task, tc.a, now); ok || tc.task.Status != before {
				t.Fatalf("answered: %v, card %s", ok, tc.task.Status)
			}
		})
	}

	t.Run("approve keeps the card in approval", func(t *testing.T) {
		task := pending()
		step, err := Approve(&task, client, now, nil, "")
		if err != nil || task.Status != StatusApproval || task.ApprovalState != ApprovalApproved || step.Place != StayPut ||
			step.Event != EventTaskApproved || step.Notice != NoteApproved || task.ApprovalOnBehalf {
			t.Fatalf("err %v, card %+v, step %+v", err, task, step)
		}
	})
	t.Run("a manager approves for the client with a reason", func(t *testing.T) {
		task := pending()
		if _, err := Approve(&task, manager, now, nil, ""); err == nil {
			t.Fatal("approved on the client's behalf without a reason")
		}
		if _, err := Approve(&task, manager, now, nil, "by phone"); err != nil || !task.ApprovalOnBehalf {
			t.Fatalf("err %v, on behalf %v", err, task.ApprovalOnBehalf)
		}
	})
	t.Run("a developer cannot approve", func(t *testing.T) {
		task := pending()
		if _, err := Approve(&task, dev, now, nil, "x"); !errors.Is(err, ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("changes requested go back to the top of in progress", func(t *testing.T) {
		task := pending()
		step, err := RequestChanges(&task, client, "the logo is blue")
		if err != nil || task.Status != StatusInProgress || task.ApprovalState != ApprovalChanges || step.Place != PlaceOnTop ||
			step.Comment != "the logo is blue" || step.Event != EventTaskChanges || step.Notice != NoteChangesRequested {
			t.Fatalf("err %v, card %+v, step %+v", err, task, step)
		}
	})
	t.Run("only the client requests changes", func(t *testing.T) {
		task := pending()
		if _, err := RequestChanges(&task, manager, "x"); !errors.Is(err, ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("deploy needs an approval", func(t *testing.T) {
		task := pending()
		var conflict *ConflictError
		if _, err := Deploy(&task, now); !errors.As(err, &conflict) || conflict.Reason.Code() != NotApproved.Code() {
			t.Fatalf("got %v", err)
		}
		task.ApprovalState = ApprovalApproved
		step, err := Deploy(&task, now)
		if err != nil || task.Status != StatusDone || task.DeployedAt == nil || step.Place != PlaceOnTop || step.Event != EventTaskDeployed {
			t.Fatalf("err %v, card %+v, step %+v", err, task, step)
		}
	})
}

// TestFinished: done is the only column a card leaves the plan in.
func TestFinished(t *testing.T) {
	for _, s := range Statuses {
		if s.Finished() != (s == StatusDone) {
			t.Errorf("%s finished: %v", s, s.Finished())
		}
	}
}
