import { describe, expect, it } from 'vitest';
import { age, currency, date, number, time, weekdays } from './format';

// Local noon, so no time zone moves the day.
const day = new Date(2026, 2, 5, 14, 5);

describe('formatting follows the language', () => {
  it('dates and times', () => {
    expect(date(day, 'pl')).toBe('5 mar 2026');
    expect(date(day, 'ru')).toBe('5 мар. 2026 г.');
    expect(date(day, 'ja')).toBe('2026/03/05');
    expect(time(day, 'pl')).toBe('14:05');
    expect(time(day, 'en')).toMatch(/^2:05\sPM$/);
  });

  it('numbers and money', () => {
    expect(number(1234.5, 'pl')).toBe('1234,5');
    expect(number(12345.5, 'ru')).toMatch(/^12\s345,5$/);
    expect(currency(1234.5, 'PLN', 'pl')).toMatch(/^1234,50\szł$/);
    expect(currency(1200, 'JPY', 'ja')).toBe('￥1,200');
  });

  it('weeks start on Monday in every language', () => {
    for (const l of ['en', 'pl', 'ru', 'ja'] as const) {
      const week = weekdays(l);
      expect(week[0]?.day).toBe(1);
      expect(week[6]?.day).toBe(0);
    }
    expect(weekdays('pl')[0]?.name).toBe('poniedziałek');
    expect(weekdays('ru', 'short')[6]?.name).toBe('вс');
  });
});

describe('age', () => {
  const H = 3_600_000;
  it('says how long in its largest whole unit, never a clock time', () => {
    expect(age(5 * 60_000, 'en')).toBe('5 min');
    expect(age(5 * H + 59 * 60_000, 'en')).toBe('5 hr');
    expect(age(3 * 24 * H + 2 * H, 'en')).toBe('3 days');
    expect(age(3 * 24 * H, 'ru')).toBe('3 дня');
    expect(age(5 * 24 * H, 'pl')).toBe('5 dni');
    expect(age(-1000, 'en')).toBe('0 min');
  });
});
