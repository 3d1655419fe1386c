// Who is signed in, as reactive state. The API client owns the token; this
// module mirrors the user and tells the app whether to show the login page.

import { logout as apiLogout, refresh } from '../api/auth';
import { ApiError, onSessionChange, setSession } from '../api/client';
import type { User } from '../api/types';
import { followUser } from '../i18n/follow';

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

class SessionState {
  status = $state<SessionStatus>('loading');
  user = $state<User | null>(null);
  /** Why the session could not be restored at start, when it was not simply
   * absent (network down, server unavailable). */
  restoreError = $state<ApiError | null>(null);
}

export const session = new SessionState();

onSessionChange((s) => {
  session.user = s?.user ?? null;
  session.status = s ? 'authenticated' : 'anonymous';
  if (s) session.restoreError = null;
  if (s)
    void followUser(s.user).then(
      (saved) => saved && updateUser(saved),
      () => {},
    );
});

// Other tabs of the same browser share the refresh cookie: when one signs
// out, the others end their in-memory session too.
const channel: BroadcastChannel | null =
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('doska-session');
channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (typeof e.data === 'object' && e.data !== null && (e.data as { type?: unknown }).type === 'logout') {
    if (session.status === 'authenticated') setSession(null);
  }
});

/** On app start: trade the refresh cookie for an access token. */
export async function restoreSession(): Promise<void> {
  try {
    await refresh();
  } catch (err) {
    if (err instanceof ApiError && err.status !== 401 && err.status !== 403) session.restoreError = err;
    session.user = null;
    session.status = 'anonymous';
  }
}

export async function logout(): Promise<void> {
  try {
    await apiLogout();
  } catch {
    // The local session is over either way (apiLogout clears it).
  }
  channel?.postMessage({ type: 'logout' });
}

/** After the user changed their own profile. */
export function updateUser(user: User): void {
  session.user = user;
}
