// Addresses of cards.

import { ApiError } from '../api/client';
import { getTaskByNumber } from '../api/tasks';

/** The address of a card: its project's board with the panel open. */
export function cardPath(projectId: number, num: number): string {
  return `/projects/${projectId}/t/${num}`;
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
