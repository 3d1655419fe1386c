import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, setLocale } from '../i18n/locale.svelte';
import { hoursLabel, parseHours, readHours } from './hours';

beforeAll(() => setLocale('en'));

describe('hours', () => {
  it('writes minutes as whole hours and minutes', () => {
    expect(hoursLabel(80)).toBe('1 h 20 min');
    expect(hoursLabel(90)).toBe('1 h 30 min');
    expect(hoursLabel(255)).toBe('4 h 15 min');
    expect(hoursLabel(45)).toBe('45 min');
    expect(hoursLabel(1920)).toBe('32 h');
    expect(hoursLabel(0)).toBe('0 h');
  });

  it('writes them in the shown language', async () => {
    const want = {
      pl: ['1 godz. 20 min', '45 min', '32 godz.'],
      ru: ['1 ч 20 мин', '45 мин', '32 ч'],
      ja: ['1時間20分', '45分', '32時間'],
    };
    try {
      for (const [l, labels] of Object.entries(want)) {
        await setLocale(l as keyof typeof want);
        expect([80, 45, 1920].map(hoursLabel), l).toEqual(labels);
      }
    } finally {
      await setLocale('en');
    }
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

  it('reads back what it writes in every language, and what people type there', async () => {
    try {
      for (const l of LOCALES) {
        await setLocale(l);
        for (const m of [80, 45, 1920, 0, 1]) expect(parseHours(hoursLabel(m)), `${l} ${hoursLabel(m)}`).toBe(m);
        expect(parseHours('2 h 30 min'), l).toBe(150);
        expect(parseHours('soon'), l).toBeUndefined();
      }
      await setLocale('pl');
      expect(parseHours('2 godziny')).toBe(120);
      expect(parseHours('1,5 godz')).toBe(90);
      await setLocale('ru');
      expect(parseHours('2 часа 15 минут')).toBe(135);
      expect(parseHours('1,5ч')).toBe(90);
      await setLocale('ja');
      expect(parseHours('２時間３０分')).toBe(150);
      expect(parseHours('１．５')).toBe(90);
    } finally {
      await setLocale('en');
    }
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

  it('says it in the shown language, with examples that read back', async () => {
    try {
      await setLocale('pl');
      expect(readHours('1001', 'estimate')).toEqual({ problem: 'Wpisz najwyżej 1000 godzin.' });
      expect(readHours('-5', 'estimate')).toEqual({
        problem: 'Liczba godzin nie może być ujemna; wpisz liczbę, np. 2,5.',
      });
      expect(parseHours('2,5')).toBe(150);
      await setLocale('ru');
      expect(readHours('soon', 'estimate')).toEqual({
        problem: 'Введите часы числом, например 2,5, или минуты, например 45 мин.',
      });
      expect(parseHours('45 мин')).toBe(45);
      await setLocale('ja');
      expect(readHours('', 'capacity')).toEqual({ problem: '時間を入力してください。例：32（休みの週は 0）' });
      expect(parseHours('45分')).toBe(45);
    } finally {
      await setLocale('en');
    }
  });

  it('reads what parseHours reads', () => {
    expect(readHours('1,5 h', 'estimate')).toEqual({ minutes: 90 });
    expect(readHours('', 'estimate')).toEqual({ minutes: null });
    expect(readHours('0', 'capacity')).toEqual({ minutes: 0 });
  });
});
