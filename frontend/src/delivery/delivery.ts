// The pure rules of client delivery as the UI shows them: the deploy
// window, the deploy list's days, and what to say after an approval
// command. No Svelte, no network.

import type { Card, ListedCard } from '../api/types';
import { weekdays } from '../i18n/format';
import { m } from '../i18n/locale.svelte';
import { columnLabel } from '../i18n/terms';
import { formatWeekdayDay, parseDay, today } from '../lib/format';
import type { Notice } from '../ui/Toast.svelte';

/** The weekdays in the order a week is shown, Monday first, with the
 * API's numbers (0 = Sunday … 6 = Saturday); their names are read when
 * shown, in the language shown then. */
export const WEEKDAYS: readonly { day: number; short: string; long: string }[] = [1, 2, 3, 4, 5, 6, 0].map(
  (day, i) => ({
    day,
    get short() {
      return weekdays(undefined, 'short')[i]!.name;
    },
    get long() {
      return weekdays(undefined, 'long')[i]!.name;
    },
  }),
);

/** "Mon–Thu" for a run of days, else "Mon, Wed, Fri"; Monday first. */
export function windowLabel(days: readonly number[]): string {
  const picked = WEEKDAYS.filter((w) => days.includes(w.day));
  if (picked.length === 0) return m.delivery_no_day();
  const idx = picked.map((w) => WEEKDAYS.indexOf(w));
  const run = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  if (run && picked.length >= 3) return `${picked[0]!.short}–${picked[picked.length - 1]!.short}`;
  return picked.map((w) => w.short).join(', ');
}

/** Urgent and critical work may go out on any day. */
export function isHotfix(card: Pick<Card, 'priority'>): boolean {
  return card.priority !== 'normal';
}

/** Why a deploy day is outside the window, or '' when it is fine (or no
 * day, or a hotfix). The server checks the same and still accepts it. */
export function windowWarning(day: string, window: readonly number[] | null, card: Pick<Card, 'priority'>): string {
  const d = day ? parseDay(day) : null;
  if (!d || !window || isHotfix(card) || window.includes(d.getDay())) return '';
  return deployWarningText({ weekday: d.getDay(), window });
}

/** The server's warning after an approval (a code, the chosen weekday and
 * the window's days, 0 = Sunday) in the reader's language. */
export function deployWarningText(warning: { weekday: number; window: readonly number[] }): string {
  const name = WEEKDAYS.find((w) => w.day === warning.weekday)!.long;
  return m.delivery_outside_window({ day: name, window: windowLabel(warning.window) });
}

/** "YYYY-MM-DD" `n` days after the day of `now`. */
export function dayAfter(now: number, n: number): string {
  const d = new Date(now);
  return today(new Date(d.getFullYear(), d.getMonth(), d.getDate() + n).getTime());
}

export interface DeployDay {
  /** The day, or null for "any day". */
  day: string | null;
  label: string;
  /** The day has passed and the change is still not out. */
  late: boolean;
  cards: ListedCard[];
}

/** The deploy list by planned day, in day order, "Any day" last. */
export function deployDays(cards: readonly ListedCard[], now: number = Date.now(), locale?: string): DeployDay[] {
  const todayStr = today(now);
  const tomorrow = dayAfter(now, 1);
  const byDay = new Map<string | null, ListedCard[]>();
  for (const c of cards) {
    const list = byDay.get(c.deploy_on) ?? [];
    list.push(c);
    byDay.set(c.deploy_on, list);
  }
  const days = [...byDay.keys()].filter((d): d is string => d !== null).sort();
  const out: DeployDay[] = days.map((day) => ({
    day,
    label:
      day === todayStr
        ? m.delivery_today()
        : day === tomorrow
          ? m.delivery_tomorrow()
          : formatWeekdayDay(day, now, locale, true),
    late: day < todayStr,
    cards: byDay.get(day)!,
  }));
  const anyDay = byDay.get(null);
  if (anyDay) out.push({ day: null, label: m.delivery_any_day(), late: false, cards: anyDay });
  return out;
}

/** What to tell the user after an approval command in a list, where the
 * card may leave the list at once. */
export function outcomeNotice(card: Card, conflict: boolean, warning = ''): Notice {
  const ref = `#${card.number}`;
  if (conflict) return { text: m.delivery_notice_conflict({ ref }), tone: 'error' };
  if (card.status === 'done') return { text: m.delivery_notice_deployed({ ref }), tone: 'info' };
  if (card.status === 'approval' && card.approval_state === 'approved') {
    const approved = m.delivery_notice_approved({ ref });
    return { text: warning ? `${approved} ${warning}` : approved, tone: 'info' };
  }
  if (card.approval_state === 'changes_requested') return { text: m.delivery_notice_changes({ ref }), tone: 'info' };
  return { text: m.delivery_notice_moved({ ref, column: columnLabel(card.status) }), tone: 'info' };
}
