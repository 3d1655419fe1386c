import { describe, expect, it } from 'vitest';
import { hours, hoursLabel, parseHours } from './hours';

describe('hours', () => {
  it('writes minutes as hours', () => {
    expect(hours(90)).toBe('1.5');
    expect(hours(20)).toBe('0.33');
    expect(hours(0)).toBe('0');
    expect(hoursLabel(1920)).toBe('32 h');
  });

  it('reads hours and minutes', () => {
    expect(parseHours('1.5')).toBe(90);
    expect(parseHours(' 1,5 h ')).toBe(90);
    expect(parseHours('2 hours')).toBe(120);
    expect(parseHours('45 min')).toBe(45);
    expect(parseHours('45m')).toBe(45);
    expect(parseHours('.5')).toBe(30);
    expect(parseHours('')).toBeNull();
    expect(parseHours('soon')).toBeUndefined();
    expect(parseHours('-1')).toBeUndefined();
  });
});
