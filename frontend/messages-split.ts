// The catalog in two parts per language, so the sign-in page stays small.
//
// The first page (sign-in, invitation, the splash before either) loads only
// the messages its own code uses; the rest of the app's messages load with
// the app, after sign-in (src/i18n/locale.svelte.ts). Both parts come from
// the one Paraglide module of a language: importing
// `src/paraglide/messages/<locale>.js?messages=first` (or `=app`) yields
// that module with only the first page's (or only the other) messages, as a
// chunk of its own. Which messages the first page uses is read from its
// source: every `m.<key>` in the files FIRST_PAGE imports, transitively.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** The components shown before anyone signs in. */
export const FIRST_PAGE = ['src/auth/Login.svelte', 'src/auth/AcceptInvite.svelte', 'src/shell/Splash.svelte'];

/** The field problems (the server's codes, models/problems.go) the
 * sign-in and invitation forms meet past the browser's own checks:
 * src/i18n/errors.ts reads their text by code, which no `m.<key>` names.
 * The rarer ones (a 200-character name, an invisible character in it, a
 * taken address on the first admin's set-up page) read as the general
 * "check the highlighted fields", in the page's language: the first page's
 * budget (scripts/budget.mjs) has no room for them. */
export const FIRST_PAGE_PROBLEMS = ['email_format', 'password_common', 'password_too_short'];

const IMPORT = /\bimport\s+(?!type\b)(?:[^'";]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;
const MESSAGE = /\bm\.([a-z][a-z0-9_]*)/g;

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const file of [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts')]) {
    if (/\.(svelte|ts|js)$/.test(file) && existsSync(file)) return file;
  }
  return null;
}

/** Every `m.<key>` in the first page's files and the files they import
 * (statically: a dynamic import is a page loaded later). */
export function firstPageKeys(root: string): Set<string> {
  const keys = new Set<string>(FIRST_PAGE_PROBLEMS.map((code) => `field_${code}`));
  const seen = new Set<string>();
  const queue = FIRST_PAGE.map((f) => path.resolve(root, f));
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (seen.has(file) || file.includes(`${path.sep}paraglide${path.sep}`)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, key] of source.matchAll(MESSAGE)) keys.add(key!);
    for (const [, spec] of source.matchAll(IMPORT)) {
      const next = resolve(file, spec!);
      if (next) queue.push(next);
    }
  }
  return keys;
}

const EXPORT = /^export const ([a-z][a-z0-9_]*) = /gm;

/** A compiled language module with only the messages `keep` accepts.
 * Paraglide writes the module as a header (types, the plural registry's
 * import) followed by one `export const <key> = …;` per message. */
export function pickMessages(code: string, keep: (key: string) => boolean): string {
  const starts = [...code.matchAll(EXPORT)];
  if (starts.length === 0) throw new Error('messages-split: no `export const` in a compiled language module');
  let out = code.slice(0, starts[0]!.index);
  starts.forEach((s, i) => {
    if (keep(s[1]!)) out += code.slice(s.index, starts[i + 1]?.index ?? code.length);
  });
  return out;
}

const PART = /\/paraglide\/messages\/([a-zA-Z-]+)\.js\?messages=(first|app)$/;

/** Serves `…/messages/<locale>.js?messages=first|app` and names the chunks
 * `messages-<locale>-<part>-<hash>.js` (the budget check finds them so). */
export function messagesSplit(root: string): Plugin {
  return {
    name: 'doska-messages-split',
    enforce: 'pre',
    load(id) {
      const part = PART.exec(id)?.[2];
      if (!part) return null;
      const file = id.slice(0, id.indexOf('?'));
      this.addWatchFile(file);
      const first = firstPageKeys(root);
      return pickMessages(readFileSync(file, 'utf8'), (key) => first.has(key) === (part === 'first'));
    },
  };
}

/** The output name of a chunk: a catalog part as `messages-<locale>-<part>`. */
export function chunkName(chunk: { facadeModuleId: string | null }): string {
  const part = chunk.facadeModuleId && PART.exec(chunk.facadeModuleId);
  return part ? `assets/messages-${part[1]}-${part[2]}-[hash].js` : 'assets/[name]-[hash].js';
}
