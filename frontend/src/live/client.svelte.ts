// One websocket per tab: authenticates with its first frame, keeps the
// token fresh, resumes every followed project from its last applied event
// after a reconnect, tells the shell when it is down, and rings the
// notification bell.

import { ApiError } from '../api/client';
import type { Session } from '../api/types';
import { backoffDelay } from './backoff';
import {
  CLOSE_UNAUTHENTICATED,
  authFrame,
  parseFrame,
  reauthFrame,
  subscribeFrame,
  unsubscribeFrame,
} from './protocol';
import { Subscriptions, type LiveHandler } from './subscriptions';

/** What week views hear: a week's plan changed; or the socket is
 * connected (again), and such frames sent before may have been missed —
 * they are not replayed like project events: reload. */
export type WeekMessage = { type: 'sprint'; week: string } | { type: 'connected' };

export type WeekHandler = (message: WeekMessage) => void;

/** idle: nothing to follow or signed out; connecting: the first attempt;
 * open: authenticated and live; down: lost and trying again. */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'down';

/** What of the user's own may have changed: a notification arrived, their
 * timer or time entries changed, or the socket (re)connected and anything
 * sent while it was down was not heard. */
export type NotificationCue = 'notification' | 'time' | 'connected';
export type NotificationListener = (cue: NotificationCue) => void;

export interface LiveDeps {
  url: () => string;
  createSocket: (url: string) => WebSocket;
  /** The current access token and when it expires (ms since the epoch). */
  token: () => string | null;
  expiry: () => number | null;
  /** Renews the session; rejects with a 401/403 ApiError when it is over. */
  refresh: () => Promise<unknown>;
  onSessionChange: (fn: (session: Session | null) => void) => () => void;
  now?: () => number;
  random?: () => number;
}

const OPEN = 1;

type Timer = 'reconnect' | 'refresh' | 'linger';
/** Renew the token this long before it expires: the server closes the
 * socket (4401) at the expiry unless it got a reauth frame. */
export const REFRESH_AHEAD_MS = 60_000;
/** A failed early refresh is tried again after this long. */
const REFRESH_RETRY_MS = 15_000;
/** Keep an unused socket this long, so going from one board to another
 * does not cost a reconnect. */
export const LINGER_MS = 30_000;

export class LiveClient {
  status = $state<LiveStatus>('idle');

  #deps: LiveDeps;
  #subs = new Subscriptions();
  #bells = new Set<NotificationListener>();
  #weekHandlers = new Set<WeekHandler>();
  #projectWatchers = new Set<() => void>();
  #workshopWatchers = new Set<(workshopId: number | null) => void>();
  #balanceWatchers = new Set<(clientId: number | null) => void>();
  /** Whether a socket said hello before: the next hello is a reconnect. */
  #helloBefore = false;
  #socket: WebSocket | null = null;
  /** The auth frame went out on the current socket: later subscriptions
   * are sent as subscribe frames. */
  #authSent = false;
  #attempt = 0;
  /** A refresh after a 4401 is under way; it decides when to reconnect. */
  #reauthenticating = false;
  #timers = new Map<Timer, ReturnType<typeof setTimeout>>();

  constructor(deps: LiveDeps) {
    this.#deps = deps;
    deps.onSessionChange((session) => this.#sessionChanged(session));
  }

  /** True while the socket should be up and is not. */
  get down(): boolean {
    return this.status === 'down';
  }

  /** Follows a project from the event number of the snapshot the view
   * shows. Returns the function that stops following it. */
  subscribe(projectId: number, seq: number, handler: LiveHandler): () => void {
    const stop = () => {
      if (!this.#subs.remove(projectId, handler)) return;
      this.#send(unsubscribeFrame([projectId]));
      this.#lingerIfUnused();
    };
    // A view reading a snapshot again that is exactly where it is goes on
    // as it is: no frame, no replay.
    if (this.#subs.position(projectId, handler) === seq) return stop;
    this.#subs.add(projectId, seq, handler);
    this.#clearTimer('linger');
    if (!this.#send(subscribeFrame({ [String(projectId)]: seq }))) this.#ensure();
    return stop;
  }

  /** Calls `fn` when a notification arrives and whenever the socket is
   * (re)connected; keeps the socket up while anyone listens, even with no
   * project followed. Returns the function that stops listening. */
  onNotification(fn: NotificationListener): () => void {
    this.#bells.add(fn);
    this.#clearTimer('linger');
    this.#ensure();
    return () => {
      if (this.#bells.delete(fn)) this.#lingerIfUnused();
    };
  }

  /** Whether anything needs the socket: a followed project or a bell. */
  get #wanted(): boolean {
    return this.#subs.size > 0 || this.#bells.size > 0;
  }

  #lingerIfUnused(): void {
    if (this.#wanted) return;
    this.#setTimer('linger', LINGER_MS, () => {
      if (!this.#wanted) this.#stop();
    });
  }

  #ring(cue: NotificationCue): void {
    for (const fn of this.#bells) fn(cue);
  }

  /** Hears about changes of weekly plans (staff) while the socket is up
   * for the projects the view follows. Returns the function that stops. */
  watchWeeks(handler: WeekHandler): () => void {
    this.#weekHandlers.add(handler);
    return () => this.#weekHandlers.delete(handler);
  }

  #tellWeeks(message: WeekMessage): void {
    for (const fn of this.#weekHandlers) fn(message);
  }

  /** Calls `fn` when the projects the user may see changed, or may have
   * while the socket was away: lists across projects read themselves
   * again. Returns the function that stops. */
  watchProjects(fn: () => void): () => void {
    this.#projectWatchers.add(fn);
    return () => this.#projectWatchers.delete(fn);
  }

  #tellProjects(): void {
    for (const fn of this.#projectWatchers) fn();
  }

  /** Calls `fn` with a workshop's ID when it changed, and with null when
   * the socket is back (any workshop may have changed meanwhile). Returns
   * the function that stops. */
  watchWorkshops(fn: (workshopId: number | null) => void): () => void {
    this.#workshopWatchers.add(fn);
    return () => this.#workshopWatchers.delete(fn);
  }

  #tellWorkshops(workshopId: number | null): void {
    for (const fn of this.#workshopWatchers) fn(workshopId);
  }

  /** Calls `fn` with a client's ID when its balance changed, and with null
   * when the socket is back (any balance may have changed meanwhile).
   * Returns the function that stops. */
  watchBalance(fn: (clientId: number | null) => void): () => void {
    this.#balanceWatchers.add(fn);
    return () => this.#balanceWatchers.delete(fn);
  }

  #tellBalance(clientId: number | null): void {
    for (const fn of this.#balanceWatchers) fn(clientId);
  }

  /** Reconnects now instead of waiting (the browser is back online). */
  retryNow(): void {
    if (!this.#timers.has('reconnect')) return;
    this.#clearTimer('reconnect');
    this.#connect();
  }

  /** Sends on the authenticated socket. False when there is none yet: the
   * auth frame of the next socket carries every subscription. */
  #send(frame: string): boolean {
    const ws = this.#socket;
    if (!ws || !this.#authSent || ws.readyState !== OPEN) return false;
    ws.send(frame);
    return true;
  }

  #ensure(): void {
    if (this.#socket || this.#reauthenticating || this.#timers.has('reconnect')) return;
    if (!this.#wanted || !this.#deps.token()) return;
    this.#connect();
  }

  #connect(): void {
    const token = this.#deps.token();
    if (!token || !this.#wanted) {
      this.status = 'idle';
      return;
    }
    if (this.status !== 'down') this.status = 'connecting';
    let ws: WebSocket;
    try {
      ws = this.#deps.createSocket(this.#deps.url());
    } catch {
      this.#retryLater();
      return;
    }
    this.#socket = ws;
    this.#authSent = false;
    ws.onopen = () => {
      const current = this.#deps.token();
      if (!current) {
        ws.close();
        return;
      }
      ws.send(authFrame(current, this.#subs.positions()));
      this.#authSent = true;
    };
    ws.onmessage = (e: MessageEvent) => {
      const frame = parseFrame(e.data);
      if (!frame) return;
      if (frame.type === 'hello') {
        this.status = 'open';
        this.#attempt = 0;
        this.#scheduleRefresh();
        this.#ring('connected');
        this.#tellWeeks({ type: 'connected' });
        // A project added while the socket was away rang no bell here.
        if (this.#helloBefore) {
          this.#tellProjects();
          this.#tellWorkshops(null);
          this.#tellBalance(null);
        }
        this.#helloBefore = true;
        return;
      }
      if (frame.type === 'projects') {
        this.#tellProjects();
        return;
      }
      if (frame.type === 'workshop') {
        this.#tellWorkshops(frame.workshop_id);
        return;
      }
      if (frame.type === 'balance') {
        this.#tellBalance(frame.client_id);
        return;
      }
      if (frame.type === 'notification' || frame.type === 'time') {
        this.#ring(frame.type);
        return;
      }
      if (frame.type === 'sprint') this.#tellWeeks(frame);
      else this.#subs.dispatch(frame);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.#socket !== ws) return; // closed on purpose and replaced
      this.#socket = null;
      this.#authSent = false;
      this.#clearTimer('refresh');
      if (!this.#wanted) {
        this.status = 'idle';
        return;
      }
      if (e.code === CLOSE_UNAUTHENTICATED) this.#reauthenticate();
      else this.#retryLater();
    };
    // Every error is followed by a close event, which does the work.
    ws.onerror = () => {};
  }

  #retryLater(): void {
    this.status = 'down';
    this.#setTimer('reconnect', backoffDelay(this.#attempt++, this.#deps.random), () => this.#connect());
  }

  /** The server refused the token (expired, or the session changed): get a
   * new one, then connect again. If the session is over, the app goes to
   * the sign-in page through the session listeners, and so do we. */
  #reauthenticate(): void {
    this.status = 'down';
    this.#reauthenticating = true;
    const firstTry = this.#attempt === 0;
    const done = () => (this.#reauthenticating = false);
    this.#deps.refresh().then(
      () => {
        done();
        if (this.#socket || this.status === 'idle' || !this.#wanted) return;
        if (firstTry) {
          this.#attempt++;
          this.#connect();
        } else {
          this.#retryLater();
        }
      },
      (err: unknown) => {
        done();
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) this.#stop();
        else if (this.status !== 'idle') this.#retryLater();
      },
    );
  }

  /** Renews the token shortly before it expires while the socket is open;
   * the new session reaches the socket as a reauth frame. */
  #scheduleRefresh(): void {
    this.#clearTimer('refresh');
    const expiry = this.#deps.expiry();
    if (expiry === null) return;
    const now = this.#deps.now?.() ?? Date.now();
    const delay = Math.max(0, expiry - now - REFRESH_AHEAD_MS);
    this.#setTimer('refresh', delay, () => {
      this.#deps.refresh().catch((err: unknown) => {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return; // session over
        if (this.status === 'open') this.#setTimer('refresh', REFRESH_RETRY_MS, () => this.#scheduleRefresh());
      });
    });
  }

  #sessionChanged(session: Session | null): void {
    if (!session) {
      this.#stop();
      return;
    }
    if (this.#send(reauthFrame(session.access_token))) {
      if (this.status === 'open') this.#scheduleRefresh();
    } else {
      this.#ensure();
    }
  }

  /** Closes the socket on purpose and stops every timer. */
  #stop(): void {
    this.#clearTimer('reconnect');
    this.#clearTimer('refresh');
    this.#clearTimer('linger');
    const ws = this.#socket;
    this.#socket = null;
    this.#authSent = false;
    this.#attempt = 0;
    ws?.close(1000);
    this.status = 'idle';
  }

  #setTimer(name: Timer, delay: number, fn: () => void): void {
    this.#clearTimer(name);
    this.#timers.set(
      name,
      setTimeout(() => {
        this.#timers.delete(name);
        fn();
      }, delay),
    );
  }

  #clearTimer(name: Timer): void {
    const t = this.#timers.get(name);
    if (t === undefined) return;
    clearTimeout(t);
    this.#timers.delete(name);
  }
}
