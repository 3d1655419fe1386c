// A list across projects that stays current: it follows every project the
// user can see over the live socket and reads the list again when a card
// changes in one of them. The client's home, the approvals inbox, the
// deploy list and the waiting list use it.

import { getSeqs } from '../api/delivery';
import type { Seqs } from '../api/types';
import { Resource } from '../lib/resource.svelte';
import { live, type LiveMessage } from '../live';

/** Changes in quick succession (an approval writes a card and a comment)
 * cause one reload. */
const RELOAD_DELAY_MS = 120;

interface Snapshot<T> {
  data: T;
  /** Where to follow each project from, when this load read it. */
  seqs: Seqs | null;
  /** Which request for fresh numbers this load answered. */
  asked: number;
  /** Which load read it. */
  load: number;
}

export class LiveFeed<T> {
  #resource: Resource<Snapshot<T>>;
  #follows = new Map<number, () => void>();
  /** Requests for fresh event numbers (the first load, a resync, a
   * project added) and the last one a load answered: counted, so that a
   * request made while a load is on its way is not lost. */
  #asked = 1;
  #answered = 0;
  #loads = 0;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #unwatch: (() => void) | null = null;

  /** `seqsOf` reads the event numbers from the answer when it carries
   * them (GET /api/home); otherwise they are read from GET /api/seqs
   * before the list, so whatever changes after them is replayed. */
  constructor(fetch: (signal: AbortSignal) => Promise<T>, seqsOf?: (data: T) => Seqs) {
    this.#resource = new Resource(async (signal) => {
      const asked = this.#asked;
      const load = this.#loads;
      if (seqsOf) {
        const data = await fetch(signal);
        return { data, seqs: seqsOf(data), asked, load };
      }
      const seqs = asked > this.#answered ? await getSeqs(signal) : null;
      return { data: await fetch(signal), seqs, asked, load };
    });
  }

  get data(): T | undefined {
    return this.#resource.data?.data;
  }

  get error() {
    return this.#resource.error;
  }

  get loading(): boolean {
    return this.#resource.loading;
  }

  /** Loads and follows; call stop() when the view goes. */
  start(): Promise<void> {
    this.#running = true;
    // A project added (or one the user joined) is followed from the next
    // read of the event numbers.
    this.#unwatch = live.watchProjects(() => {
      this.#asked++;
      this.#reloadSoon();
    });
    return this.load();
  }

  /** Reads the list again (after the user's own change, or to retry). */
  async load(): Promise<void> {
    const load = ++this.#loads;
    await this.#resource.load();
    const snapshot = this.#resource.data;
    // Only this load's own snapshot: one cut short by a newer load sees an
    // older one here, whose numbers may be the ones a resync dropped.
    if (!this.#running || snapshot?.load !== load || !snapshot.seqs) return;
    this.#answered = Math.max(this.#answered, snapshot.asked);
    const seqs = snapshot.seqs;
    for (const [key, seq] of Object.entries(seqs)) {
      const id = Number(key);
      if (!this.#follows.has(id)) this.#follows.set(id, live.subscribe(id, seq, (m) => this.#onLive(id, m)));
    }
  }

  stop(): void {
    this.#running = false;
    this.#unwatch?.();
    if (this.#timer) clearTimeout(this.#timer);
    this.#resource.abort();
    for (const unfollow of this.#follows.values()) unfollow();
    this.#follows.clear();
  }

  #onLive(projectId: number, m: LiveMessage): void {
    if (m.type === 'event') {
      // Comments change no list; task events (moves, approvals) and the
      // project's name do.
      if (!m.event.kind.startsWith('task.') && m.event.kind !== 'project.updated') return;
    } else {
      // Too far behind, or no longer visible: follow it again from a new
      // snapshot (a revoked project is not in it any more).
      this.#follows.get(projectId)?.();
      this.#follows.delete(projectId);
      this.#asked++;
    }
    this.#reloadSoon();
  }

  #reloadSoon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#running) void this.load();
    }, RELOAD_DELAY_MS);
  }
}
