// Service agreements in the browser: the demo's request past its target
// and the one near the warning show their clocks on the board and in the
// card panel, and an answer stops the first-response clock live; a PM
// changes a target on the client's page with the keyboard; Acme's client
// reads the monthly report, Globex's client cannot. The triage inbox and
// the Waiting page show the same clocks in their rows, live.
import { expect } from '@playwright/test';
import { Api, card, column, openAs, test, unique } from './helpers';

const SHOP = 'Online shop';
const LATE = 'Prices on the invoice page show without VAT';
const NEAR = 'Add a consent checkbox to the newsletter sign-up';

test('triage and waiting rows show the clocks; an answer changes them live', async ({ browser, request }) => {
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId(SHOP);
  const title = unique('How do I export the orders');
  const page = await openAs(browser, 'pm@example.com', { width: 390, height: 844 });
  await page.goto('/triage');
  const inbox = page.getByRole('list', { name: 'Triage' });
  await expect(inbox.locator('li.row').filter({ hasText: LATE }).locator('[data-sla]')).toHaveText(
    'First response: target missed',
  );

  // A request filed while the inbox is open comes with its clock; Sam's
  // public answer turns it to the resolution clock without a reload.
  const client = await Api.as(request, 'client@acme.example.com');
  const filed = await client.call<{ id: number }>('POST', '/api/requests', {
    project_id: shop,
    kind: 'question',
    title,
    description: 'Where is the button?',
    page_url: '',
    confirmed: false,
  });
  const clock = inbox.locator('li.row').filter({ hasText: title }).locator('[data-sla]');
  await expect(clock).toHaveText(/^First response: .+ left$/);
  const sam = await Api.as(request, 'dev2@example.com');
  await sam.call('POST', `/api/tasks/${filed.id}/comments`, { body: 'Orders → Export, top right.' });
  await expect(clock).toHaveText(/^Resolution: .+ left$/);

  await page.goto('/waiting');
  const late = page.locator('li.row').filter({ hasText: LATE });
  await expect(late.locator('[data-sla]')).toHaveText('First response: target missed');
  // Under an SLA, the wait is counted as its clock counts: in business hours.
  await expect(late.locator('.age')).toContainText(/in business hours$/);
  await page.context().close();
});

test('clocks on the board and in the panel; a public answer stops the first-response clock live', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId(SHOP);
  const page = await openAs(browser, 'pm@example.com');
  await page.goto(`/projects/${shop}`);
  const set = column(page, 'Set');
  await expect(card(set, LATE).locator('[data-sla]')).toHaveText('First response: target missed', { timeout: 15_000 });
  const near = card(set, NEAR).locator('[data-sla]');
  await expect(near).toHaveText(/^First response: .+ left$/);

  await card(set, LATE).getByRole('link').click();
  const panel = page.getByRole('dialog');
  await expect(panel.locator('[data-sla="first_response"]')).toHaveText('First response: target missed');
  await expect(panel.locator('[data-sla="resolution"]')).toHaveText(/^Resolution: .+ left$/);
  await page.keyboard.press('Escape');

  // Sam answers the other request in public: its card shows the
  // resolution clock from then on, without a reload.
  const board = await pm.call<{ tasks: { id: number; title: string }[] }>('GET', `/api/projects/${shop}/board`);
  const id = board.tasks.find((t) => t.title === NEAR)!.id;
  const sam = await Api.as(request, 'dev2@example.com');
  await sam.call('POST', `/api/tasks/${id}/comments`, { body: 'We will add it this week.' });
  await expect(near).toHaveText(/^Resolution: .+ left$/, { timeout: 15_000 });
  await page.context().close();
});

test('a PM sets a target with the keyboard; the client reads the monthly report, another client cannot', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  const clients = await pm.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;

  const page = await openAs(browser, 'pm@example.com');
  await page.goto(`/clients/${acme}`);
  const normal = page.locator('fieldset[data-priority="normal"]');
  const resolution = normal.getByLabel('Resolution (hours)');
  await expect(resolution).toHaveValue('40 h');
  await resolution.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('48 h');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.reload();
  await expect(page.locator('fieldset[data-priority="normal"]').getByLabel('Resolution (hours)')).toHaveValue('48 h');
  const targets = await pm.call<{ targets: { priority: string; resolution_minutes: number }[] }>(
    'GET',
    `/api/clients/${acme}/sla`,
  );
  expect(targets.targets.find((t) => t.priority === 'normal')!.resolution_minutes).toBe(48 * 60);
  await page.context().close();

  const client = await openAs(browser, 'client@acme.example.com', { width: 390, height: 844 });
  await client.getByRole('link', { name: 'Monthly SLA report' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'SLA report' })).toBeVisible();
  await expect(client.locator('.lede')).toContainText('Acme');
  await expect(client.locator('tr[data-goal="first_response"]')).toBeVisible();
  await expect(client.getByRole('button', { name: 'Print' })).toBeEnabled();
  await expect(client.getByText(/normal/i).first()).toBeVisible();
  await client.context().close();

  const globex = await openAs(browser, 'client@globex.example.com');
  await globex.goto(`/clients/${acme}/sla`);
  await expect(globex.getByRole('heading', { name: 'Client not found' })).toBeVisible();
  await globex.context().close();
});
