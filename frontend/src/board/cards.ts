// The pure rules of a board: column order, where a dropped card goes, the
// filters, and how a live event changes the cards. No Svelte, no network.

import type { BoardEvent, Card, Kind, Placement, Priority, Status } from '../api/types';
import { KINDS, PRIORITIES, STATUSES } from '../api/types';

export const STATUS_LABELS: Record<Status, string> = {
  set: 'Set',
  in_progress: 'In progress',
  awaiting_reply: 'Awaiting reply',
  approval: 'Approval',
  done: 'Done',
};

export const KIND_LABELS: Record<Kind, string> = {
  task: 'Task',
  bug: 'Bug',
  question: 'Question',
  change: 'Change request',
  order: 'Paid order',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  normal: 'Normal',
  urgent: 'Urgent',
  critical: 'Critical',
};

/** Whether it is the client's move: a question waits for an answer, or a
 * change on staging for approval (once approved, the agency deploys). */
export function waitsForClient(card: Pick<Card, 'status' | 'approval_state'>): boolean {
  return card.status === 'awaiting_reply' || (card.status === 'approval' && card.approval_state !== 'approved');
}

/** What moving a card from one column to another asks of the user: a
 * question for the client, or the staging link to approve. */
export function columnNeeds(from: Status | null, to: Status): 'question' | 'approval' | null {
  if (from === to) return null;
  if (to === 'awaiting_reply') return 'question';
  if (to === 'approval') return 'approval';
  return null;
}

/** A priority's band in every list of cards: critical cards stay on top,
 * then urgent, then normal. */
export const BAND: Record<Priority, number> = { critical: 0, urgent: 1, normal: 2 };

/** The order of every list of cards (a column, a person's queue): band
 * first, then the manual order that `key` reads, then the ID. It mirrors
 * models.InBand on the server, so the snapshot and the screen agree.
 * Keys are byte-ordered (PostgreSQL collates them "C"), so they are
 * compared as plain strings: localeCompare would sort "a" before "B". */
export function listOrder(key: (c: Card) => string = (c) => c.rank): (a: Card, b: Card) => number {
  return (a, b) => {
    if (a.priority !== b.priority) return BAND[a.priority] - BAND[b.priority];
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id - b.id;
  };
}

const byRank = listOrder();

export type Columns = Record<Status, Card[]>;

export function emptyColumns(): Columns {
  return { set: [], in_progress: [], awaiting_reply: [], approval: [], done: [] };
}

/** The cards by column, each in rank order. */
export function groupColumns(cards: Iterable<Card>): Columns {
  const cols = emptyColumns();
  for (const c of cards) cols[c.status]?.push(c);
  for (const s of STATUSES) cols[s].sort(byRank);
  return cols;
}

/** Where a card dropped at `index` of the list the user sees goes: right
 * after the card above it, else right before the card below it, else the
 * top. Neighbours by ID, so that the server places it in the full column
 * even when the list was filtered. */
export function placementAt(list: readonly Card[], index: number): Placement {
  const above = list[index - 1];
  if (above) return { after_id: above.id };
  const below = list[index + 1];
  if (below) return { before_id: below.id };
  return {};
}

/** Whether a drop left a list as it was. */
export function sameOrder(a: readonly Card[], b: readonly Card[]): boolean {
  return a.length === b.length && a.every((c, i) => c.id === b[i]?.id);
}

// Character codes below and above every rank character. The server's keys
// are base-62; a key made here is only shown until the server's answer
// replaces it, so it may use any character that sorts right.
const LOW = 0;
const HIGH = 0xffff;

/** A key that sorts strictly between `above` ('' for none) and `below`
 * (null for none), for showing a moved card in place at once. */
export function rankBetween(above: string, below: string | null): string {
  let upper = below !== null && above < below ? below : null;
  let prefix = '';
  for (let i = 0; ; i++) {
    const lo = i < above.length ? above.charCodeAt(i) : LOW;
    const hi = upper !== null && i < upper.length ? upper.charCodeAt(i) : HIGH;
    if (lo === hi) {
      prefix += String.fromCharCode(lo);
      continue;
    }
    const mid = (lo + hi) >> 1;
    if (mid > lo) return prefix + String.fromCharCode(mid);
    // Adjacent characters: keep the lower one; every longer key is then
    // already below `upper`, so only `above` bounds what follows.
    prefix += String.fromCharCode(lo);
    upper = null;
  }
}

/** The rank a placement gives a card of `priority` in a list (in list
 * order, without the card), the way the server computes it: next to the
 * named neighbour when it is of the same band, else at the nearest place
 * inside the card's own band. `key` reads the list's order (a column's
 * rank, a week's queue rank). */
export function rankFor(
  list: readonly Card[],
  placement: Placement,
  priority: Priority,
  key: (c: Card) => string = (c) => c.rank,
): string {
  const band = list.filter((c) => c.priority === priority);
  const id = placement.after_id ?? placement.before_id;
  const pivot = list.find((c) => c.id === id);
  let at = 0; // index in the band the card takes
  if (pivot?.priority === priority) at = band.indexOf(pivot) + (placement.after_id !== undefined ? 1 : 0);
  else if (pivot && BAND[pivot.priority] > BAND[priority]) at = band.length;
  return rankBetween(band[at - 1] ? key(band[at - 1]!) : '', band[at] ? key(band[at]!) : null);
}

// ---------------------------------------------------------------------------
// Filters, applied in the browser.

export interface CardFilter {
  text: string;
  /** 'any', 'none' (unassigned) or a user ID. */
  assignee: 'any' | 'none' | number;
  priority: 'any' | Priority;
  kind: 'any' | Kind;
}

export function noFilter(): CardFilter {
  return { text: '', assignee: 'any', priority: 'any', kind: 'any' };
}

export function isFiltering(f: CardFilter): boolean {
  return f.text.trim() !== '' || f.assignee !== 'any' || f.priority !== 'any' || f.kind !== 'any';
}

/** The filter as an address query ("?priority=urgent&assignee=4"), what a
 * saved board filter keeps: the same link applies it for anyone. */
export function filterQuery(f: CardFilter): string {
  const p = new URLSearchParams();
  if (f.text.trim()) p.set('text', f.text.trim());
  if (f.assignee !== 'any') p.set('assignee', String(f.assignee));
  if (f.priority !== 'any') p.set('priority', f.priority);
  if (f.kind !== 'any') p.set('kind', f.kind);
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** The filter an address query holds; what it cannot read stays "any". */
export function filterFromQuery(search: string): CardFilter {
  const p = new URLSearchParams(search);
  const f = noFilter();
  f.text = p.get('text') ?? '';
  const a = p.get('assignee');
  if (a === 'none') f.assignee = a;
  else if (a && /^\d+$/.test(a)) f.assignee = Number(a);
  const pr = p.get('priority');
  if (pr && (PRIORITIES as readonly string[]).includes(pr)) f.priority = pr as Priority;
  const k = p.get('kind');
  if (k && (KINDS as readonly string[]).includes(k)) f.kind = k as Kind;
  return f;
}

/** Text matches the title, or the number as "#12" or "12". */
export function matchesFilter(card: Card, f: CardFilter): boolean {
  if (f.assignee === 'none' ? card.assignee_id !== null : f.assignee !== 'any' && card.assignee_id !== f.assignee) {
    return false;
  }
  if (f.priority !== 'any' && card.priority !== f.priority) return false;
  if (f.kind !== 'any' && card.kind !== f.kind) return false;
  const q = f.text.trim().toLowerCase();
  if (!q) return true;
  const num = /^#?(\d+)$/.exec(q);
  if (num && card.number === Number(num[1])) return true;
  return card.title.toLowerCase().includes(q);
}

// ---------------------------------------------------------------------------
// Live events. Applying one is idempotent: a card changes only for a newer
// version, so a replayed or late event (or an HTTP answer that arrived
// first) never takes a card back in time.

export function isNewer(card: Card, shown: Card | undefined): boolean {
  return !shown || card.version > shown.version;
}

/** The cards after the event, or null when it changes none of them. */
export function applyEvent(cards: ReadonlyMap<number, Card>, ev: BoardEvent): Map<number, Card> | null {
  switch (ev.kind) {
    case 'task.created':
    case 'task.updated':
    case 'task.moved':
    case 'task.restored':
    case 'task.approved':
    case 'task.changes_requested':
    case 'task.deployed':
    case 'task.quote_sent':
    case 'task.quote_accepted':
    case 'task.quote_declined':
    case 'task.quote_overridden': {
      const card = ev.data.task;
      if (!isNewer(card, cards.get(card.id))) return null;
      return new Map(cards).set(card.id, card);
    }
    case 'task.archived': {
      const shown = cards.get(ev.data.task.id);
      if (!shown || ev.data.task.version < shown.version) return null;
      const next = new Map(cards);
      next.delete(shown.id);
      return next;
    }
    case 'comment.created':
    case 'comment.updated':
    case 'comment.deleted': {
      const shown = cards.get(ev.data.task_id);
      if (!shown || shown.comment_count === ev.data.comment_count) return null;
      return new Map(cards).set(shown.id, { ...shown, comment_count: ev.data.comment_count });
    }
    case 'column.respaced': {
      let next: Map<number, Card> | null = null;
      for (const [id, rank] of Object.entries(ev.data.ranks)) {
        const shown = cards.get(Number(id));
        if (!shown || shown.rank === rank) continue;
        next ??= new Map(cards);
        next.set(shown.id, { ...shown, rank });
      }
      return next;
    }
    default:
      return null;
  }
}

/** Sum of estimates in minutes (null estimates count as nothing). */
export function estimateMinutes(cards: readonly Card[]): number {
  return cards.reduce((sum, c) => sum + (c.estimate_minutes ?? 0), 0);
}
