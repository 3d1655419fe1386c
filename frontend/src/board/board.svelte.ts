// The cards a board shows, as reactive state, changed by live events, by
// the answers to the user's own commands and, optimistically, by drops.
// The project board and the team board share it; only their grouping
// differs.

import type { BoardEvent, Card, Placement, Project, Status } from '../api/types';
import { applyEvent, groupColumns, isNewer, rankFor } from './cards';

export type TaskListener = (ev: BoardEvent) => void;

export class BoardStore {
  cards = $state.raw<ReadonlyMap<number, Card>>(new Map());
  /** The project of a project board (members, client), kept current by
   * project.updated events. */
  project = $state.raw<Project | null>(null);
  columns = $derived(groupColumns(this.cards.values()));

  #held = false;
  #queue: (() => void)[] = [];
  #listeners = new Set<TaskListener>();

  /** Shows a snapshot; changes held back during a drag are dropped with
   * the old state they were meant for. */
  load(cards: readonly Card[], project: Project | null = null): void {
    this.#queue = [];
    this.cards = new Map(cards.map((c) => [c.id, c]));
    this.project = project;
  }

  /** While the user drags, the lists under the pointer must not change:
   * changes wait until the drop. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    const queued = this.#queue;
    this.#queue = [];
    for (const fn of queued) fn();
  }

  #change(fn: () => void): void {
    if (this.#held) this.#queue.push(fn);
    else fn();
  }

  /** Applies a live event. Listeners (an open card panel) hear about
   * events on tasks at once, even during a drag. */
  apply(ev: BoardEvent): void {
    this.#change(() => {
      if (ev.kind === 'project.updated') {
        if (this.project?.id === ev.data.project.id) this.project = ev.data.project;
        return;
      }
      const next = applyEvent(this.cards, ev);
      if (next) this.cards = next;
    });
    if (ev.task_id !== null) for (const fn of this.#listeners) fn(ev);
  }

  /** Hears every event about a task, for the open card panel. */
  onTaskEvent(fn: TaskListener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Shows a card from a command's answer, unless a newer version is
   * already shown; an archived card leaves the board. */
  upsert(card: Card): void {
    this.#change(() => {
      const shown = this.cards.get(card.id);
      if (card.archived_at !== null) {
        if (shown && card.version >= shown.version) this.#delete(card.id);
        return;
      }
      if (isNewer(card, shown)) this.cards = new Map(this.cards).set(card.id, card);
    });
  }

  /** Shows the card as the server has it now (from a 409), even at the
   * version already shown: the optimistic state it replaces was never
   * saved. */
  settle(card: Card): void {
    this.#change(() => {
      const shown = this.cards.get(card.id);
      if (shown && shown.version > card.version) return;
      if (card.archived_at !== null) this.#delete(card.id);
      else this.cards = new Map(this.cards).set(card.id, card);
    });
  }

  remove(id: number): void {
    this.#change(() => this.#delete(id));
  }

  #delete(id: number): void {
    if (!this.cards.has(id)) return;
    const next = new Map(this.cards);
    next.delete(id);
    this.cards = next;
  }

  /** Moves a card at once, before the server confirms, and returns it as
   * it was, for rollback. The rank is computed like the server does, from
   * the full column. */
  moveLocally(id: number, status: Status, placement: Placement): Card | null {
    const card = this.cards.get(id);
    if (!card) return null;
    const column = this.columns[status].filter((c) => c.id !== id);
    const moved: Card = {
      ...card,
      status,
      rank: rankFor(column, placement, card.priority),
      status_changed_at: status === card.status ? card.status_changed_at : new Date().toISOString(),
    };
    this.cards = new Map(this.cards).set(id, moved);
    return card;
  }

  /** Changes a card at once (a reassignment on the team board, a card
   * planned into a week) and returns it as it was, for rollback. */
  changeLocally(
    id: number,
    patch: Partial<Pick<Card, 'assignee_id' | 'status' | 'sprint_id' | 'sprint_rank' | 'planned_at'>>,
  ): Card | null {
    const card = this.cards.get(id);
    if (!card) return null;
    this.cards = new Map(this.cards).set(id, { ...card, ...patch });
    return card;
  }

  /** Puts a card back as it was before a failed command, unless something
   * newer about it arrived meanwhile. */
  rollback(before: Card | null): void {
    if (!before) return;
    const shown = this.cards.get(before.id);
    if (shown && shown.version === before.version) this.cards = new Map(this.cards).set(before.id, before);
  }
}
