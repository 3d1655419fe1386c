// Wire types of the Doska HTTP API (docs/API.md). IDs are integers, times are
// RFC 3339 strings in UTC.

export type Role = 'admin' | 'manager' | 'developer' | 'client';

export const ROLES: readonly Role[] = ['admin', 'manager', 'developer', 'client'];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  client_id: number | null;
  /** Absent for staff. */
  client_name?: string;
  active: boolean;
  /** Default weekly capacity (staff); a week may override it. */
  weekly_capacity_minutes: number;
  created_at: string;
}

export interface Session {
  access_token: string;
  expires_at: string;
  user: User;
}

export interface Client {
  id: number;
  name: string;
  /** Null unless archived. */
  archived_at: string | null;
  created_at: string;
  /** Active projects the caller can see. */
  project_count: number;
}

export interface ProjectMember {
  id: number;
  name: string;
  role: Role;
}

export interface Project {
  id: number;
  client_id: number;
  client_name: string;
  name: string;
  description: string;
  /** Null unless archived. */
  archived_at: string | null;
  created_at: string;
  members: ProjectMember[];
}

/** Clients and projects carry archived_at; PATCH takes `archived: bool`. */
export function isArchived(x: { archived_at: string | null }): boolean {
  return x.archived_at !== null;
}

// docs/API.md does not spell out the Invitation object; these are the fields
// the server sends (models.Invitation). `url` is only present in the answer
// to POST /api/invitations: the link is shown once.
export interface Invitation {
  id: number;
  email: string;
  role: Role;
  client_id: number | null;
  /** Absent for staff invitations. */
  client_name?: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  url?: string;
}

/** Public information about an invitation token. `email` is empty for the
 * first-administrator set-up link, which then asks for an e-mail address;
 * `client_name` is empty unless the invitation is for a client user. */
export interface InvitationInfo {
  email: string;
  role: Role;
  client_name: string;
  expires_at: string;
}

// ---------------------------------------------------------------------------
// Boards and tasks (docs/API.md "Boards and tasks").

export type Status = 'set' | 'in_progress' | 'awaiting_reply' | 'approval' | 'done';
/** Where a change on staging stands with the client. */
export type ApprovalState = 'none' | 'pending' | 'approved' | 'changes_requested';
export type Kind = 'task' | 'bug' | 'question' | 'change';
export type Priority = 'normal' | 'urgent' | 'critical';

/** The five columns, left to right. */
export const STATUSES: readonly Status[] = ['set', 'in_progress', 'awaiting_reply', 'approval', 'done'];
export const KINDS: readonly Kind[] = ['task', 'bug', 'question', 'change'];
export const PRIORITIES: readonly Priority[] = ['normal', 'urgent', 'critical'];

/** A card as boards and live events carry it (no description). */
export interface Card {
  id: number;
  number: number;
  project_id: number;
  title: string;
  status: Status;
  /** Byte-ordered key within the column: compare with `<`, never localeCompare. */
  rank: string;
  kind: Kind;
  priority: Priority;
  assignee_id: number | null;
  reporter_id: number;
  /** Always null for client users. */
  estimate_minutes: number | null;
  /** "YYYY-MM-DD". */
  due_date: string | null;
  staging_url: string;
  labels: string[];
  version: number;
  status_changed_at: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  /** Client users count only public comments. */
  comment_count: number;
  // Client delivery: the change on staging and the client's approval.
  approval_state: ApprovalState;
  /** What the client should check on staging. */
  check_note: string;
  approved_by: number | null;
  /** The approver's name, for everyone who may see the card. */
  approved_by_name?: string;
  approved_at: string | null;
  /** A manager recorded the approval for the client, with a reason. */
  approval_on_behalf: boolean;
  approval_reason: string;
  /** The production deploy day the client chose, "YYYY-MM-DD". */
  deploy_on: string | null;
  deployed_at: string | null;
  // The weekly plan (staff only; null for client users): the week's
  // sprint (none = backlog), the place in the assignee's queue of that
  // week (byte-ordered like `rank`), and when it was put into the week.
  sprint_id: number | null;
  /** Absent when the card is in no week. */
  sprint_rank?: string;
  planned_at: string | null;
}

/** A card with its description, for the detail panel. */
export interface TaskDetail extends Card {
  description: string;
  /** Rendered and sanitized by the server for this reader. */
  description_html: string;
  project_name: string;
  client_name: string;
}

/** The editable fields; in a PATCH an absent field stays and null clears. */
export interface TaskFields {
  title?: string;
  description?: string;
  kind?: Kind;
  priority?: Priority;
  assignee_id?: number | null;
  estimate_minutes?: number | null;
  due_date?: string | null;
  staging_url?: string;
  labels?: string[];
}

/** Where a card goes in its column: right after after_id, else right
 * before before_id, else the top. */
export interface Placement {
  after_id?: number;
  before_id?: number;
}

/** What entering some columns needs: Awaiting reply a question for the
 * client (posted as a comment), Approval a staging link and optionally what
 * to check there. */
export interface ColumnInput {
  question?: string;
  staging_url?: string;
  check_note?: string;
}

export interface Board {
  project: Project;
  /** The project's event number at the snapshot: subscribe from here. */
  seq: number;
  tasks: Card[];
}

export interface TeamProject {
  id: number;
  name: string;
  client_name: string;
}

export interface TeamBoard {
  /** Project ID (as a JSON key) → its event number at the snapshot. */
  seqs: Record<string, number>;
  projects: TeamProject[];
  people: ProjectMember[];
  tasks: Card[];
}

export interface Comment {
  id: number;
  task_id: number;
  author_id: number;
  author_name: string;
  author_role: Role;
  body: string;
  /** Rendered and sanitized by the server for this reader. */
  body_html: string;
  internal: boolean;
  mentions: number[];
  created_at: string;
  edited_at: string | null;
}

export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface TaskEventData {
  task: Card;
  changes?: Record<string, FieldChange>;
  /** Why the card changed by itself: "client_answered" when a client's
   * comment moved it back to In progress. */
  reason?: string;
  /** How long it had waited for the client. */
  waited_seconds?: number;
}

export interface CommentEventData {
  task_id: number;
  comment_id: number;
  author_id: number;
  internal: boolean;
  comment_count: number;
}

export interface RespaceEventData {
  status: Status;
  /** Task ID (as a JSON key) → its new rank. */
  ranks: Record<string, string>;
}

interface EventBase {
  project_id: number;
  seq: number;
  actor_id: number | null;
  actor_name: string;
  task_id: number | null;
  created_at: string;
}

export type TaskEventKind =
  | 'task.created'
  | 'task.updated'
  | 'task.moved'
  | 'task.archived'
  | 'task.restored'
  | 'task.approved'
  | 'task.changes_requested'
  | 'task.deployed';
export type CommentEventKind = 'comment.created' | 'comment.updated' | 'comment.deleted';

/** One committed change: a task's history and the live updates. */
export type BoardEvent =
  | (EventBase & { kind: TaskEventKind; data: TaskEventData })
  | (EventBase & { kind: CommentEventKind; data: CommentEventData })
  | (EventBase & { kind: 'column.respaced'; data: RespaceEventData })
  | (EventBase & { kind: 'project.updated'; data: { project: Project } });

// ---------------------------------------------------------------------------
// Lists across projects (client delivery, weekly sprints).

/** A card in a list that spans projects, with where it belongs. */
export interface ListedCard extends Card {
  project_name: string;
  client_id: number;
  client_name: string;
}

/** Project ID (as a JSON key) → its event number at the snapshot. */
export type Seqs = Record<string, number>;

/** A client user's start page across their company's projects. */
export interface Home {
  needs_answer: ListedCard[];
  needs_approval: ListedCard[];
  /** In progress, and approved changes waiting to be deployed. */
  in_progress: ListedCard[];
  /** Done in the last 14 days. */
  recently_done: ListedCard[];
  /** Every visible project: follow them from here. */
  seqs: Seqs;
}

/** The answer to an approval: `warning` when the deploy day is outside
 * the deploy window. */
export interface Approval {
  task: Card;
  warning?: string;
}

export type NotificationKind =
  | 'question'
  | 'approval_request'
  | 'approved'
  | 'changes_requested'
  | 'mentioned'
  | 'assigned'
  | 'answered'
  | 'critical';

export interface Notification {
  id: number;
  kind: NotificationKind;
  task_id: number;
  task_number: number;
  task_title: string;
  project_id: number;
  project_name: string;
  actor_id: number | null;
  actor_name: string;
  created_at: string;
  read_at: string | null;
}

export interface Notifications {
  unread: number;
  /** The newest 50. */
  items: Notification[];
}

/** Agency-wide settings. */
export interface AgencySettings {
  /** Weekdays changes go to production: 0 = Sunday … 6 = Saturday. */
  deploy_days: number[];
  /** Share of every week kept free for urgent work, 0–90. */
  buffer_percent: number;
}

// Weekly sprints (docs/API.md "Weekly sprints (staff only)").

/** One person's week in minutes, as the server computes it
 * (models/sprint.go). The UI shows these numbers; it does not redo them. */
export interface Load {
  capacity_minutes: number;
  /** capacity × (1 − buffer %). */
  plannable_minutes: number;
  buffer_minutes: number;
  /** Estimates of normal tasks (and urgent ones planned before the week began). */
  planned_minutes: number;
  /** Urgent tasks planned after the week began and critical tasks: drawn on the buffer. */
  unplanned_minutes: number;
  buffer_free_minutes: number;
  /** Planned beyond plannable plus unplanned beyond the buffer. */
  over_minutes: number;
  done_minutes: number;
  /** Tasks without an estimate: counted here, never as zero. */
  unestimated: number;
  tasks: number;
  done_tasks: number;
  urgent: number;
  critical: number;
}

export interface PersonPlan extends ProjectMember {
  /** This week's capacity: the default, or the week's override. */
  capacity_minutes: number;
  /** Set (possibly empty) when this week's capacity is an override. */
  override_note: string | null;
  load: Load;
  /** The person's queue in execution order: the cards the reader can see. */
  tasks: ListedCard[];
  /** Cards of the person's in projects the reader cannot see: in the load,
   * not in the list. */
  hidden_tasks: number;
}

export interface Plan {
  /** "2026-W48". */
  week: string;
  /** "YYYY-MM-DD". */
  monday: string;
  /** Null while nothing was ever planned in the week. */
  sprint_id: number | null;
  closed: boolean;
  closed_at: string | null;
  /** Closing the week needs it. */
  version: number;
  buffer_percent: number;
  people: PersonPlan[];
  unassigned: ListedCard[];
  /** Project ID (as a JSON key) → its event number at the snapshot. */
  seqs: Record<string, number>;
}

export interface PersonReport extends ProjectMember {
  load: Load;
  carried_over: number;
}

export interface ClientReport {
  client_id: number;
  name: string;
  tasks: number;
  done_tasks: number;
  planned_minutes: number;
  done_minutes: number;
}

export interface CarriedTask {
  id: number;
  number: number;
  title: string;
  project_id: number;
  project_name: string;
  /** Empty when unassigned. */
  assignee: string;
}

export interface SprintReport {
  week: string;
  /** Frozen: the numbers as they were when the week was closed. */
  closed: boolean;
  closed_at: string | null;
  buffer_percent: number;
  people: PersonReport[];
  clients: ClientReport[];
  carried_over: CarriedTask[];
}

export interface BacklogFilter {
  client_id?: number;
  project_id?: number;
  priority?: Priority;
  kind?: Kind;
}
