// How a statement writes its figures: amounts in the client's currency,
// periods as two calendar days.

import { currency } from '../i18n/format';
import { m } from '../i18n/locale.svelte';
import { formatDay } from '../lib/format';

/** Whole cents of a currency as "1 234,50 zł"; null (money hidden) as "". */
export function amount(cents: number | null | undefined, code: string | null | undefined): string {
  return cents === null || cents === undefined || !code ? '' : currency(cents / 100, code);
}

export function period(from: string, to: string, now: number = Date.now()): string {
  return m.statements_period({ from: formatDay(from, now), to: formatDay(to, now) });
}
