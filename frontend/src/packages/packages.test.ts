import { beforeEach, describe, expect, it } from 'vitest';
import type { PackageBalance, PackageUse } from '../api/schema';
import { date } from '../i18n/format';
import { setLocale } from '../i18n/locale.svelte';
import { hoursLeft, overrunAmount, termsOf, usedLine, usedPercent } from './packages';

beforeEach(() => setLocale('en'));

function use(over: Partial<PackageUse>): PackageUse {
  return {
    id: 1,
    client_id: 1,
    kind: 'retainer',
    name: '',
    minutes: 600,
    rollover: false,
    starts_on: '2026-11-01',
    ends_on: null,
    created_at: '',
    updated_at: '',
    granted_minutes: 600,
    used_minutes: 0,
    left_minutes: 600,
    left_before_minutes: 0,
    ...over,
  };
}

function balance(packages: PackageUse[], money: PackageBalance['money'] = null): PackageBalance {
  return { from: '2026-11-01', to: '2026-11-20', packages, overrun: [], overrun_minutes: 0, money };
}

describe('packages', () => {
  it('measures the used part of the current window, capped at 100', () => {
    expect(usedPercent(use({ left_minutes: 120 }))).toBe(80);
    expect(usedPercent(use({ left_minutes: 121 }))).toBe(79);
    expect(usedPercent(use({ left_minutes: 0 }))).toBe(100);
    expect(usedPercent(use({ granted_minutes: 0, left_minutes: 0 }))).toBe(0);
  });

  it('adds up what is left of the packages still running, not of ended ones', () => {
    const b = balance([
      use({ left_minutes: 90 }),
      use({ id: 2, kind: 'block', left_minutes: 300, ends_on: '2026-11-10' }),
      use({ id: 3, kind: 'block', left_minutes: 60, ends_on: '2026-11-20' }),
    ]);
    expect(hoursLeft(b)).toBe('Hours left: 2 h 30 min');
  });

  it('words what is left for the package: a retainer this month, a block until its end or in the block', () => {
    expect(hoursLeft(balance([use({ left_minutes: 90 }), use({ id: 2, left_minutes: 60 })]))).toBe(
      'Hours left this month: 2 h 30 min',
    );
    expect(hoursLeft(balance([use({ kind: 'block', left_minutes: 600 })]))).toBe('Hours left in this block: 10 h');
    expect(hoursLeft(balance([use({ kind: 'block', left_minutes: 600, ends_on: '2026-12-31' })]))).toBe(
      `Hours left until ${date('2026-12-31')}: 10 h`,
    );
    // Nothing runs any more: no month or block to speak of.
    expect(hoursLeft(balance([use({ ends_on: '2026-11-10' })]))).toBe('Hours left: 0 h');
  });

  it('says "this month" in a retainer’s line only', () => {
    expect(usedLine(use({ left_minutes: 120 }))).toBe('This month: 8 h of 10 h used (80 %), 2 h left');
    expect(usedLine(use({ kind: 'block', left_minutes: 120 }))).toBe('8 h of 10 h used (80 %), 2 h left');
  });

  it('gives the overrun amount only with money', () => {
    expect(overrunAmount(balance([]))).toBeNull();
    expect(overrunAmount(balance([], { currency: 'EUR', hourly_rate_cents: 9000, overrun_cents: 13550 }))).toEqual({
      amount: 135.5,
      currency: 'EUR',
    });
  });

  it('reads back a package as terms to edit', () => {
    expect(termsOf(use({ kind: 'block', name: 'Launch' }))).toEqual({
      kind: 'block',
      name: 'Launch',
      minutes: 600,
      rollover: false,
      starts_on: '2026-11-01',
      ends_on: null,
    });
  });
});
