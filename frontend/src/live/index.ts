// The tab's live client, wired to the API client's session.

import { currentAccessExpiry, currentAccessToken, onSessionChange, refreshSession } from '../api/client';
import { LiveClient } from './client.svelte';

export type { NotificationCue } from './client.svelte';
export type { LiveMessage } from './subscriptions';
export { handlersByProject } from './subscriptions';
export type { WeekMessage } from './client.svelte';

export const live = new LiveClient({
  // Same origin; wss on an https page. The token goes in the first frame,
  // never in the URL, where it would land in access logs.
  url: () => `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/ws`,
  createSocket: (url) => new WebSocket(url),
  token: currentAccessToken,
  expiry: currentAccessExpiry,
  refresh: refreshSession,
  onSessionChange,
});

window.addEventListener('online', () => live.retryNow());
