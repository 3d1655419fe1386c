// The text of a refusal. The server sends a stable code (server/api
// errors.go); what the user reads is the catalog's text for that code in
// their language, never the server's English `message`.

import { m, localeReady } from './locale.svelte';

const BY_CODE: Record<string, () => string> = {
  bad_request: () => m.error_bad_request(),
  validation: () => m.error_validation(),
  unsupported_media_type: () => m.error_unsupported_media_type(),
  not_found: () => m.error_not_found(),
  forbidden: () => m.error_forbidden(),
  unauthenticated: () => m.error_unauthenticated(),
  gone: () => m.error_gone(),
  conflict: () => m.error_conflict(),
  duplicate: () => m.error_duplicate(),
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

/** Every code the catalog has text for (the Go test of the error map and
 * the vitest compare against it). */
export const ERROR_CODES: readonly string[] = Object.keys(BY_CODE);
