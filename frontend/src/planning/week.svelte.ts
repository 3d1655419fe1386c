// One week's plan as reactive state, kept live: the cards (of the week,
// and of the backlog when the page shows it) change with every task event
// of the projects the plan names, and the plan itself — the people, their
// capacities and the server's load numbers — is read again when a task of
// the week changed, when the socket says the week changed (capacities,
// closing), and when the socket is connected (again). The planning page and "This
// week" share it.

import { ApiError, toApiError } from '../api/client';
import { listProjects } from '../api/projects';
import { getBacklog, getPlan } from '../api/sprints';
import type { BacklogFilter, BoardEvent, Card, Plan, Project } from '../api/types';
import { BoardStore } from '../board/board.svelte';
import { m } from '../i18n/locale.svelte';
import { live } from '../live';
import { LiveSnapshot } from '../live/snapshot.svelte';
import { inWeek, queues } from './plan';

/** Changes in a burst (a drop answers, its task event and the week's
 * frame arrive together) cost one read of the plan. */
const REFRESH_MS = 200;

function planCards(plan: Plan): Card[] {
  return [...plan.people.flatMap((p) => p.tasks), ...plan.unassigned];
}

export class WeekView {
  readonly store = new BoardStore();
  plan = $state.raw<Plan | null>(null);
  projects = $state.raw<ReadonlyMap<number, Project>>(new Map());
  backlogLoading = $state(false);
  /** A later read failed; the page shows what it had. */
  problem = $state<string | null>(null);

  queues = $derived(
    this.plan ? queues(this.store.cards.values(), this.plan.sprint_id, this.plan.people) : new Map<number, Card[]>(),
  );
  /** Staff names, for the cards' assignees. */
  names = $derived.by(() => {
    const out = new Map<number, string>();
    for (const p of this.projects.values()) for (const m of p.members) out.set(m.id, m.name);
    for (const p of this.plan?.people ?? []) out.set(p.id, p.name);
    return out;
  });

  #week: string;
  #backlogFilter: (() => BacklogFilter) | null;
  #snapshot = new LiveSnapshot(live, {
    read: async (signal) => {
      const since = this.#changes;
      const [plan, projects] = await Promise.all([getPlan(this.#week, signal), listProjects({ signal })]);
      // Read after the plan, so that following from the plan's event
      // numbers replays whatever the backlog might have missed.
      const backlog = this.#backlogFilter ? await getBacklog(this.#backlogFilter(), signal) : [];
      return { plan, projects, backlog, since };
    },
    show: ({ plan, projects, backlog, since }) => {
      this.projects = new Map(projects.map((p) => [p.id, p]));
      this.#when(() => {
        this.#install([...planCards(plan), ...backlog], () => true, since);
        this.#show(plan);
      });
    },
    event: (_, ev) => this.#onEvent(ev),
    revoked: (projectId) => {
      for (const c of this.store.cards.values()) if (c.project_id === projectId) this.store.remove(c.id);
      this.refresh();
    },
    failed: (e) => (this.problem = m.planning_reload_week_failed({ reason: e.message })),
    // A project added, joined or renamed: everything is read again.
    projectsChanged: () => void this.load(),
  });
  #backlogController: AbortController | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing = false;
  #again = false;
  #stopped = false;
  /** While a card is dragged or a command is on its way, snapshots wait:
   * they would move cards under the pointer or undo an optimistic change. */
  #held = false;
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  /** When each card last changed here (a command's answer, an event), by
   * a running count: a snapshot asked for before that may not know it. */
  #changes = 0;
  #changedAt = new Map<number, number>();

  /** `week` is "2026-W48" or "current"; `backlog` gives the backlog's
   * filter when the page shows the backlog. */
  constructor(week: string, backlog: (() => BacklogFilter) | null = null) {
    this.#week = week;
    this.#backlogFilter = backlog;
  }

  get phase(): 'loading' | 'ready' | 'error' {
    return this.#snapshot.phase;
  }

  get error(): ApiError | null {
    return this.#snapshot.error;
  }

  /** Loads the week and follows it. Returns the function that stops. */
  start(): () => void {
    void this.#snapshot.start();
    // Once the socket is up (again), what it may have missed of the week
    // is read; then the week's frames keep it current (any week's, while
    // the first plan is on its way and its week not known yet).
    const stopWeeks = live.watchWeeks((m) => {
      if (m.type === 'connected' || !this.plan || m.week === this.plan.week) this.refresh();
    });
    return () => {
      this.#stopped = true;
      stopWeeks();
      this.#snapshot.stop();
      clearTimeout(this.#timer);
      this.#backlogController?.abort();
    };
  }

  /** Reads everything again: the plan, the projects and the backlog. */
  load(): Promise<void> {
    return this.#snapshot.load();
  }

  /** Reads the backlog again (its filter changed). */
  async loadBacklog(): Promise<void> {
    if (!this.#backlogFilter) return;
    this.#backlogController?.abort();
    const ctl = new AbortController();
    this.#backlogController = ctl;
    this.backlogLoading = true;
    const since = this.#changes;
    try {
      const cards = await getBacklog(this.#backlogFilter(), ctl.signal);
      if (!ctl.signal.aborted) this.#when(() => this.#install(cards, (c) => c.sprint_id === null, since));
    } catch (err) {
      if (!ctl.signal.aborted) this.problem = m.planning_load_backlog_failed({ reason: toApiError(err).message });
    } finally {
      if (this.#backlogController === ctl) this.backlogLoading = false;
    }
  }

  /** Reads the plan again soon, for the server's numbers. */
  refresh(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#when(() => void this.#refreshNow()), REFRESH_MS);
  }

  async #refreshNow(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = true;
    const since = this.#changes;
    try {
      const plan = await getPlan(this.#week);
      if (this.#stopped) return;
      this.#when(() => {
        this.#install(planCards(plan), (c) => c.sprint_id !== null && c.sprint_id === plan.sprint_id, since);
        this.#show(plan);
      });
    } catch (err) {
      if (!this.#stopped) this.problem = m.planning_update_week_failed({ reason: toApiError(err).message });
    } finally {
      this.#refreshing = false;
      if (this.#again) {
        this.#again = false;
        this.refresh();
      }
    }
  }

  /** Shows a snapshot of some of the cards (`covers` says which), asked
   * for when the count of changes was `since`: the cards it has replace
   * the shown ones unless a newer version is shown already (an event or
   * an answer overtook the snapshot); shown cards it covers but lacks have
   * left, unless they changed here after it was asked for; cards it does
   * not cover stay. */
  #install(snapshot: readonly Card[], covers: (c: Card) => boolean, since: number): void {
    const fresh = new Map(snapshot.map((c) => [c.id, c]));
    // A card that left here after the snapshot was asked for (archived)
    // stays gone: the snapshot is older than that.
    for (const id of fresh.keys()) {
      if (!this.store.cards.has(id) && (this.#changedAt.get(id) ?? 0) > since) fresh.delete(id);
    }
    const kept: Card[] = [];
    for (const shown of this.store.cards.values()) {
      const snap = fresh.get(shown.id);
      if (snap) {
        if (shown.version > snap.version) fresh.set(shown.id, shown);
      } else if (!covers(shown) || (this.#changedAt.get(shown.id) ?? 0) > since) {
        kept.push(shown);
      }
    }
    this.store.load([...kept, ...fresh.values()]);
  }

  #changed(id: number): void {
    this.#changedAt.set(id, ++this.#changes);
  }

  #show(plan: Plan): void {
    this.plan = plan;
    this.problem = null;
    // What came after the snapshot is replayed and applied by version.
    this.#snapshot.follow(plan.seqs);
  }

  #onEvent(ev: BoardEvent): void {
    if (ev.kind === 'project.updated') {
      this.projects = new Map(this.projects).set(ev.data.project.id, ev.data.project);
      return;
    }
    const shown = ev.task_id === null ? undefined : this.store.cards.get(ev.task_id);
    this.store.apply(ev);
    if (ev.task_id !== null) this.#changed(ev.task_id);
    // A change in the week changes someone's numbers: the server has them.
    const sprintId = this.plan?.sprint_id ?? null;
    const task = 'task' in ev.data ? ev.data.task : null;
    if (
      (shown && inWeek(shown, sprintId)) ||
      (task && task.sprint_id !== null && (sprintId === null || task.sprint_id === sprintId))
    ) {
      this.refresh();
    }
  }

  // ---- The user's own changes --------------------------------------------

  /** A drag began: nothing moves under the pointer until the drop. */
  hold(): void {
    this.#held = true;
    this.store.hold();
  }

  release(): void {
    this.#held = false;
    this.store.release();
    this.#settle();
  }

  /** Shows a change at once, before the server confirms it (see
   * BoardStore.changeLocally); returns the card as it was, for rollback. */
  changeLocally(id: number, patch: Parameters<BoardStore['changeLocally']>[1]): Card | null {
    this.#changed(id);
    return this.store.changeLocally(id, patch);
  }

  /** Runs a command (with what to do with its answer or refusal inside
   * it); snapshots wait until it is done, and the plan is read again after
   * it succeeded. */
  async command<T>(run: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      const out = await run();
      this.refresh();
      return out;
    } finally {
      this.#inFlight--;
      this.#settle();
    }
  }

  /** Shows a card as a command answered it. The week's sprint is learnt
   * from the first card planned into a week nobody had planned yet. */
  accept(card: Card): void {
    this.store.upsert(card);
    this.#changed(card.id);
    const plan = this.plan;
    if (plan && plan.sprint_id === null && card.sprint_id !== null) this.plan = { ...plan, sprint_id: card.sprint_id };
  }

  #when(fn: () => void): void {
    if (this.#held || this.#inFlight > 0) this.#waiting.push(fn);
    else fn();
  }

  #settle(): void {
    if (this.#held || this.#inFlight > 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const fn of waiting) fn();
  }
}
