// The text of a refusal. The server sends a stable code (server/api
// errors.go); what the user reads is the catalog's text for that code in
// their language, never the server's English `message`.

import type { FieldProblem } from '../api/types';
import { loadedMessage, m, localeReady } from './locale.svelte';

const BY_CODE: Record<string, () => string> = {
  bad_request: () => m.error_bad_request(),
  validation: () => m.error_validation(),
  unsupported_media_type: () => m.error_unsupported_media_type(),
  not_found: () => m.error_not_found(),
  forbidden: () => m.error_forbidden(),
  unauthenticated: () => m.error_unauthenticated(),
  gone: () => m.error_gone(),
  conflict: () => m.error_conflict(),
  work_started: () => m.error_work_started(),
  rate_limited: () => m.error_rate_limited(),
  unavailable: () => m.error_unavailable(),
  method_not_allowed: () => m.error_method_not_allowed(),
  too_large: () => m.error_too_large(),
  file_too_large: () => m.error_file_too_large(),
  internal: () => m.error_internal(),
  server_error: () => m.error_internal(),
  network: () => m.error_network(),
};

/** The user's text for an error code; null before any language has loaded
 * (unit tests of the API client run without one). */
export function errorText(code: string, status: number): string | null {
  if (!localeReady()) return null;
  return BY_CODE[code]?.() ?? m.error_unknown({ status });
}

/** The user's text for a field problem, `field_<code>` of the catalog
 * with the problem's values; null before any language has loaded. A code
 * this app does not know, or one whose text is not loaded (the sign-in
 * page loads only its own, see messages-split.ts), reads as the general
 * "check the highlighted fields". */
export function fieldText(problem: FieldProblem): string | null {
  if (!localeReady()) return null;
  return loadedMessage(`field_${problem.code}`)?.(problem.params ?? {}) ?? m.error_validation();
}

/** Why a 409 refused: `conflict_<code>` of the catalog with its values
 * (the week it names); null when the app does not know the code or has
 * not loaded its text, which then reads as the general conflict text. */
export function conflictText(reason: FieldProblem): string | null {
  if (!localeReady()) return null;
  return loadedMessage(`conflict_${reason.code}`)?.(reason.params ?? {}) ?? null;
}

/** Every code the catalog has text for (the Go test of the error map and
 * the vitest compare against it). */
export const ERROR_CODES: readonly string[] = Object.keys(BY_CODE);
