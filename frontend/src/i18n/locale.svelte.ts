// The app's language: which one is shown, its messages, and switching.
//
// messages/{en,pl,ru,ja}.json compile (Paraglide, "locale-modules") to one
// module per language in src/paraglide/messages/. Only the shown language's
// module is loaded: each sits behind its own dynamic import, so Vite emits
// it as a chunk of its own. Never import src/paraglide/messages.js: it
// imports every language at once.
//
// `m` is the catalog of the current language. Components call `m.key()`;
// the call reads reactive state, so a switch re-renders every text at once,
// without a reload.

import type * as English from '../paraglide/messages/en.js';

type Module = typeof English;
// The compiled functions of one language take an `inputs` object even when
// a message has no parameters; `m.sign_in()` may leave it out.
type Message<F> = F extends (inputs: infer I) => infer R
  ? [keyof I] extends [never]
    ? (inputs?: I) => R
    : (inputs: I) => R
  : never;
export type Catalog = { [K in keyof Module]: Message<Module[K]> };
export type Locale = 'en' | 'pl' | 'ru' | 'ja';

export const LOCALES: readonly Locale[] = ['en', 'pl', 'ru', 'ja'];

// Each module must have every key of the English one: a language missing a
// message (or taking other parameters) fails svelte-check here.
const loaders: Record<Locale, () => Promise<Module>> = {
  en: () => import('../paraglide/messages/en.js'),
  pl: () => import('../paraglide/messages/pl.js'),
  ru: () => import('../paraglide/messages/ru.js'),
  ja: () => import('../paraglide/messages/ja.js'),
};

class LocaleState {
  /** The language shown; null until its messages have loaded. */
  current = $state<Locale | null>(null);
  catalog = $state.raw<Module | null>(null);
}

const state = new LocaleState();

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The first of the browser's languages Doska speaks ("pl-PL" → pl). */
export function browserLocale(
  languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
  fallback: Locale = 'en',
): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return fallback;
}

/** The shown language ('en' while the first one loads). */
export function locale(): Locale {
  return state.current ?? 'en';
}

/** Whether the first language has loaded (the app waits for it). */
export function localeReady(): boolean {
  return state.catalog !== null;
}

let pending: Locale | null = null;

/** Loads a language and shows it; the last call wins when calls overlap. */
export async function setLocale(next: Locale): Promise<void> {
  pending = next;
  const catalog = await loaders[next]();
  if (pending !== next) return;
  state.catalog = catalog;
  state.current = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** The current language's messages: `m.sign_in()`, `m.tasks_count({ count })`. */
export const m: Catalog = new Proxy({} as Catalog, {
  get(_, key: string) {
    const catalog = state.catalog;
    if (!catalog) throw new Error(`i18n: message ${key} read before setLocale()`);
    return catalog[key as keyof Module];
  },
});
