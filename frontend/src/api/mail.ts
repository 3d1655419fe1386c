// /api/auth/forgot, /api/auth/reset and /api/mail (docs/API.md "Mail").

import { request } from './client';
import type { MailPrefs, SentMailList } from './schema';

/** Asks for a reset link; the answer is the same whether the address has
 * an account or not. */
export function forgotPassword(email: string): Promise<void> {
  return request<void>('/api/auth/forgot', { method: 'POST', body: { email }, auth: false });
}

/** Sets a new password with the token of a reset link (410 when used or
 * expired). */
export function resetPassword(token: string, password: string): Promise<void> {
  return request<void>('/api/auth/reset', { method: 'POST', body: { token, password }, auth: false });
}

/** The Sent mail page (admins). */
export function sentMail(signal?: AbortSignal): Promise<SentMailList> {
  return request<SentMailList>('/api/mail', { signal });
}

/** The signed-in person's mail preferences. */
export function mailPrefs(signal?: AbortSignal): Promise<MailPrefs> {
  return request<MailPrefs>('/api/me/mail', { signal });
}

export function updateMailPrefs(prefs: { digest_hour?: number; modes?: Record<string, string> }): Promise<MailPrefs> {
  return request<MailPrefs>('/api/me/mail', { method: 'PUT', body: prefs });
}
