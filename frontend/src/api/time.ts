// Time entries and timers (docs/API.md "Time"). Staff only: a person's own
// timer and entries; managers and admins change anyone's entries.

import { request } from './client';
import type { TaskTime, TimeEntry, Timer, Timesheet } from './types';

/** The running timer, if any. */
export function getTimer(signal?: AbortSignal): Promise<Timer> {
  return request<Timer>('/api/timer', { signal });
}

/** Starts the timer on a card; the one that ran stops in the same step. */
export function startTimer(taskId: number): Promise<Timer> {
  return request<Timer>('/api/timer', { method: 'POST', body: { task_id: taskId }, idempotent: true });
}

/** Stops the running timer; with none running, nothing happens. */
export function stopTimer(): Promise<Timer> {
  return request<Timer>('/api/timer/stop', { method: 'POST', body: {}, idempotent: true });
}

export function getTaskTime(taskId: number, signal?: AbortSignal): Promise<TaskTime> {
  return request<TaskTime>(`/api/tasks/${taskId}/time`, { signal });
}

export interface NewEntry {
  /** ISO instant the work started. */
  started_at: string;
  minutes: number;
  note: string;
  /** Absent: the project's default. */
  billable?: boolean;
  /** A note no client may see. */
  internal?: boolean;
}

export function addEntry(taskId: number, entry: NewEntry): Promise<TimeEntry> {
  return request<TimeEntry>(`/api/tasks/${taskId}/time`, { method: 'POST', body: entry, idempotent: true });
}

export function updateEntry(id: number, patch: Partial<NewEntry>): Promise<TimeEntry> {
  return request<TimeEntry>(`/api/time-entries/${id}`, { method: 'PATCH', body: patch });
}

export function deleteEntry(id: number): Promise<void> {
  return request<void>(`/api/time-entries/${id}`, { method: 'DELETE' });
}

/** A person's week ("2026-W48" or "current") in the reader's time zone. */
export function getTimesheet(week: string, signal?: AbortSignal): Promise<Timesheet> {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return request<Timesheet>('/api/timesheet', { query: { week, tz }, signal });
}
