// The team board's rows: one per staff person plus "Unassigned", each with
// the five columns and the person's load.

import type { Card, Status, TeamPerson } from '../api/types';
import { STATUSES } from '../api/types';
import { emptyColumns, listOrder, type Columns } from '../board/cards';

/** Open estimated hours above which a person is shown as overloaded: more
 * than a working week waiting for one person. */
export const OVERLOAD_HOURS = 40;

/** The row key of cards nobody is assigned to. */
export const UNASSIGNED = 0;

export interface Lane {
  key: number;
  /** Null for the "Unassigned" row. */
  person: TeamPerson | null;
  columns: Columns;
  /** Cards not done yet, and their estimated minutes. */
  open: number;
  openMinutes: number;
  overloaded: boolean;
}

/** Within a cell: by band (critical cards jump the queue), then by rank.
 * Ranks of different projects are not comparable, but this keeps each
 * project's own order. */
const byUrgency = listOrder();

/** One row per person, then "Unassigned". Someone with no weekly capacity
 * takes no work: their row shows only while cards are assigned to them. */
export function lanes(cards: Iterable<Card>, people: readonly TeamPerson[]): Lane[] {
  const byKey = new Map<number, Lane>();
  const add = (key: number, person: TeamPerson | null) => {
    const lane: Lane = { key, person, columns: emptyColumns(), open: 0, openMinutes: 0, overloaded: false };
    byKey.set(key, lane);
    return lane;
  };
  for (const p of people) add(p.id, p);
  const unassigned = add(UNASSIGNED, null);
  for (const c of cards) {
    // A card of someone no longer on the team (deactivated) has nobody to
    // do it: it waits with the unassigned ones.
    const lane = (c.assignee_id !== null && byKey.get(c.assignee_id)) || unassigned;
    lane.columns[c.status]?.push(c);
    if (c.status !== 'done') {
      lane.open++;
      lane.openMinutes += c.estimate_minutes ?? 0;
    }
  }
  const out = [...byKey.values()].filter(
    (lane) =>
      !lane.person || lane.person.weekly_capacity_minutes > 0 || STATUSES.some((s) => lane.columns[s].length > 0),
  );
  for (const lane of out) {
    for (const s of STATUSES) lane.columns[s].sort(byUrgency);
    lane.overloaded = lane.person !== null && lane.openMinutes > OVERLOAD_HOURS * 60;
  }
  return out;
}

/** What dropping a card in a row and column means. */
export function dropIntent(card: Card, laneKey: number, status: Status): { assignee?: number | null; status?: Status } {
  const assignee = laneKey === UNASSIGNED ? null : laneKey;
  const out: { assignee?: number | null; status?: Status } = {};
  if (assignee !== card.assignee_id) out.assignee = assignee;
  if (status !== card.status) out.status = status;
  return out;
}
