// The team board: a row per person, cards of every project; dragging a
// card to another person's row reassigns it, unless that person is not on
// the card's project.
import { expect, type Locator, type Page } from '@playwright/test';
import { Api, card, drag, openAs, openSection, test, unique } from './helpers';

function cell(page: Page, person: string, status: string): Locator {
  return page.locator(`.cell[data-lane="${person}"][data-status="${status}"] ul.card-list`);
}

test('dragging a card to another person reassigns it', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId('Online shop');
  const dana = await api.userIdOf('dev1@example.com');
  const sam = await api.userIdOf('dev2@example.com');
  const title = unique('Hand over');
  const created = await api.createCard(shop, { title, status: 'set', assignee_id: dana, estimate_minutes: 90 });

  const page = await openAs(browser, 'pm@example.com');
  await openSection(page, 'Planning', 'Team');
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  const item = card(cell(page, 'Dana Lee', 'set'), title);
  await expect(item).toBeVisible();
  await expect(item).toContainText('Online shop');

  await drag(page, item, cell(page, 'Sam Ortiz', 'set'));
  await expect(card(cell(page, 'Sam Ortiz', 'set'), title)).toBeVisible();
  await expect.poll(async () => (await api.card(created.id)).assignee_id).toBe(sam);

  // Another column of the same row moves it.
  await drag(page, card(cell(page, 'Sam Ortiz', 'set'), title), cell(page, 'Sam Ortiz', 'in_progress'));
  await expect(card(cell(page, 'Sam Ortiz', 'in_progress'), title)).toBeVisible();
  await expect.poll(async () => (await api.card(created.id)).status).toBe('in_progress');
});

test('a person who is not on the project cannot be given its card', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  // Sam Ortiz is not on the team of Website relaunch; Dana Lee is.
  const relaunch = await api.projectId('Website relaunch');
  const dana = await api.userIdOf('dev1@example.com');
  const title = unique('Not for Sam');
  const created = await api.createCard(relaunch, { title, status: 'set', assignee_id: dana });

  const page = await openAs(browser, 'pm@example.com');
  await page.goto('/team');
  const item = card(cell(page, 'Dana Lee', 'set'), title);
  await expect(item).toBeVisible();
  await drag(page, item, cell(page, 'Sam Ortiz', 'set'));

  await expect(page.getByRole('status').filter({ hasText: 'Not reassigned: Sam Ortiz' })).toContainText(
    'Website relaunch',
  );
  await expect(card(cell(page, 'Dana Lee', 'set'), title)).toBeVisible();
  await expect(card(cell(page, 'Sam Ortiz', 'set'), title)).toHaveCount(0);
  expect((await api.card(created.id)).assignee_id).toBe(dana);
});

test('holding a dragged card at the bottom edge scrolls the team board down; people who take no work get no row', async ({
  browser,
  request,
}) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId('Online shop');
  const dana = await api.userIdOf('dev1@example.com');
  const title = unique('Scroll me');
  await api.createCard(shop, { title, status: 'set', assignee_id: dana });

  const page = await openAs(browser, 'pm@example.com', { width: 1280, height: 600 });
  await page.goto('/team');
  const item = card(cell(page, 'Dana Lee', 'set'), title);
  await expect(item).toBeVisible();
  // The demo admin has no weekly capacity and no cards.
  await expect(page.locator('.lane-head[data-lane="Alex Admin"]')).toHaveCount(0);
  await expect(page.locator('.lane-head[data-lane="Unassigned"]')).toBeVisible();

  await item.scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  const box = (await item.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 8, box.y + 20, { steps: 4 });
  // The card held against the bottom edge of the window: the pointer is
  // about half a card above it.
  await page.mouse.move(box.x + box.width / 2, 600 - 45, { steps: 10 });
  await page.waitForTimeout(3_000);
  const after = await page.evaluate(() => window.scrollY);
  await page.keyboard.press('Escape');
  await page.mouse.up();
  expect(after - before).toBeGreaterThan(200);
});
