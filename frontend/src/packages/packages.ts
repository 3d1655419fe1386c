// A client's hour packages and balance (docs/API.md "Hour packages"):
// retainers and blocks of prepaid hours, what billable time used of them,
// and the overrun beyond them. Amounts come only to readers who may see
// money (money is null otherwise).

import { request } from '../api/client';
import type { HourPackage, PackageBalance, PackageUse } from '../api/schema';
import { date } from '../i18n/format';
import { m } from '../i18n/locale.svelte';
import { hoursLabel } from '../lib/hours';

export type PackageKind = 'retainer' | 'block';

/** A package's terms as the form sends them. */
export interface PackageTerms {
  kind: PackageKind;
  name: string;
  minutes: number;
  rollover: boolean;
  starts_on: string;
  ends_on: string | null;
}

/** The balance over from..to (days of the agency); without them, this
 * month up to today. */
export function getBalance(
  clientId: number,
  opts: { from?: string; to?: string; signal?: AbortSignal } = {},
): Promise<PackageBalance> {
  return request<PackageBalance>(`/api/clients/${clientId}/packages`, {
    query: { from: opts.from, to: opts.to },
    signal: opts.signal,
  });
}

export function createPackage(clientId: number, terms: PackageTerms): Promise<HourPackage> {
  return request<HourPackage>(`/api/clients/${clientId}/packages`, { method: 'POST', body: terms });
}

export function updatePackage(id: number, terms: PackageTerms): Promise<HourPackage> {
  return request<HourPackage>(`/api/packages/${id}`, { method: 'PUT', body: terms });
}

/** The terms of a package as it stands, to edit or end it. */
export function termsOf(p: HourPackage): PackageTerms {
  return {
    kind: p.kind === 'retainer' ? 'retainer' : 'block',
    name: p.name,
    minutes: p.minutes,
    rollover: p.rollover,
    starts_on: p.starts_on,
    ends_on: p.ends_on,
  };
}

/** How much of the package's current window (this month for a retainer)
 * is used, 0–100, for its meter. */
export function usedPercent(u: PackageUse): number {
  if (u.granted_minutes <= 0) return 0;
  return Math.min(100, Math.floor(((u.granted_minutes - u.left_minutes) * 100) / u.granted_minutes));
}

/** A package's use as a sentence beside its meter; a retainer's is of this
 * month's hours. */
export function usedLine(u: PackageUse): string {
  const words = u.kind === 'retainer' ? m.packages_used_of_month : m.packages_used_of;
  return words({
    used: hoursLabel(u.granted_minutes - u.left_minutes),
    granted: hoursLabel(u.granted_minutes),
    left: hoursLabel(u.left_minutes),
    percent: usedPercent(u),
  });
}

/** The hours left across every package that still runs on the balance's
 * last day, worded for what they are: a retainer's are this month's, a
 * block's last until the block ends (or, without an end, until used up);
 * a mix says only "left", and each package's line says the rest. */
export function hoursLeft(b: PackageBalance): string {
  const running = b.packages.filter((p) => p.starts_on <= b.to && (p.ends_on === null || p.ends_on >= b.to));
  const hours = hoursLabel(running.reduce((sum, p) => sum + p.left_minutes, 0));
  if (running.length > 0 && running.every((p) => p.kind === 'retainer')) return m.packages_hours_left({ hours });
  const [only, ...more] = running;
  if (!only || more.length > 0) return m.packages_hours_left_any({ hours });
  return only.ends_on
    ? m.packages_hours_left_until({ date: date(only.ends_on), hours })
    : m.packages_hours_left_block({ hours });
}

/** The overrun's amount in the currency's major units, for format.currency;
 * null when the reader sees no money. */
export function overrunAmount(b: PackageBalance): { amount: number; currency: string } | null {
  if (!b.money) return null;
  return { amount: b.money.overrun_cents / 100, currency: b.money.currency };
}
