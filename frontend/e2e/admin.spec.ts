// The agency's settings page: the default language (invitations, and people
// who chose none) is an admin's choice and is kept by the server.
import { expect, test } from '@playwright/test';
import { Api, openAs } from './helpers';

test("an admin changes the agency's default language and it persists", async ({ browser, request }) => {
  const api = await Api.as(request, 'admin@example.com');
  try {
    const admin = await openAs(browser, 'admin@example.com');
    await admin.goto('/admin/settings');
    const picker = admin.getByRole('combobox', { name: 'Default language' });
    await expect(picker).toHaveValue('en');
    await picker.selectOption('pl');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    // The server kept it, and the page shows it after a reload; the admin's
    // own language is not the agency's default.
    expect((await api.call<{ default_locale: string }>('GET', '/api/settings')).default_locale).toBe('pl');
    await admin.reload();
    await expect(admin.getByRole('combobox', { name: 'Default language' })).toHaveValue('pl');
    await expect(admin.getByRole('heading', { level: 1, name: 'Agency settings' })).toBeVisible();

    // A manager reads it and cannot change it.
    const pm = await openAs(browser, 'pm@example.com');
    await pm.goto('/admin/settings');
    await expect(pm.getByRole('combobox', { name: 'Default language' })).toHaveValue('pl');
    await expect(pm.getByRole('combobox', { name: 'Default language' })).toBeDisabled();
  } finally {
    await api.call('PATCH', '/api/settings', { default_locale: 'en' });
  }
});
