// One open card panel's session with its card: the card as last read,
// kept current by live events and by the answers to the user's saves, and
// what went wrong. Every save carries the card's version; when someone
// else got there first, the session shows the card as it is now and keeps
// the user's change to apply again.

import { ApiError, toApiError } from '../api/client';
import {
  archiveTask,
  conflictCurrent,
  getTask,
  getTaskByNumber,
  moveTask,
  restoreTask,
  updateTask,
} from '../api/tasks';
import type { BoardEvent, Card, ColumnInput, Status, TaskDetail, TaskFields } from '../api/types';
import { describePatch } from './activity';
import type { BoardStore } from './board.svelte';

/** Saves a move, asking first what the column needs (ColumnDialog.move). */
export type MoveSaver = (
  card: TaskDetail,
  to: Status,
  commit: (input?: ColumnInput) => Promise<void>,
) => Promise<boolean>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class PanelSession {
  detail = $state<TaskDetail | null>(null);
  loadError = $state<ApiError | null>(null);
  notFound = $state(false);
  actionError = $state<ApiError | null>(null);
  /** A change that was not saved because the card changed meanwhile:
   * `reason` is the server's why in the reader's language (an archived
   * card), null for someone's edit; `retry` is null when applying the
   * change again cannot help. */
  conflict = $state<{ summary: string; reason: string | null; retry: (() => Promise<unknown>) | null } | null>(null);
  /** Counts of live events about the card's comments and its activity:
   * the lists read themselves again when they count up. */
  commentChanges = $state(0);
  activityChanges = $state(0);
  /** Counts live events about the files on the card itself. */
  fileChanges = $state(0);

  #store: BoardStore;
  #projectId: number;
  #nameOf: (id: number) => string | undefined;
  #controller: AbortController | null = null;

  constructor(store: BoardStore, projectId: number, nameOf: (id: number) => string | undefined) {
    this.#store = store;
    this.#projectId = projectId;
    this.#nameOf = nameOf;
  }

  /** Reads the card by its number. Resolves to the card when it belongs
   * to another project, whose board shows it instead. */
  async load(num: number): Promise<TaskDetail | null> {
    this.#controller?.abort();
    const ctl = new AbortController();
    this.#controller = ctl;
    this.detail = null;
    this.notFound = false;
    this.loadError = null;
    this.conflict = null;
    this.actionError = null;
    try {
      const d = await getTaskByNumber(num, ctl.signal);
      if (ctl.signal.aborted) return null;
      if (d.project_id !== this.#projectId) return d;
      this.detail = d;
    } catch (err) {
      if (ctl.signal.aborted) return null;
      const e = toApiError(err);
      if (e.status === 404) this.notFound = true;
      else this.loadError = e;
    }
    return null;
  }

  stop(): void {
    this.#controller?.abort();
  }

  /** Keeps the card current from a live event about it, without touching
   * what the user is typing. */
  apply(ev: BoardEvent): void {
    const d = this.detail;
    if (!d || ev.task_id !== d.id) return;
    this.activityChanges++;
    if (ev.kind === 'attachment.added' || ev.kind === 'attachment.removed') {
      // A comment's file changes that comment.
      if (ev.data.comment_id === null) this.fileChanges++;
      else this.commentChanges++;
    } else if (ev.kind.startsWith('comment.')) {
      this.commentChanges++;
      if ('comment_count' in ev.data) this.detail = { ...d, comment_count: ev.data.comment_count };
    } else if ('task' in ev.data && ev.data.task.version > d.version) {
      this.merge(ev.data.task);
      if (ev.data.changes?.description) void this.refresh();
    }
  }

  /** Reads the card again: the description is not in live events or in a
   * conflict's answer. */
  async refresh(): Promise<void> {
    const d = this.detail;
    if (!d) return;
    try {
      const fresh = await getTask(d.id);
      if (this.detail?.id === fresh.id && fresh.version >= this.detail.version) this.detail = fresh;
    } catch {
      // The live events keep the rest of the card current.
    }
  }

  merge(card: Card): void {
    const d = this.detail;
    if (d && card.id === d.id && card.version >= d.version) this.detail = { ...d, ...card };
  }

  /** A command's answer, or (`conflict`) the card as it is now. */
  changed(card: Card, conflict = false): void {
    if (conflict) this.#store.settle(card);
    else this.#store.upsert(card);
    this.merge(card);
  }

  #notSaved(summary: string, retry: () => Promise<unknown>, refusal: ApiError | null = null): void {
    const stale = !refusal?.conflict || refusal.conflict.code === 'task_stale';
    this.conflict = { summary, reason: stale ? null : refusal.message, retry: stale ? retry : null };
    void this.refresh();
  }

  /** Runs a versioned save; a conflict shows the card as it is now and
   * keeps the change (`summary`, a patch) to apply again. Other refusals
   * reject. */
  async #versioned(run: () => Promise<void>, summary: object, retry: () => Promise<unknown>): Promise<boolean> {
    this.conflict = null;
    try {
      await run();
      return true;
    } catch (err) {
      const current = conflictCurrent(err);
      if (!current) throw err;
      this.changed(current, true);
      this.#notSaved(describePatch(summary, this.#nameOf), retry, toApiError(err));
      return false;
    }
  }

  /** Saves fields at the card's current version. */
  save(patch: TaskFields): Promise<boolean> {
    const d = this.detail;
    if (!d) return Promise.resolve(false);
    return this.#versioned(
      async () => {
        const fresh = await updateTask(d.id, d.version, patch);
        this.#store.upsert(fresh);
        if (this.detail && fresh.version >= this.detail.version) this.detail = fresh;
      },
      patch,
      () => this.save(patch),
    );
  }

  /** Saves what the user typed over `starts`. If someone else changed the
   * same field meanwhile, it is not saved: the user sees the current value
   * and chooses. Changes to other fields do not stand in the way. */
  async saveField(patch: TaskFields, starts: TaskFields): Promise<boolean> {
    const d = this.detail;
    if (!d) return false;
    if (Object.entries(starts).some(([k, v]) => !same(d[k as keyof TaskFields], v))) {
      this.#notSaved(describePatch(patch, this.#nameOf), () => this.save(patch));
      return false;
    }
    return this.save(patch);
  }

  async moveTo(status: Status, saveMove: MoveSaver): Promise<void> {
    const d = this.detail;
    if (!d || status === d.status) return;
    await this.#versioned(
      async () => {
        await saveMove(d, status, async (input = {}) =>
          this.changed(await moveTask(d.id, d.version, status, {}, input)),
        );
      },
      { status },
      () => this.moveTo(status, saveMove),
    );
  }

  /** Applies the change that was not saved again; its refusal is shown. */
  async retry(): Promise<void> {
    const c = this.conflict;
    if (!c?.retry) return;
    this.conflict = null;
    try {
      await c.retry();
    } catch (err) {
      this.actionError = toApiError(err);
    }
  }

  async archive(): Promise<void> {
    const d = this.detail;
    if (d) this.changed(await archiveTask(d.id, d.version));
  }

  async restore(): Promise<void> {
    const d = this.detail;
    if (!d) return;
    this.actionError = null;
    try {
      this.changed(await restoreTask(d.id, d.version));
    } catch (err) {
      this.actionError = toApiError(err);
      if (conflictCurrent(err)) void this.refresh();
    }
  }
}
