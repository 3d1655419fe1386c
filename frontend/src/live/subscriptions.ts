// Which projects the views follow, the last event number applied for each,
// and the routing of server frames to them. Pure bookkeeping, no socket.

import type { BoardEvent } from '../api/types';
import type { Positions, ServerFrame } from './protocol';

/** What a view is told about its project. */
export type LiveMessage =
  | { type: 'event'; event: BoardEvent }
  /** The view was too far behind: reload the snapshot and subscribe again. */
  | { type: 'resync' }
  /** The user may no longer see the project; the subscription is gone. */
  | { type: 'revoked' };

export type LiveHandler = (message: LiveMessage) => void;

/** One handler per project, made once: a view that subscribes again with
 * the same handler is known as the one following the project, and at the
 * same event number goes on as it is. */
export function handlersByProject(
  on: (projectId: number, message: LiveMessage) => void,
): (projectId: number) => LiveHandler {
  const made = new Map<number, LiveHandler>();
  return (projectId) => {
    let fn = made.get(projectId);
    if (!fn) {
      fn = (m) => on(projectId, m);
      made.set(projectId, fn);
    }
    return fn;
  };
}

interface Subscription {
  seq: number;
  handler: LiveHandler;
}

export class Subscriptions {
  #subs = new Map<number, Subscription>();

  get size(): number {
    return this.#subs.size;
  }

  /** Follows a project from a snapshot's event number; a second call for
   * the same project (after a resync) replaces the first. */
  add(projectId: number, seq: number, handler: LiveHandler): void {
    this.#subs.set(projectId, { seq, handler });
  }

  /** Stops following a project, but only for the view that follows it now:
   * a view that was replaced must not end its successor's subscription. */
  remove(projectId: number, handler: LiveHandler): boolean {
    if (this.#subs.get(projectId)?.handler !== handler) return false;
    return this.#subs.delete(projectId);
  }

  /** The last event number applied for a project followed by `handler`. */
  position(projectId: number, handler: LiveHandler): number | undefined {
    const sub = this.#subs.get(projectId);
    return sub?.handler === handler ? sub.seq : undefined;
  }

  /** Where to resume each project, for the auth frame of a new socket. */
  positions(): Positions {
    const out: Positions = {};
    for (const [id, sub] of this.#subs) out[String(id)] = sub.seq;
    return out;
  }

  /** Applies a frame: events go to their view once, in order (an event not
   * newer than the last one applied is a duplicate of a replay and is
   * dropped); resync and revoked are passed on. */
  dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case 'event': {
        const sub = this.#subs.get(frame.event.project_id);
        if (!sub || frame.event.seq <= sub.seq) return;
        sub.seq = frame.event.seq;
        sub.handler({ type: 'event', event: frame.event });
        return;
      }
      case 'subscribed': {
        // The replay is complete up to this number. A client user may not
        // have been sent every event (internal comments), so jump to it.
        const sub = this.#subs.get(frame.project_id);
        if (sub && frame.seq > sub.seq) sub.seq = frame.seq;
        return;
      }
      case 'resync':
        this.#subs.get(frame.project_id)?.handler({ type: 'resync' });
        return;
      case 'revoked': {
        const sub = this.#subs.get(frame.project_id);
        if (!sub) return;
        this.#subs.delete(frame.project_id);
        sub.handler({ type: 'revoked' });
        return;
      }
      default:
        return;
    }
  }
}
