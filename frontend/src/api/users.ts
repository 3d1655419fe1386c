// /api/users (docs/API.md "Users").

import { request } from './client';
import type { Role, User } from './types';

export interface UserFilter {
  /** Only this client's users. */
  clientId?: number;
  /** Only agency staff (no client users). */
  staff?: boolean;
  signal?: AbortSignal;
}

/** Staff see staff and client users. The filters are served by the server
 * (server/api/users.go) but not yet listed in docs/API.md. */
export function listUsers(filter: UserFilter = {}): Promise<User[]> {
  return request<User[]>('/api/users', {
    query: { client_id: filter.clientId, staff: filter.staff || undefined },
    signal: filter.signal,
  });
}

export interface UserPatch {
  active?: boolean;
  role?: Role;
  name?: string;
}

/** Admin only. Deactivation ends every session of that user at once. */
export function updateUser(id: number, patch: UserPatch): Promise<User> {
  return request<User>(`/api/users/${id}`, { method: 'PATCH', body: patch });
}
