// A list across projects that stays current: it follows every project the
// user can see over the live socket and reads the list again when a card
// changes in one of them. The client's home, the approvals inbox, the
// deploy list and the waiting list use it.

import type { ApiError } from '../api/client';
import { getSeqs } from '../api/delivery';
import type { Seqs } from '../api/types';
import { live } from '../live';
import { LiveSnapshot } from '../live/snapshot.svelte';

/** Changes in quick succession (an approval writes a card and a comment)
 * cause one reload. */
const RELOAD_DELAY_MS = 120;

/** SLA clocks are counted in business time, which only the server knows
 * (holidays, the agency's time zone): a list that shows them reads them
 * again each minute, the smallest step a clock shows. */
const CLOCK_TICK_MS = 60_000;

export interface FeedOptions<T> {
  /** Reads the event numbers from the answer when it carries them (GET
   * /api/home); otherwise they are read from GET /api/seqs before the
   * list, so whatever changes after them is replayed. */
  seqsOf?: (data: T) => Seqs;
  /** The list shows SLA clocks: a public comment (a first response) and an
   * SLA alert change them, and they tick. */
  clocks?: boolean;
}

interface Snapshot<T> {
  data: T;
  /** Where to follow each project from, when this load read it. */
  seqs: Seqs | null;
  /** Which request for fresh numbers this load answered. */
  asked: number;
}

export class LiveFeed<T> {
  data = $state.raw<T | undefined>(undefined);

  #snapshot: LiveSnapshot<Snapshot<T>>;
  /** Requests for fresh event numbers (the first load, a resync, a
   * project added) and the last one a load answered: counted, so that a
   * request made while a load is on its way is not lost. */
  #asked = 1;
  #answered = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #clocks: boolean;
  #tick: ReturnType<typeof setInterval> | undefined;

  constructor(fetch: (signal: AbortSignal) => Promise<T>, { seqsOf, clocks = false }: FeedOptions<T> = {}) {
    this.#clocks = clocks;
    // Too far behind, or no longer visible: the project is followed again
    // from a new snapshot (a revoked project is not in it any more).
    const followAgain = () => {
      this.#asked++;
      this.#reloadSoon();
    };
    this.#snapshot = new LiveSnapshot<Snapshot<T>>(live, {
      read: async (signal) => {
        const asked = this.#asked;
        if (seqsOf) {
          const data = await fetch(signal);
          return { data, seqs: seqsOf(data), asked };
        }
        const seqs = asked > this.#answered ? await getSeqs(signal) : null;
        return { data: await fetch(signal), seqs, asked };
      },
      show: ({ data, seqs, asked }) => {
        this.data = data;
        if (!seqs) return;
        this.#answered = Math.max(this.#answered, asked);
        this.#snapshot.follow(seqs, { refollow: false });
      },
      event: (_, ev) => {
        // Comments change no list but its clocks; task events (moves,
        // approvals) and the project's name do.
        const clock = ev.kind === 'comment.created' || ev.kind === 'sla.alert';
        if (ev.kind.startsWith('task.') || ev.kind === 'project.updated' || (clocks && clock)) this.#reloadSoon();
      },
      revoked: followAgain,
      resync: followAgain,
      // A project added (or one the user joined) is followed from the next
      // read of the event numbers.
      projectsChanged: followAgain,
    });
  }

  get error(): ApiError | null {
    return this.#snapshot.error;
  }

  /** Loads and follows; call stop() when the view goes. */
  start(): Promise<void> {
    if (this.#clocks) this.#tick = setInterval(() => void this.load(), CLOCK_TICK_MS);
    return this.#snapshot.start();
  }

  /** Reads the list again (after the user's own change, or to retry). */
  load(): Promise<void> {
    return this.#snapshot.load();
  }

  stop(): void {
    clearInterval(this.#tick);
    if (this.#timer) clearTimeout(this.#timer);
    this.#snapshot.stop();
  }

  #reloadSoon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.load();
    }, RELOAD_DELAY_MS);
  }
}
