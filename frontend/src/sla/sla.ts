// Service agreements (docs/API.md "Service agreements"): the agency's
// business hours, a client's targets, a board's request clocks, the
// monthly report; and the clocks as the screens word them.

import { request } from '../api/client';
import type { BusinessHours, Sla, SlaClock, SlaGoal, SlaReport, SlaTarget, SlaTargets } from '../api/schema';
import { m } from '../i18n/locale.svelte';
import { hoursLabel } from '../lib/hours';

export function getBusinessHours(signal?: AbortSignal): Promise<BusinessHours> {
  return request<BusinessHours>('/api/business-hours', { signal });
}

export function setBusinessHours(hours: BusinessHours): Promise<BusinessHours> {
  return request<BusinessHours>('/api/business-hours', { method: 'PUT', body: hours });
}

export function getTargets(clientId: number, signal?: AbortSignal): Promise<SlaTargets> {
  return request<SlaTargets>(`/api/clients/${clientId}/sla`, { signal });
}

export function setTargets(clientId: number, targets: SlaTarget[]): Promise<SlaTargets> {
  return request<SlaTargets>(`/api/clients/${clientId}/sla`, { method: 'PUT', body: { targets } });
}

export function getReport(clientId: number, month: string, signal?: AbortSignal): Promise<SlaReport> {
  return request<SlaReport>(`/api/clients/${clientId}/sla-report`, { query: { month }, signal });
}

/** Card ID (as a JSON key) → the clocks of that client request. */
export type Clocks = Record<string, Sla>;

export function getClocks(projectId: number, signal?: AbortSignal): Promise<Clocks> {
  return request<Clocks>(`/api/projects/${projectId}/sla`, { signal });
}

export function goalName(goal: SlaGoal): string {
  return goal === 'first_response' ? m.sla_first_response() : m.sla_resolution();
}

export type Tone = 'ok' | 'warn' | 'late' | 'done';

/** One clock in words: "Resolution: 3 h 20 min left", "First response:
 * target missed", "Resolution: paused, 2 h left", "Resolution: met". Past
 * the 80 % warning the words say so too ("only 40 min left"): the colour is
 * never the only sign. */
export function clockText(c: SlaClock): { text: string; tone: Tone } {
  const goal = goalName(c.goal);
  const left = hoursLabel(Math.max(0, c.target_seconds - c.used_seconds) / 60);
  if (c.breached) return { text: m.sla_missed({ goal }), tone: 'late' };
  if (c.state === 'stopped') return { text: m.sla_met({ goal }), tone: 'done' };
  const warn = c.used_seconds * 100 >= c.target_seconds * 80;
  const tone: Tone = warn ? 'warn' : 'ok';
  if (c.state === 'paused') return { text: (warn ? m.sla_paused_warn : m.sla_paused)({ goal, left }), tone };
  return { text: (warn ? m.sla_left_warn : m.sla_left)({ goal, left }), tone };
}

/** The clock a card shows: a missed target first, then the running one
 * (first response before resolution); null when none matters any more. */
export function mainClock(sla: Sla | null | undefined): SlaClock | null {
  const clocks = [sla?.first_response, sla?.resolution].filter((c): c is SlaClock => !!c);
  return clocks.find((c) => c.breached) ?? clocks.find((c) => c.state !== 'stopped') ?? null;
}

/** The current month as the report's picker writes it: "2026-11". */
export function thisMonth(now: Date = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}
