import { describe, expect, it, vi } from 'vitest';
import type { BoardEvent, Card } from '../api/types';
import { BoardStore } from './board.svelte';
import { card } from './fixture';

function moved(task: Card, seq: number): BoardEvent {
  return {
    project_id: 1,
    seq,
    kind: 'task.moved',
    actor_id: 2,
    actor_name: 'Dana Lee',
    task_id: task.id,
    created_at: '',
    data: { task },
  };
}

describe('BoardStore', () => {
  it('groups the snapshot into columns', () => {
    const store = new BoardStore();
    store.load([card({ id: 1, rank: 'b' }), card({ id: 2, rank: 'a' }), card({ id: 3, status: 'done' })]);
    expect(store.columns.set.map((c) => c.id)).toEqual([2, 1]);
    expect(store.columns.done.map((c) => c.id)).toEqual([3]);
  });

  it('moves optimistically and takes the server answer after', () => {
    const store = new BoardStore();
    store.load([card({ id: 1, rank: 'a0' }), card({ id: 2, rank: 'a5' }), card({ id: 3, rank: 'b0', version: 2 })]);
    const before = store.moveLocally(3, 'set', { after_id: 1 })!;
    expect(store.columns.set.map((c) => c.id)).toEqual([1, 3, 2]);
    store.upsert({ ...before, rank: 'a2', version: 3 });
    expect(store.cards.get(3)?.rank).toBe('a2');
  });

  it('rolls a failed move back unless something newer arrived', () => {
    const store = new BoardStore();
    store.load([card({ id: 1, rank: 'a0' }), card({ id: 2, rank: 'a5' })]);
    const before = store.moveLocally(2, 'done', {})!;
    expect(store.cards.get(2)?.status).toBe('done');
    store.rollback(before);
    expect(store.cards.get(2)?.status).toBe('set');

    const again = store.moveLocally(2, 'done', {})!;
    store.apply(moved(card({ id: 2, status: 'approval', version: 2 }), 1));
    store.rollback(again);
    expect(store.cards.get(2)?.status).toBe('approval');
  });

  it('settles a conflict at the server state, even at the same version', () => {
    const store = new BoardStore();
    store.load([card({ id: 1, version: 4 })]);
    store.moveLocally(1, 'done', {});
    store.settle(card({ id: 1, version: 4, status: 'set' }));
    expect(store.cards.get(1)?.status).toBe('set');
    store.settle(card({ id: 1, version: 5, archived_at: '2026-11-23T12:00:00Z' }));
    expect(store.cards.has(1)).toBe(false);
  });

  it('holds changes during a drag and applies them at the drop', () => {
    const store = new BoardStore();
    store.load([card({ id: 1 })]);
    const heard = vi.fn();
    store.onTaskEvent(heard);
    store.hold();
    store.apply(moved(card({ id: 1, status: 'done', version: 2 }), 1));
    store.upsert(card({ id: 2 }));
    expect(store.cards.get(1)?.status).toBe('set');
    expect(store.cards.has(2)).toBe(false);
    expect(heard).toHaveBeenCalledTimes(1); // the panel hears at once
    store.release();
    expect(store.cards.get(1)?.status).toBe('done');
    expect(store.cards.has(2)).toBe(true);
  });

  it('removes archived cards from answers and updates the project', () => {
    const store = new BoardStore();
    const project = {
      id: 1,
      client_id: 1,
      client_name: 'Acme',
      name: 'Shop',
      description: '',
      archived_at: null,
      billable: true,
      created_at: '',
      members: [],
    };
    store.load([card({ id: 1 })], project);
    store.upsert(card({ id: 1, version: 2, archived_at: '2026-11-23T12:00:00Z' }));
    expect(store.cards.size).toBe(0);
    store.apply({
      project_id: 1,
      seq: 2,
      kind: 'project.updated',
      actor_id: 1,
      actor_name: '',
      task_id: null,
      created_at: '',
      data: { project: { ...project, name: 'Online shop' } },
    });
    expect(store.project?.name).toBe('Online shop');
  });
});
