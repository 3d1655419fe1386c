import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { BoardEvent, Session } from '../api/types';
import { backoffDelay } from './backoff';
import { LINGER_MS, LiveClient, REFRESH_AHEAD_MS } from './client.svelte';
import { parseFrame } from './protocol';
import { Subscriptions, handlersByProject, type LiveMessage } from './subscriptions';

function event(projectId: number, seq: number): BoardEvent {
  return {
    project_id: projectId,
    seq,
    kind: 'comment.created',
    actor_id: 1,
    actor_name: 'Pat Morgan',
    task_id: 9,
    created_at: '2026-11-23T12:00:00Z',
    data: { task_id: 9, comment_id: seq, author_id: 1, internal: false, comment_count: seq },
  };
}

describe('backoffDelay', () => {
  it('tries again within half a second, then from 1–2 s doubling, and never waits more than 30 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 0.999)).toBe(500);
    expect(backoffDelay(1, () => 0)).toBe(1000);
    expect(backoffDelay(1, () => 0.999)).toBe(1999);
    expect(backoffDelay(2, () => 0)).toBe(2000);
    expect(backoffDelay(4, () => 0.5)).toBe(12000);
    for (let a = 0; a < 40; a++) {
      expect(backoffDelay(a, () => 0.9999)).toBeLessThanOrEqual(30000);
    }
    expect(backoffDelay(11, () => 0)).toBe(15000);
  });
});

describe('parseFrame', () => {
  it('reads the server frames', () => {
    expect(parseFrame('{"type":"hello","user_id":3}')).toEqual({ type: 'hello', user_id: 3 });
    expect(parseFrame('{"type":"subscribed","project_id":12,"seq":345}')).toEqual({
      type: 'subscribed',
      project_id: 12,
      seq: 345,
    });
    expect(parseFrame('{"type":"resync","project_id":12}')).toEqual({ type: 'resync', project_id: 12 });
    expect(parseFrame('{"type":"revoked","project_id":12}')).toEqual({ type: 'revoked', project_id: 12 });
    expect(parseFrame('{"type":"notification"}')).toEqual({ type: 'notification' });
    expect(parseFrame('{"type":"sprint","week":"2026-W48"}')).toEqual({ type: 'sprint', week: '2026-W48' });
    expect(parseFrame('{"type":"projects"}')).toEqual({ type: 'projects' });
    const ev = event(12, 4);
    expect(parseFrame(JSON.stringify({ type: 'event', event: ev }))).toEqual({ type: 'event', event: ev });
  });

  it('ignores what it does not understand', () => {
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('[1,2]')).toBeNull();
    expect(parseFrame('{"type":"party"}')).toBeNull();
    expect(parseFrame('{"type":"event","event":{"project_id":"12","seq":1,"kind":"x","data":{}}}')).toBeNull();
    expect(parseFrame('{"type":"resync"}')).toBeNull();
    expect(parseFrame('{"type":"sprint"}')).toBeNull();
    expect(parseFrame('{"type":"sprint","week":"next"}')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});

describe('Subscriptions', () => {
  it('applies each event once, in order, and drops replayed duplicates', () => {
    const subs = new Subscriptions();
    const got: number[] = [];
    subs.add(12, 3, (m) => m.type === 'event' && got.push(m.event.seq));
    for (const seq of [2, 3, 4, 5, 4, 5, 6]) subs.dispatch({ type: 'event', event: event(12, seq) });
    expect(got).toEqual([4, 5, 6]);
    expect(subs.positions()).toEqual({ '12': 6 });
  });

  it('ignores events of projects nobody follows', () => {
    const subs = new Subscriptions();
    const handler = vi.fn();
    subs.add(12, 0, handler);
    subs.dispatch({ type: 'event', event: event(15, 1) });
    expect(handler).not.toHaveBeenCalled();
  });

  it('jumps to the number of a completed replay', () => {
    const subs = new Subscriptions();
    subs.add(12, 3, () => {});
    subs.dispatch({ type: 'subscribed', project_id: 12, seq: 9 });
    expect(subs.positions()).toEqual({ '12': 9 });
    subs.dispatch({ type: 'subscribed', project_id: 12, seq: 5 });
    expect(subs.positions()).toEqual({ '12': 9 });
  });

  it('passes resync on and forgets a revoked project', () => {
    const subs = new Subscriptions();
    const got: LiveMessage[] = [];
    subs.add(12, 3, (m) => got.push(m));
    subs.dispatch({ type: 'resync', project_id: 12 });
    subs.dispatch({ type: 'revoked', project_id: 12 });
    subs.dispatch({ type: 'event', event: event(12, 4) });
    expect(got).toEqual([{ type: 'resync' }, { type: 'revoked' }]);
    expect(subs.size).toBe(0);
  });

  it('lets only the current view end a subscription', () => {
    const subs = new Subscriptions();
    const first = () => {};
    const second = () => {};
    subs.add(12, 1, first);
    subs.add(12, 7, second);
    expect(subs.remove(12, first)).toBe(false);
    expect(subs.positions()).toEqual({ '12': 7 });
    expect(subs.remove(12, second)).toBe(true);
  });
});

// A stand-in for the browser's WebSocket that records what is sent and
// lets the test play the server.
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  // The server's side.
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function session(token: string, expiresAt: number): Session {
  return {
    access_token: token,
    expires_at: new Date(expiresAt).toISOString(),
    user: {
      id: 3,
      email: 'dev1@example.com',
      name: 'Dana Lee',
      role: 'developer',
      client_id: null,
      active: true,
      weekly_capacity_minutes: 2400,
      created_at: '',
    },
  };
}

describe('LiveClient', () => {
  let token: string | null;
  let expiry: number | null;
  let listeners: ((s: Session | null) => void)[];
  let refresh: ReturnType<typeof vi.fn<() => Promise<unknown>>>;
  let client: LiveClient;

  const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;
  const setSession = (s: Session | null) => {
    token = s?.access_token ?? null;
    expiry = s ? Date.parse(s.expires_at) : null;
    for (const fn of listeners) fn(s);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-11-23T12:00:00Z'));
    FakeSocket.all = [];
    token = 't1';
    expiry = Date.now() + 10 * 60_000;
    listeners = [];
    refresh = vi.fn(async () => setSession(session('t2', Date.now() + 10 * 60_000)));
    client = new LiveClient({
      url: () => 'ws://doska.test/api/ws',
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      token: () => token,
      expiry: () => expiry,
      refresh,
      onSessionChange: (fn) => {
        listeners.push(fn);
        return () => {};
      },
      random: () => 0,
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on the first subscription and authenticates with the first frame', () => {
    expect(FakeSocket.all).toHaveLength(0);
    client.subscribe(12, 340, () => {});
    expect(client.status).toBe('connecting');
    const ws = last();
    expect(ws.url).toBe('ws://doska.test/api/ws');
    ws.open();
    expect(ws.sent).toEqual([{ type: 'auth', token: 't1', projects: { '12': 340 } }]);
    ws.receive({ type: 'hello', user_id: 3 });
    expect(client.status).toBe('open');
    expect(client.down).toBe(false);
  });

  it('subscribes and unsubscribes later views on the open socket', () => {
    client.subscribe(12, 340, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    const stop = client.subscribe(15, 0, () => {});
    stop();
    expect(ws.sent.slice(1)).toEqual([
      { type: 'subscribe', projects: { '15': 0 } },
      { type: 'unsubscribe', projects: [15] },
    ]);
  });

  it('lets a view that read a snapshot again at the number it is at go on as it is', () => {
    const seen: number[] = [];
    const handler = handlersByProject((_, m) => m.type === 'event' && seen.push(m.event.seq));
    expect(handler(12)).toBe(handler(12));
    client.subscribe(12, 3, handler(12));
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.receive({ type: 'event', event: event(12, 4) });
    client.subscribe(12, 4, handler(12)); // the same view, at the same number: nothing to send
    client.subscribe(12, 2, handler(12)); // an older snapshot: replay from its number
    const stop = client.subscribe(12, 2, () => {}); // another view takes the project over
    expect(ws.sent.slice(1)).toEqual([
      { type: 'subscribe', projects: { '12': 2 } },
      { type: 'subscribe', projects: { '12': 2 } },
    ]);
    stop();
    expect(seen).toEqual([4]);
  });

  it('reconnects with backoff after a drop and resumes from the last applied event', () => {
    const got: number[] = [];
    client.subscribe(12, 340, (m) => m.type === 'event' && got.push(m.event.seq));
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.receive({ type: 'event', event: event(12, 341) });
    ws.drop(1001);
    expect(client.status).toBe('down');
    expect(client.down).toBe(true);

    vi.advanceTimersByTime(249);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const again = last();
    expect(FakeSocket.all).toHaveLength(2);
    again.drop(1006); // the server is still away: wait longer
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const third = last();
    third.open();
    expect(third.sent).toEqual([{ type: 'auth', token: 't1', projects: { '12': 341 } }]);
    third.receive({ type: 'event', event: event(12, 341) }); // replayed twice: applied once
    third.receive({ type: 'event', event: event(12, 342) });
    third.receive({ type: 'hello', user_id: 3 });
    expect(client.status).toBe('open');
    expect(got).toEqual([341, 342]);
  });

  it('refreshes the token a minute before it expires and sends reauth', async () => {
    client.subscribe(12, 0, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    vi.advanceTimersByTime(10 * 60_000 - REFRESH_AHEAD_MS - 1);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.runOnlyPendingTimersAsync();
    expect(ws.sent).toContainEqual({ type: 'reauth', token: 't2' });
  });

  it('passes a token renewed elsewhere (an API call) to the socket', () => {
    client.subscribe(12, 0, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    setSession(session('t9', Date.now() + 10 * 60_000));
    expect(ws.sent[1]).toEqual({ type: 'reauth', token: 't9' });
  });

  it('on 4401 refreshes first, then reconnects with the new token', async () => {
    client.subscribe(12, 5, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.drop(4401);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    last().open();
    expect(last().sent[0]).toEqual({ type: 'auth', token: 't2', projects: { '12': 5 } });
  });

  it('stops when the session is over', async () => {
    refresh.mockImplementation(async () => {
      setSession(null);
      throw new ApiError({ status: 401, code: 'unauthenticated', message: 'please sign in' });
    });
    client.subscribe(12, 5, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.drop(4401);
    await vi.waitFor(() => expect(client.status).toBe('idle'));
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('closes an unused socket after lingering', () => {
    const stop = client.subscribe(12, 0, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    stop();
    vi.advanceTimersByTime(LINGER_MS - 1);
    expect(ws.closedWith).toBeUndefined();
    client.subscribe(15, 0, () => {}); // another board opened meanwhile: keep it
    vi.advanceTimersByTime(LINGER_MS);
    expect(ws.closedWith).toBeUndefined();
  });

  it('closes the socket when nothing is followed any more', () => {
    const stop = client.subscribe(12, 0, () => {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    stop();
    vi.advanceTimersByTime(LINGER_MS);
    expect(ws.closedWith).toBe(1000);
    expect(client.status).toBe('idle');
  });

  it('tells the view to reload on resync', () => {
    const got: LiveMessage[] = [];
    client.subscribe(12, 0, (m) => got.push(m));
    const ws = last();
    ws.open();
    ws.receive({ type: 'resync', project_id: 12 });
    expect(got).toEqual([{ type: 'resync' }]);
  });

  it('keeps a socket for the bell alone and rings it on notifications and (re)connects', () => {
    const cues: string[] = [];
    const stop = client.onNotification((cue) => cues.push(cue));
    const ws = last();
    ws.open();
    expect(ws.sent).toEqual([{ type: 'auth', token: 't1', projects: {} }]);
    ws.receive({ type: 'hello', user_id: 3 });
    ws.receive({ type: 'notification' });
    expect(cues).toEqual(['connected', 'notification']);

    // A board opened and closed meanwhile does not take the socket away.
    const unfollow = client.subscribe(12, 0, () => {});
    unfollow();
    vi.advanceTimersByTime(LINGER_MS);
    expect(ws.closedWith).toBeUndefined();

    ws.drop(1006);
    vi.advanceTimersByTime(1000);
    const again = last();
    again.open();
    again.receive({ type: 'hello', user_id: 3 });
    expect(cues).toEqual(['connected', 'notification', 'connected']);

    stop();
    vi.advanceTimersByTime(LINGER_MS);
    expect(again.closedWith).toBe(1000);
    expect(client.status).toBe('idle');
  });

  it('tells week views about sprint frames, and each time the socket is up', () => {
    const got: unknown[] = [];
    const events: number[] = [];
    client.subscribe(12, 0, (m) => m.type === 'event' && events.push(m.event.seq));
    const stop = client.watchWeeks((m) => got.push(m));
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.receive({ type: 'sprint', week: '2026-W48' });
    ws.receive({ type: 'event', event: event(12, 1) });
    expect(got).toEqual([{ type: 'connected' }, { type: 'sprint', week: '2026-W48' }]);
    expect(events).toEqual([1]);

    ws.drop(1006);
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({ type: 'hello', user_id: 3 });
    expect(got).toHaveLength(3);
    expect(got[2]).toEqual({ type: 'connected' });

    stop();
    last().receive({ type: 'sprint', week: '2026-W49' });
    expect(got).toHaveLength(3);
  });

  it("tells an open balance when its client's time changes, and after a reconnect", () => {
    const got: (number | null)[] = [];
    client.subscribe(12, 0, () => {});
    const stop = client.watchBalance((id) => got.push(id));
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    ws.receive({ type: 'balance', client_id: 7 });
    ws.receive({ type: 'balance', client_id: 'x' });
    expect(got).toEqual([7]);

    ws.drop(1006);
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({ type: 'hello', user_id: 3 });
    expect(got).toEqual([7, null]);

    stop();
    last().receive({ type: 'balance', client_id: 7 });
    expect(got).toEqual([7, null]);
  });

  it('tells lists across projects when the projects change, and after a reconnect, not at the first hello', () => {
    let calls = 0;
    client.subscribe(12, 0, () => {});
    const stop = client.watchProjects(() => calls++);
    const ws = last();
    ws.open();
    ws.receive({ type: 'hello', user_id: 3 });
    expect(calls).toBe(0);
    ws.receive({ type: 'projects' });
    expect(calls).toBe(1);

    ws.drop(1006);
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({ type: 'hello', user_id: 3 });
    expect(calls).toBe(2);

    stop();
    last().receive({ type: 'projects' });
    expect(calls).toBe(2);
  });
});
