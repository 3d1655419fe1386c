// /api/search (docs/API.md "Search").

import { request } from './client';
import type { SavedFilter, SearchPage } from './types';

/** The filters of a search, as the URL and the API name them. */
export interface SearchFilters {
  client_id?: string;
  project_id?: string;
  assignee_id?: string;
  status?: string;
  kind?: string;
  priority?: string;
  created_from?: string;
  created_to?: string;
  updated_from?: string;
  updated_to?: string;
}

/** One page of what the reader may see, best first. For "#123" the card
 * alone, or a 404 ApiError when there is no such card for the reader. */
export function search(
  q: string,
  opts: { filters?: SearchFilters; cursor?: string; limit?: number; signal?: AbortSignal } = {},
): Promise<SearchPage> {
  return request<SearchPage>('/api/search', {
    query: { q, ...opts.filters, cursor: opts.cursor, limit: opts.limit },
    signal: opts.signal,
  });
}

/** The caller's own saved filters, by name. */
export function listSavedFilters(signal?: AbortSignal): Promise<SavedFilter[]> {
  return request<SavedFilter[]>('/api/saved-filters', { signal });
}

/** Saves `url` (an address inside the app) under a name of the caller's. */
export function saveFilter(name: string, url: string): Promise<SavedFilter> {
  return request<SavedFilter>('/api/saved-filters', { method: 'POST', body: { name, url } });
}

export function deleteSavedFilter(id: number): Promise<void> {
  return request<void>(`/api/saved-filters/${id}`, { method: 'DELETE' });
}

export function renameSavedFilter(id: number, name: string): Promise<SavedFilter> {
  return request<SavedFilter>(`/api/saved-filters/${id}`, { method: 'PATCH', body: { name } });
}
