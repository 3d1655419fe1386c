// Sign-in per demo role, against the real server with its demo data set
// (password doska-demo), which e2e/global-setup.ts starts.
import { expect } from '@playwright/test';
import { PASSWORD, signIn, test } from './helpers';

interface DemoUser {
  email: string;
  role: 'Admin' | 'Manager' | 'Developer' | 'Client';
  /** Main navigation entries this role gets. */
  nav: string[];
  /** The pages of the Clients section (staff only). */
  clients?: string[];
  /** Heading of the home page. */
  home: string | RegExp;
  /** Exactly the projects this person may see in the demo data. */
  projects: string[];
}

const USERS: DemoUser[] = [
  {
    email: 'admin@example.com',
    role: 'Admin',
    nav: ['Projects', 'This week', 'Planning', 'Clients', 'Deploys'],
    clients: ['Clients', 'Waiting', 'Workshops', 'Triage'],
    home: 'Projects',
    projects: ['Online shop', 'Website relaunch', 'Customer portal'],
  },
  {
    email: 'pm@example.com',
    role: 'Manager',
    nav: ['Projects', 'This week', 'Planning', 'Clients', 'Deploys'],
    clients: ['Clients', 'Waiting', 'Workshops', 'Triage'],
    home: 'Projects',
    projects: ['Online shop', 'Website relaunch', 'Customer portal'],
  },
  {
    email: 'dev1@example.com',
    role: 'Developer',
    nav: ['Projects', 'This week', 'Planning', 'Clients', 'Deploys'],
    clients: ['Clients', 'Waiting', 'Workshops'],
    home: 'Projects',
    projects: ['Online shop', 'Website relaunch'],
  },
  {
    email: 'dev2@example.com',
    role: 'Developer',
    nav: ['Projects', 'This week', 'Planning', 'Clients', 'Deploys'],
    clients: ['Clients', 'Waiting', 'Workshops'],
    home: 'Projects',
    projects: ['Online shop', 'Customer portal'],
  },
  // Client users land on their home: what needs them, then their projects.
  {
    email: 'client@acme.example.com',
    role: 'Client',
    nav: ['Home', 'Projects', 'Approvals'],
    home: /Acme/,
    projects: ['Online shop', 'Website relaunch'],
  },
  {
    email: 'client@globex.example.com',
    role: 'Client',
    nav: ['Home', 'Projects', 'Approvals'],
    home: /Globex/,
    projects: ['Customer portal'],
  },
];

for (const u of USERS) {
  test(`${u.email} signs in as ${u.role} and sees their navigation`, async ({ page }) => {
    // A laptop's width holds every role's sections; narrower, they fold
    // into the menu button (the phone-width test below).
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, u.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: u.home })).toBeVisible();

    await expect(page.locator('a.project h3')).toHaveText(u.projects);

    const nav = page.getByRole('navigation', { name: 'Main' }).filter({ visible: true });
    await expect(nav.getByRole('link')).toHaveText(u.nav);
    if (u.clients) {
      await nav.getByRole('link', { name: 'Clients', exact: true }).click();
      await expect(page.getByRole('navigation', { name: 'Clients' }).getByRole('link')).toHaveText(u.clients);
      await expect(nav.getByRole('link', { name: 'Clients', exact: true })).toHaveAttribute('aria-current', 'page');
      await page.goBack();
    }

    await page.getByRole('button', { name: /Account menu/ }).click();
    await expect(page.getByText(u.role, { exact: true })).toBeVisible();

    // The session survives a reload (refresh cookie), and no token is kept in
    // web storage or readable cookies (docs/ARCHITECTURE.md#tokens).
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: u.home })).toBeVisible();
    const stored = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
    }));
    for (const v of Object.values(stored)) expect(v).not.toMatch(/eyJ[\w-]+\.[\w-]+/);

    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });
}

test('a visitor who is not signed in loads the app without a single console error', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test('a wrong password gets one generic message', async ({ page }) => {
  await signIn(page, 'pm@example.com', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText(/e-mail address or password is not right/);
  await expect(page).toHaveURL(/\/login/);
  // A good sign-in clears the failure counter, so reruns never hit the limit.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('the e-mail field takes focus, but not from someone already typing the password', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('E-mail')).toBeFocused();

  // Frames held back, as on a busy machine: the person is in the password
  // field before the page's first frame, and stays there after it.
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf(() => setTimeout(() => cb(performance.now()), 400));
  });
  await page.reload();
  const password = page.getByLabel('Password');
  await password.focus();
  await page.evaluate(() => new Promise((r) => window.requestAnimationFrame(r)));
  await expect(password).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await expect(password).toHaveValue(PASSWORD);
  await expect(page.getByLabel('E-mail')).toHaveValue('');
});

test('a deep link survives the sign-in', async ({ page }) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  await page.getByLabel('E-mail').fill('dev1@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('at phone width the navigation folds into a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, 'pm@example.com');
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  await expect(menu).toBeVisible();
  // Escape or a click elsewhere closes it; Escape gives focus back.
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await menu.click();
  await page.mouse.click(360, 700);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await page
    .getByRole('navigation', { name: 'Main' })
    .filter({ visible: true })
    .getByRole('link', { name: 'Clients' })
    .click();
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
});

test('a client user cannot open the staff pages', async ({ page }) => {
  await signIn(page, 'client@acme.example.com');
  await expect(page.getByRole('heading', { level: 1, name: /Acme/ })).toBeVisible();
  await page.goto('/clients');
  await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
});
