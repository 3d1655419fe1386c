// A client's balance as an open page keeps it: loaded once, and again
// whenever the live socket says the client's time or packages changed (or
// the socket is back from an outage).

import type { PackageBalance } from '../api/schema';
import { Resource } from '../lib/resource.svelte';
import { live } from '../live';
import { getBalance } from './packages';

/** `clientId` is read at each load, so a page that changes client follows it. */
export function liveBalance(clientId: () => number): { balance: Resource<PackageBalance>; follow: () => () => void } {
  const balance = new Resource<PackageBalance>((signal) => getBalance(clientId(), { signal }));
  /** Loads and follows; returns the function that stops (for onMount). */
  const follow = () => {
    void balance.load();
    const unwatch = live.watchBalance((id) => {
      if (id === null || id === clientId()) void balance.load();
    });
    return () => {
      unwatch();
      balance.abort();
    };
  };
  return { balance, follow };
}
