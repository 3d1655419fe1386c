import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACK_FOR_MS, ConnectionNotice, OFFLINE_AFTER_MS } from './notice.svelte';

describe('ConnectionNotice', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says nothing about a drop shorter than a second', () => {
    const n = new ConnectionNotice();
    n.update(true);
    vi.advanceTimersByTime(OFFLINE_AFTER_MS - 1);
    n.update(false);
    vi.advanceTimersByTime(BACK_FOR_MS * 2);
    expect(n.state).toBe('online');
  });

  it('says offline after a second, back online when it returns, then nothing', () => {
    const n = new ConnectionNotice();
    n.update(true);
    vi.advanceTimersByTime(OFFLINE_AFTER_MS);
    expect(n.state).toBe('offline');
    n.update(false);
    expect(n.state).toBe('back');
    vi.advanceTimersByTime(BACK_FOR_MS - 1);
    expect(n.state).toBe('back');
    vi.advanceTimersByTime(1);
    expect(n.state).toBe('online');
  });

  it('a new drop during "Back online" waits its second again', () => {
    const n = new ConnectionNotice();
    n.update(true);
    vi.advanceTimersByTime(OFFLINE_AFTER_MS);
    n.update(false);
    n.update(true);
    expect(n.state).toBe('online');
    vi.advanceTimersByTime(OFFLINE_AFTER_MS);
    expect(n.state).toBe('offline');
  });
});
