// Why a card waits, in words (models.Whose gives the reason).

import type { WaitReason } from '../api/types';
import { m } from '../i18n/locale.svelte';

export function waitReasonLabel(r: WaitReason): string {
  return {
    question: m.requests_wait_question,
    approval: m.requests_wait_approval,
    new_request: m.requests_wait_new_request,
    answered: m.requests_wait_answered,
    changes_requested: m.requests_wait_changes,
    deploy: m.requests_wait_deploy,
    work: m.requests_wait_work,
  }[r]();
}
