// The app's language: which one is shown, its messages, and switching.
//
// messages/{en,pl,ru,ja}.json compile (Paraglide, "locale-modules") to one
// module per language in src/paraglide/messages/, which messages-split.ts
// serves in two parts: the first page's messages (sign-in, invitation) and
// the app's. Only the shown language is loaded, each part as a chunk of its
// own: signed out, only its first part; from sign-in on (`showApp`), both.
// Never import src/paraglide/messages.js: it imports every language at once.
//
// `m` is the catalog of the current language. Components call `m.key()`;
// the call reads reactive state, so a switch re-renders every text at once,
// without a reload.

import type * as English from '../paraglide/messages/en.js';
import type * as Japanese from '../paraglide/messages/ja.js';
import type * as Polish from '../paraglide/messages/pl.js';
import type * as Russian from '../paraglide/messages/ru.js';

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

// Each language must have every key of the English one: a language missing
// a message (or taking other parameters) fails svelte-check here.
type Complete<T extends Record<Locale, Module>> = T;
export type Languages = Complete<{ en: Module; pl: typeof Polish; ru: typeof Russian; ja: typeof Japanese }>;

type Part = Partial<Module>;
// A part holds some of a language's messages (parts.d.ts cannot say which).
const part = (load: Promise<object>) => load as Promise<Part>;
const loaders: Record<Locale, { first: () => Promise<Part>; app: () => Promise<Part> }> = {
  en: {
    first: () => part(import('../paraglide/messages/en.js?messages=first')),
    app: () => part(import('../paraglide/messages/en.js?messages=app')),
  },
  pl: {
    first: () => part(import('../paraglide/messages/pl.js?messages=first')),
    app: () => part(import('../paraglide/messages/pl.js?messages=app')),
  },
  ru: {
    first: () => part(import('../paraglide/messages/ru.js?messages=first')),
    app: () => part(import('../paraglide/messages/ru.js?messages=app')),
  },
  ja: {
    first: () => part(import('../paraglide/messages/ja.js?messages=first')),
    app: () => part(import('../paraglide/messages/ja.js?messages=app')),
  },
};

class LocaleState {
  /** The language shown; null until its messages have loaded. */
  current = $state<Locale | null>(null);
  catalog = $state.raw<Part | null>(null);
  /** Whether `catalog` holds the app's messages too. */
  withApp = $state(false);
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

// Unit tests render any component without signing in: the app's messages
// load from the start unless main.ts says the first page comes first.
let wantApp = true;
let latest = 0;
let lastLoad: Promise<void> = Promise.resolve();

/** Called by main.ts before the first `setLocale`: until someone signs in,
 * only the first page's messages load. */
export function firstPageOnly(): void {
  wantApp = false;
}

/** Whether the app's messages have loaded (the signed-in app waits for them). */
export function appReady(): boolean {
  return state.withApp;
}

/** Loads a language and shows it; the last call wins when calls overlap.
 * An overtaken call settles when the last one does: main.ts mounts the app
 * when its call settles, and a session restored meanwhile (a second tab)
 * asks for the app's messages in another call. */
export function setLocale(next: Locale): Promise<void> {
  const call = ++latest;
  const load = (async () => {
    const parts = await Promise.all(wantApp ? [loaders[next].first(), loaders[next].app()] : [loaders[next].first()]);
    if (call !== latest) return lastLoad;
    state.catalog = Object.assign({}, ...parts) as Part;
    state.withApp = parts.length === 2;
    state.current = next;
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  })();
  lastLoad = load;
  return load;
}

/** Shows a language with the app's messages: at sign-in. */
export async function showApp(next: Locale): Promise<void> {
  wantApp = true;
  if (state.withApp && state.current === next) return;
  await setLocale(next);
}

/** A message read by a key made at run time (a server's code), or null
 * when the shown language has no such message loaded. */
export function loadedMessage(key: string): ((inputs: object) => string) | null {
  const message = state.catalog?.[key as keyof Module];
  return message ? (message as (inputs: object) => string) : null;
}

/** The current language's messages: `m.sign_in()`, `m.tasks_count({ count })`. */
export const m: Catalog = new Proxy({} as Catalog, {
  get(_, key: string) {
    const catalog = state.catalog;
    if (!catalog) throw new Error(`i18n: message ${key} read before setLocale()`);
    const message = catalog[key as keyof Module];
    // Signed out, only the first page's messages are loaded (messages-split.ts).
    if (!message) throw new Error(`i18n: message ${key} is not loaded; is it shown before sign-in?`);
    return message;
  },
});
