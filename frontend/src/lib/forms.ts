// Helpers for showing API errors in forms.

import { ApiError } from '../api/client';

/** The error to show as a banner above a form: everything except validation
 * errors whose fields the form shows next to its inputs. */
export function bannerError(err: ApiError | null, shownFields: readonly string[]): ApiError | null {
  if (!err) return null;
  const fields = Object.keys(err.fields);
  if (fields.length > 0 && fields.every((f) => shownFields.includes(f))) return null;
  return err;
}

/** Field errors the form does not show next to an input, as lines. */
export function otherFieldErrors(err: ApiError | null, shownFields: readonly string[]): string[] {
  if (!err) return [];
  return Object.entries(err.fields)
    .filter(([f]) => !shownFields.includes(f))
    .map(([f, msg]) => `${f.replace(/_/g, ' ')}: ${msg}`);
}
