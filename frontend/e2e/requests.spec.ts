// Client requests end to end: Acme's client files a critical bug from the
// request form with a pasted screenshot, Pat's open triage inbox shows it
// live at the top with its SLA clock and Pat is alerted; Pat picks it up
// for Sam, who is alerted at once. Globex's client cannot open the
// screenshot.
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import { Api, openAs, pasteScreenshot, test, unique } from './helpers';

test('a critical bug reaches the open triage inbox live; picking it up alerts Sam', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const title = unique('Checkout button missing on Safari iOS 17');

  const pat = await openAs(browser, 'pm@example.com');
  await pat.goto('/triage');
  await expect(pat.getByRole('heading', { level: 1, name: 'Triage' })).toBeVisible();
  const inbox = pat.getByRole('list', { name: 'Triage' });
  await expect(inbox.locator('li.row').first()).toBeVisible();

  const chris = await openAs(browser, 'client@acme.example.com');
  await chris.getByRole('button', { name: 'New request' }).click();
  const form = chris.getByRole('dialog', { name: 'Send a request' });
  await form.getByRole('radio', { name: /The site is down or customers cannot pay/ }).check();
  await form.getByLabel('Project').selectOption({ label: 'Online shop' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('What happens, and what should happen').fill('Customers **cannot pay**: the button is gone.');
  await form.getByLabel('Page where it happens').fill('https://shop.acme.example.com/checkout');
  // A screenshot pasted into the description goes with the request.
  await form.getByLabel('What happens, and what should happen').focus();
  await pasteScreenshot(chris, '#c0392b');
  const toSend = form.getByRole('list', { name: 'Screenshots and files' });
  await expect(toSend.locator('img')).toHaveCount(1);
  const scan = await new AxeBuilder({ page: chris }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(scan.violations, 'axe on the request form with a screenshot').toEqual([]);
  await form.getByRole('button', { name: 'Send request' }).click();
  // One confirmation, since it alerts people at once.
  await expect(form.getByText('Customers cannot use the site right now?')).toBeVisible();
  await form.getByRole('button', { name: 'Yes, alert the team now' }).click();
  await expect(chris).toHaveURL(/\/projects\/\d+\/t\/\d+$/);
  await expect(chris.getByRole('dialog').getByRole('list', { name: 'Files' }).locator('img')).toHaveCount(1);

  // Until work starts, Chris may reword what he wrote.
  const description = chris.getByRole('dialog').getByRole('region', { name: 'Description' });
  await description.getByRole('button', { name: 'Edit' }).click();
  await description.getByRole('textbox').fill('Customers cannot pay: the button is gone on iPhones.');
  await description.getByRole('button', { name: 'Save' }).click();
  await expect(description).toContainText('the button is gone on iPhones');

  // Pat's inbox shows it without a reload, on top: critical first.
  const row = inbox.locator('li.row').first();
  await expect(row).toContainText(title);
  await expect(row).toContainText('Critical');
  await expect(row).toContainText('Filed by Chris Miller');
  await expect(row.locator('[data-sla]')).toHaveText(/^First response: .+ left$/);
  await expect(pat.getByRole('alert').filter({ hasText: title })).toBeVisible();

  // Sam is at work on another page when Pat picks it up for him.
  const sam = await openAs(browser, 'dev2@example.com');
  await sam.goto('/this-week');
  await expect(sam.getByRole('heading', { level: 1 })).toBeVisible();
  await row.getByRole('button', { name: 'Pick up' }).click();
  const pick = pat.getByRole('dialog', { name: 'Pick up' });
  await pick.getByLabel('Who takes it').selectOption({ label: 'Sam Ortiz · Developer' });
  await pick.getByLabel('Estimate').fill('2');
  await pick.getByRole('button', { name: 'Pick up' }).click();
  await expect(inbox.locator('li.row').filter({ hasText: title })).toHaveCount(0);

  const alert = sam.getByRole('alert').filter({ hasText: title });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Critical');

  // Once work starts, the request is no longer Chris's to edit.
  const pm = await Api.as(request, 'pm@example.com');
  const card = (
    await pm.call<{ items: { task_id: number; task_title: string }[] }>('GET', '/api/notifications')
  ).items.find((n) => n.task_title === title)!;
  const current = await pm.card(card.task_id);
  // The screenshot is Acme's and the agency's to open, not Globex's.
  const [shot] = await pm.call<{ id: number }[]>('GET', `/api/tasks/${current.id}/attachments`);
  for (const [who, want] of [
    ['client@acme.example.com', 200],
    ['client@globex.example.com', 404],
  ] as const) {
    const api = await Api.as(request, who);
    expect(await api.status(`/api/attachments/${shot!.id}`), `${who} opens the screenshot`).toBe(want);
  }
  await pm.call('POST', `/api/tasks/${current.id}/move`, { version: current.version, status: 'in_progress' });
  await expect(description.getByRole('button', { name: 'Edit' })).toHaveCount(0);

  // Told twice: as a member of the project when it was filed, and when it
  // was handed to him.
  const api = await Api.as(request, 'dev2@example.com');
  const inbox2 = await api.call<{ items: { task_title: string; kind: string }[] }>('GET', '/api/notifications');
  expect(inbox2.items.filter((n) => n.task_title === title && n.kind === 'critical')).toHaveLength(2);
});
