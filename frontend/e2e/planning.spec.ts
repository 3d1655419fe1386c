// Weekly planning against the real server: the PM plans a week by drag and
// drop and the capacity bars follow the server's numbers; a developer's
// read-only page follows every change live; capacity overrides, cards
// without an estimate, closing a week and its report; "This week"; who may
// open what. Each test makes its own cards and plans its own week (weeks
// from now), so that no test sees another's plan.
import { expect, type Locator, type Page, type WebSocketRoute } from '@playwright/test';
import { addWeeks, currentWeek } from '../src/planning/weeks';
import { Api, card, drag, openAs, routeSockets, test, unique } from './helpers';

const SHOP = 'Online shop'; // Dana Lee and Sam Ortiz are both on its team
const RELAUNCH = 'Website relaunch'; // Dana Lee is, Sam Ortiz is not

interface PlanCard {
  id: number;
  title: string;
  version: number;
  assignee_id: number | null;
  sprint_id: number | null;
}

interface Plan {
  week: string;
  sprint_id: number | null;
  version: number;
  people: { id: number; name: string; tasks: PlanCard[] }[];
}

function week(fromNow: number): string {
  return addWeeks(currentWeek(), fromNow);
}

function person(page: Page, name: string): Locator {
  return page.locator(`section.column[data-person="${name}"]`);
}

function queue(page: Page, name: string): Locator {
  return person(page, name).locator('ul.card-list');
}

function backlog(page: Page): Locator {
  return page.getByTestId('backlog').locator('ul.card-list');
}

/** Titles in a queue, top to bottom. */
async function order(list: Locator): Promise<string[]> {
  return list.locator('li[data-card-number] a').allTextContents();
}

async function planOf(api: Api, w: string, name: string): Promise<string[]> {
  const plan = await api.call<Plan>('GET', `/api/sprints/${w}`);
  return plan.people.find((p) => p.name === name)?.tasks.map((t) => t.title) ?? [];
}

/** Drops onto the lower end of a list: after its last card. */
async function dragToEnd(page: Page, from: Locator, list: Locator): Promise<void> {
  const box = await list.boundingBox();
  await drag(page, from, list, Math.max(24, (box?.height ?? 0) - 8));
}

async function openPlanning(page: Page, w: string): Promise<void> {
  await page.goto(`/planning/${w}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Planning' })).toBeVisible();
  await expect(person(page, 'Dana Lee')).toBeVisible();
}

test('the PM plans a week by drag and drop; a developer sees every change live and cannot drag', async ({
  browser,
  request,
}) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId(SHOP);
  const prefix = unique('Plan');
  const first = `${prefix} first`;
  const second = `${prefix} second`;
  await api.createCard(shop, { title: first, status: 'set', estimate_minutes: 180 });
  await api.createCard(shop, { title: second, status: 'set', estimate_minutes: 90 });
  const w = week(1);

  const pm = await openAs(browser, 'pm@example.com');
  const dev = await openAs(browser, 'dev1@example.com');
  await openPlanning(pm, w);
  await expect(pm.getByTestId('week-label')).toHaveText(/^Week \d+ · /);
  await openPlanning(dev, w);
  // Proof that the developer's page is never reloaded.
  await dev.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await pm.getByLabel('Search the backlog').fill(prefix);
  await expect(backlog(pm).locator('li')).toHaveCount(2);

  const danaPm = person(pm, 'Dana Lee').getByTestId('planned');
  const danaDev = person(dev, 'Dana Lee').getByTestId('planned');
  const samPm = person(pm, 'Sam Ortiz').getByTestId('planned');
  const samDev = person(dev, 'Sam Ortiz').getByTestId('planned');
  await expect(danaPm).toHaveText('0 h of 32 h planned');
  await expect(samPm).toHaveText('0 h of 32 h planned');

  // Two cards onto Dana: the bar counts their estimates.
  await drag(pm, card(backlog(pm), first), queue(pm, 'Dana Lee'));
  await expect(card(queue(pm, 'Dana Lee'), first)).toBeVisible();
  await expect(danaPm).toHaveText('3 h of 32 h planned');
  await expect(card(queue(dev, 'Dana Lee'), first)).toBeVisible();
  await expect(danaDev).toHaveText('3 h of 32 h planned');

  await dragToEnd(pm, card(backlog(pm), second), queue(pm, 'Dana Lee'));
  await expect(danaPm).toHaveText('4 h 30 min of 32 h planned');
  await expect.poll(() => order(queue(pm, 'Dana Lee'))).toEqual([first, second]);
  expect(await planOf(api, w, 'Dana Lee')).toEqual([first, second]);
  await expect(danaDev).toHaveText('4 h 30 min of 32 h planned');
  await expect.poll(() => order(queue(dev, 'Dana Lee'))).toEqual([first, second]);

  // Reordered: the second goes first.
  await drag(pm, card(queue(pm, 'Dana Lee'), second), card(queue(pm, 'Dana Lee'), first), 6);
  await expect.poll(() => order(queue(pm, 'Dana Lee'))).toEqual([second, first]);
  await expect.poll(() => planOf(api, w, 'Dana Lee')).toEqual([second, first]);
  await expect.poll(() => order(queue(dev, 'Dana Lee'))).toEqual([second, first]);

  // One to Sam: both bars move.
  await drag(pm, card(queue(pm, 'Dana Lee'), first), queue(pm, 'Sam Ortiz'));
  await expect(card(queue(pm, 'Sam Ortiz'), first)).toBeVisible();
  await expect(samPm).toHaveText('3 h of 32 h planned');
  await expect(danaPm).toHaveText('1 h 30 min of 32 h planned');
  await expect(card(queue(dev, 'Sam Ortiz'), first)).toBeVisible();
  await expect(card(queue(dev, 'Dana Lee'), first)).toHaveCount(0);
  await expect(samDev).toHaveText('3 h of 32 h planned');
  await expect(danaDev).toHaveText('1 h 30 min of 32 h planned');

  // One back to the backlog: out of the week.
  await drag(pm, card(queue(pm, 'Dana Lee'), second), backlog(pm));
  await expect(card(backlog(pm), second)).toBeVisible();
  await expect(danaPm).toHaveText('0 h of 32 h planned');
  await expect(card(queue(dev, 'Dana Lee'), second)).toHaveCount(0);
  await expect(danaDev).toHaveText('0 h of 32 h planned');
  expect(await planOf(api, w, 'Dana Lee')).toEqual([]);

  // The developer reads: no drag, no capacity, no closing.
  await expect(dev.getByText('Read-only: only managers and admins plan the week.')).toBeVisible();
  await expect(dev.getByRole('button', { name: 'Close week' })).toHaveCount(0);
  await expect(dev.getByRole('button', { name: /^Capacity of / })).toHaveCount(0);
  await drag(dev, card(queue(dev, 'Sam Ortiz'), first), queue(dev, 'Dana Lee'));
  await expect(card(queue(dev, 'Sam Ortiz'), first)).toBeVisible();
  await expect(card(queue(dev, 'Dana Lee'), first)).toHaveCount(0);
  expect(await planOf(api, w, 'Sam Ortiz')).toEqual([first]);
  expect(await dev.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

test('a card cannot be planned for someone who is not on its project', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const relaunch = await api.projectId(RELAUNCH);
  const title = unique('Relaunch only');
  await api.createCard(relaunch, { title, status: 'set', estimate_minutes: 60 });
  const w = week(2);

  const pm = await openAs(browser, 'pm@example.com');
  await openPlanning(pm, w);
  await pm.getByLabel('Search the backlog').fill(title);
  await drag(pm, card(backlog(pm), title), queue(pm, 'Dana Lee'));
  await expect(card(queue(pm, 'Dana Lee'), title)).toBeVisible();
  await expect(person(pm, 'Dana Lee').getByTestId('planned')).toHaveText('1 h of 32 h planned');

  await drag(pm, card(queue(pm, 'Dana Lee'), title), queue(pm, 'Sam Ortiz'));
  await expect(pm.getByRole('status').filter({ hasText: 'Not planned: Sam Ortiz' })).toContainText(RELAUNCH);
  await expect(card(queue(pm, 'Dana Lee'), title)).toBeVisible();
  await expect(card(queue(pm, 'Sam Ortiz'), title)).toHaveCount(0);
  expect(await planOf(api, w, 'Dana Lee')).toEqual([title]);
});

test("a capacity override changes the person's bar, live for others too", async ({ browser }) => {
  const w = week(3);
  const pm = await openAs(browser, 'pm@example.com');
  const dev = await openAs(browser, 'dev1@example.com');
  await openPlanning(pm, w);
  await openPlanning(dev, w);
  const danaPm = person(pm, 'Dana Lee');
  const danaDev = person(dev, 'Dana Lee');
  await expect(danaDev.getByTestId('planned')).toHaveText('0 h of 32 h planned');

  await pm.getByRole('button', { name: 'Capacity of Dana Lee this week: 40 h. Change' }).click();
  const dialog = pm.getByRole('dialog');
  await dialog.getByLabel('Capacity this week (hours)').fill('24');
  await dialog.getByLabel('Why (optional)').fill('Holiday on Friday');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  for (const dana of [danaPm, danaDev]) {
    await expect(dana.getByTestId('planned')).toHaveText('0 h of 19 h 12 min planned');
    await expect(dana.getByTestId('buffer')).toHaveText('buffer 0 h of 4 h 48 min used');
    await expect(dana.getByTestId('override')).toHaveText('This week 24 h — Holiday on Friday');
  }

  await pm.getByRole('button', { name: 'Capacity of Dana Lee this week: 24 h. Change' }).click();
  await dialog.getByRole('button', { name: 'Back to the default' }).click();
  await expect(dialog).toBeHidden();
  for (const dana of [danaPm, danaDev]) {
    await expect(dana.getByTestId('planned')).toHaveText('0 h of 32 h planned');
    await expect(dana.getByTestId('override')).toHaveCount(0);
  }
});

test('a change made while the socket was away shows once it is back', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const dana = await api.userIdOf('dev1@example.com');
  const w = week(8);
  const dev = await openAs(browser, 'dev1@example.com');
  const sockets: WebSocketRoute[] = [];
  // While away, every new socket is turned down at once.
  let away = false;
  await routeSockets(dev, (ws) => {
    sockets.push(ws);
    if (away) void ws.close({ code: 1001, reason: 'going away' });
    else ws.connectToServer();
  });
  // The page reads the week when it loads and again once the socket says
  // hello; a change made before that second read would reach the page
  // without any reconnecting, and prove nothing.
  let reads = 0;
  dev.on('response', (r) => {
    if (r.url().endsWith(`/api/sprints/${w}`)) reads++;
  });
  await openPlanning(dev, w);
  await expect.poll(() => sockets.length).toBe(1);
  await expect.poll(() => reads).toBe(2);

  away = true;
  await sockets[0]!.close({ code: 1001, reason: 'going away' });
  await expect(dev.getByRole('status').getByText('Offline, reconnecting…')).toBeVisible();
  // Only the week's frame tells of a capacity, and it is not replayed.
  await api.call('PUT', `/api/sprints/${w}/capacity/${dana}`, { minutes: 1800, note: 'Training' });
  away = false;
  await expect(person(dev, 'Dana Lee').getByTestId('planned')).toHaveText('0 h of 24 h planned', { timeout: 10_000 });
  await expect(person(dev, 'Dana Lee').getByTestId('override')).toHaveText('This week 30 h — Training');
  // It came back over a new socket (one or more attempts).
  expect(sockets.length).toBeGreaterThanOrEqual(2);
});

test('a card without an estimate says so and counts as unestimated, never as zero', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId(SHOP);
  const title = unique('No estimate');
  await api.createCard(shop, { title, status: 'set' });
  const w = week(4);

  const pm = await openAs(browser, 'pm@example.com');
  await openPlanning(pm, w);
  await pm.getByLabel('Search the backlog').fill(title);
  const inBacklog = card(backlog(pm), title);
  await expect(inBacklog.getByRole('button', { name: /: no estimate\. Change$/ })).toHaveText('no estimate');

  await drag(pm, inBacklog, queue(pm, 'Dana Lee'));
  const dana = person(pm, 'Dana Lee');
  await expect(card(queue(pm, 'Dana Lee'), title)).toBeVisible();
  await expect(dana.getByTestId('unestimated')).toHaveText('1 without estimate');
  await expect(dana.getByTestId('planned')).toHaveText('0 h of 32 h planned');

  // Estimated in place: the hours count, the warning goes.
  await card(queue(pm, 'Dana Lee'), title)
    .getByRole('button', { name: /no estimate/ })
    .click();
  await pm.getByLabel(/^Estimate of #\d+ in hours$/).fill('2.5');
  await pm.keyboard.press('Enter');
  await expect(
    card(queue(pm, 'Dana Lee'), title).getByRole('button', { name: /: 2 h 30 min\. Change$/ }),
  ).toBeVisible();
  await expect(dana.getByTestId('planned')).toHaveText('2 h 30 min of 32 h planned');
  await expect(dana.getByTestId('unestimated')).toHaveCount(0);

  // Hours read the same on the project board and the team board.
  await pm.goto(`/projects/${shop}`);
  await expect(card(pm, title)).toContainText('2 h 30 min');
  await pm.goto('/team');
  await expect(card(pm, title)).toContainText('2 h 30 min');
});

test('closing a week moves unfinished work to the next one; the report shows it carried over', async ({
  browser,
  request,
}) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId(SHOP);
  const dana = await api.userIdOf('dev1@example.com');
  // A week can be closed from its Monday on; the one closed here is past.
  const w = week(-5);
  const next = week(-4);
  const unfinished = unique('Not finished');
  const finished = unique('Finished');
  for (const title of [unfinished, finished]) {
    const c = await api.createCard(shop, { title, status: 'set', estimate_minutes: 120 });
    await api.call('POST', `/api/sprints/${w}/plan`, { task_id: c.id, version: c.version, assignee_id: dana });
  }
  const done = (await api.call<Plan>('GET', `/api/sprints/${w}`)).people
    .find((p) => p.id === dana)!
    .tasks.find((t) => t.title === finished)!;
  await api.call('POST', `/api/tasks/${done.id}/move`, { version: done.version, status: 'done' });

  const pm = await openAs(browser, 'pm@example.com');
  await openPlanning(pm, w);
  await expect(card(queue(pm, 'Dana Lee'), unfinished)).toBeVisible();
  await expect(card(queue(pm, 'Dana Lee'), finished)).toContainText('Done');

  // A week that has not begun is not offered for closing.
  const future = week(5);
  const later = await api.createCard(shop, { title: unique('Later'), status: 'set' });
  await api.call('POST', `/api/sprints/${future}/plan`, {
    task_id: later.id,
    version: later.version,
    assignee_id: dana,
  });
  await openPlanning(pm, future);
  await expect(card(queue(pm, 'Dana Lee'), later.title)).toBeVisible();
  await expect(pm.getByRole('button', { name: 'Close week' })).toHaveCount(0);
  await openPlanning(pm, w);

  await pm.getByRole('button', { name: 'Close week' }).click();
  const dialog = pm.getByRole('dialog');
  await expect(dialog).toContainText('1 unfinished task moves to the end of the same person’s queue');
  await expect(dialog).toContainText('The report is frozen');
  await dialog.getByRole('button', { name: 'Close week' }).click();
  await expect(dialog).toBeHidden();
  await expect(pm.getByRole('note')).toContainText('This week is closed.');
  await expect(pm.getByRole('button', { name: 'Close week' })).toHaveCount(0);
  await expect(card(queue(pm, 'Dana Lee'), unfinished)).toHaveCount(0);

  expect(await planOf(api, next, 'Dana Lee')).toContain(unfinished);
  await pm.getByRole('navigation', { name: 'Week' }).getByRole('link', { name: 'Next week' }).click();
  await expect(pm).toHaveURL(new RegExp(`/planning/${next}$`));
  await expect(card(queue(pm, 'Dana Lee'), unfinished)).toBeVisible();

  await pm.goto(`/planning/${w}`);
  await pm.getByRole('link', { name: 'See the report' }).click();
  await expect(pm).toHaveURL(new RegExp(`/planning/${w}/report$`));
  await expect(pm.getByTestId('report-state')).toContainText('Frozen');
  await expect(pm.getByTestId('carried-over')).toContainText(unfinished);
  await expect(pm.getByTestId('carried-over')).not.toContainText(finished);
  await expect(pm.getByRole('row', { name: /Dana Lee/ })).toContainText('1 of 2');
  await expect(pm.getByRole('button', { name: 'Print' })).toBeVisible();
});

test('"This week" shows my queue first, with urgent work that arrived since Monday', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const shop = await api.projectId(SHOP);
  const dana = await api.userIdOf('dev1@example.com');
  const title = unique('Urgent today');
  const c = await api.createCard(shop, { title, status: 'set', priority: 'urgent', estimate_minutes: 60 });

  const dev = await openAs(browser, 'dev1@example.com');
  await dev.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'This week' }).click();
  await expect(dev.getByRole('heading', { level: 1, name: 'This week' })).toBeVisible();
  await expect(dev.locator('section.column').first()).toHaveAttribute('data-person', 'Dana Lee');
  const mine = person(dev, 'Dana Lee');
  const free = await mine.getByTestId('buffer-free').textContent();

  // Planned into the current week after it began: unplanned, on the buffer.
  await api.call('POST', `/api/sprints/current/plan`, { task_id: c.id, version: c.version, assignee_id: dana });
  await expect(card(mine.locator('ul.card-list'), title)).toContainText('Unplanned');
  await expect(mine.getByRole('list', { name: 'Urgent and critical work that arrived this week' })).toContainText(
    title,
  );
  await expect(mine.getByTestId('buffer-free')).not.toHaveText(free ?? '');
});

test('managers set the usual weekly capacity on the Users page', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const pm = await openAs(browser, 'pm@example.com');
  await pm.goto('/admin/users');
  // The demo admin plans with no hours: not on the planning screen.
  const field = pm.getByLabel('Weekly capacity of Alex Admin in hours');
  await expect(field).toHaveValue('0 h');
  try {
    await field.fill('30');
    await field.press('Enter');
    await expect(pm.getByRole('row', { name: /Alex Admin/ }).getByRole('status')).toHaveText('Saved');
    await openPlanning(pm, week(7));
    await expect(person(pm, 'Alex Admin').getByTestId('planned')).toHaveText('0 h of 24 h planned');
  } finally {
    const alex = await api.userIdOf('admin@example.com');
    await api.call('PUT', `/api/users/${alex}/capacity`, { minutes: 0 });
  }
});

test('a client user has no planning: no menu entry, and "No access"', async ({ browser }) => {
  const client = await openAs(browser, 'client@acme.example.com');
  await expect(client.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Planning' })).toHaveCount(0);
  await client.goto('/planning');
  await expect(client.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
  await client.goto('/this-week');
  await expect(client.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
});

test('at 1,440 px the whole week fits: backlog, three people and Unassigned, nothing cut off', async ({ browser }) => {
  const pm = await openAs(browser, 'pm@example.com', { width: 1440, height: 900 });
  await openPlanning(pm, week(9));
  const lanes = pm.locator('section.column.lane');
  await expect(lanes).toHaveCount(4);
  await expect(lanes.last()).toHaveAttribute('data-person', 'Unassigned');
  const row = pm.locator('.lanes-row');
  expect(await row.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const right = (await lanes.last().boundingBox())!;
  expect(right.x + right.width).toBeLessThanOrEqual(1440);
});
