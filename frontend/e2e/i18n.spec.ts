// Languages: the sign-in page follows the browser, a user's choice in the
// settings switches every text at once and survives a reload; a client's
// whole approval in Polish, scanned for English; a live board shared in two
// languages; layout in the longer languages; the board's screenshots for
// the README.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { Api, card, column, drag, openAs, signIn, test } from './helpers';

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

// ---- Whole journeys in another language -------------------------------

type Catalog = Record<string, unknown>;
const catalogDir = path.resolve(import.meta.dirname, '..', 'messages');
const catalogs = Object.fromEntries(
  ['en', 'pl', 'ru', 'ja'].map((l) => [
    l,
    JSON.parse(readFileSync(path.join(catalogDir, `${l}.json`), 'utf8')) as Catalog,
  ]),
);

/** Every text of a message: a plain one, or each form of a plural one. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') {
    const v = value as { match?: Record<string, string> };
    return v.match ? Object.values(v.match) : [];
  }
  return [];
}

/** The words (4+ letters) of some text, lower-cased; `{param}`s and URLs left out. */
function words(text: string): Set<string> {
  const plain = text.replace(/\{[^}]*\}/g, ' ').replace(/\bhttps?:\/\/\S+/g, ' ');
  return new Set([...plain.matchAll(/\p{L}{4,}/gu)].map((w) => w[0].toLowerCase()));
}

/** Names that are the same in every language (the product's, people's). */
const NAMES = new Set(['doska', 'acme', 'globex', 'kanban', 'markdown', 'staging', 'github', 'gitlab', 'slack']);

/** English words of the catalog that no Polish text uses: any of them on a
 * Polish screen is a string that slipped through. */
const englishOnly = (() => {
  const polish = new Set(
    Object.entries(catalogs.pl!).flatMap(([k, v]) => (k.startsWith('$') ? [] : texts(v).flatMap((t) => [...words(t)]))),
  );
  const english = Object.entries(catalogs.en!).flatMap(([k, v]) =>
    k.startsWith('$') ? [] : texts(v).flatMap((t) => [...words(t)]),
  );
  return new Set(english.filter((w) => !polish.has(w) && !NAMES.has(w)));
})();

/** The text of a message in one language, found by its English text (the
 * specs read English; this finds the same button in another language). */
function inLanguage(locale: string, english: string): string {
  const key = Object.keys(catalogs.en!).find((k) => catalogs.en![k] === english);
  const text = key && catalogs[locale]![key];
  if (typeof text !== 'string') throw new Error(`no message "${english}" in messages/${locale}.json`);
  return text;
}

/** Records the words of what the server sent (card titles, names: people's
 * content, in whatever language they wrote it), to tell them from the app's. */
function contentWords(page: Page): Set<string> {
  const seen = new Set<string>();
  const collect = (v: unknown): void => {
    // Wire values ("approval", "client") and paths ("/approvals") are the
    // app's words, not people's.
    if (typeof v === 'string') {
      if (!/^([a-z][a-z0-9_]*|\/.*)$/.test(v)) for (const w of words(v)) seen.add(w);
    } else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  page.on('response', async (res) => {
    if (!res.ok() || !res.url().includes('/api/') || !(res.headers()['content-type'] ?? '').includes('json')) return;
    collect(await res.json().catch(() => null));
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string') {
        try {
          collect(JSON.parse(f.payload));
        } catch {
          // not JSON: nothing to learn
        }
      }
    }),
  );
  return seen;
}

/** Fails on any English catalog word in the page's text or its labels (softly:
 * the test goes on, so one run names every screen's slips). */
async function expectNoEnglish(page: Page, screen: string, content: Set<string>): Promise<void> {
  const shown = await page.evaluate(() => {
    const labels = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.title, document.body.innerText, ...labels].join('\n');
  });
  const english = [...words(shown)].filter((w) => englishOnly.has(w) && !content.has(w));
  expect.soft(english, `English words on the ${screen} screen`).toEqual([]);
}

test("Acme's client switches to Polish and approves a change, all in Polish", async ({ browser, request }) => {
  test.setTimeout(60_000);
  const client = await Api.as(request, 'client@acme.example.com');
  const pm = await Api.as(request, 'pm@example.com');
  const project = await pm.projectId('Website relaunch');
  const title = `Nowe menu ${Date.now().toString(36)}`;
  const created = await pm.createCard(project, {
    title,
    status: 'approval',
    staging_url: 'https://staging.acme.example.com/menu',
  });

  const page = await openAs(browser, 'client@acme.example.com');
  const content = contentWords(page);
  try {
    await page.goto('/settings');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('pl');
    await expect(page.getByRole('heading', { level: 1, name: 'Ustawienia' })).toBeVisible();
    await expectNoEnglish(page, 'settings', content);

    await page.goto('/');
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.getByText(title).first()).toBeVisible();
    await expectNoEnglish(page, 'home', content);

    await page.goto(`/projects/${project}`);
    await expect(page.locator('li[data-card-number]').filter({ hasText: title })).toBeVisible({ timeout: 15_000 });
    await expectNoEnglish(page, 'board', content);

    await page.goto('/approvals');
    const item = page.locator('li.row').filter({ hasText: title });
    await expect(item).toBeVisible();
    await expectNoEnglish(page, 'approvals', content);

    await item.getByRole('button', { name: inLanguage('pl', 'Approve'), exact: true }).click();
    await expect(item.getByRole('button', { name: inLanguage('pl', 'Confirm approval') })).toBeVisible();
    await expectNoEnglish(page, 'approval form', content);
    await item.getByRole('button', { name: inLanguage('pl', 'Confirm approval') }).click();
    await expect(item).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: `#${created.number}` })).toBeVisible();
    await expectNoEnglish(page, 'approved', content);
    expect((await pm.card(created.id)).status).toBe('approval');
  } finally {
    // Back to English for the other specs that sign in as this user.
    await client.call('PATCH', '/api/me', { locale: 'en' });
  }
});

test('a Russian-speaking developer and an English-speaking PM share a live board, each in their language', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const dev = await Api.as(request, 'dev1@example.com');
  const pm = await Api.as(request, 'pm@example.com');
  await dev.call('PATCH', '/api/me', { locale: 'ru' });
  await pm.call('PATCH', '/api/me', { locale: 'en' });
  try {
    const project = await pm.projectId('Online shop');
    const title = `Live ${Date.now().toString(36)}`;
    await pm.createCard(project, { title, status: 'set' });

    const pmPage = await openAs(browser, 'pm@example.com');
    const devPage = await openAs(browser, 'dev1@example.com');
    await expect(devPage.locator('html')).toHaveAttribute('lang', 'ru');
    for (const [page, set] of [
      [pmPage, 'Set'],
      [devPage, 'Поставлено'],
    ] as const) {
      await page.goto(`/projects/${project}`);
      // The board's code loads on the first visit; two browsers share the machine.
      await expect(card(column(page, set), title)).toBeVisible({ timeout: 15_000 });
    }
    await expect(column(devPage, 'В работе')).toBeVisible();
    await expect(column(devPage, 'Ждёт ответа')).toBeVisible();
    await expect(column(devPage, 'На согласовании')).toBeVisible();
    await expect(column(devPage, 'Завершено')).toBeVisible();
    await expect(column(pmPage, 'In progress')).toBeVisible();

    // The PM moves it; the developer sees it move, in Russian.
    await drag(pmPage, card(pmPage, title), column(pmPage, 'In progress').locator('ul.card-list'));
    await expect(card(column(devPage, 'В работе'), title)).toBeVisible();
    await expect(card(column(devPage, 'Поставлено'), title)).toHaveCount(0);

    // The developer moves it back; the PM sees it, in English.
    await drag(devPage, card(devPage, title), column(devPage, 'Поставлено').locator('ul.card-list'));
    await expect(card(column(pmPage, 'Set'), title)).toBeVisible();
    await expect(card(column(pmPage, 'In progress'), title)).toHaveCount(0);
    await expect(pmPage.locator('html')).toHaveAttribute('lang', 'en');
  } finally {
    await dev.call('PATCH', '/api/me', { locale: 'en' });
  }
});

// What breaks a layout in a longer language, found on the page: the page
// scrolling sideways, a menu link on two lines, a list whose chosen text is
// cut, a badge sticking out of its card, a column total on two lines.
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`page is ${doc.scrollWidth}px wide in ${window.innerWidth}px`);
    const nav = document.querySelector<HTMLElement>('.main-nav');
    if (nav && nav.checkVisibility({ visibilityProperty: true }) && nav.scrollWidth > nav.clientWidth) {
      out.push(`menu needs ${nav.scrollWidth}px, has ${nav.clientWidth}px`);
    }
    const ctx = document.createElement('canvas').getContext('2d')!;
    for (const select of document.querySelectorAll('select')) {
      if (!select.checkVisibility()) continue;
      const style = getComputedStyle(select);
      ctx.font = style.font;
      const text = select.selectedOptions[0]?.text ?? '';
      // The arrow sits in the right padding.
      const need = ctx.measureText(text).width + parseFloat(style.paddingLeft) + 20;
      if (need > select.clientWidth) out.push(`list "${text}" needs ${Math.ceil(need)}px, has ${select.clientWidth}px`);
    }
    for (const badge of document.querySelectorAll('.card .prio, .card .kind')) {
      const c = badge.closest('.card')!.getBoundingClientRect();
      const b = badge.getBoundingClientRect();
      if (b.right > c.right + 0.5) out.push(`"${badge.textContent?.trim()}" sticks out of its card`);
    }
    for (const total of document.querySelectorAll<HTMLElement>('.head .hours, .head .count')) {
      const lineHeight = parseFloat(getComputedStyle(total).fontSize) * 1.8;
      if (total.getBoundingClientRect().height > lineHeight) out.push(`"${total.textContent?.trim()}" wraps`);
    }
    return out;
  });
}

test('the board, planning and the time report hold their layout in Polish, Russian and Japanese, on a phone and a laptop', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const pm = await Api.as(request, 'pm@example.com');
  const shop = await pm.projectId('Online shop');
  try {
    for (const locale of ['pl', 'ru', 'ja']) {
      await pm.call('PATCH', '/api/me', { locale });
      for (const width of [390, 1280]) {
        const page = await openAs(browser, 'pm@example.com', { width, height: 800 });
        for (const [where, ready] of [
          [`/projects/${shop}`, '.card'],
          ['/planning', '.card'],
          ['/reports', '[data-testid=report]'],
        ]) {
          await page.goto(where);
          await expect(page.locator('html')).toHaveAttribute('lang', locale);
          await expect(page.locator(ready).first()).toBeVisible({ timeout: 15_000 });
          // Polled: the menu settles after a measure or two.
          await expect.poll(() => layoutProblems(page), { message: `${locale} ${width}px ${where}` }).toEqual([]);
        }
        await page.context().close();
      }
    }
  } finally {
    await pm.call('PATCH', '/api/me', { locale: 'en' });
  }
});

// `npm run screenshots` writes docs/board-<locale>.png, the board in each
// language, for the README; the normal run skips it.
test('screenshots of the Online shop board in every language', async ({ browser, request }) => {
  test.skip(!process.env.DOSKA_SCREENSHOTS, 'set DOSKA_SCREENSHOTS=1 (npm run screenshots)');
  test.setTimeout(120_000);
  const pm = await Api.as(request, 'pm@example.com');
  const project = await pm.projectId('Online shop');
  try {
    for (const locale of ['en', 'pl', 'ru', 'ja']) {
      await pm.call('PATCH', '/api/me', { locale });
      const page = await openAs(browser, 'pm@example.com', { width: 1280, height: 800 });
      await page.goto(`/projects/${project}`);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.locator('li[data-card-number]').first()).toBeVisible({ timeout: 15_000 });
      await page.screenshot({ path: path.resolve(import.meta.dirname, '..', '..', 'docs', `board-${locale}.png`) });
      await page.context().close();
    }
  } finally {
    await pm.call('PATCH', '/api/me', { locale: 'en' });
  }
});
