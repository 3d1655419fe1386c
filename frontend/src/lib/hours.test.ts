import { describe, expect, it } from 'vitest';
import { hoursLabel, parseHours, readHours } from './hours';

describe('hours', () => {
  it('writes minutes as whole hours and minutes', () => {
    expect(hoursLabel(80)).toBe('1 h 20 min');
    expect(hoursLabel(90)).toBe('1 h 30 min');
    expect(hoursLabel(255)).toBe('4 h 15 min');
    expect(hoursLabel(45)).toBe('45 min');
    expect(hoursLabel(1920)).toBe('32 h');
    expect(hoursLabel(0)).toBe('0 h');
  });

  it('reads hours, minutes, and what it writes', () => {
    expect(parseHours('1.5')).toBe(90);
    expect(parseHours(' 1,5 h ')).toBe(90);
    expect(parseHours('2 hours')).toBe(120);
    expect(parseHours('45 min')).toBe(45);
    expect(parseHours('45m')).toBe(45);
    expect(parseHours('.5')).toBe(30);
    expect(parseHours('1h20')).toBeUndefined();
    expect(parseHours('1h 20m')).toBe(80);
    for (const m of [80, 45, 1920, 0, 1]) expect(parseHours(hoursLabel(m))).toBe(m);
    expect(parseHours('')).toBeNull();
    expect(parseHours('soon')).toBeUndefined();
    expect(parseHours('h')).toBeUndefined();
    expect(parseHours('-1')).toBeUndefined();
  });
});

describe('readHours', () => {
  it('says what to type, in a whole sentence', () => {
    expect(readHours('-5', 'estimate')).toEqual({ problem: 'Hours cannot be negative; enter a number such as 2.5.' });
    expect(readHours('-5', 'capacity')).toEqual({
      problem: 'Hours cannot be negative; enter a number such as 32, or 0 for a week off.',
    });
    expect(readHours('soon', 'estimate')).toEqual({
      problem: 'Enter the hours as a number, such as 2.5, or minutes, such as 45 min.',
    });
    expect(readHours('0', 'estimate')).toEqual({
      problem: 'Enter at least one minute, or clear the field for no estimate.',
    });
    expect(readHours('1001', 'estimate')).toEqual({ problem: 'Enter at most 1000 hours.' });
    expect(readHours('', 'capacity')).toEqual({ problem: 'Enter the hours, such as 32, or 0 for a week off.' });
    for (const text of ['-5', 'soon', '0', '1001']) {
      const read = readHours(text, 'estimate');
      expect('problem' in read && /^[A-Z].*\.$/.test(read.problem)).toBe(true);
    }
  });

  it('reads what parseHours reads', () => {
    expect(readHours('1,5 h', 'estimate')).toEqual({ minutes: 90 });
    expect(readHours('', 'estimate')).toEqual({ minutes: null });
    expect(readHours('0', 'capacity')).toEqual({ minutes: 0 });
  });
});
