// Durations as every screen writes and reads them: whole hours and minutes,
// "1 h 20 min" ("1 godz. 20 min", "1 ч 20 мин", "1時間20分"), one format
// everywhere (decimals such as 1.33 h are neither exact nor quick to read).

import { m } from '../i18n/locale.svelte';

/** 80 → "1 h 20 min", 45 → "45 min", 1920 → "32 h", 0 → "0 h". */
export function hoursLabel(minutes: number): string {
  const total = Math.round(minutes);
  const h = Math.floor(total / 60);
  const min = total % 60;
  if (h === 0 && min > 0) return m.lib_minutes({ minutes: min });
  return min > 0 ? m.lib_hours_minutes({ hours: h, minutes: min }) : m.lib_hours({ hours: h });
}

const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const BARE = new RegExp(`^${NUMBER}$`);

/** The unit word a label message puts after its number ("godz." → "godz"),
 * so what hoursLabel writes in the shown language reads back; a longer word
 * starting with it ("godziny", "часа") reads too. */
function unitOf(label: string): string {
  const word = label.replace(/[\d\s.]/g, '');
  return `${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\p{L}*\\.?`;
}

function spelled(): RegExp {
  const h = unitOf(m.lib_hours({ hours: 0 }));
  const min = unitOf(m.lib_minutes({ minutes: 0 }));
  return new RegExp(
    String.raw`^(?:${NUMBER}\s*(?:h|hours?|${h}))?\s*(?:${NUMBER}\s*(?:m|min|mins|minutes?|${min}))?$`,
    'u',
  );
}

/** What someone typed as an estimate or a capacity: hours ("1.5", "1,5",
 * "2 h"), minutes ("45 min", "45m") or both, as shown ("1 h 20 min"), in
 * English or the shown language. Empty → null (none); anything else
 * unreadable → undefined. */
export function parseHours(text: string): number | null | undefined {
  // NFKC: full-width digits and dots, as Japanese keyboards type them.
  const t = text.normalize('NFKC').trim().toLowerCase().replace(',', '.');
  if (t === '') return null;
  const bare = BARE.exec(t);
  if (bare) return Math.round(Number(bare[1]) * 60);
  const found = spelled().exec(t);
  if (!found || (found[1] === undefined && found[2] === undefined)) return undefined;
  return Math.round(Number(found[1] ?? 0) * 60 + Number(found[2] ?? 0));
}

/** The server's limit on an estimate (models.EstimateMaxHours). */
const ESTIMATE_MAX_HOURS = 1000;

/** What the hours are for: an estimate may be left empty (none) but is at
 * least a minute; a week's capacity must be given and may be 0 (a week off). */
export type HoursUse = 'estimate' | 'capacity';

/** Reads typed hours as parseHours does, or says in a whole sentence what
 * to type instead. */
export function readHours(text: string, use: HoursUse): { minutes: number | null } | { problem: string } {
  const estimate = use === 'estimate';
  if (/^\s*-/.test(text)) {
    return { problem: estimate ? m.lib_hours_negative_estimate() : m.lib_hours_negative_capacity() };
  }
  const minutes = parseHours(text);
  if (minutes === undefined) {
    return { problem: estimate ? m.lib_hours_unreadable_estimate() : m.lib_hours_unreadable_capacity() };
  }
  if (minutes === null) return estimate ? { minutes } : { problem: m.lib_hours_missing_capacity() };
  if (estimate && minutes < 1) return { problem: m.lib_hours_at_least_minute() };
  if (estimate && minutes > ESTIMATE_MAX_HOURS * 60)
    return { problem: m.lib_hours_at_most({ count: ESTIMATE_MAX_HOURS }) };
  return { minutes };
}
