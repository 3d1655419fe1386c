package models

import (
	"testing"
	"time"
)

// TestWhose walks who holds the move on a card, and since when.
func TestWhose(t *testing.T) {
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	moved := created.Add(48 * time.Hour)
	at := func(h int) *time.Time { v := created.Add(time.Duration(h) * time.Hour); return &v }
	cases := []struct {
		name string
		f    WaitFacts
		want Wait
	}{
		{"done: nobody waits", WaitFacts{Status: StatusDone, StatusChangedAt: moved}, Wait{}},
		{"question: the client owes an answer since it was asked",
			WaitFacts{Status: StatusAwaitingReply, StatusChangedAt: moved},
			Wait{PartyClient, WaitQuestion, moved}},
		{"approval pending: the client checks staging",
			WaitFacts{Status: StatusApproval, ApprovalState: ApprovalPending, StatusChangedAt: moved},
			Wait{PartyClient, WaitApproval, moved}},
		{"approved: the agency deploys, since the approval",
			WaitFacts{Status: StatusApproval, ApprovalState: ApprovalApproved, StatusChangedAt: moved, ApprovedAt: at(60)},
			Wait{PartyAgency, WaitDeploy, *at(60)}},
		{"approved without a time falls back to the move",
			WaitFacts{Status: StatusApproval, ApprovalState: ApprovalApproved, StatusChangedAt: moved},
			Wait{PartyAgency, WaitDeploy, moved}},
		{"a client's new request waits on the agency since it was filed",
			WaitFacts{Status: StatusSet, ClientRequest: true, CreatedAt: created, StatusChangedAt: created},
			Wait{PartyAgency, WaitNewRequest, created}},
		{"a staff comment is the first response",
			WaitFacts{Status: StatusSet, ClientRequest: true, CreatedAt: created, StatusChangedAt: created, FirstResponseAt: at(2), StaffRepliedAt: at(2)},
			Wait{PartyAgency, WaitWork, created}},
		{"a move out of set is the first response",
			WaitFacts{Status: StatusInProgress, ClientRequest: true, CreatedAt: created, StatusChangedAt: moved},
			Wait{PartyAgency, WaitWork, moved}},
		{"a staff card in set is ordinary work",
			WaitFacts{Status: StatusSet, CreatedAt: created, StatusChangedAt: created},
			Wait{PartyAgency, WaitWork, created}},
		{"the client answered and the answer moved the card: not acted on",
			WaitFacts{Status: StatusInProgress, StatusChangedAt: *at(10), ClientRepliedAt: at(10)},
			Wait{PartyAgency, WaitAnswered, *at(10)}},
		{"the client answered, staff replied after",
			WaitFacts{Status: StatusInProgress, StatusChangedAt: *at(10), ClientRepliedAt: at(10), StaffRepliedAt: at(11)},
			Wait{PartyAgency, WaitWork, *at(10)}},
		{"the client answered, staff moved the card after",
			WaitFacts{Status: StatusSet, StatusChangedAt: *at(12), ClientRepliedAt: at(10)},
			Wait{PartyAgency, WaitWork, *at(12)}},
		{"a staff reply before the client's does not count",
			WaitFacts{Status: StatusInProgress, StatusChangedAt: created, ClientRepliedAt: at(10), StaffRepliedAt: at(9)},
			Wait{PartyAgency, WaitAnswered, *at(10)}},
		{"changes requested: the agency's move since the request",
			WaitFacts{Status: StatusInProgress, ApprovalState: ApprovalChanges, StatusChangedAt: moved},
			Wait{PartyAgency, WaitChanges, moved}},
		{"the comment that sent the change back is not an answer",
			WaitFacts{Status: StatusInProgress, ApprovalState: ApprovalChanges, StatusChangedAt: moved, ClientRepliedAt: &moved},
			Wait{PartyAgency, WaitChanges, moved}},
		{"a later client comment on a sent-back change waits for an answer the changes it asked for",
			WaitFacts{Status: StatusInProgress, ApprovalState: ApprovalChanges, StatusChangedAt: moved, ClientRepliedAt: at(50)},
			Wait{PartyAgency, WaitAnswered, *at(50)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Whose(tc.f); got != tc.want {
				t.Errorf("Whose = %+v, want %+v", got, tc.want)
			}
		})
	}
}
