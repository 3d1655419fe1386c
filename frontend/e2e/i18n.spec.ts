// Languages: the sign-in page follows the browser, a user's choice in the
// settings switches every text at once and survives a reload.
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('the sign-in page follows a Russian browser', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Войти' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByLabel('Пароль')).toBeVisible();
  await context.close();
});

test('a user switches to Polish without a reload, and a reload keeps it', async ({ page }) => {
  await signIn(page, 'client@globex.example.com');
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  // A marker on window is gone after any reload.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByRole('combobox', { name: 'Language' }).selectOption('pl');
  await expect(page.getByRole('heading', { level: 1, name: 'Ustawienia' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zmień hasło' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
  await expect(page.getByRole('status').filter({ hasText: 'Zapisano język.' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Ustawienia' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Język' })).toHaveValue('pl');

  // Back to English for the other specs that sign in as this user.
  await page.getByRole('combobox', { name: 'Język' }).selectOption('en');
  await expect(page.getByRole('status').filter({ hasText: 'Language saved.' })).toBeVisible();
});
