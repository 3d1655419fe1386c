package models

import (
	"fmt"
	"regexp"
	"strings"
)

// ProblemKind is one way a field can be wrong, or one state that refuses a
// command (a conflict): a stable code that the web app turns into text in
// the reader's language (catalog key "field_<code>", or "conflict_<code>"
// for a conflict), the values that text names, and the same text in English
// for whoever reads the API without the app. Kinds are made only here and
// in conflicts.go, so ProblemKinds and ConflictKinds list every code the
// server can send.
type ProblemKind struct {
	code    string
	english string
	params  []string
}

var (
	kinds       []*ProblemKind
	placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)
)

// kind declares a field problem's code; the {names} in english are its
// parameters, given in this order to Problems.Add.
func kind(code, english string) *ProblemKind {
	k := newKind(code, english)
	kinds = append(kinds, k)
	return k
}

func newKind(code, english string) *ProblemKind {
	k := &ProblemKind{code: code, english: english}
	for _, m := range placeholder.FindAllStringSubmatch(english, -1) {
		k.params = append(k.params, m[1])
	}
	return k
}

// ProblemKinds lists every field problem the server can send.
func ProblemKinds() []*ProblemKind { return kinds }

// Code is the stable name of the problem.
func (k *ProblemKind) Code() string { return k.code }

// Params names the values the problem's text carries, in order.
func (k *ProblemKind) Params() []string { return k.params }

// English is the problem's text with its parameters as {name}.
func (k *ProblemKind) English() string { return k.english }

// With makes a problem of this kind from its parameters' values, in the
// order the kind names them; a wrong count is a programming error.
func (k *ProblemKind) With(values ...any) Problem {
	if len(values) != len(k.params) {
		panic(fmt.Sprintf("models: problem %s takes %d values, got %d", k.code, len(k.params), len(values)))
	}
	p := Problem{kind: k}
	if len(values) > 0 {
		p.params = make(map[string]any, len(values))
		for i, name := range k.params {
			p.params[name] = values[i]
		}
	}
	return p
}

// Problem is what is wrong with one field's value.
type Problem struct {
	kind   *ProblemKind
	params map[string]any
}

// Code is the problem's stable name ("" for no problem).
func (p Problem) Code() string {
	if p.kind == nil {
		return ""
	}
	return p.kind.code
}

// Params are the values its text names (nil when none).
func (p Problem) Params() map[string]any { return p.params }

// Message is the problem in English, with its values filled in ("" for
// no problem).
func (p Problem) Message() string {
	if p.kind == nil {
		return ""
	}
	return placeholder.ReplaceAllStringFunc(p.kind.english, func(s string) string {
		return fmt.Sprint(p.params[strings.Trim(s, "{}")])
	})
}

// Error lets a parser return a problem for its caller to attach to the
// field it read.
func (p Problem) Error() string { return p.Message() }

// Invalid is a validation error of one field.
func Invalid(field string, k *ProblemKind, values ...any) *ValidationError {
	return &ValidationError{Fields: map[string]Problem{field: k.With(values...)}}
}

// Locked is the refusal to change something frozen (409): the field it
// is about and why, as a code the app shows in its reader's language.
func Locked(field string, k *ProblemKind, values ...any) *ConflictError {
	return &ConflictError{Reason: FrozenField.With(), Fields: map[string]Problem{field: k.With(values...)}}
}

// Text problems.
var (
	Required       = kind("required", "Fill this in; it cannot be empty.")
	TooLong        = kind("too_long", "Shorten it to {max} characters or fewer (it has {length}).")
	InvalidUTF8    = kind("invalid_utf8", "Send the text as valid UTF-8.")
	ControlChars   = kind("control_chars", "Remove the line breaks, tabs and other control characters.")
	ControlCharsML = kind("control_chars_multiline", "Remove the invisible control characters; line breaks and tabs are fine.")
	NameChars      = kind("name_chars", "Use letters, digits, spaces and punctuation only; remove invisible and direction-changing characters.")
	EmailRequired  = kind("email_required", "Enter an e-mail address.")
	EmailFormat    = kind("email_format", "Enter a whole e-mail address, such as ann@example.com.")
	EmailTaken     = kind("email_taken", "Use another address; this one already has an account.")
	URLFormat      = kind("url_format", "Enter an address starting with http:// or https://.")
	DateFormat     = kind("date_format", "Enter a date like 2026-12-31.")
	WeekFormat     = kind("week_format", "Use a week like 2026-W48 or a date like 2026-11-23.")
	WeekMissing    = kind("week_missing", "Use a week that exists: {year} has no week {week}.")
	NotNull        = kind("not_null", "Send a value; this field cannot be null.")
)

// Problems of a request that cannot be read (400).
var (
	BodyUnreadable = kind("body_unreadable", "Send the request again; its body could not be read.")
	BodyOneObject  = kind("body_one_object", "Send a single JSON object.")
	BodyInvalid    = kind("body_invalid", "Send valid JSON.")
	BodyInvalidAt  = kind("body_invalid_at", "Send valid JSON; this is not (at byte {offset}).")
	BodyCut        = kind("body_cut", "Send the whole JSON object; the body is empty or cut short.")
	UnknownField   = kind("unknown_field", "Remove this field; it is not one this request takes.")
	WantString     = kind("want_string", "Send a string here.")
	WantBool       = kind("want_bool", "Send true or false here.")
	WantList       = kind("want_list", "Send a list here.")
	WantObject     = kind("want_object", "Send an object here.")
	WantInteger    = kind("want_integer", "Send a whole number here.")
	WantNumber     = kind("want_number", "Send a number here.")
	WantOther      = kind("want_other", "Send a value of another type here.")
	PositiveID     = kind("positive_id", "Use a positive whole number.")
	BoolQuery      = kind("bool_query", "Use true or false.")
	CardNumber     = kind("card_number", "Use a card number, such as 42.")
	IdemKeyFormat  = kind("idempotency_key_format", "Send a key of 1 to 255 visible ASCII characters.")
	IdemKeyReused  = kind("idempotency_key_reused", "Use a new key: this one was already used for another request.")
)

// People, roles and languages.
var (
	RoleChoice          = kind("role_choice", "Choose admin, manager, developer or client.")
	RoleAcross          = kind("role_across", "Invite the person anew: a client user cannot become staff, nor staff a client user.")
	RoleOwn             = kind("role_own", "Ask another admin to change your role; you cannot change your own.")
	DeactivateSelf      = kind("deactivate_self", "Ask another admin to deactivate your account; you cannot deactivate yourself.")
	ClientRequired      = kind("client_required", "Choose the client this person belongs to.")
	ClientForStaff      = kind("client_for_staff", "Leave the client empty for agency staff.")
	ClientUnknown       = kind("client_unknown", "Choose an existing client.")
	ClientArchived      = kind("client_archived", "Choose a client that is not archived, or restore this one first.")
	ClientNameTaken     = kind("client_name_taken", "Choose another name; a client with this one already exists.")
	LocaleChoice        = kind("locale_choice", "Choose one of the languages: en, pl, ru, ja.")
	PasswordTooShort    = kind("password_too_short", "Use at least {min} characters.")
	PasswordTooLong     = kind("password_too_long", "Use at most {max} characters.")
	PasswordCommon      = kind("password_common", "Choose another password; this one is among the most common.")
	PasswordRequired    = kind("password_required", "Enter your password.")
	CurrentPasswordNone = kind("current_password_required", "Enter your current password.")
	CurrentPasswordBad  = kind("current_password_wrong", "Enter your current password; this is not it.")
)

// Projects, cards and comments.
var (
	ProjectClientRequired = kind("project_client_required", "Choose the client this project is for.")
	ProjectNameTaken      = kind("project_name_taken", "Choose another name; this client already has a project with this one.")
	MembersTooMany        = kind("members_too_many", "Choose at most {max} members.")
	MembersStaffOnly      = kind("members_staff_only", "Choose active agency staff only as members.")
	StatusChoice          = kind("status_choice", "Choose set, in_progress, awaiting_reply, approval or done.")
	StatusOnCreate        = kind("status_on_create", "Leave the column out: new requests start in set.")
	KindChoice            = kind("kind_choice", "Choose task, bug, question, change or order.")
	PriorityChoice        = kind("priority_choice", "Choose normal, urgent or critical.")
	AgencyOnly            = kind("agency_only", "Leave this out: only the agency sets it.")
	TitleRequired         = kind("title_required", "Enter a title for the card.")
	EstimateRange         = kind("estimate_range", "Enter an estimate between 1 minute and {hours} hours.")
	DueDateRange          = kind("due_date_range", "Choose a date between the years {from} and {to}.")
	LabelEmpty            = kind("label_empty", "Remove the empty label.")
	LabelTooLong          = kind("label_too_long", "Shorten each label to {max} characters or fewer.")
	LabelsTooMany         = kind("labels_too_many", "Use at most {max} labels.")
	VersionRequired       = kind("version_required", "Send the version of the card you changed.")
	AssigneeNotMember     = kind("assignee_not_member", "Choose a staff member of this project.")
	RankSelf              = kind("rank_self", "Place the card next to another card, not next to itself.")
	CommentRequired       = kind("comment_required", "Write something before you send the comment.")
	InternalStaffOnly     = kind("internal_staff_only", "Send the comment without internal: only the agency can write internal comments.")
	MentionsTooMany       = kind("mentions_too_many", "Mention at most {max} people.")
	MentionsProject       = kind("mentions_project", "Mention only people on this project.")
	MentionsInternal      = kind("mentions_internal", "Mention only the agency's people on this project: the comment is internal.")
	NotificationsTooMany  = kind("notifications_too_many", "Mark at most {max} notifications at once.")
)

// Business hours and SLA targets.
var (
	WorkDaysEmpty   = kind("work_days_empty", "Choose at least one working day.")
	WorkDaysInvalid = kind("work_days_invalid", "Choose days from 0 (Sunday) to 6 (Saturday).")
	StartFormat     = kind("start_format", "Enter a time like 09:00.")
	EndFormat       = kind("end_format", "Enter a time like 17:00.")
	EndBeforeStart  = kind("end_before_start", "Choose an end time after the start time.")
	TimeZoneChoice  = kind("time_zone_choice", "Choose a time zone like Europe/Warsaw.")
	HolidaysTooMany = kind("holidays_too_many", "Enter at most {max} holidays.")
)

// Mail preferences.
var (
	DigestHourRange = kind("digest_hour_range", "Choose an hour from 0 to 23.")
	MailKindChoice  = kind("mail_kind_choice", "Choose one of the kinds of mail listed in the settings.")
	MailModeChoice  = kind("mail_mode_choice", "Choose immediate, digest or off.")
	MailCritical    = kind("mail_critical_immediate", "Keep critical mail immediate: a critical card means a client's site is down.")
	PriorityTwice   = kind("priority_twice", "Enter each priority once.")
	SLAMinutesRange = kind("sla_minutes_range", "Enter minutes between 0 and {max}.")
	MonthFormat     = kind("month_format", "Enter a month like 2026-11.")
)

// Attachments.
var (
	AttachTarget        = kind("attach_target", "Use card or comment.")
	FileEmpty           = kind("file_empty", "Send a file that is not empty.")
	FileTooLarge        = kind("file_too_large", "Send a file of at most {max} MB.")
	AttachmentsGone     = kind("attachments_gone", "Send the files again: some are gone or are not yours to attach.")
	AttachmentSizeRange = kind("attachment_size_range", "Enter a size between 1 and {max} MB.")
	RequestFileType     = kind("request_file_type", "Send a screenshot, a screen recording, a PDF or a text file.")
	RequestFilesMax     = kind("request_files_max", "Send at most {max} files with one request.")
)

// The way of a change to production.
var (
	QuestionRequired     = kind("question_required", "Write the question for the client; it becomes a comment they can answer.")
	StagingURLRequired   = kind("staging_url_required", "Enter the staging link where the client can see the change.")
	StagingURLKeep       = kind("staging_url_keep", "Keep the staging link while the change waits for approval.")
	OnBehalfReason       = kind("on_behalf_reason", "Say why you approve on the client's behalf, such as \"approved by phone\".")
	DeployDayPast        = kind("deploy_day_past", "Choose a deploy day that is not in the past.")
	ChangesRequired      = kind("changes_required", "Say what should change.")
	DeployDaysInvalid    = kind("deploy_days_invalid", "Choose distinct weekdays, from 0 (Sunday) to 6 (Saturday).")
	DeployDaysEmpty      = kind("deploy_days_empty", "Pick at least one deploy day.")
	BufferRange          = kind("buffer_range", "Enter a percentage between 0 and {max}.")
	PlanCardRequired     = kind("plan_card_required", "Choose the card to plan.")
	PlanAssigneeRequired = kind("plan_assignee_required", "Choose a person, or send null to plan the card unassigned.")
	CapacityRequired     = kind("capacity_required", "Enter the weekly capacity in minutes.")
	CapacityRange        = kind("capacity_range", "Enter between 0 and {hours} hours.")
	WeekNotStarted       = kind("week_not_started", "Week {week} has not started yet; wait until its Monday to close it.")
)

// Estimate approval (quotes).
var (
	QuoteNotAccepted    = kind("quote_not_accepted", "The client has not accepted this card's quote yet; wait for them, or start without it and give a reason.")
	QuoteSettled        = kind("quote_settled", "This quote is settled already; leave it as it is, or estimate further work on a new card.")
	QuoteNotWaiting     = kind("quote_not_waiting", "This card has no quote waiting for an answer; reload to see where it stands.")
	QuoteDeclineComment = kind("quote_decline_comment", "Say why you decline, so the estimate can be changed.")
	QuoteOverrideReason = kind("quote_override_reason", "Say why the work starts without the client's acceptance.")
)

// Client requests.
var (
	CriticalConfirm   = kind("critical_confirm", "Confirm that customers cannot use the site right now; choose another kind if they can.")
	RequestKindChoice = kind("request_kind", "Choose question, bug, critical_bug, change or order.")
	RequestAgency     = kind("request_agency_sets", "Leave this out: the agency sets it once the request is filed.")
	EscalateTo        = kind("escalate_to", "Choose the developer to hand the request to.")
	EscalateReason    = kind("escalate_reason", "Say why the request needs a developer.")
	RequestProject    = kind("request_project", "Choose the project the request is about.")
)

// Search and saved filters.
var (
	SearchEmpty     = kind("search_empty", "Enter something to search for.")
	SearchTooLong   = kind("search_too_long", "Shorten the search (the limit is {max} characters).")
	SearchNoWords   = kind("search_no_words", "Enter a word or a card number like #123.")
	SearchTooMany   = kind("search_too_many", "Use at most {max} words in a search.")
	FilterURL       = kind("filter_url", "Use an address inside Doska that starts with a single /, like /search?q=invoice.")
	FiltersTooMany  = kind("filters_too_many", "Remove a saved filter first: you can keep {max}.")
	FilterNameTaken = kind("filter_name_taken", "Choose another name: you already saved a filter with this one.")
	SearchLimit     = kind("search_limit", "Use a whole number from 1 to {max}.")
	SearchCursor    = kind("search_cursor", "Use the cursor of the previous page as it was given.")
)

// Time tracking.
var (
	RoundingChoice    = kind("rounding_choice", "Choose 1, 6 or 15 minutes.")
	StartedAtRequired = kind("started_at_required", "Enter when the work started.")
	EntryMinutesRange = kind("entry_minutes_range", "Enter between 1 minute and {hours} hours.")
	TimerCardRequired = kind("timer_card_required", "Choose the card to time.")
	TimerRunning      = kind("timer_running", "This timer is still running; leave its time until it is stopped.")
)

// Money.
var (
	CurrencyChoice = kind("currency_choice", "Choose one of the listed currencies.")
	RateRange      = kind("rate_range", "Enter an hourly rate from 0 to {max}.")
)

// Workshops.
var (
	WorkshopStep     = kind("workshop_step", "Move the workshop one step: draft, then held, then published.")
	WorkshopClient   = kind("workshop_client", "Choose the client the workshop is with.")
	WorkshopStartsAt = kind("workshop_starts_at", "Enter the date and time of the workshop.")
	WorkshopVersion  = kind("workshop_version", "Send the version of the workshop you changed.")
	AttendeesTooMany = kind("attendees_too_many", "Invite fewer attendees: the limit is {max}.")
	AttendeesPeople  = kind("attendees_people", "Choose staff members and this client's own people.")
	AgendaTooLong    = kind("agenda_too_long", "Remove some agenda points: the limit is {max}.")
	AgendaItemGone   = kind("agenda_item_gone", "This item is no longer on the agenda; reload the workshop.")
	LinesRequired    = kind("lines_required", "Choose at least one line to turn into a card.")
	LinesTooMany     = kind("lines_too_many", "Send fewer lines at once: the limit is {max}.")
	LineProject      = kind("line_project", "Choose one of the client's projects.")
	LinePlanChoice   = kind("line_plan", "Choose this week, the backlog or a client to-do.")
	StuckDaysRange   = kind("stuck_days_range", "Enter a number of working days from 1 to 30.")
)

// Time reports.
var (
	ReportGroupChoice = kind("report_group_choice", "Choose client, project, task, person or day.")
	PeriodOrder       = kind("period_order", "Choose an end date on or after the start date.")
	PeriodTooLong     = kind("period_too_long", "Choose a period of at most {days} days.")
)

// Month-end statements.
var (
	EntryLocked      = kind("entry_locked", "This time is billed on issued statement {number} and can no longer change; write a new entry to correct it.")
	StatementIssued  = kind("statement_issued", "This statement is issued and can no longer change; open a new draft for time it misses.")
	StatementEntryIn = kind("statement_entry", "Choose an entry listed on this draft.")
)

// Hour packages.
var (
	PackageKindChoice    = kind("package_kind", "Choose a monthly retainer or a block of hours.")
	PackageHoursRange    = kind("package_hours_range", "Enter between 1 and {max} hours.")
	PackageRolloverBlock = kind("package_rollover_block", "Leave rollover off: only a monthly retainer carries unused hours over.")
	PackageStartRequired = kind("package_start_required", "Enter the day the package starts.")
)
