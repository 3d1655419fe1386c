import { describe, expect, it } from 'vitest';
import { tickTask } from './checklist';

describe('task lists', () => {
  it('ticks the box at a byte offset, counting bytes as the server does', () => {
    const md = 'Ünïcödé 😀\n\n- [ ] Hero approved\n- [x] Copy';
    const first = new TextEncoder().encode(md).indexOf(0x5b);
    expect(tickTask(md, first, true)).toBe('Ünïcödé 😀\n\n- [x] Hero approved\n- [x] Copy');
    const second = md.length + 10; // bytes beyond the UTF-16 length
    expect(tickTask(md, new TextEncoder().encode(md).lastIndexOf(0x5b), false)).toBe(
      'Ünïcödé 😀\n\n- [ ] Hero approved\n- [ ] Copy',
    );
    expect(tickTask(md, second, true)).toBeNull();
    expect(tickTask(md, 0, true)).toBeNull();
  });
});
