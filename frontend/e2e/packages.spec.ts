// Hour packages in the browser: Pat adds a monthly retainer for Acme on the
// client's page with the keyboard alone, at phone width; Acme's client sees
// the hours left this month on their home, and the number follows new
// billable time live.
import { expect, test } from '@playwright/test';
import { Api, openAs, unique } from './helpers';

const PHONE = { width: 390, height: 844 };

test('Pat adds a package for Acme; the client sees the balance on their home, live', async ({ browser, request }) => {
  const pm = await Api.as(request, 'pm@example.com');
  const clients = await pm.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const acme = clients.find((c) => c.name === 'Acme')!.id;
  const name = unique('Retainer');

  const page = await openAs(browser, 'pm@example.com', PHONE);
  await page.goto(`/clients/${acme}`);
  const section = page.getByRole('region', { name: 'Hour packages' });
  await section.getByRole('button', { name: 'Add package' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New hour package' });
  await expect(dialog.getByLabel('Monthly retainer')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Name (optional)')).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type('twenty');
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('Enter the hours as a number, like 20 or 7.5.').first()).toBeVisible();
  await dialog.getByLabel('Hours each month').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(section.getByText(name)).toBeVisible();
  await page.context().close();

  const client = await openAs(browser, 'client@acme.example.com', PHONE);
  const yours = client.getByRole('region', { name: 'Your hours' });
  const left = yours.getByText(/^Hours left this month: /);
  await expect(left).toBeVisible();
  await expect(yours.getByText(name)).toBeVisible();
  const before = await left.textContent();

  // An hour of billable time on an Acme card draws from the packages: the
  // open home reads the balance again.
  const shop = await pm.projectId('Online shop');
  const card = await pm.createCard(shop, { title: unique('Package work') });
  await pm.call('POST', `/api/tasks/${card.id}/time`, { started_at: new Date().toISOString(), minutes: 60, note: '' });
  await expect(left).not.toHaveText(before!);
  await client.context().close();
});
