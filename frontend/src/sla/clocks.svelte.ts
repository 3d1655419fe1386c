// The SLA clocks of a board's client requests. Business time cannot be
// counted in the browser (holidays, the agency's time zone), so the board
// reads the clocks from the server: at load, after a change on the board,
// and every minute while it is open. Cards find them through the context.

import { getContext, setContext } from 'svelte';
import type { Sla } from '../api/schema';
import { getClocks, type Clocks } from './sla';

const KEY = Symbol('sla-clocks');
const REFRESH_MS = 60_000;
const SETTLE_MS = 500;

export class BoardClocks {
  clocks = $state.raw<Clocks>({});
  #project: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | null = null;

  constructor(project: () => number) {
    this.#project = project;
  }

  of(cardId: number): Sla | undefined {
    return this.clocks[String(cardId)];
  }

  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    try {
      this.clocks = await getClocks(this.#project(), controller.signal);
    } catch {
      // A clock is a hint on the card; the next refresh tries again.
    }
  }

  /** Reads the clocks again shortly: a burst of events costs one read. */
  changed(): void {
    clearTimeout(this.#soon);
    this.#soon = setTimeout(() => void this.load(), SETTLE_MS);
  }

  start(): void {
    void this.load();
    this.#timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#controller?.abort();
  }
}

export function provideClocks(clocks: BoardClocks): void {
  setContext(KEY, clocks);
}

/** The board's clocks, or undefined outside a project board. */
export function boardClocks(): BoardClocks | undefined {
  return getContext<BoardClocks | undefined>(KEY);
}
