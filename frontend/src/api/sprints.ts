// Weekly sprints (docs/API.md "Weekly sprints (staff only)"). `week` is
// "2026-W48", a date in the week, or "current".

import { request } from './client';
import type { BacklogFilter, Card, ListedCard, Placement, Plan, SprintReport, User } from './types';

const weekPath = (week: string) => `/api/sprints/${encodeURIComponent(week)}`;

export function getPlan(week: string, signal?: AbortSignal): Promise<Plan> {
  return request<Plan>(weekPath(week), { signal });
}

/** Frozen once the week is closed; computed from the plan before. */
export function getReport(week: string, signal?: AbortSignal): Promise<SprintReport> {
  return request<SprintReport>(`${weekPath(week)}/report`, { signal });
}

/** Open tasks in no week, most pressing first. */
export function getBacklog(filter: BacklogFilter = {}, signal?: AbortSignal): Promise<ListedCard[]> {
  return request<ListedCard[]>('/api/backlog', { query: { ...filter }, signal });
}

/** Assigns and plans a task in the week at a place in the person's queue
 * (null: unassigned), or moves it within or between queues. A person who
 * is not on the card's project answers 422 with `fields.assignee_id`. */
export function planTask(
  week: string,
  id: number,
  version: number,
  assignee: number | null,
  placement: Placement = {},
): Promise<Card> {
  return request<Card>(`${weekPath(week)}/plan`, {
    method: 'POST',
    body: { task_id: id, version, assignee_id: assignee, ...placement },
    idempotent: true,
  });
}

/** Takes a task out of its week, back to the backlog. */
export function unplanTask(id: number, version: number): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/unplan`, { method: 'POST', body: { version }, idempotent: true });
}

/** This week's capacity of a person (minutes null: back to the default). */
export function setWeekCapacity(week: string, userId: number, minutes: number | null, note: string): Promise<void> {
  return request<void>(`${weekPath(week)}/capacity/${userId}`, { method: 'PUT', body: { minutes, note } });
}

/** A person's default weekly capacity. */
export function setDefaultCapacity(userId: number, minutes: number): Promise<User> {
  return request<User>(`/api/users/${userId}/capacity`, { method: 'PUT', body: { minutes } });
}

/** Freezes the report and moves unfinished tasks to the next week. */
export function closeWeek(week: string, version: number): Promise<SprintReport> {
  return request<SprintReport>(`${weekPath(week)}/close`, { method: 'POST', body: { version }, idempotent: true });
}
