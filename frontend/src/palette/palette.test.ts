import { beforeAll, describe, expect, it } from 'vitest';
import type { TimeEntry } from '../api/types';
import { setLocale } from '../i18n/locale.svelte';
import {
  besides,
  cardNumber,
  hitItem,
  narrow,
  PER_GROUP,
  recentCards,
  rememberCard,
  snippetParts,
  timerItems,
  type PaletteItem,
} from './palette';

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('palette', () => {
  beforeAll(() => setLocale('en'));

  it('opens a workshop hit on its workshop, an item under its own title', () => {
    const hit = {
      source: 'workshop_item' as const,
      source_id: 9,
      project_id: null,
      project_name: '',
      client_id: 1,
      client_name: 'Acme',
      snippet: 'Send on \u0002Tuesdays\u0003',
      updated_at: '2026-11-02T10:00:00Z',
      workshop: { id: 4, starts_at: '2026-11-02T10:00:00Z', item_title: 'Newsletter timing' },
    };
    const item = hitItem(hit);
    expect(item.href).toBe('/workshops/4');
    expect(item.label).toBe('Newsletter timing');
    expect(item.detail).toContain('Acme');
    const notes = hitItem({ ...hit, source: 'workshop_internal', workshop: { ...hit.workshop, item_title: '' } });
    expect(notes.label).not.toBe('');
    expect(notes.detail).toContain('Acme');
  });

  it('reads #123 as a jump and nothing else', () => {
    expect(cardNumber(' #123 ')).toBe(123);
    expect(cardNumber('123')).toBeNull();
    expect(cardNumber('#12a')).toBeNull();
  });

  it('narrows by every word, ignoring case and accents, in group order', () => {
    const items: PaletteItem[] = [
      { id: 'c', group: 'clients', label: 'Łódź Zakład', href: '/clients/1' },
      { id: 'p', group: 'projects', label: 'Online shop', href: '/projects/1' },
      { id: 'a', group: 'pages', label: 'Planning', href: '/planning' },
    ];
    expect(narrow(items, 'lodz zak').map((i) => i.id)).toEqual(['c']);
    expect(narrow(items, '').map((i) => i.id)).toEqual(['a', 'p', 'c']);
    const many = Array.from({ length: 10 }, (_, i) => ({
      id: `${i}`,
      group: 'people' as const,
      label: 'Dev',
      href: '/',
    }));
    expect(narrow(many, 'dev')).toHaveLength(PER_GROUP);
  });

  it('lists a card or project the search found once, as a hit', () => {
    const hits: PaletteItem[] = [
      { id: 'hit-task-7', group: 'results', label: '#26 Export', href: '/projects/1/t/26' },
      { id: 'hit-project-1', group: 'results', label: 'Online shop', href: '/projects/1' },
    ];
    const local: PaletteItem[] = [
      { id: 'recent-26', group: 'recent', label: '#26 Export', href: '/projects/1/t/26' },
      { id: 'recent-27', group: 'recent', label: '#27 Import', href: '/projects/1/t/27' },
      { id: 'project-1', group: 'projects', label: 'Online shop', href: '/projects/1' },
      { id: 'timer-stop', group: 'actions', label: 'Stop the timer', run: () => {} },
    ];
    expect(besides(hits, local).map((i) => i.id)).toEqual(['recent-27', 'timer-stop']);
    expect(besides([], local)).toEqual(local);
  });

  it('splits a snippet into marked and plain runs', () => {
    expect(snippetParts('fails on \u0002staging\u0003 again')).toEqual([
      { text: 'fails on ', mark: false },
      { text: 'staging', mark: true },
      { text: ' again', mark: false },
    ]);
  });

  it('keeps the recent cards per user, newest first, once each', () => {
    const s = memory();
    rememberCard(1, { number: 5, title: 'A', project_id: 1 }, s);
    rememberCard(1, { number: 6, title: 'B', project_id: 1 }, s);
    rememberCard(1, { number: 5, title: 'A2', project_id: 1 }, s);
    expect(recentCards(1, s).map((c) => c.title)).toEqual(['A2', 'B']);
    expect(recentCards(2, s)).toEqual([]);
  });

  it('offers to stop the running timer and to start it on a card where it does not run', () => {
    const calls: string[] = [];
    const act = { start: (id: number) => calls.push(`start ${id}`), stop: () => calls.push('stop') };
    const running = { task_id: 7, task_number: 12, task_title: 'Login page' } as TimeEntry;
    const here = { id: 8, number: 13, title: 'Checkout', here: true };

    expect(timerItems(null, [], act)).toEqual([]);
    const idle = timerItems(null, [here, { id: 9, number: 14, title: 'Cart' }], act);
    expect(idle.map((i) => i.label)).toEqual([
      'Start the timer on this card (#13 Checkout)',
      'Start the timer on #14 Cart',
    ]);

    // Running on the open card: only its stop; elsewhere: stop, and start here.
    expect(timerItems({ ...running, task_id: 8 }, [here], act).map((i) => i.id)).toEqual(['timer-stop']);
    const busy = timerItems(running, [here], act);
    expect(busy.map((i) => i.label)).toEqual([
      'Stop the timer on #12 Login page',
      'Start the timer on this card (#13 Checkout)',
    ]);
    expect(busy.every((i) => i.group === 'actions' && i.href === undefined)).toBe(true);
    for (const i of busy) i.run?.();
    expect(calls).toEqual(['stop', 'start 8']);
  });
});
