// Month-end statements (docs/API.md "Statements"): managers draft and issue
// a client's statement; the client reads the issued ones.

import { request, requestBlob } from './client';
import type { Statement, StatementSummary } from './schema';

export function listStatements(clientId: number, signal?: AbortSignal): Promise<StatementSummary[]> {
  return request<StatementSummary[]>(`/api/clients/${clientId}/statements`, { signal });
}

/** A draft for the period; without one, the last calendar month. */
export function createStatement(clientId: number, period: { from?: string; to?: string }): Promise<Statement> {
  return request<Statement>(`/api/clients/${clientId}/statements`, { method: 'POST', body: period });
}

export function getStatement(id: number, signal?: AbortSignal): Promise<Statement> {
  return request<Statement>(`/api/statements/${id}`, { signal });
}

/** One line per card, column names in the reader's language. */
export function getStatementCSV(id: number): Promise<Blob> {
  return requestBlob(`/api/statements/${id}/csv`);
}

/** The wording of an entry's note on a draft, as the client will read it. */
export function setStatementNote(id: number, entryId: number, note: string): Promise<Statement> {
  return request<Statement>(`/api/statements/${id}/notes/${entryId}`, { method: 'PUT', body: { note } });
}

export function issueStatement(id: number): Promise<Statement> {
  return request<Statement>(`/api/statements/${id}/issue`, { method: 'POST', idempotent: true });
}
