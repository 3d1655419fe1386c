// Time reports: a manager opens Reports from "This week", narrows the month
// to one project, groups by card with the keyboard, reads the figures in
// the table and downloads them as CSV; at phone width nothing overflows.
// The manager sees the billable amount at Acme's rate in the table and the
// file; Dana, a developer, sees neither.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import { Api, openAs, openSection, test, unique } from './helpers';

test('a manager filters, groups and downloads the time report', async ({ browser, request }) => {
  const pm = await Api.as(request, 'pm@example.com');
  const relaunch = await pm.projectId('Website relaunch');
  // Acme's rates as the money spec leaves them: 120 PLN an hour.
  const clients = await pm.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;
  await pm.call('PUT', `/api/clients/${acme}/rates`, { currency: 'PLN', hourly_rate_cents: 12000, projects: [] });
  const title = unique('Reported work');
  const created = await pm.createCard(relaunch, { title, status: 'in_progress' });
  // Today at 00:30 UTC is in this month in every zone a test machine uses.
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 0, 30));
  await pm.call('POST', `/api/tasks/${created.id}/time`, { started_at: start.toISOString(), minutes: 95, note: '' });

  const page = await openAs(browser, 'pm@example.com');
  await openSection(page, 'This week', 'Reports');
  await expect(page.getByRole('heading', { name: 'Time reports' })).toBeVisible();
  await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Website relaunch' });
  const group = page.getByLabel('Group by', { exact: true });
  await group.focus();
  await group.selectOption('task');
  const table = page.getByTestId('report');
  const row = table.getByRole('row', { name: new RegExp(`#${created.number} ${title}`) });
  await expect(row).toContainText('1 h 35 min');
  await expect(row).toContainText('PLN 190.00');
  await expect(table.getByRole('columnheader', { name: 'Card' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Amount' })).toBeVisible();

  await page.getByLabel('Billable', { exact: true }).selectOption('false');
  await expect(row).toBeHidden();
  await page.getByLabel('Billable', { exact: true }).selectOption('true');
  await expect(row).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^time-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('Card,Hours,Billable hours,Amount,Currency');
  expect(csv).toContain(`#${created.number} ${title},1.58,1.58,190.00,PLN\n`);

  // At phone width the filters wrap and the page does not scroll sideways,
  // not even before Chart.js has shrunk its canvas: hence read at once.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(row).toBeVisible();
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  await page.context().close();
});

test('a developer sees only their own time, no person filter and no money', async ({ browser, request }) => {
  const pm = await Api.as(request, 'pm@example.com');
  const created = await pm.createCard(await pm.projectId('Website relaunch'), { title: unique('Dana reports') });
  const dana = await Api.as(request, 'dev1@example.com');
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 0, 30));
  await dana.call('POST', `/api/tasks/${created.id}/time`, { started_at: start.toISOString(), minutes: 30, note: '' });

  const page = await openAs(browser, 'dev1@example.com');
  await page.goto('/reports');
  await expect(page.getByRole('heading', { name: 'Time reports' })).toBeVisible();
  await expect(page.getByText('Your logged time for any period')).toBeVisible();
  await expect(page.getByLabel('Person', { exact: true })).toHaveCount(0);
  const table = page.getByTestId('report');
  await expect(table.getByRole('columnheader', { name: 'Hours', exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Amount' })).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('Day,Hours,Billable hours');
  expect(csv).not.toContain('PLN');
  await page.context().close();
});
