// Small formatting helpers, in the shown language unless a test pins one.

import { date, dateTime } from '../i18n/format';
import { locale as shown, m, type Locale } from '../i18n/locale.svelte';

export function formatDate(iso: string | null | undefined, loc: Locale = shown()): string {
  return iso ? date(iso, loc) : '';
}

export function formatDateTime(iso: string | null | undefined, loc: Locale = shown()): string {
  return iso ? dateTime(iso, loc) : '';
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "in 6 days", "3 hours ago", "now". */
export function relativeTime(iso: string, now: number = Date.now(), locale: string = shown()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.trunc(seconds / size), unit);
  }
  return fmt.format(0, 'second');
}

/** Up to two initials for an avatar: "Anna Petrova" → "AP". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1] ?? '')[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** "1 project", "3 projects": English only. Shown text counts with a
 * catalog plural instead (`m.common_projects_count({ count })`). */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Sorts by a string key, case- and accent-insensitively. */
export function byName<T>(key: (item: T) => string): (a: T, b: T) => number {
  const collator = new Intl.Collator(shown(), { sensitivity: 'base', numeric: true });
  return (a, b) => collator.compare(key(a), key(b));
}

/** A calendar day "YYYY-MM-DD" as local midnight, or null. */
export function parseDay(ymd: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  // Local midnight: a calendar day has no time zone, and new Date("2026-03-05")
  // would be UTC midnight, the day before west of Greenwich.
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** A calendar day "YYYY-MM-DD" as "5 Mar 2026" (or "5 Mar" this year). */
export function formatDay(ymd: string | null | undefined, now: number = Date.now(), locale: string = shown()): string {
  const d = ymd ? parseDay(ymd) : null;
  if (!d) return '';
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(
    locale,
    sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'medium' },
  ).format(d);
}

/** A calendar day with its weekday: "Thu, 5 Mar" (with the year when it
 * is not this year's). `long` spells both out: "Thursday, 5 March". */
export function formatWeekdayDay(
  ymd: string | null | undefined,
  now: number = Date.now(),
  locale: string = shown(),
  long = false,
): string {
  const d = ymd ? parseDay(ymd) : null;
  if (!d) return '';
  const len = long ? 'long' : 'short';
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, {
    weekday: len,
    day: 'numeric',
    month: len,
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(d);
}

/** Since when, in words that read well after "since": "14:05" today,
 * "yesterday", "Monday" within the week, else "5 Mar". */
export function sinceWhen(iso: string, now: number = Date.now(), locale: string = shown()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const days = Math.round((startOfDay(now) - startOfDay(t.getTime())) / 86_400_000);
  if (days <= 0) return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(t);
  if (days === 1) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-1, 'day');
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(t);
  return formatDay(today(t.getTime()), now, locale);
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Today as "YYYY-MM-DD" in local time, comparable with due dates as strings. */
export function today(now: number = Date.now()): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A compact "how long": "5 min", "3 h", "2 d". */
export function shortDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return m.lib_minutes({ minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return m.lib_hours({ hours });
  return m.lib_days({ days: Math.floor(hours / 24) });
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
