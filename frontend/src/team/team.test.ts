import { describe, expect, it } from 'vitest';
import { card } from '../board/fixture';
import { UNASSIGNED, dropIntent, lanes } from './team';

const people = [
  {
    id: 3,
    name: 'Dana Lee',
    role: 'developer' as const,
    weekly_capacity_minutes: 1920,
    week_planned_minutes: 0,
    week_spent_minutes: 0,
  },
  {
    id: 4,
    name: 'Sam Ortiz',
    role: 'developer' as const,
    weekly_capacity_minutes: 1920,
    week_planned_minutes: 0,
    week_spent_minutes: 0,
  },
];
const admin = {
  id: 1,
  name: 'Alex Admin',
  role: 'admin' as const,
  weekly_capacity_minutes: 0,
  week_planned_minutes: 0,
  week_spent_minutes: 0,
};

describe('lanes', () => {
  it('gives every person a row and puts the rest under Unassigned', () => {
    const rows = lanes(
      [
        card({ id: 1, assignee_id: 3, status: 'in_progress' }),
        card({ id: 2, assignee_id: null }),
        card({ id: 3, assignee_id: 99 }),
      ],
      people,
    );
    expect(rows.map((r) => r.person?.name ?? 'Unassigned')).toEqual(['Dana Lee', 'Sam Ortiz', 'Unassigned']);
    expect(rows[0]!.columns.in_progress.map((c) => c.id)).toEqual([1]);
    expect(rows[2]!.columns.set.map((c) => c.id)).toEqual([2, 3]);
  });

  it('shows someone who takes no work only while they have cards', () => {
    const names = (cards: Parameters<typeof lanes>[0]) =>
      lanes(cards, [admin, ...people]).map((r) => r.person?.name ?? 'Unassigned');
    expect(names([])).toEqual(['Dana Lee', 'Sam Ortiz', 'Unassigned']);
    expect(names([card({ id: 1, assignee_id: 1, status: 'done' })])).toEqual([
      'Alex Admin',
      'Dana Lee',
      'Sam Ortiz',
      'Unassigned',
    ]);
  });

  it('counts open cards and hours, and flags overload', () => {
    const rows = lanes(
      [
        card({ id: 1, assignee_id: 3, estimate_minutes: 30 * 60 }),
        card({ id: 2, assignee_id: 3, estimate_minutes: 12 * 60, status: 'approval' }),
        card({ id: 3, assignee_id: 3, estimate_minutes: 100 * 60, status: 'done' }),
        card({ id: 4, assignee_id: 4, estimate_minutes: 90 }),
      ],
      people,
    );
    expect(rows[0]).toMatchObject({ open: 2, openMinutes: 42 * 60, overloaded: true });
    expect(rows[1]).toMatchObject({ open: 1, openMinutes: 90, overloaded: false });
  });

  it('puts critical cards first in a cell', () => {
    const rows = lanes(
      [card({ id: 1, assignee_id: 4, rank: 'a' }), card({ id: 2, assignee_id: 4, rank: 'b', priority: 'critical' })],
      people,
    );
    expect(rows[1]!.columns.set.map((c) => c.id)).toEqual([2, 1]);
  });
});

describe('dropIntent', () => {
  const c = card({ id: 1, assignee_id: 3, status: 'set' });
  it('reassigns across rows and moves across columns', () => {
    expect(dropIntent(c, 4, 'set')).toEqual({ assignee: 4 });
    expect(dropIntent(c, 3, 'done')).toEqual({ status: 'done' });
    expect(dropIntent(c, UNASSIGNED, 'approval')).toEqual({ assignee: null, status: 'approval' });
    expect(dropIntent(c, 3, 'set')).toEqual({});
  });
});
