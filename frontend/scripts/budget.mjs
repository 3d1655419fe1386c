// The sign-in page's JavaScript, gzipped, per language, over the built app
// (dist/app): the entry script, what it imports statically (the
// modulepreloads) and the first-page part of that language's messages
// (messages-split.ts). Fails above the budget: 10 % over the 53,229 bytes
// the sign-in page had before the catalog (docs/I18N.md).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET = 58_552;
const LOCALES = ['en', 'pl', 'ru', 'ja'];

const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g;

/**
 * The gzipped bytes of the sign-in page's JavaScript in each language.
 * @param {string} dist the built app
 * @returns {Record<string, { bytes: number, files: string[] }>}
 */
export function signInBytes(dist) {
  const assets = path.join(dist, 'assets');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/g)].map((x) => x[1]);
  if (entry.length === 0) throw new Error(`no module script in ${dist}/index.html`);
  const files = readdirSync(assets);
  /** @type {Record<string, { bytes: number, files: string[] }>} */
  const result = {};
  for (const locale of LOCALES) {
    const part = files.filter((f) => f.startsWith(`messages-${locale}-first-`) && f.endsWith('.js'));
    if (part.length !== 1)
      throw new Error(`expected one messages-${locale}-first-*.js in ${assets}, found ${part.length}`);
    // The closure of static imports: what the browser fetches before it runs.
    const loaded = new Set();
    const queue = [...entry, ...part];
    for (let file = queue.pop(); file; file = queue.pop()) {
      if (loaded.has(file)) continue;
      loaded.add(file);
      const code = readFileSync(path.join(assets, file), 'utf8');
      for (const [, dep] of code.matchAll(STATIC_IMPORT)) queue.push(dep);
    }
    let bytes = 0;
    for (const file of loaded) bytes += gzipSync(readFileSync(path.join(assets, file)), { level: 9 }).length;
    result[locale] = { bytes, files: [...loaded].sort() };
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = path.resolve(import.meta.dirname, '..', 'dist', 'app');
  let over = false;
  for (const [locale, { bytes, files }] of Object.entries(signInBytes(dist))) {
    const pct = (bytes / 53_229 - 1) * 100;
    console.log(
      `sign-in page, ${locale}: ${bytes} bytes gzipped (${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %): ${files.join(' ')}`,
    );
    if (bytes > BUDGET) over = true;
  }
  if (over) {
    console.error(`over the budget of ${BUDGET} bytes (docs/I18N.md)`);
    process.exit(1);
  }
}
