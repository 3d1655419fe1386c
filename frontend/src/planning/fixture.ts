// Loads for unit tests.

import type { Load } from '../api/types';

/** A full-time week (40 h, 20 % buffer) with nothing in it; pass what the
 * test is about. */
export function load(over: Partial<Load> = {}): Load {
  return {
    capacity_minutes: 2400,
    plannable_minutes: 1920,
    buffer_minutes: 480,
    planned_minutes: 0,
    unplanned_minutes: 0,
    buffer_free_minutes: 480,
    over_minutes: 0,
    done_minutes: 0,
    unestimated: 0,
    tasks: 0,
    done_tasks: 0,
    urgent: 0,
    critical: 0,
    ...over,
  };
}
