// Boards and tasks (docs/API.md "Boards and tasks").

import { ApiError, request } from './client';
import type {
  Board,
  BoardEvent,
  Card,
  ColumnInput,
  Placement,
  Status,
  TaskDetail,
  TaskFields,
  TeamBoard,
} from './types';

export function getBoard(projectId: number, signal?: AbortSignal): Promise<Board> {
  return request<Board>(`/api/projects/${projectId}/board`, { signal });
}

/** Archived cards of a project, newest first. */
export function listArchived(projectId: number, signal?: AbortSignal): Promise<Card[]> {
  return request<Card[]>(`/api/projects/${projectId}/archived`, { signal });
}

export interface NewTask extends TaskFields, Placement, Pick<ColumnInput, 'question' | 'check_note'> {
  title: string;
  /** Staff only; client users' requests always land in "set". */
  status?: Status;
}

export function createTask(projectId: number, task: NewTask): Promise<TaskDetail> {
  return request<TaskDetail>(`/api/projects/${projectId}/tasks`, { method: 'POST', body: task, idempotent: true });
}

export function getTask(id: number, signal?: AbortSignal): Promise<TaskDetail> {
  return request<TaskDetail>(`/api/tasks/${id}`, { signal });
}

/** For "/t/123" links. */
export function getTaskByNumber(num: number, signal?: AbortSignal): Promise<TaskDetail> {
  return request<TaskDetail>(`/api/tasks/by-number/${num}`, { signal });
}

/** Changes fields of the card at `version`; a stale version answers 409
 * with the current card (see conflictCurrent). */
export function updateTask(id: number, version: number, fields: TaskFields): Promise<TaskDetail> {
  return request<TaskDetail>(`/api/tasks/${id}`, { method: 'PATCH', body: { ...fields, version } });
}

/** Moves a card to a column at a place (the top without one), with what
 * the column needs (see ColumnInput). */
export function moveTask(
  id: number,
  version: number,
  status: Status,
  placement: Placement = {},
  input: ColumnInput = {},
): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/move`, {
    method: 'POST',
    body: { version, status, ...placement, ...input },
    idempotent: true,
  });
}

export function archiveTask(id: number, version: number): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/archive`, { method: 'POST', body: { version }, idempotent: true });
}

/** Puts an archived card back at the top of its column. */
export function restoreTask(id: number, version: number): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/restore`, { method: 'POST', body: { version }, idempotent: true });
}

/** The task's history, oldest first. */
export function getActivity(id: number, signal?: AbortSignal): Promise<BoardEvent[]> {
  return request<BoardEvent[]>(`/api/tasks/${id}/activity`, { signal });
}

export function getTeamBoard(signal?: AbortSignal): Promise<TeamBoard> {
  return request<TeamBoard>('/api/team-board', { signal });
}

/** The card as it is now, from a 409 answer to a versioned command. A
 * conflict about a neighbour that left the column carries no card. */
export function conflictCurrent(err: unknown): Card | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const body = err.body as { current?: unknown } | undefined;
  const current = body?.current;
  if (typeof current !== 'object' || current === null) return null;
  const card = current as Partial<Card>;
  return typeof card.id === 'number' && typeof card.version === 'number' ? (current as Card) : null;
}
