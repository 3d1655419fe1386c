// Cards for unit tests.

import type { Card } from '../api/types';

/** A card with sensible defaults; pass what the test is about. */
export function card(over: Partial<Card> & { id: number }): Card {
  return {
    number: over.id + 100,
    project_id: 1,
    title: `Card ${over.id}`,
    status: 'set',
    rank: 'a0',
    kind: 'task',
    priority: 'normal',
    assignee_id: null,
    reporter_id: 1,
    estimate_minutes: null,
    due_date: null,
    staging_url: '',
    page_url: '',
    request: false,
    labels: [],
    version: 1,
    status_changed_at: '2026-11-20T10:00:00Z',
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    archived_at: null,
    comment_count: 0,
    approval_state: 'none',
    check_note: '',
    approved_by: null,
    approved_at: null,
    approval_on_behalf: false,
    approval_reason: '',
    quote_minutes: null,
    quote_state: 'none',
    quote_reason: '',
    deploy_on: null,
    deployed_at: null,
    sprint_id: null,
    planned_at: null,
    ...over,
  };
}
