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

/** The longest card title, in characters: the server's models.TitleMax
 * (forms.test.ts checks that they agree). */
export const TITLE_MAX = 300;

/** Where a text stands against a hard limit, counted as the server counts
 * it (characters of the trimmed text, not UTF-16 units): a counter shows
 * from 90 % of the limit on, and above it the form refuses to send. */
export function lengthState(text: string, max: number): { length: number; near: boolean; over: boolean } {
  const length = [...text.trim()].length;
  return { length, near: length >= Math.floor(max * 0.9), over: length > max };
}
