// Time as people type and read it: what was typed, the day an entry is
// for in the person's own time zone (the server splits entries at the
// reader's midnights too), and a running timer's clock.

import { m } from '../i18n/locale.svelte';
import { today } from '../lib/format';
import { parseHours } from '../lib/hours';

/** The server's limit on one entry (models.EntryMinutesMax): a day. */
export const ENTRY_MAX_MINUTES = 24 * 60;

/** Typed time as minutes, or what to type instead. */
export function readDuration(text: string): { minutes: number } | { problem: string } {
  const minutes = parseHours(text);
  if (minutes === undefined || minutes === null || /^\s*-/.test(text)) return { problem: m.time_duration_unreadable() };
  if (minutes < 1 || minutes > ENTRY_MAX_MINUTES) return { problem: m.time_duration_range() };
  return { minutes };
}

/** "2026-11-02" → the instant that day starts here. */
export function startOfDay(ymd: string): string {
  const [y = 0, mo = 1, d = 1] = ymd.split('-').map(Number);
  return new Date(y, mo - 1, d).toISOString();
}

/** The local calendar day of an instant, "2026-11-02". */
export function localDay(iso: string): string {
  return today(Date.parse(iso));
}

/** A timer running this long is flagged for its owner (models.ReviewAfter). */
export const REVIEW_AFTER_MS = 10 * 60 * 60 * 1000;

/** Elapsed time as a clock shows it: "0:05", "12:40". */
export function elapsedLabel(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
