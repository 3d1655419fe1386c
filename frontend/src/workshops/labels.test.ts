import { describe, expect, it } from 'vitest';
import { leftOutPlaces, noteLines } from './labels';

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

describe('leftOutPlaces', () => {
  it('puts each count under the last point of its section, or after the agenda', () => {
    const places = leftOutPlaces(
      ['carried', 'awaiting_reply', 'awaiting_reply', undefined, 'approval', 'awaiting_reply', 'free'],
      [
        { source: 'awaiting_reply', count: 25 },
        { source: 'approval', count: 3 },
        { source: 'stuck', count: 1 },
      ],
    );
    expect([...places.under]).toEqual([
      [5, [{ source: 'awaiting_reply', count: 25 }]],
      [4, [{ source: 'approval', count: 3 }]],
    ]);
    expect(places.after).toEqual([{ source: 'stuck', count: 1 }]);
  });
});
