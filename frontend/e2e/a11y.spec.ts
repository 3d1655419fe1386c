// Every screen passes an axe-core WCAG 2.1 A/AA scan with no violations and
// does not scroll sideways: each page as each role that can open it, at
// desktop and at phone width, and the dialogs and menus that open over them. A failure lists each
// violation's rule, the elements it found and what axe says to do.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { Api, card, column, openAs, test } from './helpers';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SITE = 'Website relaunch';
const HERO = 'Home page hero with the new claim';

type Role = 'admin' | 'pm' | 'dev' | 'client';
const EMAIL: Record<Role, string> = {
  admin: 'admin@example.com',
  pm: 'pm@example.com',
  dev: 'dev1@example.com',
  client: 'client@acme.example.com',
};

/** What the pages need from the demo data, read once through the API. */
interface Demo {
  project: number;
  hero: number;
  client: number;
  /** Acme's coming workshop and its last one, published. */
  workshop: number;
  summary: number;
  /** Acme's statements: an issued one (of a month with no time, so that it
   * locks no entry other specs change) and a draft of the demo's time. */
  issued: number;
  draft: number;
}
let demo: Demo;

test.beforeAll(async ({ request }) => {
  const api = await Api.as(request, EMAIL.pm);
  const project = await api.projectId(SITE);
  const board = await api.call<{ tasks: { number: number; title: string }[] }>('GET', `/api/projects/${project}/board`);
  const clients = await api.call<{ id: number; name: string }[]>('GET', '/api/clients');
  const client = clients.find((c) => c.name === 'Acme')!.id;
  const workshops = await api.call<{ id: number; state: string }[]>('GET', `/api/workshops?client_id=${client}`);
  // A pending invitation, for the manager's revoke confirmation.
  await api.call('POST', '/api/invitations', { email: `axe-pending-${Date.now()}@example.com`, role: 'developer' });
  const ago = new Date(Date.now() - 7 * 86_400_000);
  const month = `${ago.getUTCFullYear()}-${String(ago.getUTCMonth() + 1).padStart(2, '0')}`;
  const empty = await api.call<{ id: number }>('POST', `/api/clients/${client}/statements`, {
    from: '2020-01-01',
    to: '2020-01-31',
  });
  await api.call('POST', `/api/statements/${empty.id}/issue`);
  const draft = await api.call<{ id: number }>('POST', `/api/clients/${client}/statements`, {
    from: `${month}-01`,
    to: `${month}-28`,
  });
  demo = {
    issued: empty.id,
    draft: draft.id,
    project,
    hero: board.tasks.find((c) => c.title === HERO)!.number,
    client,
    workshop: workshops.find((w) => w.state === 'draft')!.id,
    summary: workshops.find((w) => w.state === 'published')!.id,
  };
});

/** Collects the violations of a run, so one test reports every page. */
class Scanner {
  readonly found: string[] = [];
  constructor(
    readonly page: Page,
    readonly who: string,
  ) {}

  async scan(what: string): Promise<void> {
    // Colour-contrast is judged on the final colours: let transitions end.
    await this.page.waitForTimeout(250);
    // Reflow (WCAG 1.4.10): no sideways scrolling, which axe cannot see.
    const wider = await this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wider > 0) this.found.push(`${this.who} ${what}: the page scrolls sideways, ${wider} px wider than the window`);
    const { violations } = await new AxeBuilder({ page: this.page }).withTags(TAGS).analyze();
    for (const v of violations) {
      const targets = v.nodes.map(
        (n) => `      ${n.target.join(' ')}${n.failureSummary ? ` — ${firstLine(n.failureSummary)}` : ''}`,
      );
      this.found.push(`${this.who} ${what}: ${v.id} (${v.impact}) ${v.help}\n${targets.join('\n')}`);
    }
  }

  /** Opens `path` and scans it once its content has loaded. */
  async visit(path: string, what = path): Promise<void> {
    await this.page.goto(path);
    await settled(this.page);
    await this.scan(what);
  }

  report(): void {
    if (this.found.length) console.log(this.found.join('\n'));
    expect(this.found, this.found.join('\n')).toEqual([]);
  }
}

function firstLine(summary: string): string {
  return summary.split('\n').slice(0, 2).join(' ').replace(/\s+/g, ' ');
}

/** The page shows its heading and nothing is loading any more. */
async function settled(page: Page): Promise<void> {
  // Generous waits: on a busy machine a page can take seconds to load.
  await expect(page.locator('h1').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.loading')).toHaveCount(0, { timeout: 30_000 });
}

async function dialog(page: Page, open: Locator, s: Scanner, what: string): Promise<void> {
  await open.click();
  await expect(page.getByRole('dialog').last()).toBeVisible();
  await s.scan(what);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

async function signedIn(browser: Browser, role: Role, viewport: typeof DESKTOP): Promise<Scanner> {
  const page = await openAs(browser, EMAIL[role], viewport);
  return new Scanner(page, `${role}@${viewport.width}`);
}

/** The pages every signed-in role shares, and the menus of the shell. */
async function common(s: Scanner, phone: boolean): Promise<void> {
  const { page } = s;
  await s.visit('/', 'home');
  if (phone) {
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await s.scan('home, menu open');
    await page.keyboard.press('Escape');
  }
  await page.getByRole('button', { name: 'Account menu' }).click();
  await s.scan('home, account menu open');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Notifications/ }).click();
  await s.scan('home, notifications open');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('combobox', { name: 'Search or jump to' })).toBeFocused({ timeout: 15_000 });
  await page.keyboard.type('shop');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await s.scan('home, command palette');
  await page.keyboard.press('Escape');

  await s.visit('/projects');
  await s.visit(`/projects/${demo.project}`, 'board');
  await s.visit(`/projects/${demo.project}/t/${demo.hero}`, 'card panel');
  await s.visit('/approvals');
  await s.visit('/settings');
  await s.visit('/search?q=shop', 'search page');
  await s.visit('/no-such-page', 'not found');
}

async function staff(s: Scanner): Promise<void> {
  await timeScreens(s);
  await s.visit('/team');
  await s.visit('/planning');
  await s.visit('/this-week');
  await s.visit('/deploys');
  await s.visit('/waiting');
  await s.visit('/clients');
  await s.visit(`/clients/${demo.client}`, 'client page');
  await s.visit('/workshops');
  await s.visit(`/workshops/${demo.summary}`, 'published workshop');
  await s.visit(`/clients/${demo.client}/overview`, 'client overview');
  const page = s.page;
  await page.goto('/planning');
  await settled(page);
  await page.getByRole('link', { name: 'Report' }).click();
  await settled(page);
  await s.scan('sprint report');
}

/** The running timer in the top bar and the card's time, then the week's
 * timesheet with the stopped entry in it. */
async function timeScreens(s: Scanner): Promise<void> {
  const { page } = s;
  await s.visit(`/projects/${demo.project}/t/${demo.hero}`, 'card panel');
  await page.getByRole('dialog').getByRole('button', { name: 'Start timer' }).click();
  await expect(page.getByTestId('top-timer')).toBeVisible();
  await s.scan('card panel, timer running');
  await s.visit('/timesheet', 'timesheet, timer running');
  await page.getByTestId('top-timer').getByRole('button').click();
  await expect(page.getByTestId('top-timer')).toBeHidden();
  await s.visit('/timesheet', 'timesheet');
  await s.visit('/reports', 'time report');
  await expect(page.getByTestId('report')).toBeVisible();
}

async function manager(s: Scanner): Promise<void> {
  const { page } = s;
  await s.visit('/admin/users');
  await dialog(page, page.getByRole('button', { name: 'Invite someone' }), s, 'invite dialog');
  // A manager revokes invitations; only an administrator deactivates people.
  await dialog(page, page.getByRole('button', { name: /^Revoke the invitation/ }).first(), s, 'confirm dialog');
  await s.visit('/admin/settings');
  await s.visit(`/clients/${demo.client}/sla`, 'SLA report');
  await s.visit(`/clients/${demo.client}/statements`, 'statements');
  await s.visit(`/statements/${demo.draft}`, 'draft statement');
  await dialog(page, page.getByRole('button', { name: 'Issue statement' }), s, 'issue statement confirm');
  await page.getByRole('button', { name: 'Edit wording' }).first().click();
  await s.scan('draft statement, wording open');
  await s.visit('/triage');
  await dialog(page, page.getByRole('button', { name: 'Pick up' }).first(), s, 'pick-up dialog');
  await dialog(page, page.getByRole('button', { name: 'Escalate' }).first(), s, 'escalate dialog');
  await s.visit('/clients');
  await dialog(page, page.getByRole('button', { name: 'Archive Acme' }), s, 'client archive confirm');
  await s.visit(`/clients/${demo.client}`, 'client page, hour packages');
  await dialog(page, page.getByRole('button', { name: 'Add package' }), s, 'new hour package dialog');

  await s.visit('/projects');
  await dialog(page, page.getByRole('button', { name: 'New project' }).first(), s, 'new project dialog');

  await s.visit(`/workshops/${demo.workshop}`, 'workshop agenda');
  await dialog(page, page.getByRole('button', { name: 'Turn notes into cards' }), s, 'notes into cards dialog');

  await s.visit(`/projects/${demo.project}`, 'board');
  await dialog(page, page.getByRole('button', { name: 'Members' }), s, 'members dialog');
  await dialog(page, page.getByRole('button', { name: 'Archive project' }), s, 'archive confirm');
  await columnDialogs(s);
}

/** The client's request form, and the one question a critical bug asks. */
async function requestForm(s: Scanner): Promise<void> {
  const { page } = s;
  await s.visit('/', 'home');
  await page.getByRole('button', { name: 'New request' }).click();
  const form = page.getByRole('dialog', { name: 'Send a request' });
  await expect(form).toBeVisible();
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(form.getByText('Choose what the request is about.')).toBeVisible();
  await s.scan('request form, empty form sent');
  await form.getByRole('radio', { name: /The site is down/ }).check();
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(form.getByText('Customers cannot use the site right now?')).toBeVisible();
  await s.scan('request form, critical confirmation');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** The dialogs a column asks when a card is moved into it by keyboard:
 * Awaiting reply asks the client a question, Approval sends for approval. */
async function columnDialogs(s: Scanner): Promise<void> {
  const { page } = s;
  const from = 'In progress';
  const title = 'Contact form sends no e-mail on staging';
  const item = card(column(page, from), title);
  await item.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const ask = page.getByRole('dialog', { name: 'Ask the client' });
  await expect(ask).toBeVisible();
  await s.scan('awaiting-reply dialog');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(card(column(page, from), title)).toBeVisible();

  await item.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const send = page.getByRole('dialog', { name: 'Send for approval' });
  await expect(send).toBeVisible();
  await s.scan('approval dialog');
  await send.getByRole('button', { name: 'Cancel' }).click();
  await expect(card(column(page, from), title)).toBeVisible();
}

for (const viewport of [DESKTOP, PHONE]) {
  const phone = viewport === PHONE;
  const size = phone ? 'phone' : 'desktop';

  test.describe(`axe scan at ${size} width`, () => {
    test('signed out: sign-in and invitation pages', async ({ browser, request }) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const s = new Scanner(page, `anonymous@${viewport.width}`);
      await s.visit('/login', 'sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await s.scan('sign-in, empty form sent');
      await s.visit('/invite', 'invite without a token');
      const admin = await Api.as(request, EMAIL.admin);
      const inv = await admin.call<{ url: string }>('POST', '/api/invitations', {
        email: `axe-${size}-${Date.now()}@example.com`,
        role: 'developer',
      });
      await s.visit(`/invite${new URL(inv.url).hash}`, 'invite');
      await context.close();
      s.report();
    });

    test("pm: every page and the managers' dialogs", async ({ browser }) => {
      test.setTimeout(600_000);
      const s = await signedIn(browser, 'pm', viewport);
      await common(s, phone);
      await staff(s);
      await manager(s);
      await s.page.context().close();
      s.report();
    });

    // An admin sees the manager's pages plus these; scanning those twice
    // would find nothing new.
    test('admin: what only an admin has', async ({ browser }) => {
      const s = await signedIn(browser, 'admin', viewport);
      const { page } = s;
      await s.visit('/', 'home');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await s.scan('home, account menu open');
      await page.keyboard.press('Escape');
      await s.visit('/admin/users');
      await dialog(page, page.getByRole('button', { name: /^Deactivate / }).first(), s, 'deactivate confirm');
      await s.visit('/admin/mail', 'sent mail');
      await s.page.context().close();
      s.report();
    });

    test('dev: staff pages; admin pages say no access', async ({ browser }) => {
      test.setTimeout(600_000);
      const s = await signedIn(browser, 'dev', viewport);
      await common(s, phone);
      await staff(s);
      await s.visit('/admin/users', 'no access');
      await s.page.context().close();
      s.report();
    });

    test('client: client home, board, card, approvals', async ({ browser }) => {
      test.setTimeout(600_000);
      const s = await signedIn(browser, 'client', viewport);
      await common(s, phone);
      await s.visit(`/clients/${demo.client}/sla`, 'SLA report');
      await s.visit(`/statements/${demo.issued}`, 'issued statement');
      await s.visit(`/workshops/${demo.summary}`, 'workshop summary');
      await s.visit(`/workshops/${demo.workshop}`, 'coming workshop');
      await requestForm(s);
      await s.visit('/team', 'no access');
      await s.page.context().close();
      s.report();
    });
  });
}
