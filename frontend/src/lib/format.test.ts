import { describe, expect, it } from 'vitest';
import { byName, formatDate, initials, plural, relativeTime } from './format';

describe('format', () => {
  it('formats dates and ignores bad input', () => {
    expect(formatDate('2026-03-05T10:00:00Z', 'en-GB')).toBe('5 Mar 2026');
    expect(formatDate('', 'en')).toBe('');
    expect(formatDate('not a date', 'en')).toBe('');
  });

  it('says how far away a time is', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(relativeTime('2026-11-29T12:00:00Z', now, 'en')).toBe('in 6 days');
    expect(relativeTime('2026-11-23T09:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(relativeTime('2026-11-23T12:00:10Z', now, 'en')).toBe('now');
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
});
