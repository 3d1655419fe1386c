// The signed-in user's language: the one they chose, or, at their first
// sign-in, the browser's, which the app then saves once as their choice.

import { updateMe } from '../api/auth';
import type { User } from '../api/types';
import { browserLocale, isLocale, showApp } from './locale.svelte';

const sentFor = new Set<number>();

/** Shows the user's language, with the app's messages; returns the user as
 * saved when the app chose the language for them. */
export async function followUser(user: User): Promise<User | null> {
  if (isLocale(user.locale)) {
    await showApp(user.locale);
    return null;
  }
  await showApp(browserLocale());
  if (sentFor.has(user.id)) return null;
  sentFor.add(user.id);
  return updateMe({ locale: browserLocale() });
}
