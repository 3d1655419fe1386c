// What delivery views look up besides their cards, read once per tab: the
// deploy window (to warn before an approval) and people's names (cards
// carry only user IDs).

import { getSettings } from '../api/delivery';
import type { AgencySettings } from '../api/types';
import { listUsers } from '../api/users';

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
