// The one way a view stays live: read a snapshot, follow each project it
// names from the snapshot's event number (the socket replays what came
// after it, so nothing is missed and nothing is applied twice), read it
// again when the socket says the view fell too far behind, and let go of
// a project the user may no longer see. The project board, the team board,
// the week views and the lists across projects all use it.

import { ApiError, toApiError } from '../api/client';
import type { BoardEvent, Seqs } from '../api/types';
import { handlersByProject, type LiveHandler, type LiveMessage } from './subscriptions';

/** The part of the live client a view follows projects through. */
export interface Follows {
  subscribe(projectId: number, seq: number, handler: LiveHandler): () => void;
  watchProjects(fn: () => void): () => void;
}

export interface SnapshotSpec<S> {
  read: (signal: AbortSignal) => Promise<S>;
  /** Shows what was read. It calls follow() with the snapshot's event
   * numbers once the snapshot is on screen — not before, or events could
   * land on the old state and be lost with it. */
  show: (snapshot: S) => void;
  event: (projectId: number, ev: BoardEvent) => void;
  /** The project is no longer followed; what the view shows of it goes. */
  revoked: (projectId: number) => void;
  /** Too far behind on a project, which is no longer followed: by default
   * the snapshot is read again (and follows it again). */
  resync?: (projectId: number) => void;
  /** A later read failed; the view goes on showing the last snapshot. */
  failed?: (error: ApiError) => void;
  /** The projects the user may see changed, or may have while the socket
   * was away. Views across projects read themselves again. */
  projectsChanged?: () => void;
}

export class LiveSnapshot<S> {
  /** loading: nothing shown yet; error: the first read failed. */
  phase = $state<'loading' | 'ready' | 'error'>('loading');
  /** Why the last read failed, until one succeeds. */
  error = $state.raw<ApiError | null>(null);

  #client: Follows;
  #spec: SnapshotSpec<S>;
  #follows = new Map<number, () => void>();
  #handler = handlersByProject((id, m) => this.#onLive(id, m));
  #controller: AbortController | null = null;
  #unwatch: (() => void) | null = null;

  constructor(client: Follows, spec: SnapshotSpec<S>) {
    this.#client = client;
    this.#spec = spec;
  }

  /** Reads the first snapshot and follows until stop(). */
  start(): Promise<void> {
    const changed = this.#spec.projectsChanged;
    if (changed) this.#unwatch = this.#client.watchProjects(changed);
    return this.load();
  }

  /** Reads the snapshot again; a read still on its way is cut short, so
   * only the newest is shown. */
  async load(): Promise<void> {
    this.#controller?.abort();
    const ctl = new AbortController();
    this.#controller = ctl;
    try {
      const snapshot = await this.#spec.read(ctl.signal);
      if (ctl.signal.aborted) return;
      this.#spec.show(snapshot);
      this.phase = 'ready';
      this.error = null;
    } catch (err) {
      if (ctl.signal.aborted) return;
      this.error = toApiError(err);
      if (this.phase !== 'ready') this.phase = 'error';
      else this.#spec.failed?.(this.error);
    }
  }

  /** Follows exactly the projects of a snapshot, each from its number, and
   * lets go of the others. With `refollow: false` a project followed
   * already goes on from where it is: a view that reads itself again on
   * every event would only pay a replay with reads. */
  follow(seqs: Seqs, { refollow = true }: { refollow?: boolean } = {}): void {
    for (const [id, stop] of this.#follows) {
      if (!(String(id) in seqs)) this.unfollow(id, stop);
    }
    for (const [key, seq] of Object.entries(seqs)) {
      const id = Number(key);
      if (!refollow && this.#follows.has(id)) continue;
      // Following again from the number it is at costs nothing.
      this.#follows.set(id, this.#client.subscribe(id, seq, this.#handler(id)));
    }
  }

  unfollow(projectId: number, stop = this.#follows.get(projectId)): void {
    stop?.();
    this.#follows.delete(projectId);
  }

  stop(): void {
    this.#unwatch?.();
    this.#unwatch = null;
    this.#controller?.abort();
    for (const stop of this.#follows.values()) stop();
    this.#follows.clear();
  }

  #onLive(projectId: number, m: LiveMessage): void {
    if (m.type === 'event') {
      this.#spec.event(projectId, m.event);
      return;
    }
    this.unfollow(projectId);
    if (m.type === 'revoked') this.#spec.revoked(projectId);
    else if (this.#spec.resync) this.#spec.resync(projectId);
    else void this.load();
  }
}
