package models

import (
	"slices"
	"testing"
	"time"
)

func wsTime(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWorkingDaysBetween(t *testing.T) {
	// 2026-11-20 is a Friday.
	cases := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day", "2026-11-20 09:00", "2026-11-20 17:00", 0},
		{"friday to saturday", "2026-11-20 09:00", "2026-11-21 09:00", 0},
		{"friday to monday", "2026-11-20 17:00", "2026-11-23 08:00", 1},
		{"monday to thursday", "2026-11-23 09:00", "2026-11-26 09:00", 3},
		{"a whole week and a day", "2026-11-20 09:00", "2026-11-30 09:00", 6},
		{"sunday to monday", "2026-11-22 09:00", "2026-11-23 09:00", 1},
		{"backwards", "2026-11-23 09:00", "2026-11-20 09:00", 0},
	}
	for _, c := range cases {
		if got := WorkingDaysBetween(wsTime(c.from), wsTime(c.to)); got != c.want {
			t.Errorf("%s: %d working days, want %d", c.name, got, c.want)
		}
	}
}

func TestStuck(t *testing.T) {
	now := wsTime("2026-11-26 10:00") // Thursday
	cases := []struct {
		name   string
		status Status
		last   string
		days   int
		want   bool
	}{
		{"three working days still", StatusInProgress, "2026-11-23 10:00", 3, true},
		{"two working days is not yet", StatusInProgress, "2026-11-24 10:00", 3, false},
		{"the weekend does not count", StatusInProgress, "2026-11-21 10:00", 4, true},
		{"friday to thursday is four working days", StatusInProgress, "2026-11-20 10:00", 5, false},
		{"waiting for the client is not stuck with the agency", StatusAwaitingReply, "2026-11-01 10:00", 3, false},
		{"not started is not stuck", StatusSet, "2026-11-01 10:00", 3, false},
		{"a setting of one day", StatusInProgress, "2026-11-25 18:00", 1, true},
	}
	for _, c := range cases {
		if got := Stuck(c.status, wsTime(c.last), now, c.days); got != c.want {
			t.Errorf("%s: stuck %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSinceLastWorkshop(t *testing.T) {
	starts := wsTime("2026-11-26 10:00")
	prev := wsTime("2026-11-19 10:00")
	if got := SinceLastWorkshop(&prev, starts); !got.Equal(prev) {
		t.Errorf("with a previous workshop: %v, want its start %v", got, prev)
	}
	if got, want := SinceLastWorkshop(nil, starts), wsTime("2026-11-12 10:00"); !got.Equal(want) {
		t.Errorf("first workshop: %v, want two weeks before it, %v", got, want)
	}
}

func TestDraftAgenda(t *testing.T) {
	now := wsTime("2026-11-26 10:00")
	r := AgendaRules{Since: wsTime("2026-11-19 10:00"), Now: now, StuckDays: 3}
	at := func(s string) time.Time { return wsTime(s) }
	ptr := func(t time.Time) *time.Time { return &t }
	card := func(id int64, status Status, changed string) AgendaCard {
		return AgendaCard{TaskID: id, Title: "card", Priority: PriorityNormal, LastEventAt: at(changed),
			Wait: WaitFacts{Status: status, StatusChangedAt: at(changed), CreatedAt: at("2026-11-01 09:00")}}
	}
	question := card(1, StatusAwaitingReply, "2026-11-20 09:00")
	olderQuestion := card(2, StatusAwaitingReply, "2026-11-10 09:00")
	approval := card(3, StatusApproval, "2026-11-24 09:00")
	approval.Wait.ApprovalState = ApprovalPending
	approved := card(4, StatusApproval, "2026-11-24 09:00")
	approved.Wait.ApprovalState, approved.Wait.ApprovedAt = ApprovalApproved, ptr(at("2026-11-25 09:00"))
	stuck := card(5, StatusInProgress, "2026-11-20 09:00")
	moving := card(6, StatusInProgress, "2026-11-25 09:00")
	urgentNew := card(7, StatusSet, "2026-11-22 09:00")
	urgentNew.Priority, urgentNew.Wait.CreatedAt = PriorityCritical, at("2026-11-22 09:00")
	urgentOld := card(8, StatusSet, "2026-11-02 09:00")
	urgentOld.Priority = PriorityUrgent
	deployed := card(9, StatusDone, "2026-11-24 09:00")
	deployed.DeployedAt = ptr(at("2026-11-24 09:00"))
	deployedLongAgo := card(10, StatusDone, "2026-11-02 09:00")
	deployedLongAgo.DeployedAt = ptr(at("2026-11-02 09:00"))
	carried := card(11, StatusAwaitingReply, "2026-11-20 09:00")
	carried.Carried = true
	carriedDone := card(12, StatusDone, "2026-11-21 09:00")
	carriedDone.Carried = true
	est := 120
	overEstimate := card(13, StatusInProgress, "2026-11-23 09:00")
	overEstimate.LastEventAt, overEstimate.EstimateMinutes, overEstimate.SpentMinutes = at("2026-11-25 09:00"), &est, 121
	onEstimate := card(14, StatusInProgress, "2026-11-23 09:00")
	onEstimate.LastEventAt, onEstimate.EstimateMinutes, onEstimate.SpentMinutes = at("2026-11-25 09:00"), &est, 120
	unestimated := card(15, StatusInProgress, "2026-11-23 09:00")
	unestimated.LastEventAt, unestimated.SpentMinutes = at("2026-11-25 09:00"), 600

	got, left := DraftAgenda(r, []AgendaCard{question, olderQuestion, approval, approved, stuck, moving, urgentNew, urgentOld,
		deployed, deployedLongAgo, carried, carriedDone, overEstimate, onEstimate, unestimated})
	want := []struct {
		src   AgendaSource
		id    int64
		since string
	}{
		{SourceCarried, 11, "2026-11-01 09:00"},
		{SourceAwaitingReply, 2, "2026-11-10 09:00"}, // the longest wait first
		{SourceAwaitingReply, 1, "2026-11-20 09:00"},
		{SourceApproval, 3, "2026-11-24 09:00"},
		{SourceStuck, 5, "2026-11-20 09:00"},
		{SourceStuck, 13, "2026-11-23 09:00"}, // moving, but past its estimate since it started
		{SourceUrgent, 7, "2026-11-22 09:00"},
		{SourceDeployed, 9, "2026-11-24 09:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("agenda %+v, want %d points", got, len(want))
	}
	for i, w := range want {
		if got[i].Source != w.src || got[i].TaskID != w.id || !got[i].Since.Equal(at(w.since)) {
			t.Errorf("point %d: %s #%d since %v, want %s #%d since %s", i, got[i].Source, got[i].TaskID, got[i].Since, w.src, w.id, w.since)
		}
	}
	if len(left) != 0 {
		t.Errorf("left out %+v of sections under the cap", left)
	}
}

func TestDraftAgendaCapsSections(t *testing.T) {
	// A section holds its AgendaSectionMax longest waits, oldest first;
	// the rest are counted. Carried-over action items are all kept.
	now := wsTime("2026-11-26 10:00")
	r := AgendaRules{Since: wsTime("2026-11-19 10:00"), Now: now, StuckDays: 3}
	var cards []AgendaCard
	for i := range 40 {
		// Given newest first, so that the order is the draft's doing.
		asked := now.Add(-time.Duration(i+1) * time.Hour)
		cards = append(cards, AgendaCard{TaskID: int64(100 + i), LastEventAt: asked,
			Wait: WaitFacts{Status: StatusAwaitingReply, StatusChangedAt: asked, CreatedAt: asked}})
	}
	for i := range 20 {
		made := now.Add(-time.Duration(i+1) * time.Hour)
		cards = append(cards, AgendaCard{TaskID: int64(200 + i), Carried: true, LastEventAt: made,
			Wait: WaitFacts{Status: StatusSet, StatusChangedAt: made, CreatedAt: made}})
	}
	for i := range AgendaSectionMax {
		asked := now.Add(-time.Duration(i+1) * time.Hour)
		cards = append(cards, AgendaCard{TaskID: int64(300 + i), LastEventAt: asked,
			Wait: WaitFacts{Status: StatusApproval, ApprovalState: ApprovalPending, StatusChangedAt: asked, CreatedAt: asked}})
	}

	got, left := DraftAgenda(r, cards)
	count := map[AgendaSource]int{}
	var waiting []int64
	for _, p := range got {
		count[p.Source]++
		if p.Source == SourceAwaitingReply {
			waiting = append(waiting, p.TaskID)
		}
	}
	if count[SourceCarried] != 20 || count[SourceAwaitingReply] != AgendaSectionMax || count[SourceApproval] != AgendaSectionMax {
		t.Errorf("points per section %v, want 20 carried, %d awaiting reply and %d in approval", count, AgendaSectionMax, AgendaSectionMax)
	}
	var oldest []int64
	for i := range AgendaSectionMax {
		oldest = append(oldest, int64(139-i))
	}
	if !slices.Equal(waiting, oldest) {
		t.Errorf("awaiting reply %v, want the longest waits first: %v", waiting, oldest)
	}
	if want := (LeftOut{{Source: SourceAwaitingReply, Count: 25}}); !slices.Equal(left, want) {
		t.Errorf("left out %+v, want %+v", left, want)
	}
}

func TestDraftAgendaFirstWorkshop(t *testing.T) {
	// Without a previous workshop, "since the last one" is two weeks back:
	// a deploy ten days ago is news, one three weeks ago is not.
	starts := wsTime("2026-11-26 10:00")
	r := AgendaRules{Since: SinceLastWorkshop(nil, starts), Now: starts, StuckDays: 3}
	recent, old := wsTime("2026-11-16 10:00"), wsTime("2026-11-05 10:00")
	cards := []AgendaCard{
		{TaskID: 1, Wait: WaitFacts{Status: StatusDone}, DeployedAt: &recent, LastEventAt: recent},
		{TaskID: 2, Wait: WaitFacts{Status: StatusDone}, DeployedAt: &old, LastEventAt: old},
	}
	got, _ := DraftAgenda(r, cards)
	if len(got) != 1 || got[0].TaskID != 1 || got[0].Source != SourceDeployed {
		t.Errorf("first workshop's agenda %+v, want only the recent deploy", got)
	}
}

func TestCheckWorkshopStep(t *testing.T) {
	cases := []struct {
		from, to WorkshopState
		ok       bool
	}{
		{WorkshopDraft, WorkshopDraft, true},
		{WorkshopDraft, WorkshopHeld, true},
		{WorkshopHeld, WorkshopPublished, true},
		{WorkshopDraft, WorkshopPublished, false},
		{WorkshopPublished, WorkshopHeld, false},
		{WorkshopHeld, WorkshopDraft, false},
		{WorkshopDraft, "cancelled", false},
	}
	for _, c := range cases {
		if err := CheckWorkshopStep(c.from, c.to); (err == nil) != c.ok {
			t.Errorf("%s → %s: %v, want ok=%v", c.from, c.to, err, c.ok)
		}
	}
}

func TestWorkshopForClient(t *testing.T) {
	own, other := int64(7), int64(8)
	w := Workshop{ClientID: 3, State: WorkshopDraft, Notes: "public", InternalNotes: "secret",
		Items: []WorkshopItem{{ID: 1, Title: "board"}, {ID: 2, Title: "mine", ProposedBy: &own},
			{ID: 3, Title: "colleague's", ProposedBy: &other}, {ID: 4, Title: "internal", Internal: true}},
		LeftOut: LeftOut{{Source: SourceAwaitingReply, Count: 25}}}
	client := Actor{UserID: own, Role: RoleClient, ClientID: 3}
	if _, ok := w.For(Actor{UserID: 9, Role: RoleClient, ClientID: 4}); ok {
		t.Error("another company's client reads the workshop")
	}
	draft, ok := w.For(client)
	if !ok || draft.InternalNotes != "" || draft.Notes != "" || len(draft.Items) != 1 || draft.Items[0].ID != 2 || len(draft.LeftOut) != 0 {
		t.Errorf("unpublished workshop as its client reads it: %+v, want only their own proposal", draft)
	}
	w.State = WorkshopPublished
	pub, _ := w.For(client)
	if pub.InternalNotes != "" || pub.Notes != "public" || len(pub.Items) != 3 || len(pub.LeftOut) != 1 {
		t.Errorf("published summary as the client reads it: %+v, want the public items and notes", pub)
	}
	if staff, _ := w.For(Actor{UserID: 1, Role: RoleManager}); staff.InternalNotes != "secret" || len(staff.Items) != 4 {
		t.Errorf("staff read %+v, want everything", staff)
	}
}

func TestSortWorkshops(t *testing.T) {
	now := wsTime("2026-11-26 10:00")
	list := []Workshop{{ID: 1, StartsAt: wsTime("2026-11-19 10:00")}, {ID: 2, StartsAt: wsTime("2026-12-03 10:00")},
		{ID: 3, StartsAt: wsTime("2026-11-26 12:00")}, {ID: 4, StartsAt: wsTime("2026-11-12 10:00")}}
	SortWorkshops(list, now)
	var got []int64
	for _, w := range list {
		got = append(got, w.ID)
	}
	if want := []int64{3, 2, 1, 4}; !slices.Equal(got, want) {
		t.Errorf("order %v, want the next first, then the latest past: %v", got, want)
	}
}
