import { describe, expect, it } from 'vitest';
import { noteLines } from './labels';

describe('noteLines', () => {
  it('takes each non-empty line without its list marker', () => {
    expect(noteLines('- Add a cookie banner\n\n* [ ] Fix the cart\n2. Call the host\nplain line  ')).toEqual([
      'Add a cookie banner',
      'Fix the cart',
      'Call the host',
      'plain line',
    ]);
  });
});
