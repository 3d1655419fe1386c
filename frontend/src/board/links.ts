// Addresses, and what to do and say when a move is refused, shared by the
// project board and the team board.

import { ApiError, toApiError } from '../api/client';
import { conflictCurrent, getTaskByNumber } from '../api/tasks';
import type { Card } from '../api/types';
import type { BoardStore } from './board.svelte';

/** The address of a card: its project's board with the panel open. */
export function cardPath(projectId: number, num: number): string {
  return `/projects/${projectId}/t/${num}`;
}

/** After the server refused a change made on the board already: the card
 * goes where the server has it (a 409 carries it), or back where it was.
 * Returns what to tell the user, and whether the board must be read again
 * (a neighbour named in the move left the column). */
export function refused(store: BoardStore, err: unknown, old: Card | null): { text: string; reload: boolean } {
  const current = conflictCurrent(err);
  if (current) {
    store.settle(current);
    return { text: 'Someone changed this card meanwhile. It is shown where it is now.', reload: false };
  }
  const e = toApiError(err);
  if (e.status === 409) return { text: 'The column changed meanwhile. The board was reloaded; please try again.', reload: true };
  if (old) store.rollback(old);
  switch (e.status) {
    case 403:
      return { text: 'You are not allowed to move this card. It is back where it was.', reload: false };
    case 404:
      return { text: 'This card no longer exists, or you can no longer see it.', reload: false };
    default:
      return { text: `Not saved. ${Object.values(e.fields)[0] ?? e.message} The card is back where it was.`, reload: false };
  }
}

/** What to say when the server refused to give a card to someone who is
 * not on its project's team ("Not planned: Sam Ortiz must be a staff
 * member of the project (Website relaunch)."), or null for any other
 * refusal. */
export function notOnTeam(err: unknown, what: string, who: string, project: string): string | null {
  const why = toApiError(err).fields.assignee_id;
  return why ? `${what}: ${who} ${why} (${project}).` : null;
}

/** Where "#123" leads: the card's own address, or null when it does not
 * exist or the reader cannot see it (the two look the same). */
export async function findCard(num: number, signal?: AbortSignal): Promise<string | null> {
  try {
    const task = await getTaskByNumber(num, signal);
    return cardPath(task.project_id, task.number);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
