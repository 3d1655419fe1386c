// ESLint for the SPA and its browser tests: the recommended rules of
// JavaScript, TypeScript and Svelte; formatting is Prettier's business.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'src/paraglide/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    rules: {
      // User text reaches the page as text. The one sanctioned HTML sink is
      // ui/RichText.svelte's {@html}, fed only by lib/sanitize.ts (DOMPurify).
      'no-restricted-syntax': [
        'error',
        {
          selector: 'AssignmentExpression > MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Render text with textContent or Svelte markup; HTML goes through ui/RichText.svelte only.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Render text with textContent or Svelte markup; HTML goes through ui/RichText.svelte only.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The app's Maps and Sets are local builders, bookkeeping no view
      // reads, or replaced whole in $state.raw; none is mutated in place
      // under a view, so SvelteMap/SvelteSet would only add overhead.
      'svelte/prefer-svelte-reactivity': 'off',
      // {' '} keeps a space between inline elements that formatting would
      // otherwise drop or move.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    files: ['e2e/**/*.ts'],
    ignores: ['e2e/helpers.ts'],
    rules: {
      // helpers.ts's test closes the browser contexts a test opened.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@playwright/test', importNames: ['test'], message: "Take test from './helpers'." }],
        },
      ],
    },
  },
);
