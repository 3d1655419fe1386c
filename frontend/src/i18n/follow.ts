// The signed-in user's language: the one they chose, or, at their first
// sign-in, the browser's, which the app then saves once as their choice.

import { updateMe } from '../api/auth';
import type { User } from '../api/types';
import { browserLocale, isLocale, locale, setLocale } from './locale.svelte';

const sentFor = new Set<number>();

/** Shows the user's language; returns the user as saved when the app chose
 * it for them. */
export async function followUser(user: User): Promise<User | null> {
  if (isLocale(user.locale)) {
    if (user.locale !== locale()) await setLocale(user.locale);
    return null;
  }
  if (sentFor.has(user.id)) return null;
  sentFor.add(user.id);
  return updateMe({ locale: browserLocale() });
}
