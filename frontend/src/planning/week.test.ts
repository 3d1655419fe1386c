import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardEvent, Card, ListedCard, Plan } from '../api/types';
import { card } from '../board/fixture';
import type { LiveMessage, WeekMessage } from '../live';
import { load } from './fixture';

// The server and the socket, played by the test.
const server = vi.hoisted(() => ({
  plan: null as unknown as Plan,
  backlog: [] as unknown[],
  planReads: 0,
  /** While set, reading the plan waits for it. */
  gate: null as Promise<void> | null,
}));
const socket = vi.hoisted(() => ({
  follows: new Map<number, { seq: number; handler: (m: LiveMessage) => void }>(),
  weeks: new Set<(m: WeekMessage) => void>(),
  projects: new Set<() => void>(),
}));

vi.mock('../api/sprints', () => ({
  getPlan: vi.fn(async () => {
    server.planReads++;
    const snapshot = structuredClone(server.plan);
    await server.gate;
    return snapshot;
  }),
  getBacklog: vi.fn(async () => structuredClone(server.backlog)),
}));
vi.mock('../api/projects', () => ({ listProjects: vi.fn(async () => []) }));
vi.mock('../live', async () => ({
  handlersByProject: (await import('../live/subscriptions')).handlersByProject,
  live: {
    subscribe: (id: number, seq: number, handler: (m: LiveMessage) => void) => {
      socket.follows.set(id, { seq, handler });
      return () => socket.follows.delete(id);
    },
    watchWeeks: (fn: (m: WeekMessage) => void) => {
      socket.weeks.add(fn);
      return () => socket.weeks.delete(fn);
    },
    watchProjects: (fn: () => void) => {
      socket.projects.add(fn);
      return () => socket.projects.delete(fn);
    },
  },
}));

const { WeekView } = await import('./week.svelte');

function listed(c: Card): ListedCard {
  return { ...c, project_name: 'Shop', client_id: 1, client_name: 'Acme' };
}

function plan(tasks: Card[], planned = 0): Plan {
  return {
    week: '2026-W49',
    monday: '2026-11-30',
    sprint_id: 7,
    closed: false,
    closed_at: null,
    version: 1,
    buffer_percent: 20,
    people: [
      {
        id: 3,
        name: 'Dana Lee',
        role: 'developer',
        capacity_minutes: 2400,
        override_note: null,
        load: load({ planned_minutes: planned }),
        tasks: tasks.map(listed),
        hidden_tasks: 0,
        spent_minutes: 0,
      },
    ],
    unassigned: [],
    seqs: { '1': 10 },
  };
}

function updated(task: Card, seq: number): BoardEvent {
  return {
    project_id: 1,
    seq,
    kind: 'task.updated',
    actor_id: 2,
    actor_name: 'Pat Morgan',
    task_id: task.id,
    created_at: '',
    data: { task },
  };
}

const queue = (view: InstanceType<typeof WeekView>) => (view.queues.get(3) ?? []).map((c) => `${c.id}@${c.version}`);

describe('WeekView', () => {
  let stop: () => void;
  let view: InstanceType<typeof WeekView>;
  const planned = (id: number, version = 1, rank = 'a') =>
    card({ id, version, sprint_id: 7, sprint_rank: rank, assignee_id: 3, planned_at: '2026-11-20T10:00:00Z' });

  beforeEach(async () => {
    vi.useFakeTimers();
    server.planReads = 0;
    server.plan = plan([planned(1)], 60);
    server.backlog = [listed(card({ id: 2 }))];
    socket.follows.clear();
    socket.weeks.clear();
    socket.projects.clear();
    view = new WeekView('2026-W49', () => ({}));
    stop = view.start();
    await vi.runAllTimersAsync();
  });

  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('shows the week and the backlog and follows the projects from the snapshot', () => {
    expect(view.phase).toBe('ready');
    expect(queue(view)).toEqual(['1@1']);
    expect(view.store.cards.get(2)?.sprint_id).toBeNull();
    expect(socket.follows.get(1)?.seq).toBe(10);
  });

  it('reads the plan again after a change in the week, keeping what is newer than the snapshot', async () => {
    // Dana's card moves on (version 2); the snapshot read meanwhile is older.
    socket.follows.get(1)!.handler({ type: 'event', event: updated({ ...planned(1, 2), title: 'Newer' }, 11) });
    expect(view.store.cards.get(1)?.title).toBe('Newer');
    server.plan = plan([planned(1, 1)], 120);
    await vi.runAllTimersAsync();
    expect(server.planReads).toBe(2);
    expect(view.plan?.people[0]?.load.planned_minutes).toBe(120);
    expect(view.store.cards.get(1)?.title).toBe('Newer');
    expect(view.store.cards.get(2)).toBeDefined(); // the backlog is not the plan's to drop
  });

  it('drops a card of the week that the new snapshot no longer has', async () => {
    server.plan = plan([]);
    for (const fn of socket.weeks) fn({ type: 'sprint', week: '2026-W49' });
    await vi.runAllTimersAsync();
    expect(queue(view)).toEqual([]);
  });

  it('ignores other weeks, and reads again when the socket is up', async () => {
    for (const fn of socket.weeks) fn({ type: 'sprint', week: '2026-W50' });
    await vi.runAllTimersAsync();
    expect(server.planReads).toBe(1);
    for (const fn of socket.weeks) fn({ type: 'connected' });
    await vi.runAllTimersAsync();
    expect(server.planReads).toBe(2);
  });

  it('reads the week again when the projects one may see change, and follows a new one', async () => {
    server.plan = { ...plan([planned(1)]), seqs: { '1': 10, '4': 3 } };
    for (const fn of socket.projects) fn();
    await vi.runAllTimersAsync();
    expect(server.planReads).toBe(2);
    expect(socket.follows.get(4)?.seq).toBe(3);
    stop();
    expect(socket.projects.size).toBe(0);
    stop = () => {};
  });

  it('follows each project from the number of the plan it shows, always with the same handler', async () => {
    const first = socket.follows.get(1)!.handler;
    server.plan = { ...plan([planned(1)]), seqs: { '1': 12 } };
    for (const fn of socket.weeks) fn({ type: 'sprint', week: '2026-W49' });
    await vi.runAllTimersAsync();
    expect(server.planReads).toBe(2);
    expect(socket.follows.get(1)?.seq).toBe(12);
    expect(socket.follows.get(1)?.handler).toBe(first);

    server.plan = { ...plan([planned(1)]), seqs: { '1': 20 } };
    first({ type: 'resync' });
    await vi.runAllTimersAsync();
    expect(socket.follows.get(1)?.seq).toBe(20);
  });

  it('keeps a card archived after a snapshot was asked for gone when that older snapshot arrives', async () => {
    // The plan is read; before the answer comes, the card is archived.
    let open: () => void = () => {};
    server.gate = new Promise<void>((resolve) => (open = resolve));
    view.refresh();
    await vi.advanceTimersByTimeAsync(250);
    expect(server.planReads).toBe(2);
    const archived = { ...planned(1, 2), archived_at: '2026-11-30T09:00:00Z' };
    const archive: BoardEvent = {
      project_id: 1,
      seq: 11,
      kind: 'task.archived',
      actor_id: 2,
      actor_name: 'Pat Morgan',
      task_id: 1,
      created_at: '',
      data: { task: archived },
    };
    socket.follows.get(1)!.handler({ type: 'event', event: archive });
    server.plan = plan([]);
    expect(view.store.cards.has(1)).toBe(false);
    open();
    server.gate = null;
    await vi.advanceTimersByTimeAsync(0); // the older snapshot is in
    expect(view.store.cards.has(1)).toBe(false);
    await vi.runAllTimersAsync();
    expect(view.store.cards.has(1)).toBe(false);
  });

  it('holds snapshots back while a card is dragged or a command is on its way', async () => {
    view.hold();
    server.plan = plan([planned(1), planned(5, 1, 'b')]);
    view.refresh();
    await vi.runAllTimersAsync();
    expect(queue(view)).toEqual(['1@1']);
    view.release();
    await vi.runAllTimersAsync();
    expect(queue(view)).toEqual(['1@1', '5@1']);

    // A snapshot is read; before it arrives, a card is planned here.
    let open: () => void = () => {};
    server.gate = new Promise<void>((resolve) => (open = resolve));
    server.plan = plan([planned(1)]);
    view.refresh();
    await vi.advanceTimersByTimeAsync(250);
    expect(server.planReads).toBe(3);
    let answer: (c: Card) => void = () => {};
    const pending = view.command(async () => view.accept(await new Promise<Card>((resolve) => (answer = resolve))));
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(queue(view)).toEqual(['1@1', '5@1']); // the snapshot waits for the answer
    server.gate = null;
    server.plan = plan([planned(1), planned(5, 2, 'b')]);
    answer(planned(5, 2, 'b'));
    await pending;
    // The older snapshot does not take the card just planned away.
    expect(queue(view)).toEqual(['1@1', '5@2']);
    await vi.runAllTimersAsync();
    expect(queue(view)).toEqual(['1@1', '5@2']);
  });

  it('learns the sprint of a week nobody had planned from the first card planned into it', async () => {
    server.plan = { ...plan([]), sprint_id: null };
    await view.load();
    expect(view.plan?.sprint_id).toBeNull();
    view.accept(planned(2, 2));
    expect(view.plan?.sprint_id).toBe(7);
    expect(queue(view)).toEqual(['2@2']);
  });
});
