// The frames of the live socket (docs/API.md "Live updates: GET /api/ws";
// server/live/protocol.go is the other side). Only src/live/ speaks them.

import type { BoardEvent } from '../api/types';

/** Project ID (as a JSON key) → the last event number the client has. */
export type Positions = Record<string, number>;

export type ServerFrame =
  | { type: 'hello'; user_id: number }
  | { type: 'event'; event: BoardEvent }
  | { type: 'subscribed'; project_id: number; seq: number }
  | { type: 'resync'; project_id: number }
  | { type: 'revoked'; project_id: number }
  /** The user got a notification: read GET /api/notifications. */
  | { type: 'notification' }
  /** The user's timer or time entries changed: read GET /api/timer. */
  | { type: 'time' }
  /** Staff: the plan of this week ("2026-W48") changed in a way task
   * events do not show (capacities, closing, queue order). */
  | { type: 'sprint'; week: string }
  /** The projects the user may see changed (added, archived, renamed,
   * other members): lists across projects read themselves again. */
  | { type: 'projects' }
  /** A workshop of the client changed: an open page reads it again. */
  | { type: 'workshop'; client_id: number; workshop_id: number }
  /** A client's hour packages or billable time changed: an open balance
   * reads itself again. */
  | { type: 'balance'; client_id: number }
  | { type: 'error'; message: string };

/** The close code that means "sign in again": refresh the token before
 * reconnecting. Every other close (1001 going away, 4408 too slow, 4400
 * unreadable frame, 4429 too many sockets, a network drop) is retried with
 * backoff as it is. */
export const CLOSE_UNAUTHENTICATED = 4401;

export function authFrame(token: string, projects: Positions): string {
  return JSON.stringify({ type: 'auth', token, projects });
}

export function reauthFrame(token: string): string {
  return JSON.stringify({ type: 'reauth', token });
}

export function subscribeFrame(projects: Positions): string {
  return JSON.stringify({ type: 'subscribe', projects });
}

export function unsubscribeFrame(projectIds: number[]): string {
  return JSON.stringify({ type: 'unsubscribe', projects: projectIds });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Reads a text frame from the server; anything malformed or unknown is
 * null and ignored, so a newer server cannot break an older tab. */
export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let f: unknown;
  try {
    f = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(f)) return null;
  switch (f.type) {
    case 'hello':
      return isId(f.user_id) ? { type: 'hello', user_id: f.user_id } : null;
    case 'event': {
      const ev = f.event;
      if (
        !isRecord(ev) ||
        !isId(ev.project_id) ||
        !isSeq(ev.seq) ||
        typeof ev.kind !== 'string' ||
        !isRecord(ev.data)
      ) {
        return null;
      }
      return { type: 'event', event: ev as unknown as BoardEvent };
    }
    case 'subscribed':
      return isId(f.project_id)
        ? { type: 'subscribed', project_id: f.project_id, seq: isSeq(f.seq) ? f.seq : 0 }
        : null;
    case 'resync':
    case 'revoked':
      return isId(f.project_id) ? { type: f.type, project_id: f.project_id } : null;
    case 'notification':
    case 'time':
    case 'projects':
      return { type: f.type };
    case 'workshop':
      return isId(f.client_id) && isId(f.workshop_id)
        ? { type: 'workshop', client_id: f.client_id, workshop_id: f.workshop_id }
        : null;
    case 'balance':
      return isId(f.client_id) ? { type: 'balance', client_id: f.client_id } : null;
    case 'sprint':
      return typeof f.week === 'string' && /^\d{4}-W\d{2}$/.test(f.week) ? { type: 'sprint', week: f.week } : null;
    case 'error':
      return { type: 'error', message: typeof f.message === 'string' ? f.message : '' };
    default:
      return null;
  }
}
