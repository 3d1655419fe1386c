// A task's history as sentences: "Dana Lee moved it from Set to In
// progress", "Pat Morgan changed the priority from normal to urgent".

import type { BoardEvent, FieldChange, Kind, Priority, Status } from '../api/types';
import { formatDay, joinAnd, shortDuration } from '../lib/format';
import { hoursLabel } from '../lib/hours';
import { KIND_LABELS, PRIORITY_LABELS, STATUS_LABELS } from './cards';

/** User ID → name, for assignees. */
export type NameOf = (id: number) => string | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const lower = (s: string) => s.toLowerCase();

function describeChange(field: string, change: FieldChange, nameOf: NameOf): string | null {
  const { from, to } = change;
  switch (field) {
    case 'title':
      return `changed the title from “${str(from)}” to “${str(to)}”`;
    case 'description':
      return 'edited the description';
    case 'kind':
      return `changed the kind from ${lower(KIND_LABELS[from as Kind] ?? str(from))} to ${lower(KIND_LABELS[to as Kind] ?? str(to))}`;
    case 'priority':
      return `changed the priority from ${lower(PRIORITY_LABELS[from as Priority] ?? str(from))} to ${lower(PRIORITY_LABELS[to as Priority] ?? str(to))}`;
    case 'assignee_id':
      return typeof to === 'number' ? `assigned it to ${nameOf(to) ?? 'someone'}` : 'unassigned it';
    case 'estimate_minutes':
      return typeof to === 'number' ? `set the estimate to ${hoursLabel(to)}` : 'removed the estimate';
    case 'due_date':
      return typeof to === 'string' && to ? `set the due date to ${formatDay(to)}` : 'removed the due date';
    case 'staging_url':
      return str(to) ? 'set the staging link' : 'removed the staging link';
    case 'labels':
      return Array.isArray(to) && to.length ? `set the labels to ${to.join(', ')}` : 'removed the labels';
    default:
      // Status and rank belong to moves; anything newer is not worth a guess.
      return null;
  }
}

/** What the actor did, without the actor: "moved it from Set to Done". */
function describeAction(ev: BoardEvent, nameOf: NameOf): string {
  switch (ev.kind) {
    case 'task.created':
      return `created the card in ${STATUS_LABELS[ev.data.task.status] ?? ev.data.task.status}`;
    case 'task.moved': {
      const status = ev.data.changes?.status;
      const label = (s: unknown) => STATUS_LABELS[s as Status] ?? str(s);
      if (ev.data.reason === 'client_answered') {
        const waited = ev.data.waited_seconds ? ` after waiting ${shortDuration(ev.data.waited_seconds * 1000)}` : '';
        return `answered, which moved it back to ${label(ev.data.task.status)}${waited}`;
      }
      return status ? `moved it from ${label(status.from)} to ${label(status.to)}` : `moved it within ${label(ev.data.task.status)}`;
    }
    case 'task.approved': {
      const t = ev.data.task;
      const day = t.deploy_on ? ` for deployment on ${formatDay(t.deploy_on)}` : '';
      return t.approval_on_behalf ? `approved the change on the client's behalf${day} (${t.approval_reason})` : `approved the change${day}`;
    }
    case 'task.changes_requested':
      return 'requested changes';
    case 'task.deployed':
      return 'marked it deployed';
    case 'task.updated': {
      const parts = Object.entries(ev.data.changes ?? {})
        .map(([field, change]) => describeChange(field, change, nameOf))
        .filter((s): s is string => s !== null);
      return parts.length ? joinAnd(parts) : 'updated the card';
    }
    case 'task.archived':
      return 'archived the card';
    case 'task.restored':
      return 'restored the card';
    case 'comment.created':
      return ev.data.internal ? 'added an internal comment' : 'added a comment';
    case 'comment.updated':
      return ev.data.internal ? 'edited an internal comment' : 'edited a comment';
    case 'comment.deleted':
      return ev.data.internal ? 'deleted an internal comment' : 'deleted a comment';
    default:
      return 'changed the card';
  }
}

/** The whole sentence: "Dana Lee moved it from Set to In progress". */
export function describeEvent(ev: BoardEvent, nameOf: NameOf): string {
  return `${ev.actor_name || 'Someone'} ${describeAction(ev, nameOf)}`;
}

const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  description: 'description',
  kind: 'kind',
  priority: 'priority',
  assignee_id: 'assignee',
  estimate_minutes: 'estimate',
  due_date: 'due date',
  staging_url: 'staging link',
  labels: 'labels',
};

/** A change the user tried to make, for "your change was not saved":
 * "title “New”, priority urgent". */
export function describePatch(patch: object, nameOf: NameOf): string {
  return Object.entries(patch)
    .map(([field, v]: [string, unknown]) => {
      const name = FIELD_NAMES[field] ?? field;
      let value: string;
      if (field === 'description') value = '(your text)';
      else if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) value = 'none';
      else if (field === 'title') value = `“${str(v)}”`;
      else if (field === 'assignee_id' && typeof v === 'number') value = nameOf(v) ?? 'someone';
      else if (field === 'estimate_minutes' && typeof v === 'number') value = hoursLabel(v);
      else if (field === 'due_date') value = formatDay(str(v));
      else if (field === 'kind') value = lower(KIND_LABELS[v as Kind] ?? str(v));
      else if (field === 'priority') value = lower(PRIORITY_LABELS[v as Priority] ?? str(v));
      else if (field === 'status') value = STATUS_LABELS[v as Status] ?? str(v);
      else value = Array.isArray(v) ? v.join(', ') : String(v);
      return `${name} ${value}`;
    })
    .join(', ');
}
