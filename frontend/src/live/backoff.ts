// How long to wait before reconnecting the socket. The wait doubles with
// each failed attempt and is jittered, so that the tabs of a whole agency do
// not all knock at once when a server comes back.

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** attempt 0 → 1–2 s, 1 → 2–4 s, 2 → 4–8 s, … never more than 30 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS / 2, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (1 + random())));
}
