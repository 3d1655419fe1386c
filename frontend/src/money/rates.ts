// A client's rates (docs/API.md "Rates"): what an hour costs, per client
// with per-project overrides, in hundredths of the currency's unit, the yen included.

import { request } from '../api/client';
import type { Rates } from '../api/schema';

export function getRates(clientId: number, signal?: AbortSignal): Promise<Rates> {
  return request<Rates>(`/api/clients/${clientId}/rates`, { signal });
}

export function setRates(clientId: number, rates: Rates): Promise<Rates> {
  return request<Rates>(`/api/clients/${clientId}/rates`, { method: 'PUT', body: rates });
}

/** Currencies the agency bills in; the server checks the same list. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'PLN', 'CHF', 'SEK', 'NOK', 'DKK', 'CZK', 'JPY', 'CAD', 'AUD'];

/** Cents as typed in a field ("120" or "120.50"); blank is ''. */
export function rateText(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return cents % 100 ? (cents / 100).toFixed(2) : String(cents / 100);
}

/** A typed amount as cents: undefined when unreadable, null when blank.
 * A comma is a decimal point too, as Polish and Russian write it. */
export function parseRate(text: string): number | null | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}
