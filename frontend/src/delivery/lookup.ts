// What delivery views look up besides their cards, read once per tab: the
// deploy window (to warn before an approval) and people's names (cards
// carry only user IDs).

import { getSettings } from '../api/delivery';
import { getActivity } from '../api/tasks';
import type { AgencySettings, Card } from '../api/types';
import { listUsers } from '../api/users';
import { isStaff } from '../lib/roles';
import { session } from '../lib/session.svelte';

let settings: Promise<AgencySettings> | null = null;

/** The agency settings; read again after a failure or a change. */
export function agencySettings(): Promise<AgencySettings> {
  settings ??= getSettings().catch((err: unknown) => {
    settings = null;
    throw err;
  });
  return settings;
}

/** After the settings page saved: later reads get the new values. */
export function settingsChanged(next: AgencySettings): void {
  settings = Promise.resolve(next);
}

let names: Promise<Map<number, string>> | null = null;

/** User ID → name, for staff (GET /api/users is theirs only). */
export function userNames(): Promise<ReadonlyMap<number, string>> {
  names ??= listUsers().then(
    (users) => new Map(users.map((u) => [u.id, u.name])),
    (err: unknown) => {
      names = null;
      throw err;
    },
  );
  return names;
}

/** Someone not known yet (a new account) makes the next call read the
 * list again. */
async function userName(id: number): Promise<string | null> {
  const name = (await userNames()).get(id);
  if (name === undefined) names = null;
  return name ?? null;
}

/** Who approved a change. Client users cannot list users, so for them the
 * name comes from the card's history (the approval event names its actor). */
export async function approverName(card: Pick<Card, 'id' | 'approved_by'>): Promise<string | null> {
  const id = card.approved_by;
  if (id === null) return null;
  const me = session.user;
  if (me && me.id === id) return me.name;
  if (isStaff(me)) return userName(id);
  const events = await getActivity(card.id);
  const approval = events.findLast((ev) => ev.kind === 'task.approved' && ev.actor_id === id);
  return approval?.actor_name || null;
}
