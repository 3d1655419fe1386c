// The words for a workshop's state and for why an item is on its agenda.

import type { AgendaLeftOut, AgendaSource } from '../api/workshops';
import { m } from '../i18n/locale.svelte';

export function sourceLabel(source: string): string {
  switch (source) {
    case 'carried':
      return m.workshops_source_carried();
    case 'awaiting_reply':
      return m.workshops_source_awaiting_reply();
    case 'approval':
      return m.workshops_source_approval();
    case 'stuck':
      return m.workshops_source_stuck();
    case 'urgent':
      return m.workshops_source_urgent();
    case 'deployed':
      return m.workshops_source_deployed();
    case 'proposal':
      return m.workshops_source_proposal();
    default:
      return m.workshops_source_free();
  }
}

/** "and N more cards …": the cards a drafted section found beyond its cap. */
export function leftOutLabel(more: AgendaLeftOut): string {
  const count = more.count;
  switch (more.source) {
    case 'approval':
      return m.workshops_more_approval({ count });
    case 'stuck':
      return m.workshops_more_stuck({ count });
    case 'urgent':
      return m.workshops_more_urgent({ count });
    case 'deployed':
      return m.workshops_more_deployed({ count });
    default:
      return m.workshops_more_awaiting_reply({ count });
  }
}

/** Where each "and N more" line goes: under the last point of its section
 * (by the point's index), or after the agenda when the PM removed
 * every point of it. */
export function leftOutPlaces(
  sources: readonly (AgendaSource | undefined)[],
  left: readonly AgendaLeftOut[],
): { under: Map<number, AgendaLeftOut[]>; after: AgendaLeftOut[] } {
  const under = new Map<number, AgendaLeftOut[]>();
  const after: AgendaLeftOut[] = [];
  for (const more of left) {
    const i = sources.lastIndexOf(more.source);
    if (i < 0) {
      after.push(more);
      continue;
    }
    under.set(i, [...(under.get(i) ?? []), more]);
  }
  return { under, after };
}

export function stateLabel(state: string): string {
  switch (state) {
    case 'held':
      return m.workshops_state_held();
    case 'published':
      return m.workshops_state_published();
    default:
      return m.workshops_state_draft();
  }
}

/** The lines of notes one may turn into cards: each non-empty line, list
 * markers and task boxes taken off. */
export function noteLines(notes: string): string[] {
  return notes
    .split('\n')
    .map((l) => l.replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '').trim())
    .filter((l) => l.length > 0);
}
