// /api/clients (docs/API.md "Clients and projects").

import { request } from './client';
import type { Client } from './types';

/** Every client for staff; client users get only their own. Archived
 * clients only with `archived: true` (server/api/clients.go; not yet in
 * docs/API.md). */
export function listClients(opts: { archived?: boolean; signal?: AbortSignal } = {}): Promise<Client[]> {
  return request<Client[]>('/api/clients', { query: { archived: opts.archived || undefined }, signal: opts.signal });
}

export function getClient(id: number, signal?: AbortSignal): Promise<Client> {
  return request<Client>(`/api/clients/${id}`, { signal });
}

export function createClient(name: string): Promise<Client> {
  return request<Client>('/api/clients', { method: 'POST', body: { name } });
}

export interface ClientPatch {
  name?: string;
  archived?: boolean;
}

export function updateClient(id: number, patch: ClientPatch): Promise<Client> {
  return request<Client>(`/api/clients/${id}`, { method: 'PATCH', body: patch });
}
