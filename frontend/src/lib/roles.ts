// What each role may see and do in the UI. The server enforces the same
// rules; this only decides what to offer.

import type { Role, User } from '../api/types';
import { m } from '../i18n/locale.svelte';
import { roleLabel } from '../i18n/terms';

/** Each role's name in the shown language, read at the moment it is shown
 * (getters, so a language switch re-renders it); the same as `roleLabel`. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  get admin() {
    return roleLabel('admin');
  },
  get manager() {
    return roleLabel('manager');
  },
  get developer() {
    return roleLabel('developer');
  },
  get client() {
    return roleLabel('client');
  },
};

export function isStaff(user: Pick<User, 'role'> | null | undefined): boolean {
  return !!user && user.role !== 'client';
}

/** Managers and admins create and change clients, projects, invitations. */
export function canManage(user: Pick<User, 'role'> | null | undefined): boolean {
  return !!user && (user.role === 'manager' || user.role === 'admin');
}

export function isAdmin(user: Pick<User, 'role'> | null | undefined): boolean {
  return !!user && user.role === 'admin';
}

export interface NavItem {
  href: string;
  label: string;
  /** Other path prefixes under this item. */
  match: string[];
}

export function navFor(role: Role): NavItem[] {
  if (role === 'client') {
    return [
      { href: '/', label: m.nav_home(), match: [] },
      { href: '/projects', label: m.nav_projects(), match: ['/projects/'] },
      { href: '/approvals', label: m.nav_approvals(), match: [] },
    ];
  }
  const items: NavItem[] = [
    { href: '/', label: m.nav_projects(), match: ['/projects'] },
    { href: '/this-week', label: m.nav_this_week(), match: [] },
    { href: '/timesheet', label: m.nav_timesheet(), match: ['/timesheet/'] },
    { href: '/planning', label: m.nav_planning(), match: ['/planning/'] },
    { href: '/team', label: m.nav_team(), match: [] },
    { href: '/clients', label: m.nav_clients(), match: ['/clients/'] },
    { href: '/deploys', label: m.nav_deploys(), match: [] },
    { href: '/waiting', label: m.nav_waiting(), match: [] },
    { href: '/workshops', label: m.nav_workshops(), match: ['/workshops/'] },
  ];
  if (role === 'manager' || role === 'admin')
    items.push(
      { href: '/triage', label: m.nav_triage(), match: [] },
      { href: '/admin/users', label: m.nav_users(), match: ['/admin/users'] },
    );
  return items;
}

export function isActive(item: NavItem, path: string): boolean {
  return path === item.href || item.match.some((prefix) => path.startsWith(prefix));
}
