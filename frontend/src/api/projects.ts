// /api/projects (docs/API.md "Clients and projects").

import { request } from './client';
import type { Project } from './types';

/** Projects the caller may see, optionally of one client. Archived ones
 * (or of an archived client) only with `archived: true` (server/api/
 * projects.go; not yet in docs/API.md). */
export function listProjects(
  opts: { clientId?: number; archived?: boolean; signal?: AbortSignal } = {},
): Promise<Project[]> {
  return request<Project[]>('/api/projects', {
    query: { client_id: opts.clientId, archived: opts.archived || undefined },
    signal: opts.signal,
  });
}

export function getProject(id: number, signal?: AbortSignal): Promise<Project> {
  return request<Project>(`/api/projects/${id}`, { signal });
}

export interface NewProject {
  client_id: number;
  name: string;
  description?: string;
}

export function createProject(project: NewProject): Promise<Project> {
  return request<Project>('/api/projects', { method: 'POST', body: project });
}

export interface ProjectPatch {
  name?: string;
  description?: string;
  archived?: boolean;
  /** The default of new time entries on the project. */
  billable?: boolean;
}

export function updateProject(id: number, patch: ProjectPatch): Promise<Project> {
  return request<Project>(`/api/projects/${id}`, { method: 'PATCH', body: patch });
}

/** Replaces the member list (staff users only). */
export function setProjectMembers(id: number, userIds: number[]): Promise<Project> {
  return request<Project>(`/api/projects/${id}/members`, { method: 'PUT', body: { user_ids: userIds } });
}
