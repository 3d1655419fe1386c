package models

var conflicts []*ProblemKind

// conflict declares why a command can be refused by the state it meets
// (409); the {names} in english are its parameters, given in this order
// to With.
func conflict(code, english string) *ProblemKind {
	k := newKind(code, english)
	conflicts = append(conflicts, k)
	return k
}

// ConflictKinds lists every conflict the server can send.
func ConflictKinds() []*ProblemKind { return conflicts }

// Cards.
var (
	TaskStale       = conflict("task_stale", "Someone else changed this card; review it and try again.")
	TaskArchived    = conflict("task_archived", "This card is archived; restore it first.")
	TaskNotArchived = conflict("task_not_archived", "This card is not archived; reload to see it on the board.")
	NeighbourGone   = conflict("neighbour_gone", "The list changed: the card to place this one next to is no longer in it; reload it and try again.")
	NotAwaiting     = conflict("not_awaiting_approval", "This card is not waiting for approval; reload to see where it is.")
	NotApproved     = conflict("not_approved", "Only approved changes can be deployed; wait for the client's approval.")
)

// Weekly planning.
var (
	TaskDoneUnplannable = conflict("task_done", "This card is done; move it out of done to plan it.")
	TaskNotPlanned      = conflict("task_not_planned", "This card is not planned; reload to see where it is.")
	WeekClosed          = conflict("week_closed", "Week {week} is closed; plan the card in an open week.")
	WeekEmpty           = conflict("week_empty", "Nothing was planned in {week}; plan cards before closing the week.")
	WeekChanged         = conflict("week_changed", "The week was closed or changed meanwhile; reload it and try again.")
)

// Workshops.
var (
	WorkshopStale = conflict("workshop_stale", "Someone else changed this workshop; review it and save again.")
	AgendaFrozen  = conflict("workshop_held", "This workshop was held, so its agenda is no longer drafted from the board; reload it.")
	ProposalLate  = conflict("proposal_late", "This workshop was already held; wait for the next one to propose the topic.")
)

// Anything.
var (
	// FrozenField goes with the field problem that says what is frozen
	// and why (Locked).
	FrozenField    = conflict("frozen", "This can no longer change; check the field it names for what to do instead.")
	Duplicate      = conflict("duplicate", "This already exists; choose another name.")
	RequestPending = conflict("request_pending", "This request was already received and its result is not known yet; reload to see it.")
)
