// Durations as the planning screens write and read them: in hours.

/** Minutes as hours with at most two decimals: 90 → "1.5", 20 → "0.33". */
export function hours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** "1.5 h". */
export function hoursLabel(minutes: number): string {
  return `${hours(minutes)} h`;
}

/** What someone typed as an estimate or a capacity: hours ("1.5", "1,5",
 * "2 h") or minutes ("45 min", "45m"). Empty → null (none); anything else
 * unreadable → undefined. */
export function parseHours(text: string): number | null | undefined {
  const t = text.trim().toLowerCase().replace(',', '.');
  if (t === '') return null;
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*(h|hours?|m|min|mins|minutes?)?$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'h';
  return Math.round(unit.startsWith('m') ? n : n * 60);
}

/** The server's limit on an estimate (models.EstimateMaxHours). */
const ESTIMATE_MAX_HOURS = 1000;

/** What the hours are for: an estimate may be left empty (none) but is at
 * least a minute; a week's capacity must be given and may be 0 (a week off). */
export type HoursUse = 'estimate' | 'capacity';

/** Reads typed hours as parseHours does, or says in a whole sentence what
 * to type instead. */
export function readHours(text: string, use: HoursUse): { minutes: number | null } | { problem: string } {
  const example = use === 'estimate' ? 'such as 2.5, or minutes, such as 45 min' : 'such as 32, or 0 for a week off';
  if (/^\s*-/.test(text)) {
    return {
      problem: `Hours cannot be negative; enter a number ${use === 'estimate' ? 'such as 2.5' : 'such as 32, or 0 for a week off'}.`,
    };
  }
  const minutes = parseHours(text);
  if (minutes === undefined) return { problem: `Enter the hours as a number, ${example}.` };
  if (minutes === null) return use === 'estimate' ? { minutes } : { problem: `Enter the hours, ${example}.` };
  if (use === 'estimate' && minutes < 1)
    return { problem: 'Enter at least one minute, or clear the field for no estimate.' };
  if (use === 'estimate' && minutes > ESTIMATE_MAX_HOURS * 60)
    return { problem: `Enter at most ${ESTIMATE_MAX_HOURS} hours.` };
  return { minutes };
}
