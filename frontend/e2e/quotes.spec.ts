// Estimate approval against the real server: Pat sends a quote from the
// card panel, Acme's client accepts it from their home in another browser,
// and only then can the card start; a declined quote goes back to Pat, who
// starts the work anyway with a reason. The client's home passes axe at
// phone width, and the quote is answered with the keyboard alone. On a
// project with a rate the quote carries its amount, frozen when sent, which
// the client and managers read and a developer does not.
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import { Api, openAs, test, unique } from './helpers';

const RELAUNCH = 'Website relaunch';
const PHONE = { width: 390, height: 844 };

/** Asks the server to start the card: the status of the answer. */
async function start(api: Api, id: number): Promise<number> {
  const card = await api.card(id);
  return api.postStatus(`/api/tasks/${id}/move`, { version: card.version, status: 'in_progress' });
}

test('Pat sends a quote, the client accepts it from home, then the card can start', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  // Acme's rates as the money spec leaves them: 120 PLN an hour.
  const clients = await api.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;
  await api.call('PUT', `/api/clients/${acme}/rates`, { currency: 'PLN', hourly_rate_cents: 12000, projects: [] });
  const title = unique('Quoted landing page');
  const created = await api.createCard(project, { title, kind: 'order' });

  const pm = await openAs(browser, 'pm@example.com');
  await pm.goto(`/projects/${project}/t/${created.number}`);
  const box = pm.getByRole('dialog').getByRole('region', { name: 'Quote' });
  await box.getByRole('button', { name: 'Send quote' }).click();
  await box.getByLabel('Estimated hours').fill('7.5');
  await box.getByRole('button', { name: 'Send quote' }).click();
  await expect(box).toContainText("Waiting for the client's acceptance");
  await expect(box).toContainText('Amount: PLN 900.00');
  expect(await start(api, created.id)).toBe(422);
  // A later rate leaves the sent quote as it is; a developer gets no amount.
  await api.call('PUT', `/api/clients/${acme}/rates`, { currency: 'PLN', hourly_rate_cents: 15000, projects: [] });
  const dev = await Api.as(request, 'dev1@example.com');
  expect(await dev.call('GET', `/api/tasks/${created.id}/quote/amount`)).toEqual({});

  const client = await openAs(browser, 'client@acme.example.com', PHONE);
  const quotes = client.getByRole('region', { name: 'Quotes to accept' });
  const row = quotes.getByRole('listitem').filter({ hasText: title });
  // Hours read as on the rest of the card ("7 h 30 min", not "7 hr 30 min").
  await expect(row).toContainText('Estimate: 7 h 30 min');
  await expect(row).toContainText('Amount: PLN 900.00');
  const { violations } = await new AxeBuilder({ page: client })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  // Keyboard alone: focus the button and press Enter.
  await row.getByRole('button', { name: 'Accept quote' }).focus();
  await client.keyboard.press('Enter');
  await expect(quotes.getByRole('listitem').filter({ hasText: title })).toHaveCount(0);

  // Pat's open card follows live, and the card can start.
  await expect(box).toContainText('Accepted by the client');
  await expect(box).toContainText('Amount: PLN 900.00');
  await pm.getByRole('tab', { name: 'Activity' }).click();
  await expect(pm.getByRole('tabpanel')).toContainText('sent a quote of PLN 900.00');
  expect(await start(api, created.id)).toBe(200);
  await api.call('PUT', `/api/clients/${acme}/rates`, { currency: 'PLN', hourly_rate_cents: 12000, projects: [] });
});

test('a declined quote goes back to Pat, who starts anyway with a reason', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const title = unique('Declined quote');
  const created = await api.createCard(project, { title, kind: 'order' });
  await api.call('POST', `/api/tasks/${created.id}/quote`, { version: created.version, quote_minutes: 600 });

  const client = await openAs(browser, 'client@acme.example.com');
  await client.goto(`/projects/${project}/t/${created.number}`);
  const cbox = client.getByRole('dialog').getByRole('region', { name: 'Quote' });
  await cbox.getByRole('button', { name: 'Decline' }).click();
  await cbox.getByLabel('Why do you decline?').fill('Ten hours is more than we planned');
  await cbox.getByRole('button', { name: 'Send' }).click();
  await expect(cbox).toContainText('Declined by the client');

  const pm = await openAs(browser, 'pm@example.com');
  await pm.goto(`/projects/${project}/t/${created.number}`);
  const box = pm.getByRole('dialog').getByRole('region', { name: 'Quote' });
  await expect(box).toContainText('Declined by the client');
  expect(await start(api, created.id)).toBe(422);
  await box.getByRole('button', { name: 'Start without acceptance…' }).click();
  const confirm = box.getByRole('button', { name: 'Start without acceptance' });
  await expect(confirm).toBeDisabled();
  await box.getByLabel("Why start without the client's acceptance?").fill('Chris agreed to 8 hours by phone');
  await confirm.click();
  await expect(box).toContainText("Started without the client's acceptance: Chris agreed to 8 hours by phone");
  expect(await start(api, created.id)).toBe(200);
});
