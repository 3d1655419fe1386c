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
  /** The pages of a section, shown as a row under the top bar while one of
   * them is open; the section's own link opens the first. */
  pages?: NavItem[];
}

/** Staff's links in five sections, so that the top bar holds them on one
 * line in every language down to a laptop's width; the pages of a section
 * are one click further, in the row under the bar. */
export function navFor(role: Role): NavItem[] {
  if (role === 'client') {
    return [
      { href: '/', label: m.nav_home(), match: [] },
      { href: '/projects', label: m.nav_projects(), match: ['/projects/'] },
      { href: '/approvals', label: m.nav_approvals(), match: [] },
    ];
  }
  const manages = role === 'manager' || role === 'admin';
  return [
    { href: '/', label: m.nav_projects(), match: ['/projects'] },
    section(m.nav_this_week(), [
      { href: '/this-week', label: m.nav_this_week(), match: [] },
      { href: '/timesheet', label: m.nav_timesheet(), match: ['/timesheet/'] },
      { href: '/reports', label: m.nav_reports(), match: [] },
    ]),
    section(m.nav_planning(), [
      { href: '/planning', label: m.nav_planning(), match: ['/planning/'] },
      { href: '/team', label: m.nav_team(), match: [] },
    ]),
    section(m.nav_clients(), [
      { href: '/clients', label: m.nav_clients(), match: ['/clients/'] },
      { href: '/waiting', label: m.nav_waiting(), match: [] },
      { href: '/workshops', label: m.nav_workshops(), match: ['/workshops/'] },
      ...(manages ? [{ href: '/triage', label: m.nav_triage(), match: [] }] : []),
    ]),
    { href: '/deploys', label: m.nav_deploys(), match: [] },
  ];
}

function section(label: string, pages: NavItem[]): NavItem {
  return { href: pages[0]!.href, label, match: [], pages };
}

/** The section the path belongs to, when it has pages of its own. */
export function sectionOf(items: NavItem[], path: string): NavItem | undefined {
  return items.find((item) => item.pages && isActive(item, path));
}

export function isActive(item: NavItem, path: string): boolean {
  if (item.pages) return item.pages.some((page) => isActive(page, path));
  return path === item.href || item.match.some((prefix) => path.startsWith(prefix));
}
