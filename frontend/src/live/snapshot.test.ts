import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { BoardEvent, Seqs } from '../api/types';
import { LiveSnapshot, type Follows, type SnapshotSpec } from './snapshot.svelte';
import type { LiveHandler } from './subscriptions';

// The socket, played by the test: who follows which project from where.
class FakeLive implements Follows {
  follows = new Map<number, { seq: number; handler: LiveHandler }>();
  watchers = new Set<() => void>();
  subscribe(id: number, seq: number, handler: LiveHandler): () => void {
    this.follows.set(id, { seq, handler });
    return () => {
      if (this.follows.get(id)?.handler === handler) this.follows.delete(id);
    };
  }
  watchProjects(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }
  tell(id: number, m: Parameters<LiveHandler>[0]): void {
    this.follows.get(id)!.handler(m);
  }
  seqs(): Seqs {
    return Object.fromEntries([...this.follows].map(([id, f]) => [id, f.seq]));
  }
}

function event(projectId: number, seq: number): BoardEvent {
  return {
    project_id: projectId,
    seq,
    kind: 'task.moved',
    actor_id: 1,
    actor_name: 'Pat',
    task_id: 9,
    created_at: '',
    data: {},
  } as BoardEvent;
}

/** A view whose snapshots are the event numbers it follows. */
function setup(more: Partial<SnapshotSpec<Seqs>> = {}) {
  const client = new FakeLive();
  const server = { seqs: { '1': 5, '2': 7 } as Seqs, reads: 0, fail: null as ApiError | null };
  const shown: Seqs[] = [];
  const spec: SnapshotSpec<Seqs> = {
    read: async () => {
      server.reads++;
      if (server.fail) throw server.fail;
      return { ...server.seqs };
    },
    show: (seqs) => {
      shown.push(seqs);
      snapshot.follow(seqs);
    },
    event: vi.fn(),
    revoked: vi.fn(),
    failed: vi.fn(),
    ...more,
  };
  const snapshot = new LiveSnapshot(client, spec);
  return { client, server, shown, spec, snapshot };
}

describe('LiveSnapshot', () => {
  it('shows the snapshot, then follows each project from its number', async () => {
    const { client, snapshot, shown } = setup();
    expect(snapshot.phase).toBe('loading');
    await snapshot.start();
    expect(snapshot.phase).toBe('ready');
    expect(shown).toHaveLength(1);
    expect(client.seqs()).toEqual({ 1: 5, 2: 7 });
  });

  it('passes events on with their project', async () => {
    const { client, snapshot, spec } = setup();
    await snapshot.start();
    client.tell(2, { type: 'event', event: event(2, 8) });
    expect(spec.event).toHaveBeenCalledWith(2, event(2, 8));
  });

  it('follows exactly the projects of the newest snapshot', async () => {
    const { client, server, snapshot } = setup();
    await snapshot.start();
    server.seqs = { '2': 9, '3': 1 };
    await snapshot.load();
    expect(client.seqs()).toEqual({ 2: 9, 3: 1 });
  });

  it('leaves projects followed already where they are when asked to', async () => {
    const { client, snapshot } = setup();
    await snapshot.start();
    snapshot.follow({ '1': 2, '2': 30, '4': 1 }, { refollow: false });
    expect(client.seqs()).toEqual({ 1: 5, 2: 7, 4: 1 });
  });

  it('reads the snapshot again on resync and follows the project from the new number', async () => {
    const { client, server, snapshot } = setup();
    await snapshot.start();
    server.seqs = { '1': 1200, '2': 7 };
    client.tell(1, { type: 'resync' });
    expect(client.follows.has(1)).toBe(false); // not followed from the old number meanwhile
    await vi.waitFor(() => expect(server.reads).toBe(2));
    await vi.waitFor(() => expect(client.seqs()).toEqual({ 1: 1200, 2: 7 }));
  });

  it('lets a view decide what a resync costs', async () => {
    const resync = vi.fn();
    const { client, server, snapshot } = setup({ resync });
    await snapshot.start();
    client.tell(1, { type: 'resync' });
    expect(resync).toHaveBeenCalledWith(1);
    expect(client.follows.has(1)).toBe(false);
    expect(server.reads).toBe(1);
  });

  it('lets go of a revoked project and tells the view', async () => {
    const { client, server, snapshot, spec } = setup();
    await snapshot.start();
    client.tell(2, { type: 'revoked' });
    expect(spec.revoked).toHaveBeenCalledWith(2);
    expect(client.seqs()).toEqual({ 1: 5 });
    expect(server.reads).toBe(1);
  });

  it('shows only the newest of two reads', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let n = 0;
    const { snapshot, shown } = setup({
      read: async () => {
        const mine = ++n;
        if (mine === 1) await gate;
        return { '1': mine };
      },
    });
    const first = snapshot.start();
    await snapshot.load();
    release();
    await first;
    expect(shown).toEqual([{ '1': 2 }]);
  });

  it('says the first read failed, and a later failure keeps the snapshot shown', async () => {
    const { server, snapshot, spec } = setup();
    server.fail = new ApiError({ status: 503, code: 'unavailable', message: 'Try again later' });
    await snapshot.start();
    expect(snapshot.phase).toBe('error');
    expect(snapshot.error?.status).toBe(503);
    expect(spec.failed).not.toHaveBeenCalled();

    server.fail = null;
    await snapshot.load();
    expect(snapshot.phase).toBe('ready');
    expect(snapshot.error).toBeNull();

    server.fail = new ApiError({ status: 500, code: 'internal', message: 'Boom' });
    await snapshot.load();
    expect(snapshot.phase).toBe('ready');
    expect(spec.failed).toHaveBeenCalledWith(server.fail);
  });

  it('hears when the visible projects change, and stops everything on stop', async () => {
    const projectsChanged = vi.fn();
    const { client, snapshot } = setup({ projectsChanged });
    await snapshot.start();
    for (const fn of client.watchers) fn();
    expect(projectsChanged).toHaveBeenCalledOnce();
    snapshot.stop();
    expect(client.watchers.size).toBe(0);
    expect(client.follows.size).toBe(0);
  });
});
