// The month-end statement: Pat drafts Acme's statement of the month the demo
// time falls in, rewords a note for the client and issues it with the
// keyboard; the entry is then locked. Acme's client finds it on their home
// at phone width, reads the totals and the package balance without the
// internal note, prints it without the app's frame and downloads it as CSV.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { Api, openAs, test, unique } from './helpers';

const pad = (n: number) => String(n).padStart(2, '0');

test("Pat issues the month's statement for Acme; the client opens it", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const pm = await Api.as(request, 'pm@example.com');
  const clients = await pm.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;
  // The demo's time covers the four weeks before today: a week ago is in it.
  const ago = new Date(Date.now() - 7 * 86_400_000);
  const [y, mo] = [ago.getUTCFullYear(), ago.getUTCMonth() + 1];
  const from = `${y}-${pad(mo)}-01`;
  const to = `${y}-${pad(mo)}-${pad(new Date(Date.UTC(y, mo, 0)).getUTCDate())}`;
  const at = `${y}-${pad(mo)}-02T10:00:00Z`;

  const hours = unique('Statement hours');
  await pm.call('POST', `/api/clients/${acme}/packages`, {
    kind: 'block',
    name: hours,
    minutes: 100 * 60,
    starts_on: from,
  });
  const shop = await pm.projectId('Online shop');
  const title = unique('Statement checkout');
  const task = await pm.createCard(shop, { title });
  const entry = await pm.call<{ id: number }>('POST', `/api/tasks/${task.id}/time`, {
    started_at: at,
    minutes: 90,
    note: 'checkout stuff',
  });
  await pm.call('POST', `/api/tasks/${task.id}/time`, {
    started_at: at,
    minutes: 30,
    note: 'INTERNAL-ONLY margin talk',
    internal: true,
  });

  const page = await openAs(browser, 'pm@example.com');
  await page.goto(`/clients/${acme}`);
  await page.getByRole('link', { name: 'Statements' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Statements' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('From').fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('To', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Draft statement' })).toBeVisible({ timeout: 30_000 });

  const row = page.locator('tr.task').filter({ hasText: title });
  await expect(row.getByText('Internal note, not shown to the client')).toBeVisible();
  await expect(row).not.toContainText('INTERNAL-ONLY');
  const line = row.locator(`li[data-entry-id="${entry.id}"]`);
  await line.getByRole('button', { name: 'Edit wording' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Note as the client reads it')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Checkout: faster payment step');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(line).toContainText('Checkout: faster payment step');
  await expect(line).toContainText('Reworded');

  await page.getByRole('button', { name: 'Issue statement' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').getByRole('button', { name: 'Issue statement' }).click();
  const heading = page.getByRole('heading', { level: 1, name: new RegExp(`^Statement ${y}-\\d{4}$`) });
  await expect(heading).toBeVisible({ timeout: 30_000 });
  const number = (await heading.textContent())!.replace('Statement ', '').trim();
  const total = (await page.getByTestId('statement-hours').textContent())!.trim();

  // Its entries are locked: the card shows them billed, with nothing to
  // edit, and the API refuses a change, naming the statement.
  await page.goto(`/projects/${shop}/t/${task.number}`);
  const billed = page.locator(`li[data-entry-id="${entry.id}"]`);
  // The card's time loads after the card: slow on a busy machine.
  await expect(billed.getByText('Billed on a statement')).toBeVisible({ timeout: 45_000 });
  await expect(billed.getByRole('button')).toHaveCount(0);
  await page.context().close();
  for (const [method, body] of [
    ['PATCH', { note: 'changed later' }],
    ['DELETE', undefined],
  ] as const) {
    const res = await pm.send(method, `/api/time-entries/${entry.id}`, body);
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body).error.problems.entry).toEqual({ code: 'entry_locked', params: { number } });
  }

  const client = await openAs(browser, 'client@acme.example.com', { width: 390, height: 844 });
  const statements = client.getByRole('region', { name: 'Statements' });
  await statements.getByRole('link', { name: `Statement ${number}` }).click();
  await expect(client.getByRole('heading', { level: 1, name: `Statement ${number}` })).toBeVisible({ timeout: 30_000 });
  await expect(client.getByTestId('statement-hours')).toHaveText(total);
  await expect(client.getByTestId('statement-amount')).toBeVisible();
  const balance = client.getByRole('region', { name: 'Hour packages' });
  await expect(balance.getByTestId('statement-package').filter({ hasText: hours })).toContainText('100 h');
  await expect(client.getByTestId('statement-overrun')).toContainText('Beyond your packages');
  await expect(client.locator('tr.task').filter({ hasText: title })).toContainText('Checkout: faster payment step');
  await expect(client.locator('main')).not.toContainText('INTERNAL-ONLY');
  await expect(client.getByRole('button', { name: 'Issue statement' })).toHaveCount(0);

  await client.emulateMedia({ media: 'print' });
  await expect(client.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(client.locator('.topbar')).toBeHidden();
  await client.emulateMedia({ media: 'screen' });

  const download = client.waitForEvent('download');
  await client.getByRole('button', { name: 'Download CSV' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  expect(csv).toContain('Checkout: faster payment step');
  expect(csv).not.toContain('INTERNAL-ONLY');
  expect(csv.split('\n')[0]).toMatch(/^Card,Project,Work done,Hours,Rate \([A-Z]{3}\),Amount \([A-Z]{3}\)$/);
  await client.context().close();
});
