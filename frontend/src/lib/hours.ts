// Durations as every screen writes and reads them: whole hours and minutes,
// "1 h 20 min", one format everywhere (decimals such as 1.33 h are neither
// exact nor quick to read).

/** 80 → "1 h 20 min", 45 → "45 min", 1920 → "32 h", 0 → "0 h". */
export function hoursLabel(minutes: number): string {
  const total = Math.round(minutes);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0 && m > 0) return `${m} min`;
  return m > 0 ? `${h} h ${m} min` : `${h} h`;
}

const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const BARE = new RegExp(`^${NUMBER}$`);
const SPELLED = new RegExp(String.raw`^(?:${NUMBER}\s*(?:h|hours?))?\s*(?:${NUMBER}\s*(?:m|min|mins|minutes?))?$`);

/** What someone typed as an estimate or a capacity: hours ("1.5", "1,5",
 * "2 h"), minutes ("45 min", "45m") or both, as shown ("1 h 20 min").
 * Empty → null (none); anything else unreadable → undefined. */
export function parseHours(text: string): number | null | undefined {
  const t = text.trim().toLowerCase().replace(',', '.');
  if (t === '') return null;
  const bare = BARE.exec(t);
  if (bare) return Math.round(Number(bare[1]) * 60);
  const m = SPELLED.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Math.round(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
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
