// Timers: started in one click from a card, shown in the top bar of every
// tab of the person, stopped from any of them; the card then shows the time
// spent against its estimate.
import { expect } from '@playwright/test';
import { Api, card, openAs, test, unique } from './helpers';

test('Dana starts a timer in one tab, sees it in a second and stops it there', async ({ browser, request }) => {
  // Two tabs on a busy machine take longer than one.
  test.setTimeout(90_000);
  const dana = await Api.as(request, 'dev1@example.com');
  await dana.call('POST', '/api/timer/stop', {});
  const relaunch = await dana.projectId('Website relaunch');
  const title = unique('Timed work');
  const created = await dana.createCard(relaunch, { title, status: 'in_progress', estimate_minutes: 120 });

  const first = await openAs(browser, 'dev1@example.com');
  await first.goto(`/projects/${relaunch}`);
  const item = card(first, title);
  await item.getByRole('button', { name: `Start the timer on #${created.number} ${title}` }).click();
  const topFirst = first.getByTestId('top-timer');
  await expect(topFirst).toContainText(title);
  await expect(topFirst).toContainText('0:00');

  // A second tab of the same browser: the timer is there after loading, and
  // it follows what the first tab does.
  const second = await first.context().newPage();
  await second.goto('/');
  const topSecond = second.getByTestId('top-timer');
  await expect(topSecond).toContainText(title);

  await topSecond.getByRole('button', { name: `Stop the timer on #${created.number} ${title}` }).click();
  await expect(topSecond).toBeHidden();
  // The first tab hears it over the socket, without a reload.
  await expect(topFirst).toBeHidden();
  await expect(item.getByRole('button', { name: `Start the timer on #${created.number} ${title}` })).toBeVisible();

  // The card counts the time against its estimate.
  await item.getByText(title).click();
  await expect(first.getByTestId('time-spent')).toHaveText('1 min spent of 2 h estimated');
  const timer = await dana.call<{ running: unknown }>('GET', '/api/timer');
  expect(timer.running).toBeNull();
});
