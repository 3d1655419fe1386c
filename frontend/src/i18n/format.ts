// Dates, times, numbers, durations and money in the shown language, all
// through Intl. Every function takes the locale last so tests can pin it;
// components leave it out and get the user's language.
//
// Weeks start on Monday whatever the locale says (the agency plans Monday to
// Sunday); ISO week names such as "2026-W48" are never localised.

import { locale as currentLocale, type Locale } from './locale.svelte';

type Instant = string | number | Date;

function toDate(v: Instant): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "5 mar 2026" (pl), "2026年3月5日" (ja). */
export function date(v: Instant, loc: Locale = currentLocale()): string {
  const d = toDate(v);
  return d ? new Intl.DateTimeFormat(loc, { dateStyle: 'medium' }).format(d) : '';
}

/** "14:05" (pl, ru, ja), "2:05 PM" (en). */
export function time(v: Instant, loc: Locale = currentLocale()): string {
  const d = toDate(v);
  return d ? new Intl.DateTimeFormat(loc, { timeStyle: 'short' }).format(d) : '';
}

export function dateTime(v: Instant, loc: Locale = currentLocale()): string {
  const d = toDate(v);
  return d ? new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : '';
}

/** "1 234,5" (pl), "1,234.5" (en). */
export function number(n: number, loc: Locale = currentLocale(), options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(loc, options).format(n);
}

/** "1 234,50 zł"; the currency is the agency's (ISO 4217), never guessed from the language. */
export function currency(amount: number, code: string, loc: Locale = currentLocale()): string {
  return new Intl.NumberFormat(loc, { style: 'currency', currency: code }).format(amount);
}

/** How long something has waited, in its largest whole unit: "5 min",
 * "5 hr", "3 days" (en), "3 дня" (ru). Never a clock time: a wait reads
 * the same whenever and wherever it is looked at. */
export function age(ms: number, loc: Locale = currentLocale()): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const fmt = (value: number, unit: 'minute' | 'hour' | 'day', unitDisplay: 'short' | 'long') =>
    new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay }).format(value);
  if (minutes < 60) return fmt(minutes, 'minute', 'short');
  if (minutes < 24 * 60) return fmt(Math.floor(minutes / 60), 'hour', 'short');
  return fmt(Math.floor(minutes / (24 * 60)), 'day', 'long');
}

/** The weekdays Monday first, as the week pickers show them:
 * index 0 is Monday (JavaScript day 1), 6 is Sunday (day 0). */
export function weekdays(
  loc: Locale = currentLocale(),
  width: 'long' | 'short' | 'narrow' = 'long',
): { day: number; name: string }[] {
  const fmt = new Intl.DateTimeFormat(loc, { weekday: width, timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => ({
    day: (i + 1) % 7,
    name: fmt.format(new Date(Date.UTC(2024, 0, 1 + i))),
  }));
}

/** "a, b i c" (pl), "a、b、c" (ja). */
export function list(parts: readonly string[], loc: Locale = currentLocale()): string {
  return new Intl.ListFormat(loc, { type: 'conjunction' }).format(parts);
}

/** A file's size: "830 B", "45 kB", "4.2 MB" (units of 1024 bytes). */
export function fileSize(bytes: number, loc: Locale = currentLocale()): string {
  const [value, unit] =
    bytes < 1024
      ? [bytes, 'byte']
      : bytes < 1024 * 1024
        ? [bytes / 1024, 'kilobyte']
        : [bytes / 1024 / 1024, 'megabyte'];
  return new Intl.NumberFormat(loc, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: unit === 'megabyte' ? 1 : 0,
  }).format(value);
}

/** A "2026-11" month as its name: "listopad 2026" (pl), "2026年11月" (ja). */
export function monthName(month: string, loc: Locale = currentLocale()): string {
  return new Intl.DateTimeFormat(loc, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/** A calendar day "2026-11-05" as "5 lis" (pl), "Nov 5" (en): the day
 * itself, in no time zone. */
export function shortDay(day: string, loc: Locale = currentLocale()): string {
  const d = toDate(`${day}T00:00:00Z`);
  return d ? new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d) : day;
}
