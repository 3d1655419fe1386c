import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent, FieldChange } from '../api/types';
import { describeEvent, describePatch } from './activity';
import { card } from './fixture';
import { setLocale } from '../i18n/locale.svelte';

// The sentences are the catalog's; the tests read them in English.
beforeAll(() => setLocale('en'));

const names = new Map([[3, 'Dana Lee']]);
const nameOf = (id: number) => names.get(id);

function ev(kind: BoardEvent['kind'], changes?: Record<string, FieldChange>, actor = 'Pat Morgan'): BoardEvent {
  const base = { project_id: 1, seq: 1, actor_id: 2, actor_name: actor, task_id: 1, created_at: '' };
  if (kind.startsWith('comment.')) {
    return {
      ...base,
      kind,
      data: { task_id: 1, comment_id: 1, author_id: 2, internal: changes !== undefined, comment_count: 1 },
    } as BoardEvent;
  }
  return { ...base, kind, data: { task: card({ id: 1, status: 'in_progress' }), changes } } as BoardEvent;
}

describe('describeEvent', () => {
  it("tells a quote's amount to whoever got it, hours only otherwise", () => {
    const sent = ev('task.quote_sent');
    expect(describeEvent(sent, nameOf)).toBe('Pat Morgan sent a quote');
    expect(describeEvent({ ...sent, quote_amount: { amount_cents: 67500, currency: 'EUR' } }, nameOf)).toBe(
      'Pat Morgan sent a quote of €675.00',
    );
  });

  it('tells moves between and within columns', () => {
    expect(
      describeEvent(
        ev('task.moved', { status: { from: 'set', to: 'in_progress' }, rank: { from: 'a', to: 'b' } }, 'Dana Lee'),
        nameOf,
      ),
    ).toBe('Dana Lee moved it from Set to In progress');
    expect(describeEvent(ev('task.moved', { rank: { from: 'a', to: 'b' } }), nameOf)).toBe(
      'Pat Morgan moved it within In progress',
    );
  });

  it('tells field changes, several at once', () => {
    expect(describeEvent(ev('task.updated', { priority: { from: 'normal', to: 'urgent' } }), nameOf)).toBe(
      'Pat Morgan changed the priority from normal to urgent',
    );
    expect(
      describeEvent(
        ev('task.updated', {
          assignee_id: { from: null, to: 3 },
          estimate_minutes: { from: null, to: 180 },
          description: { from: null, to: null },
        }),
        nameOf,
      ),
    ).toBe('Pat Morgan assigned it to Dana Lee, set the estimate to 3 h and edited the description');
    expect(
      describeEvent(
        ev('task.updated', { assignee_id: { from: 3, to: null }, due_date: { from: '2026-01-02', to: null } }),
        nameOf,
      ),
    ).toBe('Pat Morgan unassigned it and removed the due date');
    expect(describeEvent(ev('task.updated', { kind: { from: 'task', to: 'change' } }), nameOf)).toBe(
      'Pat Morgan changed the kind from task to change request',
    );
    expect(describeEvent(ev('task.updated', { title: { from: 'Old', to: 'New' } }), nameOf)).toBe(
      'Pat Morgan changed the title from “Old” to “New”',
    );
  });

  it('tells when a client answer moved the card back', () => {
    const answered = ev('task.moved', { status: { from: 'awaiting_reply', to: 'in_progress' } }, 'Chris Miller');
    if ('task' in answered.data)
      Object.assign(answered.data, { reason: 'client_answered', waited_seconds: 2 * 86400 + 60 });
    expect(describeEvent(answered, nameOf)).toBe(
      'Chris Miller answered, which moved it back to In progress after waiting 2 days',
    );
  });

  it('tells the rest of a card life', () => {
    expect(describeEvent(ev('task.created'), nameOf)).toBe('Pat Morgan created the card in In progress');
    expect(describeEvent(ev('task.archived'), nameOf)).toBe('Pat Morgan archived the card');
    expect(describeEvent(ev('task.restored', undefined, ''), nameOf)).toBe('Someone restored the card');
    expect(describeEvent(ev('comment.created'), nameOf)).toBe('Pat Morgan added a comment');
    expect(describeEvent(ev('comment.created', {}), nameOf)).toBe('Pat Morgan added an internal comment');
    expect(describeEvent(ev('comment.deleted'), nameOf)).toBe('Pat Morgan deleted a comment');
    expect(describeEvent(ev('task.changes_requested', undefined, 'Chris Miller'), nameOf)).toBe(
      'Chris Miller requested changes',
    );
    expect(describeEvent(ev('task.approved', undefined, 'Chris Miller'), nameOf)).toBe(
      'Chris Miller approved the change',
    );
    expect(describeEvent(ev('task.deployed'), nameOf)).toBe('Pat Morgan marked it deployed');
  });
});

describe('describePatch', () => {
  it('says what the user tried to change', () => {
    expect(describePatch({ title: 'New' }, nameOf)).toBe('title “New”');
    expect(describePatch({ priority: 'urgent', assignee_id: 3 }, nameOf)).toBe('priority urgent, assignee Dana Lee');
    expect(describePatch({ description: 'long text', estimate_minutes: null }, nameOf)).toBe(
      'description (your text), estimate none',
    );
    expect(describePatch({ status: 'approval' }, nameOf)).toBe('status Approval');
  });
});

describe('escalation', () => {
  it('names the developer and, for staff, the reason', () => {
    const escalated = (note?: string): BoardEvent =>
      ({
        project_id: 1,
        seq: 2,
        actor_id: 2,
        actor_name: 'Pat Morgan',
        task_id: 1,
        created_at: '',
        kind: 'task.escalated',
        data: { task: card({ id: 1, assignee_id: 3 }), note },
      }) as BoardEvent;
    expect(describeEvent(escalated('Needs the payment code'), nameOf)).toBe(
      'Pat Morgan escalated it to Dana Lee: Needs the payment code',
    );
    // A client's copy of the event has no reason.
    expect(describeEvent(escalated(), nameOf)).toBe('Pat Morgan escalated it to Dana Lee');
  });
});
