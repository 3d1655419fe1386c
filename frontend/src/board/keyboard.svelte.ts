// Moving a card with the keyboard alone, on every board that lists cards
// (project board, team board, planning). Space picks the focused card up;
// while it is held, the up and down arrows move it within its list (inside
// its priority band, where the server would put it), left and right to the
// list beside it, Enter or Space drops it there and Escape puts it back.
// Tab puts it back too and moves on, so the keyboard is never trapped.
// Each step is announced, and a hint stays on screen while a card is held.
//
// svelte-dnd-action's own keyboard dragging is never started: CardList
// hands the keys to this module before the library sees them. The drop
// goes through the same ondrop as a pointer drop, so what a column asks
// for (a question, a staging link) is asked here too.

import { tick } from 'svelte';
import type { Card } from '../api/types';
import { locale, m } from '../i18n/locale.svelte';
import { priorityLabel } from '../i18n/terms';
import { BAND } from './cards';

/** A list of cards that takes part: a CardList registers itself. */
export interface MoveList {
  el: HTMLElement;
  /** Cards move between the lists of one zone only. */
  zone: string;
  /** The list's name, as read out ("In progress"). */
  label: () => string;
  /** The cards the list shows, as they are without a keyboard move. */
  cards: () => Card[];
  ondragstart: () => void;
  ondrop: (id: number, items: Card[]) => void | false;
}

type Step = 'up' | 'down' | 'left' | 'right';

const STEPS: Record<string, Step> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

export function cardName(card: Card): string {
  return `#${card.number} ${card.title}`;
}

export class KeyboardMove {
  /** The card being moved, its list now and its place there. */
  card = $state.raw<Card | null>(null);
  list = $state.raw<MoveList | null>(null);
  index = $state(0);
  /** The last step, for screen readers. */
  announcement = $state('');

  #from: MoveList | null = null;
  #lists = new Set<MoveList>();

  register(list: MoveList): () => void {
    this.#lists.add(list);
    return () => {
      this.#lists.delete(list);
      if (this.card && (this.list === list || this.#from === list)) this.#end();
    };
  }

  /** The cards a list shows: during a move, without the card, and with it
   * at its place in the list it is over. */
  arrange(list: MoveList, cards: Card[]): Card[] {
    const card = this.card;
    if (!card) return cards;
    const rest = cards.filter((c) => c.id !== card.id);
    if (this.list !== list) return rest;
    return [...rest.slice(0, this.index), card, ...rest.slice(this.index)];
  }

  /** Handles a key pressed on a card of `list`; true when it was for this
   * module (the caller then keeps it from anyone else). */
  key(key: string, list: MoveList, card: Card): boolean {
    if (!this.card) {
      if (key !== ' ') return false;
      this.#pickUp(list, card);
      return true;
    }
    const step = STEPS[key];
    if (step) this.#step(step);
    else if (key === 'Enter' || key === ' ') this.#drop();
    else if (key === 'Escape') this.#cancel();
    else if (key === 'Tab') {
      this.#cancel();
      return false;
    }
    return true;
  }

  #pickUp(list: MoveList, card: Card): void {
    this.#from = list;
    this.list = list;
    this.card = card;
    this.index = Math.max(
      0,
      list.cards().findIndex((c) => c.id === card.id),
    );
    list.ondragstart();
    this.#say(m.board_kb_picked_up({ card: cardName(card), list: list.label(), where: this.#where() }));
  }

  #step(step: Step): void {
    const card = this.card!;
    const list = this.list!;
    if (step === 'up' || step === 'down') {
      const [lo, hi] = bandRange(this.#rest(list), card);
      const index = Math.min(hi, Math.max(lo, this.index + (step === 'up' ? -1 : 1)));
      if (index === this.index) {
        const at = step === 'up' ? m.board_kb_at_top : m.board_kb_at_bottom;
        const priority = priorityLabel(card.priority).toLocaleLowerCase(locale());
        this.#say(at({ card: cardName(card), priority, list: list.label() }));
        return;
      }
      this.index = index;
    } else {
      const next = this.#beside(list, step);
      if (!next) {
        const none = step === 'left' ? m.board_kb_no_list_left : m.board_kb_no_list_right;
        this.#say(none({ card: cardName(card), list: list.label() }));
        return;
      }
      const [lo, hi] = bandRange(this.#rest(next), card);
      this.list = next;
      this.index = Math.min(hi, Math.max(lo, this.index));
    }
    this.#say(m.board_kb_moved({ card: cardName(card), list: this.list!.label(), where: this.#where() }));
    void this.#refocus();
  }

  #drop(): void {
    const card = this.card!;
    const list = this.list!;
    const items = this.arrange(list, list.cards());
    this.#say(m.board_kb_dropped({ card: cardName(card), list: list.label(), where: this.#where() }));
    this.#end();
    list.ondrop(card.id, items);
    void this.#refocus(list, card);
  }

  #cancel(): void {
    const card = this.card!;
    const from = this.#from!;
    this.#say(m.board_kb_cancelled({ card: cardName(card), list: from.label() }));
    this.#end();
    // As a pointer drag dropped where it began: nothing to save, and the
    // live changes held back meanwhile are shown.
    from.ondrop(card.id, from.cards());
    void this.#refocus(from, card);
  }

  #end(): void {
    this.card = null;
    this.list = null;
    this.#from = null;
  }

  #rest(list: MoveList): Card[] {
    return list.cards().filter((c) => c.id !== this.card?.id);
  }

  #where(): string {
    return m.board_kb_position({ index: this.index + 1, count: this.#rest(this.list!).length + 1 });
  }

  /** The list of the same zone beside `list` on screen, in the same row. */
  #beside(list: MoveList, side: 'left' | 'right'): MoveList | null {
    const at = list.el.getBoundingClientRect();
    let best: MoveList | null = null;
    let bestLeft = 0;
    for (const other of this.#lists) {
      if (other === list || other.zone !== list.zone) continue;
      const r = other.el.getBoundingClientRect();
      if (r.top >= at.bottom || r.bottom <= at.top) continue;
      const ok =
        side === 'left'
          ? r.left < at.left && (!best || r.left > bestLeft)
          : r.left > at.left && (!best || r.left < bestLeft);
      if (ok) {
        best = other;
        bestLeft = r.left;
      }
    }
    return best;
  }

  #say(text: string): void {
    this.announcement = text;
  }

  /** Keeps the focus on the card as it moves from list to list. */
  async #refocus(list = this.list, card = this.card): Promise<void> {
    await tick();
    if (list && card) list.el.querySelector<HTMLElement>(`li[data-card-number="${card.number}"]`)?.focus();
  }
}

/** The places a card may take in a list (without it): inside its band. */
export function bandRange(list: readonly Card[], card: Card): [number, number] {
  const band = BAND[card.priority];
  const lo = list.filter((c) => BAND[c.priority] < band).length;
  const hi = lo + list.filter((c) => BAND[c.priority] === band).length;
  return [lo, hi];
}

export const keyboardMove = new KeyboardMove();
