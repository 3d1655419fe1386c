import { describe, expect, it } from 'vitest';
import { cardNumber, narrow, PER_GROUP, recentCards, rememberCard, snippetParts, type PaletteItem } from './palette';

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('palette', () => {
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
});
