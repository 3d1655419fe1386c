import { describe, expect, it } from 'vitest';
import type { BoardEvent, Card } from '../api/types';
import {
  filterFromQuery,
  filterQuery,
  applyEvent,
  columnNeeds,
  listOrder,
  estimateMinutes,
  groupColumns,
  matchesFilter,
  noFilter,
  placementAt,
  rankBetween,
  rankFor,
  waitsForClient,
} from './cards';
import { card } from './fixture';

function taskEvent(
  kind: 'task.created' | 'task.updated' | 'task.moved' | 'task.archived' | 'task.restored',
  task: Card,
  seq = 1,
): BoardEvent {
  return {
    project_id: 1,
    seq,
    kind,
    actor_id: 2,
    actor_name: 'Pat Morgan',
    task_id: task.id,
    created_at: '',
    data: { task },
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('ranks', () => {
  it('orders by byte order, not by locale', () => {
    const cards = [card({ id: 1, rank: 'a' }), card({ id: 2, rank: 'B' }), card({ id: 3, rank: 'Z' })];
    expect(cards.sort(listOrder()).map((c) => c.rank)).toEqual(['B', 'Z', 'a']);
  });

  it('finds a key strictly between any two keys', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const key = () => Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => BASE62[Math.floor(rnd() * 62)]).join('');
    for (let i = 0; i < 2000; i++) {
      let [a, b] = [key(), key()];
      if (a === b) continue;
      if (b < a) [a, b] = [b, a];
      const m = rankBetween(a, b);
      expect(a < m && m < b, `${a} < ${m} < ${b}`).toBe(true);
      expect(rankBetween(a, null) > a).toBe(true);
      expect(rankBetween('', b) < b).toBe(true);
    }
    expect(rankBetween('a0', 'a1') > 'a0').toBe(true);
    expect(rankBetween('a0', 'a1') < 'a1').toBe(true);
  });

  it('places a card like the server: from neighbours in the full column', () => {
    const col = [card({ id: 1, rank: 'a0' }), card({ id: 2, rank: 'a5' }), card({ id: 3, rank: 'b0' })];
    const after1 = rankFor(col, { after_id: 1 }, 'normal');
    expect('a0' < after1 && after1 < 'a5').toBe(true);
    const before3 = rankFor(col, { before_id: 3 }, 'normal');
    expect('a5' < before3 && before3 < 'b0').toBe(true);
    expect(rankFor(col, {}, 'normal') < 'a0').toBe(true);
    expect(rankFor(col, { after_id: 3 }, 'normal') > 'b0').toBe(true);
    expect(rankFor([], {}, 'normal')).not.toBe('');
  });

  it('keeps critical, then urgent, then normal, with the manual order within each band', () => {
    const cards = [
      card({ id: 1, rank: 'a0' }),
      card({ id: 2, rank: 'a5', priority: 'critical' }),
      card({ id: 3, rank: 'Zz', priority: 'urgent' }),
      card({ id: 4, rank: 'a1', priority: 'critical' }),
      card({ id: 5, rank: 'Zy' }),
    ];
    expect(cards.sort(listOrder()).map((c) => c.id)).toEqual([4, 2, 3, 5, 1]);
    expect(groupColumns(cards).set.map((c) => c.id)).toEqual([4, 2, 3, 5, 1]);
  });

  it("lands a drop next to another band at the nearest place inside the card's band", () => {
    const crit = card({ id: 1, rank: 'b0', priority: 'critical' });
    const urgent = card({ id: 2, rank: 'a0', priority: 'urgent' });
    const n1 = card({ id: 3, rank: 'a2' });
    const n2 = card({ id: 4, rank: 'a4' });
    const col = [crit, urgent, n1, n2];
    const land = (placement: Parameters<typeof rankFor>[1], priority: 'normal' | 'critical', id = 9) =>
      [...col, card({ id, priority, rank: rankFor(col, placement, priority) })].sort(listOrder()).map((c) => c.id);
    expect(land({ before_id: 1 }, 'normal')).toEqual([1, 2, 9, 3, 4]);
    expect(land({ after_id: 1 }, 'normal')).toEqual([1, 2, 9, 3, 4]);
    expect(land({}, 'normal')).toEqual([1, 2, 9, 3, 4]);
    expect(land({ after_id: 3 }, 'normal')).toEqual([1, 2, 3, 9, 4]);
    expect(land({ after_id: 4 }, 'critical')).toEqual([1, 9, 2, 3, 4]);
    expect(land({ before_id: 1 }, 'critical')).toEqual([9, 1, 2, 3, 4]);
  });
});

describe('placementAt', () => {
  const list = [card({ id: 1 }), card({ id: 2 }), card({ id: 3 })];
  it('names the card above, else the card below, else nothing', () => {
    expect(placementAt(list, 1)).toEqual({ after_id: 1 });
    expect(placementAt(list, 0)).toEqual({ before_id: 2 });
    expect(placementAt([card({ id: 4 })], 0)).toEqual({});
  });
});

describe('groupColumns', () => {
  it('puts cards in their columns in rank order', () => {
    const cols = groupColumns([
      card({ id: 1, status: 'done', rank: 'b' }),
      card({ id: 2, status: 'set', rank: 'c' }),
      card({ id: 3, status: 'set', rank: 'a' }),
    ]);
    expect(cols.set.map((c) => c.id)).toEqual([3, 2]);
    expect(cols.done.map((c) => c.id)).toEqual([1]);
    expect(cols.approval).toEqual([]);
  });
});

describe('matchesFilter', () => {
  const c = card({ id: 1, number: 42, title: 'Fix the Checkout', assignee_id: 3, priority: 'urgent', kind: 'bug' });
  it('matches text in the title or the number', () => {
    expect(matchesFilter(c, { ...noFilter(), text: 'checkout' })).toBe(true);
    expect(matchesFilter(c, { ...noFilter(), text: '#42' })).toBe(true);
    expect(matchesFilter(c, { ...noFilter(), text: '42' })).toBe(true);
    expect(matchesFilter(c, { ...noFilter(), text: '#4' })).toBe(false);
    expect(matchesFilter(c, { ...noFilter(), text: 'cart' })).toBe(false);
  });
  it('matches assignee, priority and kind', () => {
    expect(matchesFilter(c, { ...noFilter(), assignee: 3 })).toBe(true);
    expect(matchesFilter(c, { ...noFilter(), assignee: 4 })).toBe(false);
    expect(matchesFilter(c, { ...noFilter(), assignee: 'none' })).toBe(false);
    expect(matchesFilter(card({ id: 2 }), { ...noFilter(), assignee: 'none' })).toBe(true);
    expect(matchesFilter(c, { ...noFilter(), priority: 'critical' })).toBe(false);
    expect(matchesFilter(c, { ...noFilter(), kind: 'bug', priority: 'urgent' })).toBe(true);
  });
});

describe('applyEvent', () => {
  const shown = new Map([[1, card({ id: 1, version: 3, rank: 'a0' })]]);

  it('takes newer versions and unknown cards, ignores older or equal ones', () => {
    expect(applyEvent(shown, taskEvent('task.updated', card({ id: 1, version: 3, title: 'x' })))).toBeNull();
    expect(applyEvent(shown, taskEvent('task.updated', card({ id: 1, version: 2, title: 'x' })))).toBeNull();
    const next = applyEvent(shown, taskEvent('task.moved', card({ id: 1, version: 4, status: 'done' })));
    expect(next?.get(1)?.status).toBe('done');
    expect(applyEvent(shown, taskEvent('task.created', card({ id: 2 })))?.size).toBe(2);
    expect(shown.get(1)?.version).toBe(3); // never mutated
  });

  it('is idempotent', () => {
    const ev = taskEvent('task.moved', card({ id: 1, version: 4, status: 'done' }));
    const once = applyEvent(shown, ev)!;
    expect(applyEvent(once, ev)).toBeNull();
  });

  it('removes archived cards, unless the archive is older than what is shown', () => {
    expect(applyEvent(shown, taskEvent('task.archived', card({ id: 1, version: 4 })))?.has(1)).toBe(false);
    expect(applyEvent(shown, taskEvent('task.archived', card({ id: 1, version: 2 })))).toBeNull();
    expect(applyEvent(shown, taskEvent('task.archived', card({ id: 9, version: 2 })))).toBeNull();
  });

  it('sets comment counts and respaced ranks', () => {
    const comment: BoardEvent = {
      project_id: 1,
      seq: 5,
      kind: 'comment.created',
      actor_id: 2,
      actor_name: '',
      task_id: 1,
      created_at: '',
      data: { task_id: 1, comment_id: 7, author_id: 2, internal: false, comment_count: 4 },
    };
    expect(applyEvent(shown, comment)?.get(1)?.comment_count).toBe(4);
    const respace: BoardEvent = {
      project_id: 1,
      seq: 6,
      kind: 'column.respaced',
      actor_id: null,
      actor_name: '',
      task_id: null,
      created_at: '',
      data: { status: 'set', ranks: { '1': 'Zz', '9': 'a1' } },
    };
    const next = applyEvent(shown, respace)!;
    expect(next.get(1)?.rank).toBe('Zz');
    expect(next.get(1)?.version).toBe(3);
    expect(next.has(9)).toBe(false);
  });
});

describe('estimates', () => {
  it('sums minutes', () => {
    expect(
      estimateMinutes([
        card({ id: 1, estimate_minutes: 90 }),
        card({ id: 2, estimate_minutes: null }),
        card({ id: 3, estimate_minutes: 60 }),
      ]),
    ).toBe(150);
  });
});

describe('column rules', () => {
  it('asks for a question or a staging link when entering those columns', () => {
    expect(columnNeeds('set', 'awaiting_reply')).toBe('question');
    expect(columnNeeds(null, 'approval')).toBe('approval');
    expect(columnNeeds('approval', 'approval')).toBeNull();
    expect(columnNeeds('approval', 'done')).toBeNull();
  });

  it("knows when it is the client's move", () => {
    expect(waitsForClient(card({ id: 1, status: 'awaiting_reply' }))).toBe(true);
    expect(waitsForClient(card({ id: 1, status: 'approval', approval_state: 'pending' }))).toBe(true);
    expect(waitsForClient(card({ id: 1, status: 'approval', approval_state: 'approved' }))).toBe(false);
    expect(waitsForClient(card({ id: 1, status: 'in_progress' }))).toBe(false);
  });
});

describe('saved board filters', () => {
  it('keep the filter in the address and read it back, ignoring what is not a filter', () => {
    const f = { text: ' bug ', assignee: 4, priority: 'urgent', kind: 'bug' } as const;
    expect(filterQuery(f)).toBe('?text=bug&assignee=4&priority=urgent&kind=bug');
    expect(filterFromQuery(filterQuery(f))).toEqual({ ...f, text: 'bug' });
    expect(filterQuery(filterFromQuery('?assignee=none'))).toBe('?assignee=none');
    expect(filterFromQuery('?priority=soon&kind=x&assignee=me')).toEqual({
      text: '',
      assignee: 'any',
      priority: 'any',
      kind: 'any',
    });
  });
});
