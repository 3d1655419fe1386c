import { describe, expect, it } from 'vitest';
import { addWeeks, currentWeek, hasBegun, isWeek, mondayOf, weekOf } from './weeks';

const at = (iso: string) => Date.parse(iso);

describe('ISO weeks', () => {
  it('names the week of an instant in UTC, Monday to Sunday', () => {
    expect(weekOf(at('2026-11-23T00:00:00Z'))).toBe('2026-W48'); // Monday
    expect(weekOf(at('2026-11-29T23:59:59Z'))).toBe('2026-W48'); // Sunday
    expect(weekOf(at('2026-11-30T00:00:00Z'))).toBe('2026-W49');
    expect(weekOf(at('2026-11-22T23:59:59Z'))).toBe('2026-W47');
  });

  it('gives the days around New Year to the year of their Thursday', () => {
    expect(weekOf(at('2027-01-01T12:00:00Z'))).toBe('2026-W53'); // 2026 has 53 weeks
    expect(weekOf(at('2027-01-04T12:00:00Z'))).toBe('2027-W01');
    expect(weekOf(at('2025-12-29T12:00:00Z'))).toBe('2026-W01');
    expect(weekOf(at('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });

  it('finds the Monday of a week and refuses what is no week', () => {
    expect(mondayOf('2026-W48')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(mondayOf('2026-W01')?.toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(mondayOf('2026-W53')?.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(mondayOf('2025-W53')).toBeNull();
    expect(mondayOf('2026-W00')).toBeNull();
    expect(mondayOf('2026-W5')).toBeNull();
    expect(mondayOf('current')).toBeNull();
    expect(isWeek('2026-W48')).toBe(true);
    expect(isWeek('2026-11-23')).toBe(false);
  });

  it('steps weeks across years', () => {
    expect(addWeeks('2026-W48', 1)).toBe('2026-W49');
    expect(addWeeks('2026-W48', -1)).toBe('2026-W47');
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addWeeks('2027-W01', -1)).toBe('2026-W53');
    expect(() => addWeeks('nope', 1)).toThrow();
    expect(currentWeek(at('2026-11-25T09:00:00Z'))).toBe('2026-W48');
  });

  it('knows whether a week has begun: from its Monday 00:00 UTC', () => {
    expect(hasBegun('2026-W48', at('2026-11-23T00:00:00Z'))).toBe(true);
    expect(hasBegun('2026-W48', at('2026-11-22T23:59:59Z'))).toBe(false);
    expect(hasBegun('2026-W47', at('2026-11-23T00:00:00Z'))).toBe(true);
  });
});
