import { expect, it } from 'vitest';
import { appReady, firstPageOnly, m, setLocale, showApp } from './locale.svelte';

// One test: the module's state (which parts are wanted) is the app's, once.
it('loads the first page’s messages signed out, the app’s at sign-in, one language at a time', async () => {
  firstPageOnly();
  await setLocale('pl');
  expect(m.auth_title_sign_in()).toBe('Logowanie · Doska');
  expect(appReady()).toBe(false);
  expect(() => m.settings_title()).toThrow(/settings_title is not loaded/);

  await showApp('ru');
  expect(appReady()).toBe(true);
  expect(m.settings_title()).toBe('Настройки');
  expect(m.auth_title_sign_in()).toBe('Вход · Doska');

  // A switch after sign-in brings both parts of the new language.
  await setLocale('pl');
  expect(m.settings_title()).toBe('Ustawienia');

  // Overlapping switches: the last one asked for is shown.
  await Promise.all([setLocale('ja'), setLocale('en')]);
  expect(m.settings_title()).toBe('Settings');
});
