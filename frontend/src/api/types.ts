// Wire types of the Doska HTTP API (docs/API.md). IDs are integers, times are
// RFC 3339 strings in UTC.

export type Role = 'admin' | 'manager' | 'developer' | 'client';

export const ROLES: readonly Role[] = ['admin', 'manager', 'developer', 'client'];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  client_id: number | null;
  /** Absent for staff. */
  client_name?: string;
  active: boolean;
  created_at: string;
}

export interface Session {
  access_token: string;
  expires_at: string;
  user: User;
}

export interface Client {
  id: number;
  name: string;
  /** Null unless archived. */
  archived_at: string | null;
  created_at: string;
  /** Active projects the caller can see. */
  project_count: number;
}

export interface ProjectMember {
  id: number;
  name: string;
  role: Role;
}

export interface Project {
  id: number;
  client_id: number;
  client_name: string;
  name: string;
  description: string;
  /** Null unless archived. */
  archived_at: string | null;
  created_at: string;
  members: ProjectMember[];
}

/** Clients and projects carry archived_at; PATCH takes `archived: bool`. */
export function isArchived(x: { archived_at: string | null }): boolean {
  return x.archived_at !== null;
}

// docs/API.md does not spell out the Invitation object; these are the fields
// the server sends (models.Invitation). `url` is only present in the answer
// to POST /api/invitations: the link is shown once.
export interface Invitation {
  id: number;
  email: string;
  role: Role;
  client_id: number | null;
  /** Absent for staff invitations. */
  client_name?: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  url?: string;
}

/** Public information about an invitation token. `email` is empty for the
 * first-administrator set-up link, which then asks for an e-mail address;
 * `client_name` is empty unless the invitation is for a client user. */
export interface InvitationInfo {
  email: string;
  role: Role;
  client_name: string;
  expires_at: string;
}
