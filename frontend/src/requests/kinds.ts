// A client's words for the kinds of request, with a line each that says
// when to choose it.

import type { RequestKind } from '../api/requests';
import { m } from '../i18n/locale.svelte';

export function requestKindLabel(k: RequestKind): string {
  return {
    question: m.requests_kind_question,
    bug: m.requests_kind_bug,
    critical_bug: m.requests_kind_critical,
    change: m.requests_kind_change,
    order: m.requests_kind_order,
  }[k]();
}

export function requestKindHint(k: RequestKind): string {
  return {
    question: m.requests_kind_question_hint,
    bug: m.requests_kind_bug_hint,
    critical_bug: m.requests_kind_critical_hint,
    change: m.requests_kind_change_hint,
    order: m.requests_kind_order_hint,
  }[k]();
}
