// Weeks as people read them, in the shown language: "Week 48 · Nov 23 – 29".
// Apart from weeks.ts, which the e2e tests import without the catalog.

import { locale as shown, m } from '../i18n/locale.svelte';
import { DAY_MS, mondayOf } from './weeks';

/** "Week 48"; another year than now's is named: "Week 1 of 2027". */
export function weekName(id: string, now: number = Date.now()): string {
  const match = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!match) return id;
  const [year, week] = [Number(match[1]), Number(match[2])];
  return year === new Date(now).getUTCFullYear()
    ? m.planning_week_name({ week })
    : m.planning_week_name_year({ week, year: String(year) });
}

/** "Week 48 · Nov 23 – 29", "Tydzień 49 · 30 lis–6 gru": the days as
 * the language writes a range. */
export function weekLabel(id: string, now: number = Date.now(), locale: string = shown()): string {
  const monday = mondayOf(id);
  if (!monday) return id;
  const sunday = new Date(monday.getTime() + 6 * DAY_MS);
  const fmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${weekName(id, now)} · ${fmt.formatRange(monday, sunday)}`;
}
