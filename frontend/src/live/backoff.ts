// How long to wait before reconnecting the socket. Most drops are blips (a
// deploy, a proxy closing an idle connection), so the first try comes
// quickly; after that the wait doubles with each failed attempt. Every wait
// is jittered, so that the tabs of a whole agency do not all knock at once
// when a server comes back.

const FIRST_RETRY_MS = 250;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** attempt 0 → 0.25–0.5 s, 1 → 1–2 s, 2 → 2–4 s, … never more than 30 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = attempt <= 0 ? FIRST_RETRY_MS : Math.min(BACKOFF_MAX_MS / 2, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (1 + random())));
}
