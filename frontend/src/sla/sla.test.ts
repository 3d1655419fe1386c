import { beforeAll, describe, expect, it } from 'vitest';
import type { SlaClock } from '../api/schema';
import { describeEvent } from '../board/activity';
import { setLocale } from '../i18n/locale.svelte';
import { clockText, mainClock } from './sla';

beforeAll(() => setLocale('en'));

const clock = (over: Partial<SlaClock>): SlaClock => ({
  goal: 'resolution',
  target_seconds: 4 * 3600,
  used_seconds: 3600,
  state: 'running',
  breached: false,
  due_at: null,
  ...over,
});

describe('clockText', () => {
  it('says how much business time is left, and warns in words from 80 %', () => {
    expect(clockText(clock({}))).toEqual({ text: 'Resolution: 3 h left', tone: 'ok' });
    expect(clockText(clock({ used_seconds: 3 * 3600 + 20 * 60 }))).toEqual({
      text: 'Resolution: only 40 min left',
      tone: 'warn',
    });
    expect(clockText(clock({ used_seconds: 3 * 3600 + 20 * 60, state: 'paused' })).text).toBe(
      'Resolution: paused, only 40 min left',
    );
  });
  it('says a paused clock waits, a stopped one met its target, a late one missed it', () => {
    expect(clockText(clock({ state: 'paused' })).text).toBe('Resolution: paused, 3 h left');
    expect(clockText(clock({ state: 'stopped', goal: 'first_response' })).text).toBe('First response: met');
    expect(clockText(clock({ used_seconds: 5 * 3600, breached: true }))).toEqual({
      text: 'Resolution: target missed',
      tone: 'late',
    });
  });
});

describe('mainClock', () => {
  it('shows a missed target first, then the clock that still runs', () => {
    const fr = clock({ goal: 'first_response', state: 'stopped' });
    const res = clock({});
    expect(mainClock({ first_response: fr, resolution: res })).toBe(res);
    const late = clock({ goal: 'first_response', state: 'stopped', breached: true });
    expect(mainClock({ first_response: late, resolution: res })).toBe(late);
    expect(mainClock({ first_response: fr, resolution: clock({ state: 'stopped' }) })).toBeNull();
    expect(mainClock(undefined)).toBeNull();
  });
});

describe('the activity of an SLA alert', () => {
  it('is a sentence of its own: nobody made it', () => {
    const base = { project_id: 1, seq: 1, actor_id: null, actor_name: '', task_id: 1, created_at: '' };
    expect(
      describeEvent(
        { ...base, kind: 'sla.alert', data: { task_id: 1, goal: 'first_response', level: 'breach' } },
        () => undefined,
      ),
    ).toBe('SLA breach — First response: target missed');
  });
});
