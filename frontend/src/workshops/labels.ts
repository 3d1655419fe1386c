// The words for a workshop's state and for why an item is on its agenda.

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
