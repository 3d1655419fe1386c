// Rates in the browser: a PM sets Acme's hourly rate, currency and one
// project's own rate on the client's page with the keyboard alone, at
// phone width; an unreadable amount is named before anything is sent. A
// developer sees no rates on the page and is refused them by the API.
import { expect } from '@playwright/test';
import { Api, openAs, test } from './helpers';

test("a PM sets Acme's rates with the keyboard; a developer sees none", async ({ browser, request }) => {
  const pm = await Api.as(request, 'pm@example.com');
  const clients = await pm.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;

  const page = await openAs(browser, 'pm@example.com', { width: 390, height: 844 });
  await page.goto(`/clients/${acme}`);
  const rates = page.getByRole('region', { name: 'Rates' });
  const hourly = rates.getByLabel('Hourly rate');
  await hourly.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('12.345');
  await page.keyboard.press('Enter');
  await expect(rates.getByText('Enter an amount like 120 or 99.50.').first()).toBeVisible();

  await hourly.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('120');
  await page.keyboard.press('Tab');
  await expect(rates.getByLabel('Currency')).toBeFocused();
  await page.keyboard.type('PLN');
  await rates.getByLabel('Online shop').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('150,50');
  await page.keyboard.press('Enter');
  await expect(rates.getByRole('status')).toHaveText('Rates saved.');

  const shop = await pm.projectId('Online shop');
  const saved = await pm.call<{
    currency: string;
    hourly_rate_cents: number;
    projects: { project_id: number; hourly_rate_cents: number | null }[];
  }>('GET', `/api/clients/${acme}/rates`);
  expect(saved.currency).toBe('PLN');
  expect(saved.hourly_rate_cents).toBe(12000);
  expect(saved.projects.find((p) => p.project_id === shop)!.hourly_rate_cents).toBe(15050);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Rates' }).getByLabel('Online shop')).toHaveValue('150.50');
  await page.context().close();

  const dev = await openAs(browser, 'dev2@example.com');
  await dev.goto(`/clients/${acme}`);
  await expect(dev.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
  await expect(dev.getByRole('heading', { name: 'Rates' })).toHaveCount(0);
  await dev.context().close();
  expect(await (await Api.as(request, 'dev2@example.com')).status(`/api/clients/${acme}/rates`)).toBe(403);
});
