import { beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../api/types';
import { card } from './fixture';
import { KeyboardMove, bandRange, type MoveList } from './keyboard.svelte';
import { setLocale } from '../i18n/locale.svelte';

// The sentences are the catalog's; the tests read them in English.
beforeAll(() => setLocale('en'));

/** A list laid out at `left` on one row, recording its drops. */
function list(label: string, left: number, cards: Card[]) {
  const drops: [number, number[]][] = [];
  const l: MoveList = {
    el: {
      getBoundingClientRect: () => ({ top: 0, bottom: 500, left, right: left + 100 }),
      querySelector: () => null,
    } as unknown as HTMLElement,
    zone: 'board',
    label: () => label,
    cards: () => cards,
    ondragstart: () => {},
    ondrop: (id, items) => void drops.push([id, items.map((c) => c.id)]),
  };
  return { l, drops };
}

describe('keyboard moves', () => {
  it('keeps a card inside its band', () => {
    const cards = [
      card({ id: 1, priority: 'critical' }),
      card({ id: 2, priority: 'urgent' }),
      card({ id: 3 }),
      card({ id: 4 }),
    ];
    expect(bandRange(cards, card({ id: 9 }))).toEqual([2, 4]);
    expect(bandRange(cards, card({ id: 9, priority: 'critical' }))).toEqual([0, 1]);
    expect(bandRange([], card({ id: 9 }))).toEqual([0, 0]);
  });

  it('moves with the arrows, drops with Enter, cancels with Escape, and says each step', () => {
    const moving = card({ id: 5, number: 5, title: 'Mine' });
    const set = list('Set', 0, [card({ id: 1 }), moving]);
    const doing = list('In progress', 200, [card({ id: 2, priority: 'critical' }), card({ id: 3 }), card({ id: 4 })]);
    const km = new KeyboardMove();
    km.register(set.l);
    km.register(doing.l);

    expect(km.key('ArrowDown', set.l, moving)).toBe(false); // nothing held: not ours
    expect(km.key(' ', set.l, moving)).toBe(true);
    expect(km.announcement).toContain('Picked up #5 Mine in Set, position 2 of 2');
    km.key('ArrowLeft', set.l, moving);
    expect(km.announcement).toContain('No list further left');
    km.key('ArrowRight', set.l, moving);
    expect(km.arrange(set.l, set.l.cards()).map((c) => c.id)).toEqual([1]);
    // Position 2 is the top of the normal cards: below the critical one.
    expect(km.arrange(doing.l, doing.l.cards()).map((c) => c.id)).toEqual([2, 5, 3, 4]);
    km.key('ArrowUp', doing.l, moving);
    expect(km.announcement).toContain('top of its normal cards');
    km.key('ArrowDown', doing.l, moving);
    expect(km.announcement).toBe('#5 Mine in In progress, position 3 of 4.');
    km.key('Enter', doing.l, moving);
    expect(doing.drops).toEqual([[5, [2, 3, 5, 4]]]);
    expect(km.card).toBeNull();
    expect(km.announcement).toBe('Dropped #5 Mine in In progress, position 3 of 4.');

    km.key(' ', set.l, moving);
    km.key('ArrowRight', set.l, moving);
    km.key('Escape', doing.l, moving);
    expect(km.announcement).toBe('Move cancelled. #5 Mine is back in Set.');
    expect(set.drops).toEqual([[5, [1, 5]]]);
    expect(doing.drops).toHaveLength(1);
    expect(km.key('Tab', set.l, moving)).toBe(false);
  });
});
