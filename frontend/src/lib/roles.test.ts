import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/locale.svelte';
import { canManage, isActive, isStaff, navFor } from './roles';

beforeAll(() => setLocale('en'));

describe('roles', () => {
  it('gives each role its navigation', () => {
    const labels = (r: Parameters<typeof navFor>[0]) => navFor(r).map((i) => i.label);
    expect(labels('client')).toEqual(['Home', 'Projects', 'Approvals']);
    const staff = ['Projects', 'This week', 'Timesheet', 'Planning', 'Team', 'Clients', 'Deploys', 'Waiting', 'Workshops'];
    expect(labels('developer')).toEqual(staff);
    expect(labels('manager')).toEqual([...staff, 'Triage', 'Users']);
    expect(labels('admin')).toEqual([...staff, 'Triage', 'Users']);
  });

  it('marks the active item for sub-pages', () => {
    const [projects, , , planning, , clients] = navFor('developer');
    expect(isActive(planning!, '/planning/2026-W48/report')).toBe(true);
    expect(isActive(projects!, '/')).toBe(true);
    expect(isActive(projects!, '/projects/4')).toBe(true);
    expect(isActive(projects!, '/clients')).toBe(false);
    expect(isActive(clients!, '/clients/2')).toBe(true);
    const [home, clientProjects] = navFor('client');
    expect(isActive(home!, '/')).toBe(true);
    expect(isActive(home!, '/projects/4')).toBe(false);
    expect(isActive(clientProjects!, '/projects/4/t/9')).toBe(true);
    const users = navFor('admin').find((i) => i.label === 'Users')!;
    expect(isActive(users, '/admin/settings')).toBe(false);
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
