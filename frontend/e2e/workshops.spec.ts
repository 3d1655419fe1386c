// The workshop ritual against the real server, in separate browsers: Pat
// plans Acme's workshop and finds the agenda drafted from the board; Acme's
// client proposes a topic and Pat sees it arrive; Pat's notes become cards
// in two projects, live on both boards and linked back; the published
// summary reaches the client (told in the bell) with the estimates agreed
// and without the internal note; the next workshop carries over what is
// still open.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { Api, card, openAs, openSection, PASSWORD, test, unique } from './helpers';

const SITE = 'Website relaunch';
const SHOP = 'Online shop';

/** "YYYY-MM-DDTHH:MM" for a datetime-local field, `hours` from now in the
 * browser's own time zone (which need not be this process's). */
function localInput(page: Page, hours: number): Promise<string> {
  return page.evaluate((h) => {
    const d = new Date(Date.now() + h * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, hours);
}

/** The agenda as the editor shows it: each point's title and its text. */
async function agenda(page: Page): Promise<{ title: string; text: string }[]> {
  return page
    .getByTestId('agenda-item')
    .evaluateAll((items) =>
      items.map((li) => ({ title: (li.querySelector('input') as HTMLInputElement).value, text: li.textContent ?? '' })),
    );
}

async function planWorkshop(page: Page, client: string, hoursAhead: number): Promise<void> {
  await page.goto('/workshops');
  await page.getByLabel('Client', { exact: true }).selectOption({ label: client });
  await page.getByLabel('Date and time').fill(await localInput(page, hoursAhead));
  await page.getByRole('button', { name: 'Plan a workshop' }).click();
  await expect(page).toHaveURL(/\/workshops\/\d+$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible({ timeout: 15_000 });
}

test('the workshop ritual: agenda, a proposal, notes into cards, the summary, carried over', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  // A client of its own, with its own projects and client user: a section
  // keeps only its 15 longest waits, so the cards that other tests and the
  // demo leave waiting at Acme would push this test's fresh ones out.
  const api = await Api.as(request, 'pm@example.com');
  const acme = await api.call<{ id: number; name: string }>('POST', '/api/clients', { name: unique('Acme') });
  const project = async (name: string) =>
    (await api.call<{ id: number }>('POST', '/api/projects', { client_id: acme.id, name })).id;
  const site = await project(SITE);
  const shop = await project(SHOP);
  const clientEmail = `ritual-${Date.now()}@acme.example.com`;
  const inv = await (
    await Api.as(request, 'admin@example.com')
  ).call<{ url: string }>('POST', '/api/invitations', {
    email: clientEmail,
    role: 'client',
    client_id: acme.id,
  });
  const accepted = await request.post('/api/invitations/accept', {
    data: { token: new URL(inv.url).hash.slice(1), name: 'Alice Acme', password: PASSWORD },
  });
  expect(accepted.status()).toBe(200);
  const question = unique('Which fonts may we use');
  const change = unique('New footer');
  await api.createCard(site, { title: question, status: 'awaiting_reply', question: 'Which fonts?' });
  await api.createCard(site, {
    title: change,
    status: 'approval',
    staging_url: 'https://staging.acme.example.com/footer',
  });

  // 1. Pat finds Workshops in the navigation and plans Acme's.
  const pat = await openAs(browser, 'pm@example.com');
  await expect(pat.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await openSection(pat, 'Clients', 'Workshops');
  await planWorkshop(pat, acme.name, 2);
  const url = pat.url();
  let items = await agenda(pat);
  expect(items.find((i) => i.title === question)?.text).toContain("Waits for the client's answer");
  expect(items.find((i) => i.title === change)?.text).toContain("Waits for the client's approval");

  // 2. Acme's client proposes a topic from their home; it appears live.
  const client = await openAs(browser, clientEmail);
  const topic = unique('Newsletter signup');
  await client.getByLabel('A topic you want to discuss').fill(topic);
  await client.getByRole('button', { name: 'Propose' }).click();
  await expect(client.getByRole('listitem').filter({ hasText: topic })).toBeVisible();
  await expect
    .poll(async () => (await agenda(pat)).find((i) => i.title === topic)?.text)
    .toContain('Proposed by the client');

  // 3. Pat's notes: three lines into cards in two projects, live on both
  // boards (an admin watches them), each linking back to the workshop.
  const admin = await openAs(browser, 'admin@example.com');
  const shopBoard = await admin.context().newPage();
  await admin.goto(`/projects/${site}`);
  await shopBoard.goto(`/projects/${shop}`);
  const [signup, banner, logo] = [unique('Add the signup form'), unique('Shop banner'), unique('Send the logo as SVG')];
  const proposal = pat.getByTestId('agenda-item').filter({ hasText: 'Proposed by the client' }).last();
  await proposal.getByLabel('Notes').fill(`- ${signup}\n- ${banner}\n- ${logo}\n- nothing to do here`);
  await pat.getByLabel('Internal notes (staff only)').fill('INTERNAL: the margin on this client is thin');
  await pat.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(pat.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

  await pat.getByRole('button', { name: 'Turn notes into cards' }).click();
  const dialog = pat.getByRole('dialog', { name: 'Notes into cards' });
  for (const line of [signup, banner, logo]) await dialog.getByRole('checkbox', { name: line }).check();
  const rows = dialog.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await rows.nth(0).getByLabel('Project').selectOption({ label: SITE });
  await rows.nth(0).getByLabel('Estimate (h)').fill('3');
  await rows.nth(1).getByLabel('Project').selectOption({ label: SHOP });
  await rows.nth(2).getByLabel('Project').selectOption({ label: SITE });
  await rows.nth(2).getByLabel('Goes to').selectOption({ label: 'Client to-do' });
  await dialog.getByRole('button', { name: 'Make 3 cards' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(card(admin, signup)).toBeVisible();
  await expect(card(admin, logo)).toBeVisible();
  await expect(card(shopBoard, banner)).toBeVisible();
  // The note lines show their cards' numbers and statuses.
  await expect(proposal.getByRole('link', { name: /^#\d+$/ })).toHaveCount(3);
  await expect(proposal.getByRole('listitem').filter({ hasText: logo })).toContainText('Awaiting reply');
  // The card links back to the item it came from.
  await card(admin, signup).locator('a.title').click();
  const back = admin.getByRole('link', { name: new RegExp(`^From workshop ${acme.name}, .*, item \\d+$`) });
  await expect(back).toBeVisible();
  await back.click();
  await expect(admin).toHaveURL(new RegExp(`${url.replace(/^https?:\/\/[^/]+/, '')}#item-\\d+$`));

  // 4. Held, then published: the client reads it without the internal note.
  await pat.getByRole('button', { name: 'Mark as held' }).click();
  await pat.getByRole('button', { name: 'Publish the summary' }).click();
  await expect(pat.getByText('Published', { exact: true })).toBeVisible();
  // The client hears it in the bell, whose item opens the summary.
  await client.goto('/');
  await client.getByRole('button', { name: /^Notifications/ }).click();
  await client
    .getByRole('link', { name: new RegExp(`published the summary of workshop ${acme.name}, `) })
    .first()
    .click();
  await expect(client).toHaveURL(new RegExp(`${url.replace(/^https?:\/\/[^/]+/, '')}$`));
  await expect(client.getByRole('heading', { name: 'Points discussed' })).toBeVisible();
  await expect(client.getByText(topic, { exact: true })).toBeVisible();
  await expect(client.getByRole('region', { name: 'Your to-dos' }).getByText(logo)).toBeVisible();
  await expect(
    client.getByRole('region', { name: 'Tasks agreed' }).getByRole('listitem').filter({ hasText: signup }),
  ).toContainText(/#\d+ .*Set · estimate 3 h$/);
  await expect(client.getByText(/INTERNAL/)).toHaveCount(0);

  // 5. The next workshop starts with what is still open.
  await planWorkshop(pat, acme.name, 24 * 8);
  items = await agenda(pat);
  for (const line of [signup, banner, logo]) {
    expect(items.find((i) => i.title === line)?.text, line).toContain('Carried over');
  }
});

test('a long section keeps its longest waits and counts the rest, on screen and in print', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  // A client of its own, so that no other test's cards join the section.
  const api = await Api.as(request, 'pm@example.com');
  const initech = await api.call<{ id: number }>('POST', '/api/clients', { name: unique('Initech') });
  const intranet = await api.call<{ id: number }>('POST', '/api/projects', {
    client_id: initech.id,
    name: unique('Intranet'),
  });
  const questions: string[] = [];
  for (let i = 1; i <= 17; i++) {
    const title = unique(`Question ${i}`);
    await api.createCard(intranet.id, { title, status: 'awaiting_reply', question: 'Which one?' });
    questions.push(title);
  }
  const w = await api.call<{ id: number }>('POST', '/api/workshops', {
    client_id: initech.id,
    starts_at: new Date(Date.now() + 2 * 3600_000).toISOString(),
  });

  const pat = await openAs(browser, 'pm@example.com');
  await pat.goto(`/workshops/${w.id}`);
  const agendaRegion = pat.getByRole('region', { name: 'Agenda' });
  await expect(agendaRegion).toBeVisible({ timeout: 30_000 });
  // The 15 asked first wait longest; the last two are counted.
  expect((await agenda(pat)).map((i) => i.title)).toEqual(questions.slice(0, 15));
  const more = agendaRegion.getByTestId('agenda-more');
  await expect(more).toHaveText("and 2 more cards awaiting the client's reply — full list in the client overview");
  await expect(more.getByRole('link')).toHaveAttribute('href', `/clients/${initech.id}/overview`);
  await expect(pat.getByTestId('agenda-item').last().getByTestId('agenda-more')).toHaveCount(1);

  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await pat.setViewportSize(size);
    const scan = await new AxeBuilder({ page: pat }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  }

  // The A4 print carries the line under its section too.
  await pat.emulateMedia({ media: 'print' });
  await expect(agendaRegion).toBeHidden();
  await expect(pat.getByRole('region', { name: 'Points discussed' }).getByTestId('agenda-more')).toContainText(
    "and 2 more cards awaiting the client's reply",
  );
});
