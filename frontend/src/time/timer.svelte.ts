// The person's running timer, shared by every place that starts or stops
// it (the top bar, cards, the card panel, the timesheet). The server rings
// the socket whenever the person's time changed, from this tab or another,
// so all of them follow; `changes` counts those rings for views that list
// entries.

import { toApiError } from '../api/client';
import { getTimer, startTimer, stopTimer } from '../api/time';
import type { TimeEntry, Timer } from '../api/types';
import { live } from '../live';

class TimerState {
  running = $state.raw<TimeEntry | null>(null);
  /** The card whose start or stop is on its way. */
  pending = $state<number | null>(null);
  /** What went wrong with the last start or stop, in the user's words. */
  problem = $state('');
  changes = $state(0);

  #followers = 0;
  #unlisten: (() => void) | null = null;
  #generation = 0;

  /** Keeps the timer current while a view shows it; returns the stop. */
  follow(): () => void {
    if (this.#followers++ === 0) {
      void this.load();
      this.#unlisten = live.onNotification((cue) => {
        if (cue === 'notification') return;
        this.changes++;
        void this.load();
      });
    }
    return () => {
      if (--this.#followers === 0) {
        this.#unlisten?.();
        this.#unlisten = null;
      }
    };
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const t = await getTimer();
      if (generation === this.#generation) this.running = t.running;
    } catch {
      // The socket's next ring or the next page reads it again.
    }
  }

  isRunningOn(taskId: number): boolean {
    return this.running?.task_id === taskId;
  }

  /** Starts the timer on the card, or stops it when it runs there. */
  async toggle(taskId: number): Promise<void> {
    await this.#send(taskId, () => (this.isRunningOn(taskId) ? stopTimer() : startTimer(taskId)));
  }

  async start(taskId: number): Promise<void> {
    await this.#send(taskId, () => startTimer(taskId));
  }

  async stop(): Promise<void> {
    const id = this.running?.task_id;
    if (id !== undefined) await this.#send(id, stopTimer);
  }

  async #send(taskId: number, call: () => Promise<Timer>): Promise<void> {
    this.pending = taskId;
    this.problem = '';
    const generation = ++this.#generation;
    try {
      const t = await call();
      if (generation === this.#generation) this.running = t.running;
      this.changes++;
    } catch (err) {
      this.problem = toApiError(err).message;
    } finally {
      this.pending = null;
    }
  }
}

export const timer = new TimerState();
