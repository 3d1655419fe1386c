import { afterAll, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/locale.svelte';
import { weekLabel, weekName } from './weekNames';

const at = (iso: string) => Date.parse(iso);
const now = at('2026-11-25T09:00:00Z');

afterAll(() => setLocale('en'));

describe('week names', () => {
  it('labels a week with its days', async () => {
    await setLocale('en');
    // Intl writes a range with thin spaces around the dash.
    const plain = (s: string) => s.replace(/\s/g, ' ');
    expect(plain(weekLabel('2026-W48', now))).toBe('Week 48 · Nov 23 – 29');
    expect(plain(weekLabel('2026-W49', now))).toBe('Week 49 · Nov 30 – Dec 6');
    expect(plain(weekLabel('2027-W02', now))).toBe('Week 2 of 2027 · Jan 11 – 17');
    expect(weekLabel('junk', now)).toBe('junk');
    expect(weekName('2026-W09', now)).toBe('Week 9');
    expect(weekName('2025-W52', now)).toBe('Week 52 of 2025');
  });

  it('in the shown language, with its own way of writing a range', async () => {
    await setLocale('pl');
    expect(weekLabel('2026-W48', now)).toBe('Tydzień 48 · 23–29 lis');
    expect(weekLabel('2026-W49', now)).toBe('Tydzień 49 · 30 lis–6 gru');
    expect(weekName('2025-W52', now)).toBe('Tydzień 52 (2025)');
    await setLocale('ru');
    expect(weekLabel('2026-W48', now)).toBe('Неделя 48 · 23–29 нояб.');
    await setLocale('ja');
    expect(weekLabel('2026-W48', now)).toBe('第48週 · 11/23～11/29');
    expect(weekName('2027-W01', now)).toBe('2027年 第1週');
  });
});
