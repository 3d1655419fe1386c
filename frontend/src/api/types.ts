// Wire types of the Doska HTTP API. The answers' types are generated from
// the Go types the server encodes (schema.ts, from docs/openapi.json: run
// `make types` after changing a Go wire type; `make check` fails until
// then). What is written by hand here: the names the screens use, the
// request bodies (docs/API.md) and the event union by kind.

import type {
  AttachmentEvent,
  CommentEvent,
  Event,
  EventKind,
  Kind,
  Priority,
  ProjectEvent,
  RespaceEvent,
  SlaAlert,
  TaskEvent,
} from './schema';
import { kindValues, priorityValues, roleValues, statusValues } from './schema';

export type {
  AgencySettings,
  Approval,
  ApprovalState,
  Attachment,
  Board,
  CarriedTask,
  Card,
  Client,
  ClientReport,
  Comment,
  FieldProblem,
  Home,
  Invitation,
  InvitationInfo,
  Kind,
  ListedCard,
  Load,
  Notification,
  NotificationKind,
  Notifications,
  PersonPlan,
  PersonReport,
  Plan,
  Priority,
  Project,
  ProjectMember,
  Role,
  SavedFilter,
  SearchHit,
  SearchPage,
  Session,
  SprintReport,
  Status,
  TaskDetail,
  TeamBoard,
  TeamPerson,
  TeamProject,
  TriageCard,
  User,
  Wait,
  WaitLists,
  WaitReason,
  WaitingCard,
} from './schema';
export type { Change as FieldChange } from './schema';
export type { TaskEvent as TaskEventData, CommentEvent as CommentEventData, RespaceEvent as RespaceEventData };

export const ROLES = roleValues;
/** The five columns, left to right. */
export const STATUSES = statusValues;
export const KINDS = kindValues;
export const PRIORITIES = priorityValues;

/** Clients and projects carry archived_at; PATCH takes `archived: bool`. */
export function isArchived(x: { archived_at: string | null }): boolean {
  return x.archived_at !== null;
}

// ---------------------------------------------------------------------------
// Events (docs/API.md "Boards and tasks"): `data` depends on `kind`.

export type TaskEventKind = Extract<EventKind, `task.${string}`>;
export type CommentEventKind = Extract<EventKind, `comment.${string}`>;
export type AttachmentEventKind = Extract<EventKind, `attachment.${string}`>;

type EventBase = Omit<Event, 'kind' | 'data'>;

/** One committed change: a task's history and the live updates. */
export type BoardEvent =
  | (EventBase & { kind: TaskEventKind; data: TaskEvent })
  | (EventBase & { kind: CommentEventKind; data: CommentEvent })
  | (EventBase & { kind: AttachmentEventKind; data: AttachmentEvent })
  | (EventBase & { kind: 'column.respaced'; data: RespaceEvent })
  | (EventBase & { kind: 'project.updated'; data: ProjectEvent })
  | (EventBase & { kind: 'sla.alert'; data: SlaAlert });

/** Project ID (as a JSON key) → its event number at the snapshot. */
export type Seqs = Record<string, number>;

// ---------------------------------------------------------------------------
// Request bodies.

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
  page_url?: string;
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

export interface BacklogFilter {
  client_id?: number;
  project_id?: number;
  priority?: Priority;
  kind?: Kind;
}
