// A client's hour packages and balance (docs/API.md "Hour packages"):
// retainers and blocks of prepaid hours, what billable time used of them,
// and the overrun beyond them. Amounts come only to readers who may see
// money (money is null otherwise).

import { request } from '../api/client';
import type { HourPackage, PackageBalance, PackageUse } from '../api/schema';

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

/** The hours left across every package that still runs on the balance's
 * last day: what the client may still use this month. */
export function minutesLeft(b: PackageBalance): number {
  return b.packages
    .filter((p) => p.starts_on <= b.to && (p.ends_on === null || p.ends_on >= b.to))
    .reduce((sum, p) => sum + p.left_minutes, 0);
}

/** The overrun's amount in the currency's major units, for format.currency;
 * null when the reader sees no money. */
export function overrunAmount(b: PackageBalance): { amount: number; currency: string } | null {
  if (!b.money) return null;
  return { amount: b.money.overrun_cents / 100, currency: b.money.currency };
}
