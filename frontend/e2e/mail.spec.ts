// Mail without a mail server: a forgotten password is mailed, the mail
// waits on the admins' Sent mail page, its link sets a new password, and
// the new password signs in. Every step by keyboard, each new page passes
// the axe scan, at desktop and phone width.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { Api, openAs, signIn, test } from './helpers';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(page: Page, what: string): Promise<void> {
  await page.waitForTimeout(250);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(
    violations.map((v) => `${what}: ${v.id} ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`forgot password → Sent mail → reset → sign in (${viewport.width} px)`, async ({ browser, request }) => {
    test.setTimeout(120_000);
    // A person of its own: the demo's people keep their password for the
    // other specs. A client user, so no planning lane counts them.
    const email = `reset-${viewport.width}-${Date.now()}@example.com`;
    const admin = await Api.as(request, 'admin@example.com');
    const clients = await admin.call<{ id: number; name: string }[]>('GET', '/api/clients');
    const globex = clients.find((c) => c.name.startsWith('Globex'))!.id;
    const inv = await admin.call<{ url: string }>('POST', '/api/invitations', {
      email,
      role: 'client',
      client_id: globex,
    });
    const accepted = await request.post('/api/invitations/accept', {
      data: { token: new URL(inv.url).hash.slice(1), name: 'Rita Reset', password: 'the first passphrase' },
    });
    expect(accepted.status()).toBe(200);

    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await axe(page, 'forgot');
    await page.keyboard.type(email); // the address field has the focus
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toContainText('the link is on its way');

    const adminPage = await openAs(browser, 'admin@example.com', viewport);
    await adminPage.getByRole('button', { name: 'Account menu' }).click();
    await adminPage.getByRole('link', { name: 'Sent mail' }).click();
    await expect(adminPage.getByRole('heading', { name: 'Sent mail' })).toBeVisible();
    await expect(adminPage.getByText('No mail server is configured')).toBeVisible();
    const mail = adminPage.locator('li', { hasText: email }).filter({ hasText: 'Reset your Doska password' });
    await expect(mail).toHaveCount(1);
    // The demo's own activity left its mail here too.
    await expect(adminPage.locator('li.mail').filter({ hasText: 'a question for you' }).first()).toBeVisible();
    await mail.locator('summary').focus();
    await adminPage.keyboard.press('Enter');
    const text = await mail.locator('pre').innerText();
    await axe(adminPage, 'sent mail');
    const link = /(https?:\/\/\S+\/reset#\S+)/.exec(text)?.[1];
    expect(link, text).toBeTruthy();

    await page.goto(link!);
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await axe(page, 'reset');
    await page.keyboard.type('a second, better passphrase');
    await page.keyboard.press('Tab');
    await page.keyboard.type('a second, better passphrase');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toContainText('Your password is changed');

    // The link works once.
    await page.goto('/login');
    await page.goto(link!);
    await page.getByLabel('Password', { exact: true }).fill('a third passphrase here');
    await page.getByLabel('Repeat password').fill('a third passphrase here');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await expect(page.getByRole('heading', { name: /already used or has expired/ })).toBeVisible();

    await signIn(page, email, 'a second, better passphrase');
    await expect(page).toHaveURL(/\/$/);
    await context.close();
    await adminPage.context().close();
  });
}

test('a client turns question mail into the daily digest', async ({ browser }) => {
  const page = await openAs(browser, 'client@globex.example.com', { width: 390, height: 844 });
  await page.goto('/settings');
  const questions = page.getByLabel('Questions for you');
  await expect(questions).toHaveValue('immediate');
  await questions.selectOption('digest');
  await page.getByRole('button', { name: 'Save e-mail settings' }).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await axe(page, 'settings');
  await page.reload();
  await expect(page.getByLabel('Questions for you')).toHaveValue('digest');
  await expect(page.getByLabel('Critical cards')).toHaveCount(0);
  await page.context().close();
});
