import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { BoardEvent, Card, TaskDetail } from '../api/types';
import { BoardStore } from './board.svelte';
import { card } from './fixture';
import { setLocale } from '../i18n/locale.svelte';

// The conflict summary is the catalog's; the tests read it in English.
beforeAll(() => setLocale('en'));

// The server, played by the test: the card as it has it.
const server = vi.hoisted(() => ({ card: null as unknown as TaskDetail, patches: [] as unknown[] }));

vi.mock('../api/tasks', async (importOriginal) => {
  const conflict = (current: Card) =>
    new ApiError({ status: 409, code: 'conflict', message: 'changed', body: { current } });
  return {
    conflictCurrent: (await importOriginal<typeof import('../api/tasks')>()).conflictCurrent,
    getTaskByNumber: vi.fn(async (num: number) => {
      if (num !== server.card.number) throw new ApiError({ status: 404, code: 'not_found', message: 'no such card' });
      return structuredClone(server.card);
    }),
    getTask: vi.fn(async () => structuredClone(server.card)),
    updateTask: vi.fn(async (_id: number, version: number, patch: object) => {
      if (version !== server.card.version) throw conflict(server.card);
      server.patches.push(patch);
      server.card = { ...server.card, ...patch, version: version + 1 };
      return structuredClone(server.card);
    }),
    moveTask: vi.fn(async (_id: number, version: number, status: Card['status']) => {
      if (version !== server.card.version) throw conflict(server.card);
      server.card = { ...server.card, status, version: version + 1 };
      return structuredClone(server.card);
    }),
  };
});

const { PanelSession } = await import('./panel.svelte');

function detail(over: Partial<TaskDetail> = {}): TaskDetail {
  return {
    ...card({ id: 1 }),
    description: '',
    description_html: '',
    project_name: 'Shop',
    client_name: 'Acme',
    ...over,
  };
}

describe('PanelSession', () => {
  let store: BoardStore;
  let session: InstanceType<typeof PanelSession>;

  beforeEach(async () => {
    server.card = detail();
    server.patches = [];
    store = new BoardStore();
    store.load([server.card]);
    session = new PanelSession(store, 1, () => 'Dana Lee');
    expect(await session.load(101)).toBeNull();
  });

  it('reads the card, says when it does not exist, and hands over a card of another project', async () => {
    expect(session.detail?.id).toBe(1);
    await session.load(999);
    expect(session.notFound).toBe(true);
    server.card = detail({ project_id: 2 });
    expect((await session.load(101))?.project_id).toBe(2);
    expect(session.detail).toBeNull();
  });

  it('saves at the card’s version and shows the answer on the board too', async () => {
    expect(await session.saveField({ title: 'New' }, { title: 'Card 1' })).toBe(true);
    expect(session.detail?.title).toBe('New');
    expect(store.cards.get(1)?.version).toBe(2);
  });

  it('does not save over a field someone else changed meanwhile, and applies it again on request', async () => {
    session.apply(event({ ...server.card, title: 'Theirs', version: 2 }));
    server.card = { ...server.card, title: 'Theirs', version: 2 };
    expect(await session.saveField({ title: 'Mine' }, { title: 'Card 1' })).toBe(false);
    expect(server.patches).toEqual([]);
    expect(session.detail?.title).toBe('Theirs');
    expect(session.conflict?.summary).toContain('Mine');
    await session.retry();
    expect(server.card.title).toBe('Mine');
    expect(session.conflict).toBeNull();
  });

  it('shows the card as it is now after a 409 and keeps the change', async () => {
    server.card = { ...server.card, status: 'in_progress', version: 3 };
    expect(await session.save({ title: 'Mine' })).toBe(false);
    expect(session.detail?.status).toBe('in_progress');
    expect(store.cards.get(1)?.version).toBe(3);
    expect(session.conflict).not.toBeNull();
  });

  it('moves through the column’s questions, and leaves the card when the user cancels', async () => {
    await session.moveTo('approval', async () => false);
    expect(session.detail?.status).toBe('set');
    await session.moveTo('done', async (_card, _to, commit) => {
      await commit();
      return true;
    });
    expect(session.detail?.status).toBe('done');
    expect(store.cards.get(1)?.status).toBe('done');
  });

  it('counts live comments and activity for the lists', () => {
    const comment = {
      project_id: 1,
      seq: 2,
      kind: 'comment.created',
      actor_id: 2,
      actor_name: 'Pat',
      task_id: 1,
      created_at: '',
      data: { task_id: 1, comment_id: 5, author_id: 2, internal: false, comment_count: 4 },
    } as BoardEvent;
    session.apply(comment);
    expect(session.commentChanges).toBe(1);
    expect(session.activityChanges).toBe(1);
    expect(session.detail?.comment_count).toBe(4);
  });
});

function event(task: Card): BoardEvent {
  return {
    project_id: 1,
    seq: task.version,
    kind: 'task.updated',
    actor_id: 2,
    actor_name: 'Pat',
    task_id: task.id,
    created_at: '',
    data: { task },
  } as BoardEvent;
}
