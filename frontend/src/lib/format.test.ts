import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/locale.svelte';
import {
  byName,
  formatDate,
  formatDay,
  formatWeekdayDay,
  initials,
  joinAnd,
  plural,
  relativeTime,
  shortDuration,
  sinceWhen,
  today,
} from './format';

beforeAll(() => setLocale('en'));

describe('format', () => {
  it('formats dates and ignores bad input', () => {
    expect(formatDate('2026-03-05T10:00:00Z', 'en')).toBe('Mar 5, 2026');
    expect(formatDate('2026-03-05T10:00:00Z', 'pl')).toBe('5 mar 2026');
    expect(formatDate('2026-03-05T10:00:00Z', 'ja')).toBe('2026/03/05');
    expect(formatDate('', 'en')).toBe('');
    expect(formatDate('not a date', 'en')).toBe('');
  });

  it('says how far away a time is', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(relativeTime('2026-11-29T12:00:00Z', now, 'en')).toBe('in 6 days');
    expect(relativeTime('2026-11-23T09:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(relativeTime('2026-11-23T12:00:10Z', now, 'en')).toBe('now');
    expect(relativeTime('2026-11-29T12:00:00Z', now, 'pl')).toBe('za 6 dni');
    expect(relativeTime('2026-11-23T09:00:00Z', now, 'ru')).toBe('3 часа назад');
    expect(relativeTime('2026-11-23T09:00:00Z', now, 'ja')).toBe('3 時間前');
  });

  it('makes initials', () => {
    expect(initials('Anna Petrova')).toBe('AP');
    expect(initials('  cher ')).toBe('C');
    expect(initials('Jean Claude Van Damme')).toBe('JD');
    expect(initials('')).toBe('?');
  });

  it('pluralises', () => {
    expect(plural(1, 'project', 'projects')).toBe('1 project');
    expect(plural(0, 'project', 'projects')).toBe('0 projects');
  });

  it('sorts names naturally and case-insensitively', () => {
    const names = ['beta', 'Alpha', 'item 10', 'item 2'];
    expect(names.sort(byName((s: string) => s))).toEqual(['Alpha', 'beta', 'item 2', 'item 10']);
  });

  it('formats calendar days without shifting them by the time zone', () => {
    const now = new Date(2026, 10, 23, 12).getTime();
    expect(formatDay('2026-03-05', now, 'en-GB')).toBe('5 Mar');
    expect(formatDay('2025-12-31', now, 'en-GB')).toBe('31 Dec 2025');
    expect(formatDay('soon', now, 'en-GB')).toBe('');
    expect(formatDay(null, now)).toBe('');
    expect(today(new Date(2026, 0, 2, 23, 30).getTime())).toBe('2026-01-02');
  });

  it('says how long in a few characters', () => {
    expect(shortDuration(30_000)).toBe('0 min');
    expect(shortDuration(5 * 60_000)).toBe('5 min');
    expect(shortDuration(3 * 3600_000 + 59 * 60_000)).toBe('3 h');
    expect(shortDuration(2 * 86400_000 + 3600_000)).toBe('2 d');
    expect(shortDuration(-5)).toBe('0 min');
  });

  it('says how long in a few characters in every language', async () => {
    const ms = [5 * 60_000, 3 * 3600_000, 2 * 86400_000];
    try {
      await setLocale('pl');
      expect(ms.map(shortDuration)).toEqual(['5 min', '3 godz.', '2 d.']);
      await setLocale('ru');
      expect(ms.map(shortDuration)).toEqual(['5 мин', '3 ч', '2 дн.']);
      await setLocale('ja');
      expect(ms.map(shortDuration)).toEqual(['5分', '3時間', '2日']);
    } finally {
      await setLocale('en');
    }
  });

  it('joins with commas and "and"', () => {
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b'])).toBe('a and b');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('names a day with its weekday', () => {
    const now = new Date(2026, 10, 23, 12).getTime();
    expect(formatWeekdayDay('2026-11-27', now, 'en-GB')).toBe('Fri 27 Nov');
    expect(formatWeekdayDay('2026-11-27', now, 'en-GB', true)).toBe('Friday 27 November');
    expect(formatWeekdayDay('2027-01-04', now, 'en-GB')).toBe('Mon, 4 Jan 2027');
    expect(formatWeekdayDay(null, now)).toBe('');
    expect(formatWeekdayDay('2026-11-27', now, 'pl')).toBe('pt., 27 lis');
    expect(formatWeekdayDay('2026-11-27', now, 'ru', true)).toBe('пятница, 27 ноября');
    expect(formatWeekdayDay('2026-11-27', now, 'ja')).toBe('11月27日(金)');
  });

  it('says since when in words', () => {
    const now = new Date(2026, 10, 26, 15).getTime(); // a Thursday
    expect(sinceWhen(new Date(2026, 10, 26, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05');
    expect(sinceWhen(new Date(2026, 10, 25, 23).toISOString(), now, 'en-GB')).toBe('yesterday');
    expect(sinceWhen(new Date(2026, 10, 23, 8).toISOString(), now, 'en-GB')).toBe('Monday');
    expect(sinceWhen(new Date(2026, 10, 12, 8).toISOString(), now, 'en-GB')).toBe('12 Nov');
    expect(sinceWhen('nonsense', now)).toBe('');
    expect(sinceWhen(new Date(2026, 10, 25, 23).toISOString(), now, 'pl')).toBe('wczoraj');
    expect(sinceWhen(new Date(2026, 10, 23, 8).toISOString(), now, 'ru')).toBe('понедельник');
    expect(sinceWhen(new Date(2026, 10, 25, 23).toISOString(), now, 'ja')).toBe('昨日');
  });
});
