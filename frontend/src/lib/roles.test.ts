import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/locale.svelte';
import { canManage, isActive, isStaff, navFor, sectionOf } from './roles';

beforeAll(() => setLocale('en'));

describe('roles', () => {
  it('gives each role its navigation, staff in five sections', () => {
    const labels = (r: Parameters<typeof navFor>[0]) => navFor(r).map((i) => i.label);
    const pages = (r: Parameters<typeof navFor>[0]) => navFor(r).flatMap((i) => (i.pages ?? [i]).map((p) => p.label));
    expect(labels('client')).toEqual(['Home', 'Projects', 'Approvals']);
    const sections = ['Projects', 'This week', 'Planning', 'Clients', 'Deploys'];
    expect(labels('developer')).toEqual(sections);
    expect(labels('manager')).toEqual(sections);
    const staff = [
      'Projects',
      'This week',
      'Timesheet',
      'Reports',
      'Planning',
      'Team',
      'Clients',
      'Waiting',
      'Workshops',
    ];
    expect(pages('developer')).toEqual([...staff, 'Deploys']);
    expect(pages('manager')).toEqual([...staff, 'Triage', 'Deploys']);
    expect(pages('admin')).toEqual([...staff, 'Triage', 'Deploys']);
  });

  it('marks the active item for sub-pages and finds the open section', () => {
    const items = navFor('manager');
    const [projects, week, planning, clients, deploys] = items;
    expect(isActive(planning!, '/planning/2026-W48/report')).toBe(true);
    expect(isActive(planning!, '/team')).toBe(true);
    expect(isActive(week!, '/timesheet/2026-W48')).toBe(true);
    expect(isActive(projects!, '/')).toBe(true);
    expect(isActive(projects!, '/projects/4')).toBe(true);
    expect(isActive(projects!, '/clients')).toBe(false);
    expect(isActive(clients!, '/clients/2')).toBe(true);
    expect(isActive(clients!, '/triage')).toBe(true);
    expect(isActive(deploys!, '/deploys')).toBe(true);
    expect(sectionOf(items, '/workshops/3')).toBe(clients);
    expect(sectionOf(items, '/deploys')).toBeUndefined();
    expect(sectionOf(items, '/projects/4')).toBeUndefined();
    const [home, clientProjects] = navFor('client');
    expect(isActive(home!, '/')).toBe(true);
    expect(isActive(home!, '/projects/4')).toBe(false);
    expect(isActive(clientProjects!, '/projects/4/t/9')).toBe(true);
  });

  it('knows who manages and who is staff', () => {
    expect(canManage({ role: 'manager' })).toBe(true);
    expect(canManage({ role: 'admin' })).toBe(true);
    expect(canManage({ role: 'developer' })).toBe(false);
    expect(isStaff({ role: 'developer' })).toBe(true);
    expect(isStaff({ role: 'client' })).toBe(false);
    expect(isStaff(null)).toBe(false);
  });
});
