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
