// Search and the command palette: Ctrl+K on any page, a Russian word found
// in another form of it, the keyboard alone to open the card; and a client
// never finds another company's cards.
import { expect, type Page } from '@playwright/test';
import { Api, openAs, test } from './helpers';

/** Ctrl+K, and the palette's box has focus (its code loads on first use). */
async function palette(page: Page) {
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('h1').first()).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Control+k');
  const box = page.getByRole('combobox', { name: 'Search or jump to' });
  await expect(box).toBeFocused({ timeout: 15_000 });
  return box;
}

test('Ctrl+K finds a Russian card by another form of the word and opens it with the keyboard', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId('Online shop');
  const tag = Date.now().toString(36);
  const made = await pm.createCard(shop, { title: `Выгрузка заказов в 1С ${tag}` });

  test.slow(); // three sign-ins on a shared machine
  const page = await openAs(browser, 'pm@example.com');
  await page.goto('/planning');
  const box = await palette(page);
  // "заказы" is not in the title; "заказов" is, and the stem joins them.
  await box.pressSequentially(`заказы ${tag}`);
  const option = page.getByRole('option', { name: new RegExp(`#${made.number} Выгрузка заказов`) });
  await expect(option).toBeVisible();
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('1 result');
  await page.keyboard.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/projects/${shop}/t/${made.number}$`));
  await expect(page.getByRole('dialog', { name: new RegExp(`#${made.number}`) })).toBeVisible();

  // #n jumps straight to the card.
  await page.keyboard.press('Escape');
  // The card opened a moment ago is a recent one too, but listed once.
  await (await palette(page)).pressSequentially(`#${made.number}`);
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('1 result');
  await expect(page.getByRole('option', { name: new RegExp(`^#${made.number} `) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/t/${made.number}$`));
  await page.context().close();
});

/** Arrows down to the option and takes it with Enter. */
async function choose(page: Page, name: string) {
  const option = page.getByRole('dialog', { name: 'Search or jump to' }).getByRole('option', { name, exact: true });
  await expect(option).toBeVisible();
  const id = (await option.getAttribute('id')) ?? '';
  const box = page.getByRole('combobox', { name: 'Search or jump to' });
  for (let i = 0; i < 20 && (await box.getAttribute('aria-activedescendant')) !== id; i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(box).toHaveAttribute('aria-activedescendant', id);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Search or jump to' })).toBeHidden();
}

test('the palette starts the timer on #123 and on the open card, and stops it, with the keyboard alone', async ({
  browser,
  request,
}) => {
  // Three palettes, two pages and their searches on a shared machine.
  test.setTimeout(150_000);
  const pm = await Api.as(request, 'pm@example.com');
  await pm.call('POST', '/api/timer/stop', {});
  const shop = await pm.projectId('Online shop');
  const tag = Date.now().toString(36);
  const first = await pm.createCard(shop, { title: `Timed from the palette ${tag}` });
  const second = await pm.createCard(shop, { title: `Timed here ${tag}` });

  const page = await openAs(browser, 'pm@example.com');
  await page.goto('/planning');
  const top = page.getByTestId('top-timer');
  await (await palette(page)).pressSequentially(`#${first.number}`);
  await choose(page, `Start the timer on #${first.number} ${first.title}`);
  await expect(top).toContainText(`#${first.number}`);

  // On the card's page: stop the running one, or start here (which stops it).
  await page.goto(`/projects/${shop}/t/${second.number}`);
  await palette(page);
  const options = page.getByRole('dialog', { name: 'Search or jump to' }).getByRole('option');
  await expect(options.filter({ hasText: `Stop the timer on #${first.number} ${first.title}` })).toBeVisible();
  await choose(page, `Start the timer on this card (#${second.number} ${second.title})`);
  await expect(top).toContainText(`#${second.number}`);

  await (await palette(page)).pressSequentially('stop');
  await expect(options.filter({ hasText: 'Start the timer' })).toHaveCount(0);
  await choose(page, `Stop the timer on #${second.number} ${second.title}`);
  await expect(top).toBeHidden();
  const timer = await pm.call<{ running: unknown }>('GET', '/api/timer');
  expect(timer.running).toBeNull();
  await page.context().close();
});

test('search results that land after the arrows picked an action leave Enter on that action', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  await pm.call('POST', '/api/timer/stop', {});
  const shop = await pm.projectId('Online shop');
  const card = await pm.createCard(shop, { title: `Late timer results ${Date.now().toString(36)}` });

  const page = await openAs(browser, 'pm@example.com');
  // The search answers only when the test lets it, as a busy server would.
  let answer = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/api/search?*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/projects/${shop}/t/${card.number}`);
  await (await palette(page)).pressSequentially('timer');
  const list = page.getByRole('dialog', { name: 'Search or jump to' });
  const start = list.getByRole('option', {
    name: `Start the timer on this card (#${card.number} ${card.title})`,
    exact: true,
  });
  await expect(start).toBeVisible();
  const box = page.getByRole('combobox', { name: 'Search or jump to' });
  for (let i = 0; i < 20 && (await start.getAttribute('aria-selected')) !== 'true'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(start).toHaveAttribute('aria-selected', 'true');

  answer();
  // The hit, with its project, goes in above the actions; the card opened
  // here was listed as a recent one and now is listed once, as the hit.
  await expect(list.getByRole('status')).not.toHaveText('Searching…');
  await expect(list.getByRole('option', { name: new RegExp(`^#${card.number} .*Online shop`) })).toBeVisible();
  await expect(list.getByRole('option', { name: new RegExp(`^#${card.number} `) })).toHaveCount(1);
  await expect(start).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await start.getAttribute('id')) ?? '');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('top-timer')).toContainText(`#${card.number}`);
  await pm.call('POST', '/api/timer/stop', {});
  await page.context().close();
});

test("Acme's client finds nothing of Globex's cards, not even by their number", async ({ browser, request }) => {
  const globex = await Api.as(request, 'client@globex.example.com');
  const [portal] = await globex.call<{ id: number }[]>('GET', '/api/projects');
  const board = await globex.call<{ tasks: { number: number; title: string }[] }>(
    'GET',
    `/api/projects/${portal!.id}/board`,
  );
  const sso = board.tasks.find((t) => t.title.startsWith('Single sign-on'))!;

  // Globex's own client finds its card by a word only Globex's cards hold.
  test.slow();
  const own = await openAs(browser, 'client@globex.example.com');
  await (await palette(own)).pressSequentially('directory');
  await expect(own.getByRole('option', { name: /Single sign-on with the Globex directory/ })).toBeVisible();
  await own.context().close();

  const page = await openAs(browser, 'client@acme.example.com');
  const box = await palette(page);
  await box.pressSequentially('directory');
  const status = page.getByRole('dialog').getByRole('status');
  await expect(status).toHaveText('Nothing found.');
  await expect(page.getByRole('option', { name: /^#/ })).toHaveCount(0);
  await box.fill(`#${sso.number}`);
  await expect(status).toHaveText('No such card.');
  await expect(page.getByRole('option')).toHaveCount(0);
  await page.context().close();
});

test('the search page filters by kind, and a saved filter is a link that brings the search back', async ({
  browser,
  request,
}) => {
  test.slow();
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId('Online shop');
  const tag = Date.now().toString(36);
  await pm.createCard(shop, { title: `Integration bug ${tag}`, kind: 'bug' });
  await pm.createCard(shop, { title: `Integration task ${tag}`, kind: 'task' });

  const page = await openAs(browser, 'pm@example.com');
  await page.goto(`/search?q=${tag}`);
  const main = page.getByRole('main');
  const bug = main.getByRole('link', { name: new RegExp(`Integration bug ${tag}`) });
  const task = main.getByRole('link', { name: new RegExp(`Integration task ${tag}`) });
  await expect(bug).toBeVisible({ timeout: 15_000 });
  await expect(task).toBeVisible();
  await main.getByLabel('Kind').selectOption('bug');
  await main.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${tag}&kind=bug$`));
  await expect(task).toHaveCount(0);
  await expect(bug).toBeVisible();

  await main.getByLabel('Save this search as').fill(`Bugs ${tag}`);
  await main.getByRole('button', { name: 'Save', exact: true }).click();
  const saved = main.getByRole('link', { name: `Bugs ${tag}` });
  await expect(saved).toHaveAttribute('href', `/search?q=${tag}&kind=bug`);

  await page.goto('/search');
  await saved.click();
  await expect(bug).toBeVisible();
  await expect(task).toHaveCount(0);
  await expect(main.getByLabel('Kind')).toHaveValue('bug');
  await page.context().close();
});

test('a board filter is saved under a name, applied, renamed, opened as a link and deleted, with the keyboard', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId('Online shop');
  const tag = Date.now().toString(36);
  await pm.createCard(shop, { title: `Urgent saved ${tag}`, priority: 'urgent' });
  await pm.createCard(shop, { title: `Normal saved ${tag}`, priority: 'normal' });

  const page = await openAs(browser, 'pm@example.com');
  await page.goto(`/projects/${shop}`);
  const urgent = page.locator('li[data-card-number]').filter({ hasText: `Urgent saved ${tag}` });
  const normal = page.locator('li[data-card-number]').filter({ hasText: `Normal saved ${tag}` });
  await expect(normal).toBeVisible({ timeout: 15_000 });
  await page.getByRole('searchbox', { name: 'Find cards by title or number' }).fill(tag);
  await page.getByRole('combobox', { name: 'Priority' }).selectOption('urgent');
  await expect(normal).toBeHidden();

  const saved = page.locator('summary', { hasText: 'Saved filters' });
  await saved.focus();
  await page.keyboard.press('Enter');
  const name = `Urgent ${tag}`;
  await page.getByLabel('Save this filter as').fill(name);
  await page.keyboard.press('Enter');
  const apply = page.getByRole('button', { name: `Apply the saved filter ${name}` });
  await expect(apply).toBeVisible();
  // The same name again is refused with the field's own message.
  await page.getByLabel('Save this filter as').fill(name.toUpperCase());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Choose another name' })).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(normal).toBeVisible();
  await apply.focus();
  await page.keyboard.press('Enter');
  await expect(normal).toBeHidden();
  await expect(urgent).toBeVisible();

  await page.getByRole('button', { name: `New name for the saved filter ${name}` }).click();
  const renamed = `Hot ${tag}`;
  await page.getByLabel(`New name for the saved filter ${name}`).fill(renamed);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: `Apply the saved filter ${renamed}` })).toBeVisible();

  // Its link is the filter: opened afresh, the board shows the same cards.
  const list = await pm.call<{ name: string; url: string }[]>('GET', '/api/saved-filters');
  const url = list.find((f) => f.name === renamed)?.url ?? '';
  expect(url).toContain(`/projects/${shop}?`);
  await page.goto(url);
  await expect(urgent).toBeVisible({ timeout: 15_000 });
  await expect(normal).toBeHidden();

  await page.locator('summary', { hasText: 'Saved filters' }).click();
  await page.getByRole('button', { name: `Remove the saved filter ${renamed}` }).click();
  await expect(page.getByRole('button', { name: `Apply the saved filter ${renamed}` })).toBeHidden();
});
