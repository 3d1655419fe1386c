// A task's history as sentences: "Dana Lee moved it from Set to In
// progress", "Pat Morgan changed the priority from normal to urgent".

import { KINDS, PRIORITIES, STATUSES, type BoardEvent, type FieldChange } from '../api/types';
import { number } from '../i18n/format';
import { hoursLabel } from '../lib/hours';
import { locale, m } from '../i18n/locale.svelte';
import { columnLabel, kindLabel, priorityLabel } from '../i18n/terms';
import { formatDay } from '../lib/format';
import { goalName } from '../sla/sla';
import { amount } from '../statements/money';

/** User ID → name, for assignees. */
export type NameOf = (id: number) => string | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const lower = (s: string) => s.toLocaleLowerCase(locale());
const day = (ymd: string) => formatDay(ymd, undefined, locale());
// Wire values the app knows get their words; anything else is shown as sent.
const known = <T extends string>(values: readonly T[], v: unknown): v is T => values.includes(v as T);
const kindName = (v: unknown) => lower(known(KINDS, v) ? kindLabel(v) : str(v));
const priorityName = (v: unknown) => lower(known(PRIORITIES, v) ? priorityLabel(v) : str(v));
const statusName = (v: unknown) => (known(STATUSES, v) ? columnLabel(v) : str(v));

/** How long a question waited: minutes and hours, or whole days. */
function waited(seconds: number): string {
  const minutes = seconds / 60;
  if (minutes < 24 * 60) return hoursLabel(minutes);
  return number(Math.floor(minutes / (24 * 60)), locale(), { style: 'unit', unit: 'day', unitDisplay: 'short' });
}

/** A list of changes, without the serial comma in English ("a, b and c"). */
function joined(parts: readonly string[]): string {
  const loc = locale();
  return new Intl.ListFormat(loc === 'en' ? 'en-GB' : loc, { type: 'conjunction' }).format(parts);
}

function describeChange(field: string, change: FieldChange, nameOf: NameOf): string | null {
  const { from, to } = change;
  switch (field) {
    case 'title':
      return m.board_act_title({ from: str(from), to: str(to) });
    case 'description':
      return m.board_act_description();
    case 'kind':
      return m.board_act_kind({ from: kindName(from), to: kindName(to) });
    case 'priority':
      return m.board_act_priority({ from: priorityName(from), to: priorityName(to) });
    case 'assignee_id':
      return typeof to === 'number'
        ? m.board_act_assigned({ name: nameOf(to) ?? m.board_someone() })
        : m.board_act_unassigned();
    case 'estimate_minutes':
      return typeof to === 'number' ? m.board_act_estimate({ hours: hoursLabel(to) }) : m.board_act_no_estimate();
    case 'due_date':
      return typeof to === 'string' && to ? m.board_act_due({ day: day(to) }) : m.board_act_no_due();
    case 'staging_url':
      return str(to) ? m.board_act_staging() : m.board_act_no_staging();
    case 'page_url':
      return m.requests_act_page();
    case 'labels':
      return Array.isArray(to) && to.length ? m.board_act_labels({ labels: to.join(', ') }) : m.board_act_no_labels();
    default:
      // Status and rank belong to moves; anything newer is not worth a guess.
      return null;
  }
}

/** What the actor did, without the actor: "moved it from Set to Done". */
function describeAction(ev: BoardEvent, nameOf: NameOf): string {
  switch (ev.kind) {
    case 'task.created':
      return m.board_act_created({ status: statusName(ev.data.task.status) });
    case 'task.moved': {
      const status = ev.data.changes?.status;
      if (ev.data.reason === 'client_answered') {
        const to = statusName(ev.data.task.status);
        return ev.data.waited_seconds
          ? m.board_act_answered_after({ status: to, waited: waited(ev.data.waited_seconds) })
          : m.board_act_answered({ status: to });
      }
      return status
        ? m.board_act_moved({ from: statusName(status.from), to: statusName(status.to) })
        : m.board_act_moved_within({ status: statusName(ev.data.task.status) });
    }
    case 'task.approved': {
      const t = ev.data.task;
      const reason = t.approval_reason ?? '';
      if (t.deploy_on) {
        const on = day(t.deploy_on);
        return t.approval_on_behalf
          ? m.board_act_approved_behalf_for({ day: on, reason })
          : m.board_act_approved_for({ day: on });
      }
      return t.approval_on_behalf ? m.board_act_approved_behalf({ reason }) : m.board_act_approved();
    }
    case 'task.changes_requested':
      return m.board_act_changes_requested();
    case 'task.deployed':
      return m.board_act_deployed();
    case 'task.quote_sent':
      return ev.quote_amount
        ? m.board_act_quote_sent_amount({ amount: amount(ev.quote_amount.amount_cents, ev.quote_amount.currency) })
        : m.board_act_quote_sent();
    case 'task.quote_accepted':
      return m.board_act_quote_accepted();
    case 'task.quote_declined':
      return m.board_act_quote_declined();
    case 'task.quote_overridden':
      return m.board_act_quote_overridden();
    case 'task.updated': {
      const parts = Object.entries(ev.data.changes ?? {})
        .map(([field, change]) => describeChange(field, change, nameOf))
        .filter((s): s is string => s !== null);
      return parts.length ? joined(parts) : m.board_act_updated();
    }
    case 'task.escalated': {
      const to = ev.data.task.assignee_id;
      const name = (to !== null && nameOf(to)) || m.board_someone();
      return ev.data.note
        ? m.requests_act_escalated_because({ name, reason: ev.data.note })
        : m.requests_act_escalated({ name });
    }
    case 'task.archived':
      return m.board_act_archived();
    case 'task.restored':
      return m.board_act_restored();
    case 'comment.created':
      return ev.data.internal ? m.board_act_internal_added() : m.board_act_comment_added();
    case 'comment.updated':
      return ev.data.internal ? m.board_act_internal_edited() : m.board_act_comment_edited();
    case 'comment.deleted':
      return ev.data.internal ? m.board_act_internal_deleted() : m.board_act_comment_deleted();
    case 'attachment.added':
      return m.board_act_file_added();
    case 'attachment.removed':
      return m.board_act_file_removed();
    default:
      return m.board_act_changed();
  }
}

/** The whole sentence: "Dana Lee moved it from Set to In progress". */
export function describeEvent(ev: BoardEvent, nameOf: NameOf): string {
  // Nobody made it: the periodic check records it.
  if (ev.kind === 'sla.alert') {
    const goal = goalName(ev.data.goal);
    return ev.data.level === 'breach' ? m.sla_act_breach({ goal }) : m.sla_act_warning({ goal });
  }
  return m.board_event({ actor: ev.actor_name || m.board_someone(), action: describeAction(ev, nameOf) });
}

const FIELD_NAMES: Record<string, () => string> = {
  title: () => m.board_field_title(),
  description: () => m.board_field_description(),
  kind: () => m.board_field_kind(),
  priority: () => m.board_field_priority(),
  assignee_id: () => m.board_field_assignee(),
  estimate_minutes: () => m.board_field_estimate(),
  due_date: () => m.board_field_due_date(),
  staging_url: () => m.board_field_staging_link(),
  labels: () => m.board_field_labels(),
  status: () => m.board_field_status(),
};

/** A change the user tried to make, for "your change was not saved":
 * "title “New”, priority urgent". */
export function describePatch(patch: object, nameOf: NameOf): string {
  return Object.entries(patch)
    .map(([field, v]: [string, unknown]) => {
      const name = FIELD_NAMES[field]?.() ?? field;
      let value: string;
      if (field === 'description') value = m.board_your_text();
      else if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) value = m.board_none();
      else if (field === 'title') value = m.board_quoted({ text: str(v) });
      else if (field === 'assignee_id' && typeof v === 'number') value = nameOf(v) ?? m.board_someone();
      else if (field === 'estimate_minutes' && typeof v === 'number') value = hoursLabel(v);
      else if (field === 'due_date') value = day(str(v));
      else if (field === 'kind') value = kindName(v);
      else if (field === 'priority') value = priorityName(v);
      else if (field === 'status') value = statusName(v);
      else value = Array.isArray(v) ? v.join(', ') : String(v);
      return `${name} ${value}`;
    })
    .join(', ');
}
