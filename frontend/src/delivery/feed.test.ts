import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardEvent } from '../api/types';
import type { LiveMessage } from '../live';

const server = vi.hoisted(() => ({
  seqs: {} as Record<string, number>,
  seqReads: 0,
  /** While set, reading the numbers waits for it. */
  gate: null as Promise<void> | null,
}));
const socket = vi.hoisted(() => ({
  follows: new Map<number, { seq: number; handler: (m: LiveMessage) => void }>(),
  projects: new Set<() => void>(),
}));

vi.mock('../api/delivery', () => ({
  getSeqs: vi.fn(async () => {
    server.seqReads++;
    const seqs = { ...server.seqs };
    await server.gate;
    return seqs;
  }),
}));
vi.mock('../live', () => ({
  live: {
    subscribe: (id: number, seq: number, handler: (m: LiveMessage) => void) => {
      socket.follows.set(id, { seq, handler });
      return () => socket.follows.delete(id);
    },
    watchProjects: (fn: () => void) => {
      socket.projects.add(fn);
      return () => socket.projects.delete(fn);
    },
  },
}));

const { LiveFeed } = await import('./feed.svelte');

function event(project: number, seq: number, kind: string): BoardEvent {
  return {
    project_id: project,
    seq,
    kind,
    actor_id: 2,
    actor_name: 'Pat',
    task_id: 1,
    created_at: '',
    data: {},
  } as BoardEvent;
}

describe('LiveFeed', () => {
  let reads = 0;
  let feed: InstanceType<typeof LiveFeed<number>>;

  beforeEach(async () => {
    vi.useFakeTimers();
    reads = 0;
    server.seqs = { '1': 5 };
    server.seqReads = 0;
    server.gate = null;
    socket.follows.clear();
    socket.projects.clear();
    feed = new LiveFeed<number>(async () => ++reads);
    await feed.start();
  });

  afterEach(() => {
    feed.stop();
    vi.useRealTimers();
  });

  it('reads the list with the event numbers and follows each project from them', () => {
    expect(feed.data).toBe(1);
    expect(socket.follows.get(1)?.seq).toBe(5);
  });

  it('reads the list again after a card changed, but not after a comment', async () => {
    socket.follows.get(1)!.handler({ type: 'event', event: event(1, 6, 'comment.created') });
    await vi.runAllTimersAsync();
    expect(reads).toBe(1);
    socket.follows.get(1)!.handler({ type: 'event', event: event(1, 7, 'task.moved') });
    await vi.runAllTimersAsync();
    expect(reads).toBe(2);
    expect(server.seqReads).toBe(1); // the numbers are only read again when needed
  });

  it('follows a project that was added, from fresh event numbers, once the projects change', async () => {
    server.seqs = { '1': 9, '4': 2 };
    for (const fn of socket.projects) fn();
    for (const fn of socket.projects) fn(); // a burst costs one read
    await vi.runAllTimersAsync();
    expect(reads).toBe(2);
    expect(server.seqReads).toBe(2);
    expect(socket.follows.get(4)?.seq).toBe(2);
    expect(socket.follows.get(1)?.seq).toBe(5); // already followed, from where it was

    feed.stop();
    expect(socket.projects.size).toBe(0);
    expect(socket.follows.size).toBe(0);
  });

  it('does not lose a doorbell that rings while the numbers are being read', async () => {
    let open: () => void = () => {};
    server.gate = new Promise<void>((resolve) => (open = resolve));
    server.seqs = { '1': 9, '4': 2 };
    for (const fn of socket.projects) fn();
    await vi.advanceTimersByTimeAsync(150); // the reload is reading the numbers
    expect(server.seqReads).toBe(2);
    server.seqs = { '1': 9, '4': 2, '6': 1 }; // another project, another doorbell
    for (const fn of socket.projects) fn();
    open();
    server.gate = null;
    await vi.runAllTimersAsync();
    expect(server.seqReads).toBe(3);
    expect(socket.follows.get(4)?.seq).toBe(2);
    expect(socket.follows.get(6)?.seq).toBe(1);
  });

  it('follows a project again from the numbers of the load that finished, not of one cut short', async () => {
    let openFirst: () => void = () => {};
    let openSecond: () => void = () => {};
    server.gate = new Promise<void>((resolve) => (openFirst = resolve));
    server.seqs = { '1': 50 };
    socket.follows.get(1)!.handler({ type: 'resync' }); // too far behind: read it all again
    await vi.advanceTimersByTimeAsync(150); // that load reads the numbers…
    server.gate = new Promise<void>((resolve) => (openSecond = resolve));
    const newer = feed.load(); // …when another one starts and cuts it short
    openFirst(); // the one cut short ends first
    await vi.advanceTimersByTimeAsync(0);
    openSecond();
    server.gate = null;
    await newer;
    await vi.runAllTimersAsync();
    expect(socket.follows.get(1)?.seq).toBe(50);
  });

  it('reads a list with SLA clocks again after a comment or an alert, and each minute', async () => {
    feed.stop();
    reads = 0;
    feed = new LiveFeed<number>(async () => ++reads, { clocks: true });
    await feed.start();
    expect(reads).toBe(1);
    socket.follows.get(1)!.handler({ type: 'event', event: event(1, 6, 'comment.created') });
    await vi.advanceTimersByTimeAsync(150);
    expect(reads).toBe(2);
    socket.follows.get(1)!.handler({ type: 'event', event: event(1, 7, 'sla.alert') });
    await vi.advanceTimersByTimeAsync(150);
    expect(reads).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(4);
    feed.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reads).toBe(4);
  });
});
