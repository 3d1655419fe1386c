// The product's own words (columns, roles, priorities, kinds) by their wire
// value, so every screen names them alike in every language.

import type { Kind, Priority, Role, Status } from '../api/types';
import { m, type Locale } from './locale.svelte';

export function roleLabel(role: Role): string {
  return { admin: m.role_admin, manager: m.role_manager, developer: m.role_developer, client: m.role_client }[role]();
}

export function columnLabel(status: Status): string {
  return {
    set: m.column_set,
    in_progress: m.column_in_progress,
    awaiting_reply: m.column_awaiting_reply,
    approval: m.column_approval,
    done: m.column_done,
  }[status]();
}

export function priorityLabel(priority: Priority): string {
  return { normal: m.priority_normal, urgent: m.priority_urgent, critical: m.priority_critical }[priority]();
}

export function kindLabel(kind: Kind): string {
  return {
    task: m.kind_task,
    bug: m.kind_bug,
    question: m.kind_question,
    change: m.kind_change,
    order: m.kind_order,
  }[kind]();
}

/** Each language by its own name ("Polski"), as a language picker lists them. */
export function languageName(code: Locale): string {
  return { en: m.language_en, pl: m.language_pl, ru: m.language_ru, ja: m.language_ja }[code]();
}
