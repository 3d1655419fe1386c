import { describe, expect, it } from 'vitest';
import { monthOf } from './period';

describe('monthOf', () => {
  it('gives the first and last day of the month', () => {
    expect(monthOf(new Date(2026, 10, 15))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthOf(new Date(2028, 1, 29))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf(new Date(2026, 11, 31))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
