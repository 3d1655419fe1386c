// A fetch as reactive state: data, loading, error, with stale answers
// ignored when it is reloaded and the request aborted when it is dropped.

import { onMount, untrack } from 'svelte';
import { ApiError, toApiError } from '../api/client';

export class Resource<T> {
  data = $state<T | undefined>(undefined);
  error = $state<ApiError | null>(null);
  loading = $state(true);

  #fetcher: (signal: AbortSignal) => Promise<T>;
  #generation = 0;
  #controller: AbortController | null = null;

  constructor(fetcher: (signal: AbortSignal) => Promise<T>) {
    this.#fetcher = fetcher;
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#fetcher(controller.signal);
      if (generation === this.#generation) this.data = value;
    } catch (err) {
      if (generation === this.#generation && !controller.signal.aborted) this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  abort(): void {
    this.#generation++;
    this.#controller?.abort();
  }
}

/** Loads the resource while the component is mounted, and again each time
 * `changes()` counts up (live events about what it shows). Call it while
 * the component is being set up. */
export function loadWhileMounted<T>(resource: Resource<T>, changes: () => number): void {
  onMount(() => {
    void resource.load();
    return () => resource.abort();
  });
  $effect(() => {
    if (changes() > 0) untrack(() => void resource.load());
  });
}
