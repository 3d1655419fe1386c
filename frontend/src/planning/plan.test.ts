import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonPlan, Project } from '../api/types';
import { card } from '../board/fixture';
import { setLocale } from '../i18n/locale.svelte';
import { load } from './fixture';
import {
  PENDING_SPRINT,
  UNASSIGNED,
  arrivedDuringWeek,
  backlogOrder,
  barParts,
  inBacklog,
  loadLines,
  noBacklogFilter,
  queueRankFor,
  queues,
} from './plan';

function person(id: number): PersonPlan {
  return {
    id,
    name: `P${id}`,
    role: 'developer',
    capacity_minutes: 2400,
    override_note: null,
    load: load({}),
    tasks: [],
    hidden_tasks: 0,
    spent_minutes: 0,
  };
}

function project(id: number, name: string, clientId: number, client: string): Project {
  return {
    id,
    name,
    client_id: clientId,
    client_name: client,
    description: '',
    archived_at: null,
    billable: true,
    created_at: '',
    members: [],
  };
}

beforeAll(() => setLocale('en'));
afterAll(() => setLocale('en'));

describe('queues', () => {
  it('groups the week by person, critical first, then in queue order', () => {
    const cards = [
      card({ id: 1, sprint_id: 7, assignee_id: 3, sprint_rank: 'b' }),
      card({ id: 2, sprint_id: 7, assignee_id: 3, sprint_rank: 'a' }),
      card({ id: 3, sprint_id: 7, assignee_id: 3, sprint_rank: 'c', priority: 'critical' }),
      card({ id: 4, sprint_id: 7, assignee_id: null, sprint_rank: 'a' }),
      card({ id: 5, sprint_id: 8, assignee_id: 3, sprint_rank: 'a' }), // another week
      card({ id: 6, sprint_id: null, assignee_id: 3 }), // backlog
      card({ id: 7, sprint_id: 7, assignee_id: 99, sprint_rank: 'a' }), // nobody's column yet
      card({ id: 8, sprint_id: 7, assignee_id: 3, sprint_rank: 'd', archived_at: '2026-11-20T10:00:00Z' }),
    ];
    const q = queues(cards, 7, [person(3), person(4)]);
    expect(q.get(3)?.map((c) => c.id)).toEqual([3, 2, 1]);
    expect(
      queues([card({ id: 9, sprint_id: PENDING_SPRINT, assignee_id: 4, sprint_rank: 'a' })], null, [person(4)]).get(4)
        ?.length,
    ).toBe(1);
    expect(queues(cards, null, [person(3)]).get(3)).toEqual([]);
    expect(q.get(4)).toEqual([]);
    expect(q.get(UNASSIGNED)?.map((c) => c.id)).toEqual([4]);
    expect(q.size).toBe(3);
  });

  it('places a dropped card between its neighbours', () => {
    const queue = [card({ id: 1, sprint_rank: 'a0' }), card({ id: 2, sprint_rank: 'b0' })];
    const between = queueRankFor(queue, { after_id: 1 }, 'normal');
    expect(between > 'a0' && between < 'b0').toBe(true);
    expect(queueRankFor(queue, {}, 'normal') < 'a0').toBe(true);
    expect(queueRankFor(queue, { after_id: 2 }, 'normal') > 'b0').toBe(true);
  });

  it('knows urgent work that arrived after the week began', () => {
    const monday = '2026-11-23';
    expect(arrivedDuringWeek(card({ id: 1, priority: 'urgent', planned_at: '2026-11-24T09:00:00Z' }), monday)).toBe(
      true,
    );
    expect(arrivedDuringWeek(card({ id: 1, priority: 'critical', planned_at: '2026-11-23T00:10:00Z' }), monday)).toBe(
      true,
    );
    expect(arrivedDuringWeek(card({ id: 1, priority: 'urgent', planned_at: '2026-11-20T09:00:00Z' }), monday)).toBe(
      false,
    );
    expect(arrivedDuringWeek(card({ id: 1, priority: 'normal', planned_at: '2026-11-24T09:00:00Z' }), monday)).toBe(
      false,
    );
    expect(arrivedDuringWeek(card({ id: 1, priority: 'urgent', planned_at: null }), monday)).toBe(false);
  });
});

describe('the backlog', () => {
  const projects = new Map([
    [1, project(1, 'Shop', 10, 'Acme')],
    [2, project(2, 'Portal', 20, 'Globex')],
    [3, project(3, 'Relaunch', 10, 'Acme')],
  ]);

  it('orders like the server: most pressing, client, project, column, rank', () => {
    const cards = [
      card({ id: 1, project_id: 2 }),
      card({ id: 2, project_id: 1, rank: 'b' }),
      card({ id: 3, project_id: 1, rank: 'a' }),
      card({ id: 4, project_id: 2, priority: 'critical' }),
      card({ id: 5, project_id: 3, priority: 'urgent' }),
      card({ id: 6, project_id: 3 }),
      card({ id: 7, project_id: 1, status: 'in_progress', rank: 'a' }),
    ];
    expect(cards.sort(backlogOrder(projects)).map((c) => c.id)).toEqual([4, 5, 6, 7, 3, 2, 1]);
  });

  it('filters open cards in no week by client, project, priority, kind and text', () => {
    const f = noBacklogFilter();
    const c = card({ id: 1, number: 42, project_id: 3, title: 'Fix the footer', kind: 'bug', priority: 'urgent' });
    expect(inBacklog(c, f, projects)).toBe(true);
    expect(inBacklog({ ...c, sprint_id: 7 }, f, projects)).toBe(false);
    expect(inBacklog({ ...c, status: 'done' }, f, projects)).toBe(false);
    expect(inBacklog({ ...c, archived_at: '2026-11-20T10:00:00Z' }, f, projects)).toBe(false);
    expect(inBacklog(c, { ...f, client: 10 }, projects)).toBe(true);
    expect(inBacklog(c, { ...f, client: 20 }, projects)).toBe(false);
    expect(inBacklog(c, { ...f, project: 1 }, projects)).toBe(false);
    expect(inBacklog(c, { ...f, priority: 'urgent', kind: 'bug' }, projects)).toBe(true);
    expect(inBacklog(c, { ...f, priority: 'critical' }, projects)).toBe(false);
    expect(inBacklog(c, { ...f, kind: 'task' }, projects)).toBe(false);
    expect(inBacklog(c, { ...f, text: 'FOOTER' }, projects)).toBe(true);
    expect(inBacklog(c, { ...f, text: '#42' }, projects)).toBe(true);
    expect(inBacklog(c, { ...f, text: 'header' }, projects)).toBe(false);
  });
});

describe('a load', () => {
  it('draws planned work in the plannable part and unplanned work in the buffer', () => {
    const parts = barParts(load({ planned_minutes: 960, unplanned_minutes: 120 }));
    expect(parts.map((p) => p.kind)).toEqual(['planned', 'free', 'buffer-used', 'buffer-free']);
    expect(parts[0]!.percent).toBeCloseTo(40);
    expect(parts[2]!.percent).toBeCloseTo(5);
  });

  it('draws over-commitment beyond the week', () => {
    const parts = barParts(load({ planned_minutes: 2160, unplanned_minutes: 600, over_minutes: 360 }));
    expect(parts.map((p) => p.kind)).toEqual(['planned', 'buffer-used', 'over']);
    expect(parts[2]!.percent).toBeCloseTo((360 / 2760) * 100);
    expect(barParts(load({ capacity_minutes: 0, plannable_minutes: 0, buffer_minutes: 0 }))).toEqual([]);
  });

  it('says the numbers in hours', () => {
    expect(
      loadLines(load({ planned_minutes: 1680, unplanned_minutes: 200, over_minutes: 255, unestimated: 2 })),
    ).toEqual({
      planned: '28 h of 32 h planned',
      buffer: 'buffer 3 h 20 min of 8 h used',
      over: '4 h 15 min over',
      unestimated: '2 without estimate',
    });
    expect(loadLines(load({}))).toMatchObject({ over: null, unestimated: null });
  });

  it('says them in the shown language', async () => {
    const busy = load({ planned_minutes: 1680, unplanned_minutes: 200, over_minutes: 255, unestimated: 2 });
    await setLocale('pl');
    expect(loadLines(busy)).toEqual({
      planned: 'zaplanowano 28 godz. z 32 godz.',
      buffer: 'bufor: wykorzystano 3 godz. 20 min z 8 godz.',
      over: '4 godz. 15 min ponad limit',
      unestimated: '2 bez estymacji',
    });
    await setLocale('ru');
    expect(loadLines(busy).planned).toBe('запланировано 28 ч из 32 ч');
    await setLocale('ja');
    expect(loadLines(busy).over).toBe('4時間15分超過');
    await setLocale('en');
  });
});
