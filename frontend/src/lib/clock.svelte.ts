// The current time as reactive state, for "2 d ago" and "overdue". It ticks
// only while something on screen reads it.

import { createSubscriber } from 'svelte/reactivity';

const TICK_MS = 30_000;

class Clock {
  #subscribe = createSubscriber((update) => {
    const timer = setInterval(update, TICK_MS);
    return () => clearInterval(timer);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const clock = new Clock();
