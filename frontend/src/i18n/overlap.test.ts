import { expect, it } from 'vitest';
import { firstPageOnly, m, setLocale, showApp } from './locale.svelte';

// A second tab of a signed-in person restores the session (showApp) while
// main.ts's first language is still loading, and main.ts mounts the app
// when its own call settles: that call must not settle before the
// language asked for last is shown, or the app renders without it.
it('a call overtaken by a later one settles once the later language is shown', async () => {
  firstPageOnly();
  await setLocale('pl'); // loaded once: the next call for it is the quicker
  const first = setLocale('pl');
  const later = showApp('ru');
  await first;
  expect(m.settings_title()).toBe('Настройки');
  await later;
});
