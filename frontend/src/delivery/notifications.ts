// Notifications as sentences, for the bell, in the reader's language: the
// server sends what happened (kind, who, which card), the catalog the words.
// Kept apart from the other delivery rules: the bell is on every page, the
// rest loads with its pages.

import type { Notification, Role } from '../api/types';
import { cardPath } from '../board/links';
import { date } from '../i18n/format';
import { hoursLabel } from '../lib/hours';
import { m } from '../i18n/locale.svelte';

// Stands in for the card while the sentence is built, so that the card can
// be cut out of it wherever the language puts it.
const SLOT = '\u0000';

function sentence(n: Notification, card: string): string {
  const who = n.actor_name || m.delivery_notify_someone();
  switch (n.kind) {
    case 'question':
      return m.delivery_notify_question({ who, card });
    case 'approval_request':
      return m.delivery_notify_approval_request({ who, card });
    case 'approved':
      return m.delivery_notify_approved({ who, card });
    case 'changes_requested':
      return m.delivery_notify_changes_requested({ who, card });
    case 'mentioned':
      return m.delivery_notify_mentioned({ who, card });
    case 'assigned':
      return m.delivery_notify_assigned({ who, card });
    case 'answered':
      return m.delivery_notify_answered({ who, card });
    case 'critical':
      return m.delivery_notify_critical({ card });
    case 'sla_warning':
      return m.sla_notify_warning({ card });
    case 'sla_breach':
      return m.sla_notify_breach({ card });
    case 'escalated':
      return m.requests_notify_escalated({ who, card });
    case 'workshop_summary':
      return m.workshops_notify_published({ who, workshop: card });
    case 'quote_sent':
      return m.delivery_notify_quote_sent({ who, card });
    case 'quote_accepted':
      return m.delivery_notify_quote_accepted({ who, card });
    case 'quote_declined':
      return m.delivery_notify_quote_declined({ who, card });
    case 'package_used':
      return n.package_level === 100
        ? m.packages_notify_full({ name: card })
        : m.packages_notify_used({
            name: card,
            percent: n.package_level ?? 80,
            left: hoursLabel(Math.max(0, n.package_left_minutes ?? 0)),
          });
    default:
      return m.delivery_notify_changed({ who, card });
  }
}

/** A notification as a sentence in three parts, so that the card (or the
 * workshop) can be set apart: ["Pat Morgan asked you a question on ",
 * "#12 Fix the menu", ""]. */
export function notificationParts(n: Notification): [string, string, string] {
  const card = n.workshop_id
    ? m.workshops_notify_which({ client: n.client_name, day: date(n.workshop_starts_at ?? n.created_at) })
    : n.package_id
      ? n.package_name || (n.package_kind === 'retainer' ? m.packages_kind_retainer() : m.packages_kind_block())
      : `#${n.task_number} ${n.task_title}`;
  const text = sentence(n, SLOT);
  const at = text.indexOf(SLOT);
  return [text.slice(0, at), card, text.slice(at + SLOT.length)];
}

export function notificationText(n: Notification): string {
  return notificationParts(n).join('');
}

/** Where a notification leads: its card, the workshop's summary, or for a
 * package the balance: the client's page for staff, the home (where the
 * client's users read their hours) for a client. */
export function notificationPath(n: Notification, role: Role | undefined): string {
  if (n.package_id) return role === 'client' ? '/' : `/clients/${n.client_id}`;
  return n.workshop_id ? `/workshops/${n.workshop_id}` : cardPath(n.project_id, n.task_number);
}
