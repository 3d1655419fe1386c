// Lists across projects follow the projects themselves: one added, or
// archived, shows on open pages without a reload, for exactly the people
// who may see it.
import { expect } from '@playwright/test';
import { Api, openAs, test, unique } from './helpers';

test('a new project shows on open pages at once, and goes when archived', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const clients = await api.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!;
  const dana = await api.userIdOf('dev1@example.com');
  const name = unique('Loyalty app');

  const dev = await openAs(browser, 'dev1@example.com');
  const sam = await openAs(browser, 'dev2@example.com');
  const client = await openAs(browser, 'client@acme.example.com');
  const other = await openAs(browser, 'client@globex.example.com');
  const projectsOf = (page: typeof dev) => page.locator('a.project h3');
  for (const page of [dev, sam, client, other]) await expect(projectsOf(page).first()).toBeVisible();
  const samBefore = await projectsOf(sam).allTextContents();
  const globexBefore = await projectsOf(other).allTextContents();

  const project = await api.call<{ id: number }>('POST', '/api/projects', {
    client_id: acme.id,
    name,
    member_ids: [dana],
  });
  // Dana is on it; Acme's client user sees Acme's projects.
  await expect(projectsOf(dev).filter({ hasText: name })).toHaveCount(1);
  await expect(projectsOf(client).filter({ hasText: name })).toHaveCount(1);
  // Sam is not on it, and Globex is another company.
  await expect(projectsOf(sam)).toHaveText(samBefore);
  await expect(projectsOf(other)).toHaveText(globexBefore);

  await api.call('PATCH', `/api/projects/${project.id}`, { archived: true });
  await expect(projectsOf(dev).filter({ hasText: name })).toHaveCount(0);
  await expect(projectsOf(client).filter({ hasText: name })).toHaveCount(0);
});
