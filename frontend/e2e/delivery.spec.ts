// Client delivery against the real server: a question, an answer, a change
// on staging, changes requested, an approval, the deploy list and the
// deployment, each seen live in the other browser; what a client of another
// company never sees; approvals on the client's behalf; the deploy window
// and its settings. Each test makes its own cards.
import { expect, type Locator, type Page } from '@playwright/test';
import { Api, card, column, drag, openAs, openSection, test, unique } from './helpers';

const RELAUNCH = 'Website relaunch';
const MON_THU = [1, 2, 3, 4];

/** The next day after today (local time, as the browser has it) whose
 * weekday is one of `days` (0 = Sunday), as "YYYY-MM-DD". */
function nextDay(days: number[]): string {
  const d = new Date();
  do d.setDate(d.getDate() + 1);
  while (!days.includes(d.getDay()));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function mainNav(page: Page, label: string): Locator {
  return page
    .getByRole('navigation', { name: 'Main' })
    .filter({ visible: true })
    .getByRole('link', { name: label, exact: true });
}

/** Opens the bell's panel (if closed) and returns it. */
async function bell(page: Page): Promise<Locator> {
  const panel = page.getByRole('region', { name: 'Notifications' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: /^Notifications/ }).click();
  await expect(panel).toBeVisible();
  return panel;
}

/** A row of a list across projects (home, approvals, deploys, waiting). */
function row(scope: Page | Locator, title: string): Locator {
  return scope.locator('li.row').filter({ hasText: title });
}

async function setDeployDays(request: Parameters<typeof Api.as>[0], days: number[]): Promise<void> {
  const admin = await Api.as(request, 'admin@example.com');
  await admin.call('PATCH', '/api/settings', { deploy_days: days });
}

test('a question, an answer, changes, an approval and a deployment, live in both browsers', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const dana = await api.userIdOf('dev1@example.com');
  const title = unique('Loop');
  const created = await api.createCard(project, { title, status: 'in_progress', assignee_id: dana });
  const ref = `#${created.number} ${title}`;

  const dev = await openAs(browser, 'dev1@example.com');
  const client = await openAs(browser, 'client@acme.example.com');
  await dev.goto(`/projects/${project}`);
  await expect(card(column(dev, 'In progress'), title)).toBeVisible();
  const home = client.getByRole('region', { name: 'Needs your answer' });
  await expect(home).toBeVisible();
  await expect(row(home, title)).toHaveCount(0);

  // 1. The developer asks the client a question.
  await drag(dev, card(dev, title), column(dev, 'Awaiting reply').locator('ul.card-list'));
  const ask = dev.getByRole('dialog', { name: 'Ask the client' });
  await ask.getByLabel('Question for the client').fill('Should the menu stay open on phones?');
  await ask.getByRole('button', { name: 'Ask and move' }).click();
  await expect(card(column(dev, 'Awaiting reply'), title)).toContainText('Waiting for Acme since');

  // The client sees it on their home and in the bell, without a reload.
  await expect(row(home, title)).toBeVisible();
  await expect(client.getByRole('button', { name: /^Notifications, \d+ unread$/ })).toBeVisible();
  const clientBell = await bell(client);
  const question = clientBell.getByRole('link', { name: `Dana Lee asked you a question on ${ref}` });
  await expect(question).toBeVisible();

  // 2. The client answers in the card (the notification leads there).
  await question.click();
  await expect(client).toHaveURL(new RegExp(`/projects/${project}/t/${created.number}$`));
  const panel = client.getByRole('dialog');
  await expect(panel.getByText('Should the menu stay open on phones?')).toBeVisible();
  await panel.getByLabel('New comment').fill('Yes, please keep it open.');
  await panel.getByRole('button', { name: 'Post comment' }).click();

  // Back in In progress for the developer, who is told the client answered.
  await expect(card(column(dev, 'In progress'), title)).toBeVisible();
  await expect(card(column(dev, 'Awaiting reply'), title)).toHaveCount(0);
  const devBell = await bell(dev);
  await expect(devBell.getByRole('link', { name: `Chris Miller answered your question on ${ref}` })).toBeVisible();
  await dev.keyboard.press('Escape');

  // 3. The client waits in the approvals inbox; the developer sends the change.
  await panel.getByRole('button', { name: 'Close' }).click();
  await mainNav(client, 'Approvals').click();
  await expect(client.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
  await expect(row(client, title)).toHaveCount(0);

  await drag(dev, card(dev, title), column(dev, 'Approval').locator('ul.card-list'));
  const send = dev.getByRole('dialog', { name: 'Send for approval' });
  await send.getByLabel('Staging link').fill('https://staging.acme.example.com/menu');
  await send.getByLabel('What should the client check? (optional)').fill('Open the menu on a phone.');
  await send.getByRole('button', { name: 'Send for approval' }).click();
  await expect(card(column(dev, 'Approval'), title)).toContainText('Waiting for approval');

  const item = row(client, title);
  await expect(item).toBeVisible();
  await expect(item).toContainText('Open the menu on a phone.');
  const staging = item.getByRole('link', { name: 'Open staging ↗' });
  await expect(staging).toHaveAttribute('href', 'https://staging.acme.example.com/menu');
  await expect(staging).toHaveAttribute('target', '_blank');
  await expect(staging).toHaveAttribute('rel', /noopener/);

  // 4. The client requests changes; the card is back with the developer.
  await item.getByRole('button', { name: 'Request changes' }).click();
  await item.getByLabel('What should change?').fill('The menu hides the logo.');
  await item.getByRole('button', { name: 'Send request' }).click();
  await expect(item).toHaveCount(0);
  const back = card(column(dev, 'In progress'), title);
  await expect(back).toBeVisible();
  await expect(back).toContainText('Changes requested');

  // 5. Sent again; the client approves it with a deploy day while the
  // developer looks at the deploy list.
  await drag(dev, back, column(dev, 'Approval').locator('ul.card-list'));
  await expect(send.getByLabel('Staging link')).toHaveValue('https://staging.acme.example.com/menu');
  await send.getByRole('button', { name: 'Send for approval' }).click();
  await expect(card(column(dev, 'Approval'), title)).toContainText('Waiting for approval');
  // At 1,280 px a developer's eight links fold into the menu button, so go
  // there directly; the navigation itself is login.spec's.
  await dev.goto('/deploys');
  await expect(dev.getByRole('heading', { level: 1, name: 'Deploys' })).toBeVisible();

  await expect(item).toBeVisible();
  const day = nextDay(MON_THU);
  await item.getByRole('button', { name: 'Approve', exact: true }).click();
  await item.getByLabel('Deploy day (optional)').fill(day);
  await item.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(client.getByRole('status').filter({ hasText: `Approved #${created.number}.` })).toBeVisible();
  await expect(item).toHaveCount(0);

  const deploy = row(dev, title);
  await expect(deploy).toBeVisible();
  await expect(deploy).toContainText('Approved by Chris Miller');

  // 6. The developer deploys it; the client sees it done on their home.
  await mainNav(client, 'Home').click();
  const done = client.getByRole('region', { name: 'Recently done' });
  await expect(done).toBeVisible();
  await expect(row(done, title)).toHaveCount(0);
  // Before the day the client chose, deploying asks first; cancelling
  // changes nothing.
  await deploy.getByRole('button', { name: 'Mark deployed' }).click();
  const early = dev.getByRole('dialog', { name: "Deploy before the client's day?" });
  await expect(early).toContainText('The client chose to have this deployed on');
  await early.getByRole('button', { name: 'Cancel' }).click();
  await expect(early).toBeHidden();
  expect((await api.card(created.id)).status).toBe('approval');
  await deploy.getByRole('button', { name: 'Mark deployed' }).click();
  await early.getByRole('button', { name: 'Mark deployed today' }).click();
  await expect(deploy).toHaveCount(0);
  await expect(row(done, title)).toBeVisible();
  await expect.poll(async () => (await api.card(created.id)).status).toBe('done');
});

test("a client of another company never sees the other's cards", async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const acme = await api.projectId(RELAUNCH);
  const globex = await api.projectId('Customer portal');
  const secret = unique('Acme only');
  const theirs = unique('Globex own');
  const staging = 'https://staging.example.com/';
  await api.createCard(acme, { title: `${secret} question`, status: 'awaiting_reply', question: 'Acme only?' });
  await api.createCard(acme, { title: `${secret} approval`, status: 'approval', staging_url: staging });
  await api.createCard(acme, { title: `${secret} progress`, status: 'in_progress' });
  await api.createCard(globex, { title: `${theirs} approval`, status: 'approval', staging_url: staging });

  const page = await openAs(browser, 'client@globex.example.com');
  // Their own card shows: the lists are loaded when the other is absent.
  await expect(row(page.getByRole('region', { name: 'Needs your approval' }), theirs)).toBeVisible();
  await expect(page.locator('main')).not.toContainText(secret);

  await mainNav(page, 'Approvals').click();
  await expect(row(page, theirs)).toBeVisible();
  await expect(page.locator('main')).not.toContainText(secret);

  const panel = await bell(page);
  await expect(panel.getByRole('link', { name: new RegExp(theirs) })).toBeVisible();
  await expect(panel).not.toContainText(secret);

  // The staff lists are not theirs at all.
  for (const path of ['/deploys', '/waiting', '/admin/settings']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
  }
  expect(await page.content()).not.toContain(secret);
});

test("a manager's approval on the client's behalf shows the reason", async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const title = unique('On behalf');
  const created = await api.createCard(project, {
    title,
    status: 'approval',
    staging_url: 'https://staging.example.com/',
  });

  const pm = await openAs(browser, 'pm@example.com');
  await pm.goto(`/projects/${project}/t/${created.number}`);
  const box = pm.getByRole('dialog').getByRole('region', { name: 'Approval' });
  await expect(box).toContainText('Waiting for approval');
  await expect(box.getByRole('button', { name: 'Request changes' })).toHaveCount(0);
  await box.getByRole('button', { name: "Approve on the client's behalf" }).click();
  const record = box.getByRole('button', { name: 'Record approval' });
  await expect(record).toBeDisabled();
  await box.getByLabel("Why on the client's behalf?").fill('Chris approved it on the phone');
  await record.click();
  const said = 'Approved by Pat Morgan on behalf of the client: Chris approved it on the phone';
  await expect(box).toContainText(said);
  await expect(box.getByRole('button', { name: 'Mark deployed' })).toBeVisible();

  // The client reads the same in the card, and it is on the board as approved.
  const client = await openAs(browser, 'client@acme.example.com');
  await client.goto(`/projects/${project}/t/${created.number}`);
  await expect(client.getByRole('dialog').getByRole('region', { name: 'Approval' })).toContainText(said);
  await expect(card(column(client, 'Approval'), title)).toContainText('Approved · any day');
});

test('a Friday deploy day is warned about before and after, but allowed; hotfixes are exempt', async ({
  browser,
  request,
}) => {
  await setDeployDays(request, MON_THU);
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const normal = await api.createCard(project, {
    title: unique('Friday'),
    status: 'approval',
    staging_url: 'https://staging.example.com/',
  });
  const hotfix = await api.createCard(project, {
    title: unique('Friday hotfix'),
    status: 'approval',
    priority: 'urgent',
    staging_url: 'https://staging.example.com/',
  });
  const friday = nextDay([5]);

  const client = await openAs(browser, 'client@acme.example.com');
  await client.goto(`/projects/${project}/t/${normal.number}`);
  const box = client.getByRole('dialog').getByRole('region', { name: 'Approval' });
  await box.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(box).toContainText('The agency deploys Mon–Thu.');
  await box.getByLabel('Deploy day (optional)').fill(friday);
  await expect(box.getByText('Friday is outside the deploy window (Mon–Thu). You can still choose it.')).toBeVisible();
  await box.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(box.getByText(/^Approved\. Friday is outside the deploy window/)).toBeVisible();
  await expect(box).toContainText('Approved by Chris Miller');
  expect((await api.card(normal.id)).status).toBe('approval');

  await client.goto(`/projects/${project}/t/${hotfix.number}`);
  await box.getByRole('button', { name: 'Approve', exact: true }).click();
  await box.getByLabel('Deploy day (optional)').fill(friday);
  await expect(box.getByText(/outside the deploy window/)).toHaveCount(0);
  await box.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(box).toContainText('Approved by Chris Miller');
  await expect(box.getByText(/outside the deploy window/)).toHaveCount(0);
});

test('the settings change the deploy window; managers may only read them', async ({ browser, request }) => {
  await setDeployDays(request, MON_THU);
  try {
    const pm = await openAs(browser, 'pm@example.com');
    await pm.getByRole('button', { name: /Account menu/ }).click();
    await pm.getByRole('link', { name: 'Agency settings' }).click();
    await expect(pm.getByRole('heading', { level: 1, name: 'Agency settings' })).toBeVisible();
    const window_ = pm.getByRole('group', { name: 'Deploy window' });
    await expect(window_.getByLabel('Thursday')).toBeChecked();
    await expect(window_.getByLabel('Thursday')).toBeDisabled();
    await expect(pm.getByRole('button', { name: 'Save settings' })).toHaveCount(0);

    const admin = await openAs(browser, 'admin@example.com');
    await admin.goto('/admin/settings');
    const days = admin.getByRole('group', { name: 'Deploy window' });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday']) await days.getByLabel(day).uncheck();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByText('Pick at least one deploy day.')).toBeVisible();
    await admin.getByLabel('Buffer for urgent work (%)').fill('95');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await days.getByLabel(day).check();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByText('Enter a percentage between 0 and 90.')).toBeVisible();
    await admin.getByLabel('Buffer for urgent work (%)').fill('20');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByText('Saved. Deploy window: Mon–Fri.')).toBeVisible();

    // A Friday is now inside the window.
    const api = await Api.as(request, 'pm@example.com');
    const project = await api.projectId(RELAUNCH);
    const created = await api.createCard(project, {
      title: unique('Friday ok'),
      status: 'approval',
      staging_url: 'https://staging.example.com/',
    });
    const client = await openAs(browser, 'client@acme.example.com');
    await client.goto(`/projects/${project}/t/${created.number}`);
    const box = client.getByRole('dialog').getByRole('region', { name: 'Approval' });
    await box.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(box).toContainText('The agency deploys Mon–Fri.');
    await box.getByLabel('Deploy day (optional)').fill(nextDay([5]));
    await expect(box.getByText(/outside the deploy window/)).toHaveCount(0);
  } finally {
    await setDeployDays(request, MON_THU);
  }
});

test('the waiting list shows every question oldest first, live', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const dana = await api.userIdOf('dev1@example.com');
  const pm = await openAs(browser, 'pm@example.com');
  await openSection(pm, 'Clients', 'Waiting');
  await expect(pm.getByRole('heading', { level: 1, name: 'Waiting on clients' })).toBeVisible();

  const title = unique('Still waiting');
  const created = await api.createCard(project, { title, status: 'in_progress', assignee_id: dana });
  await api.call('POST', `/api/tasks/${created.id}/move`, {
    version: created.version,
    status: 'awaiting_reply',
    question: 'Which font?',
  });
  const item = row(pm, title);
  await expect(item).toBeVisible();
  await expect(item).toContainText('0 min');
  await expect(item).toContainText(`${RELAUNCH} · Acme`);
  // Oldest first: the new one is last.
  await expect(pm.locator('li.row').last()).toContainText(title);

  await item.getByRole('link', { name: new RegExp(title) }).click();
  await expect(pm).toHaveURL(new RegExp(`/projects/${project}/t/${created.number}$`));
});

test('an approval given meanwhile is shown instead of approving twice', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const project = await api.projectId(RELAUNCH);
  const created = await api.createCard(project, {
    title: unique('Twice'),
    status: 'approval',
    staging_url: 'https://staging.example.com/',
  });

  const client = await openAs(browser, 'client@acme.example.com');
  // Without the socket the client does not hear of the manager's approval.
  await client.context().routeWebSocket(/\/api\/ws$/, () => {});
  await client.goto(`/projects/${project}/t/${created.number}`);
  const box = client.getByRole('dialog').getByRole('region', { name: 'Approval' });
  await box.getByRole('button', { name: 'Approve', exact: true }).click();

  await api.call('POST', `/api/tasks/${created.id}/approve`, {
    version: created.version,
    reason: 'Approved at the workshop',
  });
  await box.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(box.getByRole('alert')).toHaveText('Not saved: the card changed meanwhile and is approved.');
  await expect(box).toContainText('Approved by Pat Morgan on behalf of the client: Approved at the workshop');
  await expect(box.getByRole('button', { name: 'Confirm approval' })).toHaveCount(0);
});

test('the bell counts what is unread, marks it read, and rings live', async ({ browser, request }) => {
  const api = await Api.as(request, 'pm@example.com');
  const portal = await api.projectId('Customer portal');
  const first = unique('Bell one');
  await api.createCard(portal, { title: first, status: 'awaiting_reply', question: 'First?' });

  const page = await openAs(browser, 'client@globex.example.com');
  await expect(page.getByRole('button', { name: /^Notifications, \d+ unread$/ })).toBeVisible();
  const panel = await bell(page);
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();

  // A new one arrives while the page is open.
  const second = unique('Bell two');
  const created = await api.createCard(portal, { title: second, status: 'awaiting_reply', question: 'Second?' });
  await expect(page.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
  const again = await bell(page);
  const note = again.getByRole('link', { name: `Pat Morgan asked you a question on #${created.number} ${second}` });
  await expect(note).toContainText('(unread)');
  await expect(again.getByRole('link', { name: new RegExp(first) })).not.toContainText('(unread)');
  await note.click();
  await expect(page).toHaveURL(new RegExp(`/projects/${portal}/t/${created.number}$`));
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
});
