import { describe, expect, it } from 'vitest';
import { parseRate, rateText } from './rates';

describe('rates', () => {
  it('reads typed amounts as cents', () => {
    expect(parseRate('120')).toBe(12000);
    expect(parseRate(' 99,5 ')).toBe(9950);
    expect(parseRate('0.07')).toBe(7);
    expect(parseRate('')).toBeNull();
    expect(parseRate('12.345')).toBeUndefined();
    expect(parseRate('-3')).toBeUndefined();
    expect(parseRate('abc')).toBeUndefined();
  });
  it('shows cents as typed', () => {
    expect(rateText(12000)).toBe('120');
    expect(rateText(9950)).toBe('99.50');
    expect(rateText(null)).toBe('');
  });
});
