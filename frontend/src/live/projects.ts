// Views that follow their projects over the socket (the team board, a
// week's plan) need to read everything again only when the set of
// projects the user may see changed: a rename or new members reach them
// as project.updated events on the subscriptions they already have.

import { getSeqs } from '../api/delivery';
import { live } from './index';

/** Calls `changed` when the projects the user may see are no longer the
 * ones `followed` returns (or when that cannot be told). Returns the
 * function that stops. */
export function onProjectSetChange(followed: () => ReadonlyMap<number, unknown>, changed: () => void): () => void {
  let stopped = false;
  const stop = live.watchProjects(() => {
    getSeqs().then(
      (seqs) => {
        if (stopped) return;
        const ids = Object.keys(seqs).map(Number);
        const have = followed();
        if (ids.length !== have.size || ids.some((id) => !have.has(id))) changed();
      },
      () => {
        if (!stopped) changed();
      },
    );
  });
  return () => {
    stopped = true;
    stop();
  };
}
