import { describe, expect, it } from 'vitest';
import models from '../../../models/task.go?raw';
import { TITLE_MAX, lengthState } from './forms';

describe('length limits', () => {
  it('uses the server’s title limit', () => {
    expect(Number(/\bTitleMax\s*=\s*(\d+)/.exec(models)?.[1])).toBe(TITLE_MAX);
  });

  it('counts characters of the trimmed text, as the server does', () => {
    expect(lengthState('  abc  ', 3)).toEqual({ length: 3, near: true, over: false });
    expect(lengthState('😀'.repeat(3), 3).over).toBe(false);
    expect(lengthState('x'.repeat(269), 300)).toEqual({ length: 269, near: false, over: false });
    expect(lengthState('x'.repeat(270), 300).near).toBe(true);
    expect(lengthState('x'.repeat(301), 300).over).toBe(true);
  });
});
