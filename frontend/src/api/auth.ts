// /api/auth/* and /api/me (docs/API.md "Auth").

import { refreshSession, request, setSession } from './client';
import type { Locale } from '../i18n/locale.svelte';
import type { Session, User } from './types';

/** Signs in; the server sets the refresh cookie and we keep the access token. */
export async function login(email: string, password: string): Promise<Session> {
  const session = await request<Session>('/api/auth/login', {
    method: 'POST',
    body: { email, password },
    auth: false,
  });
  setSession(session);
  return session;
}

/** Restores or renews the session from the refresh cookie. */
export const refresh = refreshSession;

/** Revokes the refresh family and clears the cookie. The local session ends
 * even when the server cannot be reached. */
export async function logout(): Promise<void> {
  try {
    await request<void>('/api/auth/logout', { method: 'POST', body: {}, auth: false });
  } finally {
    setSession(null);
  }
}

export function me(signal?: AbortSignal): Promise<User> {
  return request<User>('/api/me', { signal });
}

export function updateMe(patch: { name?: string; locale?: Locale }): Promise<User> {
  return request<User>('/api/me', { method: 'PATCH', body: patch });
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
  end_other_sessions: boolean;
}

/** Answers with a new session: ending other sessions invalidates every
 * earlier access token, this tab's included, so the new one is installed. */
export async function changePassword(change: PasswordChange): Promise<Session> {
  const session = await request<Session>('/api/me/password', { method: 'POST', body: change });
  setSession(session);
  return session;
}
