// ISO weeks as the server names them ("2026-W48"): Monday to Sunday, in
// UTC like models.WeekOf, so that "this week" here is the server's.

export const DAY_MS = 86_400_000;

/** A UTC midnight. */
function utcDay(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m, d));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The ISO week containing an instant, as "2026-W48". */
export function weekOf(at: Date | number): string {
  const t = new Date(at);
  const day = utcDay(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  // The week belongs to the year of its Thursday.
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utcDay(year, 0, 1).getTime()) / DAY_MS / 7);
  return `${year}-W${pad2(week)}`;
}

/** The Monday (UTC midnight) of "2026-W48", or null for anything else,
 * including a week the year does not have. */
export function mondayOf(id: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  // Week 1 contains January 4th.
  const jan4 = utcDay(year, 0, 4);
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS + (week - 1) * 7 * DAY_MS);
  return weekOf(monday) === id ? monday : null;
}

export function isWeek(id: string): boolean {
  return mondayOf(id) !== null;
}

/** The week `n` weeks after (before, when negative) a valid week. */
export function addWeeks(id: string, n: number): string {
  const monday = mondayOf(id);
  if (!monday) throw new Error(`not a week: ${id}`);
  return weekOf(monday.getTime() + n * 7 * DAY_MS);
}

export function currentWeek(now: number = Date.now()): string {
  return weekOf(now);
}

/** Whether a valid week's Monday has come; the server refuses to close a
 * week before that. */
export function hasBegun(id: string, now: number = Date.now()): boolean {
  return mondayOf(id)!.getTime() <= now;
}
