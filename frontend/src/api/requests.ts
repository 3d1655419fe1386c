// Client requests (docs/API.md "Client requests"): the client's form, the
// PMs' triage inbox, escalation, and who waits for whom.

import { request } from './client';
import type { Card, TaskDetail, TriageCard, WaitLists } from './types';

/** The kinds a client chooses from, in the form's order. A critical bug
 * alerts people at once, so it needs `confirmed`. */
export const REQUEST_KINDS = ['question', 'bug', 'critical_bug', 'change', 'order'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface NewRequest {
  project_id: number;
  kind: RequestKind;
  title: string;
  description: string;
  page_url: string;
  confirmed: boolean;
  /** Files sent with uploadRequestFile while the form was open. */
  attachments: number[];
}

export function fileRequest(input: NewRequest): Promise<TaskDetail> {
  return request<TaskDetail>('/api/requests', { method: 'POST', body: input, idempotent: true });
}

/** Requests nobody picked up, most pressing first, then oldest (PMs). */
export function listTriage(signal?: AbortSignal): Promise<TriageCard[]> {
  return request<TriageCard[]>('/api/triage', { signal });
}

/** Hands a request to a developer of its project, with the reason. */
export function escalate(id: number, version: number, assigneeId: number, reason: string): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/escalate`, {
    method: 'POST',
    body: { version, assignee_id: assigneeId, reason },
    idempotent: true,
  });
}

/** What waits on the agency and what waits on the client (staff). */
export function listWaiting(signal?: AbortSignal): Promise<WaitLists> {
  return request<WaitLists>('/api/waiting', { signal });
}

/** Every open card of one client, by whose move it is (staff). */
export function clientOverview(clientId: number, signal?: AbortSignal): Promise<WaitLists> {
  return request<WaitLists>(`/api/clients/${clientId}/overview`, { signal });
}
