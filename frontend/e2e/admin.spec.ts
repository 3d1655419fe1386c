// The agency's settings page: the default language (invitations, and people
// who chose none) and the workshop's "stuck after N working days" are an
// admin's choice and are kept by the server.
import { expect } from '@playwright/test';
import { Api, openAs, test } from './helpers';

test("an admin changes the agency's default language and it persists", async ({ browser, request }) => {
  test.slow(); // three sign-ins and two reloads of a lazily loaded page
  const api = await Api.as(request, 'admin@example.com');
  try {
    const admin = await openAs(browser, 'admin@example.com');
    await admin.goto('/admin/settings');
    const picker = admin.getByRole('combobox', { name: 'Default language' });
    // The settings load after the page; a busy machine takes a while.
    await expect(picker).toHaveValue('en', { timeout: 15_000 });
    await picker.selectOption('pl');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    // The server kept it, and the page shows it after a reload; the admin's
    // own language is not the agency's default.
    expect((await api.call<{ default_locale: string }>('GET', '/api/settings')).default_locale).toBe('pl');
    await admin.reload();
    await expect(admin.getByRole('heading', { level: 1, name: 'Agency settings' })).toBeVisible();
    await expect(admin.getByRole('combobox', { name: 'Default language' })).toHaveValue('pl', { timeout: 15_000 });

    // A manager reads it and cannot change it.
    const pm = await openAs(browser, 'pm@example.com');
    await pm.goto('/admin/settings');
    await expect(pm.getByRole('combobox', { name: 'Default language' })).toHaveValue('pl', { timeout: 15_000 });
    await expect(pm.getByRole('combobox', { name: 'Default language' })).toBeDisabled();
  } finally {
    await api.call('PATCH', '/api/settings', { default_locale: 'en' });
  }
});

test('the invite dialog speaks the manager’s language, role hints included', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  await api.call('PATCH', '/api/me', { locale: 'ru' });
  try {
    const pm = await openAs(browser, 'pm@example.com');
    await pm.goto('/admin/users');
    await pm.getByRole('button', { name: 'Пригласить' }).click();
    const dialog = pm.getByRole('dialog', { name: 'Пригласить' });
    await expect(dialog.getByText('Разработчики работают в проектах, участниками которых являются.')).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Роль' }).selectOption('client');
    await expect(dialog.getByText('Пользователи клиента видят только проекты своей компании.')).toBeVisible();
  } finally {
    await api.call('PATCH', '/api/me', { locale: 'en' });
  }
});

test('an admin sets after how many working days a card counts as stuck', async ({ browser, request }) => {
  test.slow(); // a lazily loaded page on a busy machine
  const api = await Api.as(request, 'admin@example.com');
  try {
    const admin = await openAs(browser, 'admin@example.com');
    await admin.goto('/admin/settings');
    const stuck = admin.getByRole('textbox', { name: 'Stuck after (working days)' });
    await expect(stuck).toHaveValue('3', { timeout: 15_000 });
    const save = admin.getByRole('button', { name: 'Save settings' });

    // Not a number: said at the field before anything is sent.
    await stuck.fill('two');
    await save.click();
    await expect(admin.getByText('enter a whole number from 1 to 30')).toBeVisible();
    // Out of range: the server's code, in the admin's language, at the field.
    await stuck.fill('45');
    await save.click();
    await expect(admin.getByText('Enter a number of working days from 1 to 30.')).toBeVisible();
    await expect(stuck).toHaveAttribute('aria-invalid', 'true');
    expect((await api.call<{ stuck_days: number }>('GET', '/api/settings')).stuck_days).toBe(3);

    await stuck.fill('5');
    await save.click();
    await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    expect((await api.call<{ stuck_days: number }>('GET', '/api/settings')).stuck_days).toBe(5);
    await admin.reload();
    await expect(admin.getByRole('textbox', { name: 'Stuck after (working days)' })).toHaveValue('5', {
      timeout: 15_000,
    });
  } finally {
    await api.call('PATCH', '/api/settings', { stuck_days: 3 });
  }
});
