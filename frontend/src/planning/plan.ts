// The pure rules of the planning screens: which cards are in the week and
// in whose queue, the backlog's order and filter, and how a person's load
// is drawn. The load numbers themselves come from the server
// (models/sprint.go); nothing here recomputes them.

import type { Card, Kind, Load, PersonPlan, Placement, Priority, Project } from '../api/types';
import { listOrder, rankFor } from '../board/cards';
import { m } from '../i18n/locale.svelte';
import { hoursLabel } from '../lib/hours';

/** The queue key of cards planned for nobody. */
export const UNASSIGNED = 0;

/** Stands for the week's sprint while the server has not created it yet
 * (nothing was planned in the week): an optimistic card goes there. */
export const PENDING_SPRINT = -1;

// ---------------------------------------------------------------------------
// Queues.

/** A card's place in its queue; one without a place yet sorts first. */
const queueKey = (c: Card): string => c.sprint_rank ?? '';

/** By band (critical cards jump the queue), then the person's order. */
export const byQueue = listOrder(queueKey);

/** Whether a card is in the week of `sprintId` (null: the server has not
 * created it yet), counting cards just dropped there. */
export function inWeek(card: Card, sprintId: number | null): boolean {
  return card.sprint_id !== null && (card.sprint_id === sprintId || card.sprint_id === PENDING_SPRINT);
}

/** The week's cards by queue (person ID, or UNASSIGNED), each in order.
 * A card of someone without a column this week waits for the next
 * snapshot, which brings that person's column. */
export function queues(
  cards: Iterable<Card>,
  sprintId: number | null,
  people: readonly PersonPlan[],
): Map<number, Card[]> {
  const out = new Map<number, Card[]>(people.map((p) => [p.id, []]));
  out.set(UNASSIGNED, []);
  for (const c of cards) {
    if (!inWeek(c, sprintId) || c.archived_at !== null) continue;
    out.get(c.assignee_id ?? UNASSIGNED)?.push(c);
  }
  for (const list of out.values()) list.sort(byQueue);
  return out;
}

/** The place in the queue a placement gives, shown until the server's
 * answer replaces it. */
export function queueRankFor(queue: readonly Card[], placement: Placement, priority: Priority): string {
  return rankFor(queue, placement, priority, queueKey);
}

/** Urgent or critical work that came into the week after it began: it
 * draws on the buffer. */
export function arrivedDuringWeek(card: Card, monday: string): boolean {
  if (card.priority === 'normal' || card.planned_at === null) return false;
  return Date.parse(card.planned_at) > Date.parse(`${monday}T00:00:00Z`);
}

// ---------------------------------------------------------------------------
// The backlog.

export interface BacklogFilterState {
  text: string;
  client: number | null;
  project: number | null;
  priority: Priority | null;
  kind: Kind | null;
}

export function noBacklogFilter(): BacklogFilterState {
  return { text: '', client: null, project: null, priority: null, kind: null };
}

const PRIORITY_ORDER: Record<Priority, number> = { critical: 0, urgent: 1, normal: 2 };

/** The server's order: most pressing first, then by client, project,
 * column and rank. */
export function backlogOrder(projects: ReadonlyMap<number, Project>): (a: Card, b: Card) => number {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  return (a, b) => {
    const p = PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority];
    if (p !== 0) return p;
    const pa = projects.get(a.project_id);
    const pb = projects.get(b.project_id);
    const c =
      collator.compare(pa?.client_name ?? '', pb?.client_name ?? '') ||
      collator.compare(pa?.name ?? '', pb?.name ?? '');
    if (c !== 0) return c;
    if (a.status !== b.status) return a.status < b.status ? -1 : 1;
    if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
    return a.id - b.id;
  };
}

/** Open cards in no week that pass the filter (which the server applied
 * too; here it also holds for cards that arrive live). Text matches the
 * title or the number ("#12", "12"). */
export function inBacklog(card: Card, f: BacklogFilterState, projects: ReadonlyMap<number, Project>): boolean {
  if (card.sprint_id !== null || card.status === 'done' || card.archived_at !== null) return false;
  if (f.project !== null && card.project_id !== f.project) return false;
  if (f.client !== null && projects.get(card.project_id)?.client_id !== f.client) return false;
  if (f.priority !== null && card.priority !== f.priority) return false;
  if (f.kind !== null && card.kind !== f.kind) return false;
  const q = f.text.trim().toLowerCase();
  if (!q) return true;
  const num = /^#?(\d+)$/.exec(q);
  return (num !== null && card.number === Number(num[1])) || card.title.toLowerCase().includes(q);
}

// ---------------------------------------------------------------------------
// A person's load, drawn and said.

export interface BarPart {
  kind: 'planned' | 'free' | 'buffer-used' | 'buffer-free' | 'over';
  /** Share of the bar, 0–100. */
  percent: number;
}

/** The capacity bar: the plannable part (planned, then free), the buffer
 * (used by unplanned work, then free), and what the week cannot hold. */
export function barParts(load: Load): BarPart[] {
  const planned = Math.min(load.planned_minutes, load.plannable_minutes);
  const used = Math.min(load.unplanned_minutes, load.buffer_minutes);
  const parts: [BarPart['kind'], number][] = [
    ['planned', planned],
    ['free', load.plannable_minutes - planned],
    ['buffer-used', used],
    ['buffer-free', load.buffer_minutes - used],
    ['over', load.over_minutes],
  ];
  const total = parts.reduce((sum, [, m]) => sum + m, 0);
  if (total <= 0) return [];
  return parts.filter(([, m]) => m > 0).map(([kind, m]) => ({ kind, percent: (m / total) * 100 }));
}

/** "28 h of 32 h planned", "buffer 3 h of 8 h used", "4 h over",
 * "2 without estimate" — the last two only when there is something to say. */
export function loadLines(load: Load): {
  planned: string;
  buffer: string;
  over: string | null;
  unestimated: string | null;
} {
  return {
    planned: m.planning_load_planned({
      planned: hoursLabel(load.planned_minutes),
      plannable: hoursLabel(load.plannable_minutes),
    }),
    buffer: m.planning_load_buffer({
      used: hoursLabel(load.unplanned_minutes),
      buffer: hoursLabel(load.buffer_minutes),
    }),
    over: load.over_minutes > 0 ? m.planning_load_over({ hours: hoursLabel(load.over_minutes) }) : null,
    unestimated: load.unestimated > 0 ? m.planning_load_unestimated({ count: load.unestimated }) : null,
  };
}
