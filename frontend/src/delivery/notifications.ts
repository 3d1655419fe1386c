// Notifications as sentences, for the bell. Kept apart from the other
// delivery rules: the bell is on every page, the rest loads with its pages.

import type { Notification } from '../api/types';

/** A notification as a sentence in three parts, so that the card can be
 * set apart: ["Pat Morgan asked you a question on ", "#12 Fix the menu", ""]. */
export function notificationParts(n: Notification): [string, string, string] {
  const who = n.actor_name || 'Someone';
  const card = `#${n.task_number} ${n.task_title}`;
  switch (n.kind) {
    case 'question':
      return [`${who} asked you a question on `, card, ''];
    case 'approval_request':
      return [`${who} asked for your approval of `, card, ''];
    case 'approved':
      return [`${who} approved `, card, ''];
    case 'changes_requested':
      return [`${who} requested changes on `, card, ''];
    case 'mentioned':
      return [`${who} mentioned you on `, card, ''];
    case 'assigned':
      return [`${who} assigned you `, card, ''];
    case 'answered':
      return [`${who} answered your question on `, card, ''];
    case 'critical':
      return ['Critical: ', card, ' needs you now'];
    default:
      return [`${who} changed `, card, ''];
  }
}

export function notificationText(n: Notification): string {
  return notificationParts(n).join('');
}
