// Shared steps of the browser tests: signing in (in the browser and for
// API calls), finding columns and cards, and making the cards a test needs.
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type Locator,
  type Page,
  type WebSocketRoute,
} from '@playwright/test';

/** Every spec's `test`. After each test it closes the browser contexts the
 * test opened with `openAs`: Playwright closes only the contexts it made
 * itself, and with one worker the pages of earlier tests would pile up,
 * keep their sockets and timers running, and slow every later test (each
 * new test also started tracing all of them). */
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((c) => c.close()));
    },
    { auto: true },
  ],
});

export const PASSWORD = 'doska-demo';

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A new browser context signed in as `email`, with its page. The page
 * fails the test on any JavaScript dialog (an XSS would open one). */
export async function openAs(
  browser: Browser,
  email: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  page.on('dialog', (d) => {
    throw new Error(`unexpected dialog: ${d.type()} ${d.message()}`);
  });
  await signIn(page, email);
  await expect(page).toHaveURL(/\/$/);
  return page;
}

export interface Card {
  id: number;
  number: number;
  project_id: number;
  title: string;
  status: string;
  version: number;
  assignee_id: number | null;
  comment_count: number;
}

/** The API as one user, with a bearer token from a fresh sign-in. */
export class Api {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
    readonly userId: number,
  ) {}

  static async as(request: APIRequestContext, email: string): Promise<Api> {
    const res = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
    expect(res.status(), `login ${email}`).toBe(200);
    const s = (await res.json()) as { access_token: string; user: { id: number } };
    return new Api(request, s.access_token, s.user.id);
  }

  async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, data?: unknown): Promise<T> {
    const res = await this.request.fetch(path, {
      method,
      headers: { Authorization: `Bearer ${this.token}` },
      data,
    });
    expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  }

  /** The status of a GET, to check who may read what. */
  async status(path: string): Promise<number> {
    const res = await this.request.get(path, { headers: { Authorization: `Bearer ${this.token}` } });
    return res.status();
  }

  /** The status of a POST, to check what the server refuses. */
  async postStatus(path: string, data: unknown): Promise<number> {
    const res = await this.request.post(path, { headers: { Authorization: `Bearer ${this.token}` }, data });
    return res.status();
  }

  /** The status and body of any call, to check what the server refuses. */
  async send(method: 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<{ status: number; body: string }> {
    const res = await this.request.fetch(path, { method, headers: { Authorization: `Bearer ${this.token}` }, data });
    return { status: res.status(), body: await res.text() };
  }

  async projectId(name: string): Promise<number> {
    const list = await this.call<{ id: number; name: string }[]>('GET', '/api/projects');
    const p = list.find((x) => x.name === name);
    if (!p) throw new Error(`no project ${name}`);
    return p.id;
  }

  async userIdOf(email: string): Promise<number> {
    const users = await this.call<{ id: number; email: string }[]>('GET', '/api/users');
    const u = users.find((x) => x.email === email);
    if (!u) throw new Error(`no user ${email}`);
    return u.id;
  }

  createCard(projectId: number, fields: Record<string, unknown>): Promise<Card> {
    return this.call<Card>('POST', `/api/projects/${projectId}/tasks`, fields);
  }

  card(id: number): Promise<Card> {
    return this.call<Card>('GET', `/api/tasks/${id}`);
  }
}

/** Routes the page's sockets to handler from now on. The page first leaves
 * the home page openAs landed on: that page may still be opening its socket,
 * which would then be routed too and count as one more of the page under
 * test. */
export async function routeSockets(page: Page, handler: (ws: WebSocketRoute) => void): Promise<void> {
  await page.goto('about:blank');
  await page.context().routeWebSocket(/\/api\/ws$/, handler);
}

/** A title no other test (or earlier run) uses. */
/** Opens a page from the top bar as a user does: the section's link in the
 * main navigation (or the menu button's, when the links are folded), then
 * the page's link in the row of the section's pages. */
export async function openSection(page: Page, section: string, sub?: string): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click();
  await page
    .getByRole('navigation', { name: 'Main' })
    .filter({ visible: true })
    .getByRole('link', { name: section, exact: true })
    .click();
  if (sub) await page.getByRole('navigation', { name: section }).getByRole('link', { name: sub, exact: true }).click();
}

export function unique(what: string): string {
  return `${what} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** A column of the project board by its label. */
export function column(page: Page, label: string): Locator {
  return page.locator('section.column').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
}

/** A card on a board (the draggable list item) by its title. */
export function card(scope: Page | Locator, title: string): Locator {
  return scope.locator('li[data-card-number]').filter({ hasText: title });
}

/** Scrolls an element to the middle of the screen unless its middle is
 * already on screen and not covered (by a sticky column, say). */
async function reveal(el: Locator): Promise<void> {
  await el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 48));
    if (!hit || !node.contains(hit)) node.scrollIntoView({ block: 'center', inline: 'center' });
  });
}

/** How far from the window's top and bottom a held card must be: nearer, the
 * board scrolls the page under it (board/dnd.ts, 80 px), and the card would
 * be dropped wherever the page had scrolled to. */
const EDGE_PX = 120;

/** The box of el after scrolling the window, if need be, so that the point
 * at(box) pixels below its top is clear of the edges where a held card
 * scrolls the page. */
async function clearOfEdges(page: Page, el: Locator, at: (box: Box) => number): Promise<Box> {
  const b = await el.boundingBox();
  if (!b) throw new Error('drag: not visible');
  const height = page.viewportSize()!.height;
  const y = b.y + at(b);
  if (y >= EDGE_PX && y <= height - EDGE_PX) return b;
  await page.evaluate((by) => window.scrollBy(0, by), y - height / 2);
  const after = await el.boundingBox();
  if (!after) throw new Error('drag: not visible');
  return after;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Drags with the mouse, in small steps as a person would, so the drag
 * library sees the card leave its list and enter the other one. The page
 * (or a scrolling row of columns) scrolls to the target during the drag
 * when it is off screen or covered. */
export async function drag(page: Page, from: Locator, to: Locator, yOffset = 24): Promise<void> {
  await reveal(from);
  const a = await clearOfEdges(page, from, (box) => box.height / 2);
  const sx = a.x + a.width / 2;
  const sy = a.y + a.height / 2;
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  await page.mouse.move(sx + 8, sy + 8, { steps: 4 });
  await reveal(to);
  const b = await clearOfEdges(page, to, () => yOffset);
  await page.mouse.move(b.x + b.width / 2, b.y + yOffset, { steps: 20 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

/** Pastes a freshly drawn PNG into the focused element, as the system
 * clipboard would hand a screenshot over (no file name). */
export async function pasteScreenshot(page: Page, colour: string): Promise<void> {
  await page.evaluate(async (fill) => {
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 500;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, 800, 500);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], '', { type: 'image/png' }));
    document.activeElement!.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, colour);
}
