// What to do and say when the server refuses a change the board already
// shows (a move, a reassignment, a plan): the card goes where the server
// has it, or back where it was, and the user reads why in one sentence.
// The project board, the team board and the planning page share it.

import { toApiError } from '../api/client';
import { conflictCurrent } from '../api/tasks';
import type { Card } from '../api/types';
import { m } from '../i18n/locale.svelte';
import type { BoardStore } from './board.svelte';

/** A change that gave the card to someone: "Not planned", "Sam Ortiz",
 * "Website relaunch". */
export interface Assignment {
  what: string;
  who: string;
  project: string;
}

export interface Refusal {
  text: string;
  /** A neighbour named in the move left the column, or the view is stale
   * in a way one card cannot mend: read the view again. */
  reload: boolean;
}

export interface RefusalContext {
  assignment?: Assignment;
  /** A 409 here has reasons of its own (a closed week, a done card): the
   * server's words are said instead, and `view` is what was read again. */
  ownConflicts?: { view: string };
}

/** Puts the card where the server has it (a 409 carries it) or back as it
 * was (`old`), and says why the change was refused: 403 not allowed, 404
 * gone, 409 changed meanwhile, 422 the field's reason — or, when the card
 * was given to someone not on the project's team, that. */
export function refusal(store: BoardStore, err: unknown, old: Card | null, context: RefusalContext = {}): Refusal {
  const e = toApiError(err);
  const current = conflictCurrent(err);
  let text: string;
  let reload = false;
  if (current) {
    store.settle(current);
    // Not every conflict is someone's edit: an archived card says so.
    const edited = !e.conflict || e.conflict.code === 'task_stale';
    text = edited ? m.board_refused_changed() : m.board_refused_shown_now({ reason: e.message });
  } else if (e.status === 409) {
    text = m.board_refused_column_changed();
    reload = true;
  } else {
    if (old) store.rollback(old);
    if (e.status === 403) text = m.board_refused_forbidden();
    else if (e.status === 404) text = m.board_refused_gone();
    else text = m.board_refused_not_saved({ reason: Object.values(e.fields)[0] ?? e.message });
  }
  const { assignment, ownConflicts } = context;
  if (assignment && e.problems.assignee_id?.code === 'assignee_not_member') {
    text = m.board_refused_not_on_team(assignment);
  } else if (ownConflicts && e.status === 409) {
    text = reload
      ? m.board_refused_reread({ reason: e.message, view: ownConflicts.view })
      : m.board_refused_shown_now({ reason: e.message });
  }
  return { text, reload };
}
