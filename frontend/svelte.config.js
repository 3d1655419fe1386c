// Svelte 5 understands TypeScript in <script lang="ts"> natively (type
// annotations only, no enums), so no preprocessor is needed.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: { runes: true },
};
