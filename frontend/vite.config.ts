import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { chunkName, messagesSplit } from './messages-split.ts';

// The build lands in dist/app so that dist/.keep (committed, needed by
// frontend/embed.go before the first build) is never emptied.
export default defineConfig({
  base: '/',
  plugins: [
    // messages/*.json compile to one module per language (src/paraglide,
    // generated); src/i18n loads only the user's one. See docs/I18N.md.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/paraglide',
      outputStructure: 'locale-modules',
      emitTsDeclarations: true,
    }),
    // Each language in two chunks: the first page's messages and the
    // app's (messages-split.ts).
    messagesSplit(import.meta.dirname),
    svelte(),
  ],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { output: { chunkFileNames: chunkName } },
  },
  server: {
    // Every API route and the websocket live under /api. The Host header is
    // kept (no changeOrigin) so the server's same-origin checks on the cookie
    // endpoints see the dev origin they expect.
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'messages-split.test.ts'],
    environment: 'node',
  },
});
