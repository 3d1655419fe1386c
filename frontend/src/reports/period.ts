// The default period of a report: the calendar month of a day, in the
// reader's own time zone.

const iso = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** 15 Nov 2026 → { from: "2026-11-01", to: "2026-11-30" }. */
export function monthOf(day: Date): { from: string; to: string } {
  return {
    from: iso(new Date(day.getFullYear(), day.getMonth(), 1)),
    to: iso(new Date(day.getFullYear(), day.getMonth() + 1, 0)),
  };
}
