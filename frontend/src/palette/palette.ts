// What the command palette offers and how it narrows as one types, free of
// components so that it can be unit-tested. Palette.svelte draws it; the
// search page shows hits the same way.

import type { SearchHit, TimeEntry } from '../api/types';
import { cardPath } from '../board/links';
import { date } from '../i18n/format';
import { m } from '../i18n/locale.svelte';
import { columnLabel } from '../i18n/terms';

export type Group = 'results' | 'recent' | 'actions' | 'pages' | 'projects' | 'clients' | 'people';

/** The order the groups are shown in: search results first once typed. */
export const GROUPS: readonly Group[] = ['results', 'recent', 'actions', 'pages', 'projects', 'clients', 'people'];

interface ItemBase {
  id: string;
  group: Group;
  label: string;
  /** A second line: the project and client, a status. */
  detail?: string;
  /** A snippet with matched words marked (U+0002 … U+0003, as the API sends). */
  snippet?: string;
}

/** An item either leads somewhere or does something where one is. */
export type PaletteItem = ItemBase & ({ href: string; run?: never } | { run: () => void; href?: never });

/** At most this many items per group, so one group never buries the rest. */
export const PER_GROUP = 6;

/** The number of "#123" (also "123" alone is a word search, not a jump). */
export function cardNumber(text: string): number | null {
  const m = /^#(\d{1,15})$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** The items whose label holds every typed word, case- and accent-blind,
 * grouped in GROUPS order and capped per group. */
export function narrow(items: readonly PaletteItem[], text: string): PaletteItem[] {
  const words = fold(text).split(/\s+/).filter(Boolean);
  const hits = items.filter((it) => {
    const label = fold(it.label);
    return words.every((w) => label.includes(w));
  });
  return GROUPS.flatMap((g) => hits.filter((it) => it.group === g).slice(0, PER_GROUP));
}

/** The items not already among the search results: a card opened lately,
 * or a project or client the search found too, is listed once, as a hit. */
export function besides(results: readonly PaletteItem[], items: readonly PaletteItem[]): PaletteItem[] {
  const found = new Set(results.map((it) => it.href));
  return items.filter((it) => !it.href || !found.has(it.href));
}

// Polish ł has no decomposition; the rest of the accents go with NFD.
function fold(s: string): string {
  return s.toLocaleLowerCase().replace(/ł/g, 'l').normalize('NFD').replace(/\p{M}/gu, '');
}

/** A snippet as runs of plain and marked text. */
export function snippetParts(s: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  // The markers are the API's own control characters, which user text cannot hold.
  // eslint-disable-next-line no-control-regex
  for (const [i, piece] of s.split(/[\u0002\u0003]/).entries()) {
    if (piece) parts.push({ text: piece, mark: i % 2 === 1 });
  }
  return parts;
}

// Recently opened cards, newest first, kept in this browser per user.

export interface RecentCard {
  number: number;
  title: string;
  project_id: number;
}

const RECENT_MAX = 8;

function recentKey(userId: number): string {
  return `doska.recent-cards.${userId}`;
}

export function recentCards(userId: number, storage: Pick<Storage, 'getItem'> = localStorage): RecentCard[] {
  try {
    const list: unknown = JSON.parse(storage.getItem(recentKey(userId)) ?? '[]');
    return Array.isArray(list) ? (list as RecentCard[]).filter((c) => Number.isInteger(c?.number)) : [];
  } catch {
    return [];
  }
}

export function rememberCard(
  userId: number,
  card: RecentCard,
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): void {
  const list = [card, ...recentCards(userId, storage).filter((c) => c.number !== card.number)].slice(0, RECENT_MAX);
  try {
    storage.setItem(recentKey(userId), JSON.stringify(list));
  } catch {
    // A full or disabled storage only loses the list.
  }
}

/** A search hit as a line: the card with its project, client, column and
 * assignee, a workshop (or its agenda item) with its client, or the project
 * or client itself. */
export function hitItem(h: SearchHit): PaletteItem {
  const id = `hit-${h.source}-${h.source_id}`;
  const place = [h.project_name, h.client_name].filter(Boolean);
  if (h.card) {
    return {
      id,
      group: 'results',
      label: `#${h.card.number} ${h.card.title}`,
      detail: [...place, columnLabel(h.card.status), h.card.assignee_name].filter(Boolean).join(' · '),
      snippet: h.snippet,
      href: cardPath(h.project_id ?? 0, h.card.number),
    };
  }
  if (h.workshop) {
    const meeting = m.search_hit_workshop({ date: date(h.workshop.starts_at) });
    const internal = h.source === 'workshop_internal' ? m.search_hit_internal_notes() : '';
    return {
      id,
      group: 'results',
      label: h.workshop.item_title || meeting,
      detail: [h.workshop.item_title ? meeting : '', h.client_name, internal].filter(Boolean).join(' · '),
      snippet: h.snippet,
      href: `/workshops/${h.workshop.id}`,
    };
  }
  if (h.source === 'client') return { id, group: 'results', label: h.client_name, href: `/clients/${h.client_id}` };
  return { id, group: 'results', label: h.project_name, detail: h.client_name, href: `/projects/${h.project_id}` };
}

/** A card the timer can start on: the one open, or the one "#123" found. */
export interface TimerCard {
  id: number;
  number: number;
  title: string;
  /** The card open behind the palette ("this card"). */
  here?: boolean;
}

/** The timer's actions: stop the running timer, and start it on each card
 * offered unless it already runs there. */
export function timerItems(
  running: TimeEntry | null,
  cards: readonly TimerCard[],
  act: { start(taskId: number): void; stop(): void },
): PaletteItem[] {
  const items: PaletteItem[] = [];
  if (running) {
    items.push({
      id: 'timer-stop',
      group: 'actions',
      label: m.time_stop_on({ number: running.task_number, title: running.task_title }),
      run: () => act.stop(),
    });
  }
  for (const c of cards) {
    if (c.id === running?.task_id || items.some((it) => it.id === `timer-start-${c.id}`)) continue;
    const card = { number: c.number, title: c.title };
    items.push({
      id: `timer-start-${c.id}`,
      group: 'actions',
      label: c.here ? m.palette_timer_here(card) : m.time_start_on(card),
      run: () => act.start(c.id),
    });
  }
  return items;
}
