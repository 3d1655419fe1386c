// Time reports (docs/API.md "Time reports"). Staff only: managers and
// admins read everyone's time, a developer their own.

import { request, requestBlob, withQuery, type Query } from './client';
import type { Report, ReportGroup } from './schema';

export interface ReportQuery {
  from: string;
  to: string;
  group: ReportGroup;
  client_id?: number;
  project_id?: number;
  task_id?: number;
  user_id?: number;
  billable?: boolean;
}

/** The query with the reader's time zone, which decides where days end. */
function withZone(q: ReportQuery): Query {
  return { ...q, tz: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

export function getTimeReport(q: ReportQuery, signal?: AbortSignal): Promise<Report> {
  return request<Report>('/api/reports/time', { query: withZone(q), signal });
}

/** The same report as a CSV file, with column names in the reader's language. */
export function getTimeReportCSV(q: ReportQuery): Promise<Blob> {
  return requestBlob(withQuery('/api/reports/time.csv', withZone(q)));
}
