// /api/workshops (docs/API.md "Workshops").

import { request } from './client';
import type { Kind, Priority, Workshop, WorkshopLink } from './schema';

export type { AgendaLeftOut, AgendaSource, Workshop, WorkshopCard, WorkshopItem, WorkshopLink } from './schema';

export type WorkshopState = 'draft' | 'held' | 'published';

/** Headers, the coming ones first; one client's with `clientId`. */
export function listWorkshops(opts: { clientId?: number; signal?: AbortSignal } = {}): Promise<Workshop[]> {
  return request<Workshop[]>('/api/workshops', { query: { client_id: opts.clientId }, signal: opts.signal });
}

export function getWorkshop(id: number, signal?: AbortSignal): Promise<Workshop> {
  return request<Workshop>(`/api/workshops/${id}`, { signal });
}

export function createWorkshop(body: {
  client_id: number;
  starts_at: string;
  attendees?: number[];
}): Promise<Workshop> {
  return request<Workshop>('/api/workshops', { method: 'POST', body });
}

export interface ItemInput {
  id?: number;
  title: string;
  notes: string;
  decision: string;
  internal: boolean;
}

export interface WorkshopPatch {
  version: number;
  starts_at?: string;
  notes?: string;
  internal_notes?: string;
  next_meeting?: string | null;
  state?: WorkshopState;
  items?: ItemInput[];
}

export function updateWorkshop(id: number, patch: WorkshopPatch): Promise<Workshop> {
  return request<Workshop>(`/api/workshops/${id}`, { method: 'PATCH', body: patch });
}

export function refreshAgenda(id: number, version: number): Promise<Workshop> {
  return request<Workshop>(`/api/workshops/${id}/refresh`, { method: 'POST', body: { version } });
}

export function proposeItem(id: number, title: string, notes = ''): Promise<Workshop> {
  return request<Workshop>(`/api/workshops/${id}/proposals`, { method: 'POST', body: { title, notes } });
}

export type LinePlan = 'week' | 'backlog' | 'client_todo';

export interface NoteLine {
  item_id: number | null;
  line: string;
  title: string;
  project_id: number;
  kind: Kind;
  priority: Priority;
  estimate_minutes: number | null;
  assignee_id: number | null;
  plan: LinePlan;
  question: string;
}

/** One batch, one transaction; resent with the same key if the answer is lost. */
export function convertLines(id: number, lines: NoteLine[]): Promise<Workshop> {
  return request<Workshop>(`/api/workshops/${id}/cards`, { method: 'POST', body: { lines }, idempotent: true });
}

export function taskWorkshop(taskId: number, signal?: AbortSignal): Promise<WorkshopLink> {
  return request<WorkshopLink>(`/api/tasks/${taskId}/workshop`, { signal });
}
