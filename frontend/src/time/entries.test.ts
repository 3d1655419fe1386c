import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/locale.svelte';
import { elapsedLabel, localDay, readDuration, startOfDay } from './entries';

describe('time written by hand', () => {
  it('reads hours and minutes, and refuses what the server would', async () => {
    await setLocale('en');
    expect(readDuration('1 h 30 min')).toEqual({ minutes: 90 });
    expect(readDuration('1.5')).toEqual({ minutes: 90 });
    expect(readDuration('45 min')).toEqual({ minutes: 45 });
    expect(readDuration('24')).toEqual({ minutes: 1440 });
    expect(readDuration('25')).toHaveProperty('problem');
    expect(readDuration('0')).toHaveProperty('problem');
    expect(readDuration('')).toHaveProperty('problem');
    expect(readDuration('-1')).toHaveProperty('problem');
    expect(readDuration('soon')).toHaveProperty('problem');
  });

  it('puts an entry at the start of its local day', () => {
    const at = startOfDay('2026-11-02');
    expect(localDay(at)).toBe('2026-11-02');
    expect(new Date(at).getHours()).toBe(0);
  });
});

describe('elapsedLabel', () => {
  it('writes hours and minutes as a clock', () => {
    expect(elapsedLabel(0)).toBe('0:00');
    expect(elapsedLabel(59_999)).toBe('0:00');
    expect(elapsedLabel(5 * 60_000)).toBe('0:05');
    expect(elapsedLabel((12 * 60 + 40) * 60_000)).toBe('12:40');
    expect(elapsedLabel(-1000)).toBe('0:00');
  });
});
