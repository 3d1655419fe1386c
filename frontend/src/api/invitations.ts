// /api/invitations (docs/API.md "Invitations").

import { request, setSession } from './client';
import type { Invitation, InvitationInfo, Role, Session } from './types';

/** Pending invitations (manager, admin). */
export function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  return request<Invitation[]>('/api/invitations', { signal });
}

export interface NewInvitation {
  email: string;
  role: Role;
  client_id?: number;
}

/** The answer carries `url`, shown once. Only admins may invite admins. */
export function createInvitation(inv: NewInvitation): Promise<Invitation> {
  return request<Invitation>('/api/invitations', { method: 'POST', body: inv });
}

export function revokeInvitation(id: number): Promise<void> {
  return request<void>(`/api/invitations/${id}`, { method: 'DELETE' });
}

/** The token of an invitation link `/invite#<token>`. It travels in the
 * fragment, which browsers never send to a server, and is posted in a body. */
export function tokenFromHash(hash: string): string {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/** Public: who the invitation is for. 410 when used or expired, 404 unknown. */
export function lookupInvitation(token: string, signal?: AbortSignal): Promise<InvitationInfo> {
  return request<InvitationInfo>('/api/invitations/lookup', {
    method: 'POST',
    body: { token },
    signal,
    auth: false,
  });
}

export interface Acceptance {
  name: string;
  password: string;
  /** Only for the first-administrator set-up link, which has no e-mail. */
  email?: string;
}

/** Public: creates the account and signs in. */
export async function acceptInvitation(token: string, acceptance: Acceptance): Promise<Session> {
  const session = await request<Session>('/api/invitations/accept', {
    method: 'POST',
    body: { token, ...acceptance },
    auth: false,
  });
  setSession(session);
  return session;
}
