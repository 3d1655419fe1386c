// Client delivery: approvals, the deploy list, what waits for clients, the
// client's home, notifications and the agency settings (docs/API.md
// "Client delivery"). Moves to Awaiting reply and Approval go through
// moveTask with a ColumnInput.

import { request } from './client';
import type { AgencySettings, Approval, Card, Home, ListedCard, Notifications, Seqs } from './types';

export interface ApproveInput {
  version: number;
  /** The production deploy day, "YYYY-MM-DD". */
  deploy_on?: string;
  /** Required when a manager or admin approves on the client's behalf. */
  reason?: string;
}

export function approveTask(id: number, input: ApproveInput): Promise<Approval> {
  return request<Approval>(`/api/tasks/${id}/approve`, { method: 'POST', body: input, idempotent: true });
}

/** The client's comment is posted and the card goes back to In progress. */
export function requestChanges(id: number, version: number, comment: string): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/request-changes`, {
    method: 'POST',
    body: { version, comment },
    idempotent: true,
  });
}

/** An approved change reached production: the card moves to Done. */
export function markDeployed(id: number, version: number): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/deployed`, { method: 'POST', body: { version }, idempotent: true });
}

/** Changes waiting for approval (client users: their company's). */
export function listApprovals(signal?: AbortSignal): Promise<ListedCard[]> {
  return request<ListedCard[]>('/api/approvals', { signal });
}

/** Approved changes not yet deployed, by deploy day, those without last (staff). */
export function listDeploys(signal?: AbortSignal): Promise<ListedCard[]> {
  return request<ListedCard[]>('/api/deploys', { signal });
}

/** Every open project's current event number (GET /api/seqs). */
export function getSeqs(signal?: AbortSignal): Promise<Seqs> {
  return request<Seqs>('/api/seqs', { signal });
}

export function getHome(signal?: AbortSignal): Promise<Home> {
  return request<Home>('/api/home', { signal });
}

export function getNotifications(signal?: AbortSignal): Promise<Notifications> {
  return request<Notifications>('/api/notifications', { signal });
}

/** Marks the given notifications read, or all of them without IDs. */
export function markNotificationsRead(ids?: number[]): Promise<void> {
  return request<void>('/api/notifications/read', { method: 'POST', body: ids ? { ids } : {} });
}

export function getSettings(signal?: AbortSignal): Promise<AgencySettings> {
  return request<AgencySettings>('/api/settings', { signal });
}

/** Admins only. */
export function updateSettings(patch: Partial<AgencySettings>): Promise<AgencySettings> {
  return request<AgencySettings>('/api/settings', { method: 'PATCH', body: patch });
}
