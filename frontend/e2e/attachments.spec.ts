// Attachments against the real server: a screenshot pasted into a comment
// becomes a thumbnail with a keyboard viewer and reaches the client's open
// card live, another client's user cannot open its address, and the card with its files passes the axe scan at
// desktop and phone width.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { Api, openAs, pasteScreenshot, test, unique } from './helpers';

const SHOP = 'Online shop';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function noViolations(page: Page, what: string): Promise<void> {
  await page.waitForTimeout(250);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = violations.map(
    (v) => `${what}: ${v.id} ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`a pasted screenshot shows as a thumbnail with a viewer; Globex cannot open it (${viewport.width} px)`, async ({
    browser,
    request,
  }) => {
    // Two browsers, three sign-ins and two axe scans.
    test.setTimeout(120_000);
    const pm = await Api.as(request, 'pm@example.com');
    const project = await pm.projectId(SHOP);
    const created = await pm.createCard(project, { title: unique('Checkout button missing on Safari') });

    // Acme's client has the card open: the files arrive live.
    const client = await openAs(browser, 'client@acme.example.com', viewport);
    await client.goto(`/projects/${project}/t/${created.number}`);
    await expect(client.getByRole('textbox', { name: 'New comment' })).toBeVisible({ timeout: 15_000 });

    const page = await openAs(browser, 'dev2@example.com', viewport);
    await page.goto(`/projects/${project}/t/${created.number}`);
    const box = page.getByRole('textbox', { name: 'New comment' });
    await box.click();
    await pasteScreenshot(page, '#c0392b');
    await pasteScreenshot(page, '#2471a3');
    const toSend = page.getByRole('list', { name: 'Files to send with the comment' });
    await expect(toSend.getByRole('button', { name: /^Open screenshot-.*\.png$/ })).toHaveCount(2);
    await expect(toSend.locator('img')).toHaveCount(2);
    await box.fill('The button is gone on iOS 17, see the screenshots');
    await page.getByRole('button', { name: 'Post comment' }).click();

    const sent = page.getByRole('list', { name: /^Files from / });
    await expect(sent.locator('img')).toHaveCount(2);
    await expect(toSend).toHaveCount(0);
    await expect(client.getByRole('list', { name: /^Files from / }).locator('img')).toHaveCount(2);

    // The viewer: the keyboard opens it, arrows go between images, Escape
    // closes it and gives focus back.
    const first = sent.getByRole('button', { name: /^Open / }).first();
    await first.focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog', { name: /^screenshot-.*\.png$/ });
    await expect(viewer).toBeVisible();
    await expect(viewer.getByRole('img')).toBeVisible();
    await expect(viewer.getByText('1 of 2')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(viewer.getByText('2 of 2')).toBeVisible();
    await noViolations(page, 'image viewer');
    await page.keyboard.press('Escape');
    await expect(viewer).toHaveCount(0);
    await expect(first).toBeFocused();
    await noViolations(page, 'card with files');

    // The file's address, as the API gives it to people who may read it.
    const comments = await pm.call<{ attachments: { id: number; image: boolean }[] }[]>(
      'GET',
      `/api/tasks/${created.id}/comments`,
    );
    const files = comments.flatMap((c) => c.attachments);
    expect(files).toHaveLength(2);
    const url = `/api/attachments/${files[0]!.id}`;
    for (const [who, want] of [
      ['client@acme.example.com', 200],
      ['client@globex.example.com', 404],
    ] as const) {
      const api = await Api.as(request, who);
      for (const path of [url, `${url}/thumbnail`]) {
        expect(await api.status(path), `${who} GET ${path}`).toBe(want);
      }
    }
    await page.context().close();
    await client.context().close();
  });
}

test('a comment posted while its screenshot is still uploading waits for it and carries it', async ({
  browser,
  request,
}) => {
  const pm = await Api.as(request, 'pm@example.com');
  const project = await pm.projectId(SHOP);
  const created = await pm.createCard(project, { title: unique('Slow upload') });
  const page = await openAs(browser, 'dev2@example.com');
  // The upload is held on its way until the comment has been posted.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/tasks\/\d+\/attachments\?/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/projects/${project}/t/${created.number}`);
  const box = page.getByRole('textbox', { name: 'New comment' });
  await box.click();
  await pasteScreenshot(page, '#1e8449');
  await box.fill('Screenshot of the slow page');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('button', { name: 'Posting…' })).toBeDisabled();
  release();

  await expect(page.getByRole('list', { name: /^Files from / }).locator('img')).toHaveCount(1);
  const comments = await pm.call<{ body: string; attachments: unknown[] }[]>(
    'GET',
    `/api/tasks/${created.id}/comments`,
  );
  expect(comments.map((c) => [c.body, c.attachments.length])).toEqual([['Screenshot of the slow page', 1]]);
});
