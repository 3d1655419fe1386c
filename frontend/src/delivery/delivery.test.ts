import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListedCard, Notification, NotificationKind } from '../api/types';
import { card } from '../board/fixture';
import { setLocale } from '../i18n/locale.svelte';
import { dayAfter, deployDays, deployWarningText, outcomeNotice, windowLabel, windowWarning } from './delivery';
import { notificationParts, notificationPath, notificationText } from './notifications';

const MON_THU = [1, 2, 3, 4];

beforeEach(() => setLocale('en'));
afterEach(() => setLocale('en'));

function listed(id: number, deploy_on: string | null): ListedCard {
  return {
    ...card({ id, status: 'approval', approval_state: 'approved', deploy_on }),
    project_name: 'Shop',
    client_id: 1,
    client_name: 'Acme',
  };
}

describe('deploy window', () => {
  it('names the window', () => {
    expect(windowLabel(MON_THU)).toBe('Mon–Thu');
    expect(windowLabel([0, 1, 2, 3, 4, 5, 6])).toBe('Mon–Sun');
    expect(windowLabel([5, 1, 3])).toBe('Mon, Wed, Fri');
    expect(windowLabel([1, 2])).toBe('Mon, Tue');
    expect(windowLabel([])).toBe('no day');
  });

  it('warns about a day outside it, except for hotfixes', () => {
    // 2026-11-27 is a Friday, 2026-11-26 a Thursday.
    expect(windowWarning('2026-11-27', MON_THU, { priority: 'normal' })).toBe(
      'Friday is outside the deploy window (Mon–Thu).',
    );
    expect(windowWarning('2026-11-26', MON_THU, { priority: 'normal' })).toBe('');
    expect(windowWarning('2026-11-27', MON_THU, { priority: 'urgent' })).toBe('');
    expect(windowWarning('2026-11-27', MON_THU, { priority: 'critical' })).toBe('');
    expect(windowWarning('', MON_THU, { priority: 'normal' })).toBe('');
    expect(windowWarning('2026-11-27', null, { priority: 'normal' })).toBe('');
    expect(windowWarning('2026-11-29', [0], { priority: 'normal' })).toBe('');
  });

  it("speaks the reader's language, with the language's own day names", async () => {
    await setLocale('pl');
    expect(windowLabel(MON_THU)).toBe('pon.–czw.');
    expect(windowWarning('2026-11-27', MON_THU, { priority: 'normal' })).toBe(
      'Wybrany dzień (piątek) wypada poza oknem wdrożeń (pon.–czw.).',
    );
    await setLocale('ru');
    expect(windowWarning('2026-11-27', MON_THU, { priority: 'normal' })).toBe(
      'Выбранный день (пятница) вне окна выкладки (пн–чт).',
    );
  });

  it("says the server's warning after an approval from its code and days", async () => {
    const warning = { code: 'outside_deploy_window', weekday: 5, window: [1, 2, 3, 4] };
    expect(deployWarningText(warning)).toBe('Friday is outside the deploy window (Mon–Thu).');
    await setLocale('ja');
    expect(deployWarningText({ ...warning, weekday: 0, window: [1, 3, 5] })).toBe(
      '日曜日はリリース可能日（月, 水, 金）の範囲外です。',
    );
  });
});

describe('deployDays', () => {
  it('groups by day in order: today, tomorrow, later days, any day last', () => {
    const now = new Date(2026, 10, 24, 9).getTime(); // Tuesday 24 Nov
    const groups = deployDays(
      [
        listed(1, null),
        listed(2, '2026-11-27'),
        listed(3, '2026-11-24'),
        listed(4, '2026-11-25'),
        listed(5, '2026-11-23'),
        listed(6, '2026-11-27'),
      ],
      now,
      'en-GB',
    );
    expect(groups.map((g) => g.label)).toEqual([
      'Monday 23 November',
      'Today',
      'Tomorrow',
      'Friday 27 November',
      'Any day',
    ]);
    expect(groups.map((g) => g.late)).toEqual([true, false, false, false, false]);
    expect(groups[3]!.cards.map((c) => c.id)).toEqual([2, 6]);
    expect(groups[4]!.day).toBeNull();
  });

  it('counts days across a month end', () => {
    expect(dayAfter(new Date(2026, 10, 30, 23).getTime(), 1)).toBe('2026-12-01');
  });
});

describe('notifications as sentences', () => {
  const note = (kind: NotificationKind): Notification => ({
    id: 1,
    kind,
    task_id: 3,
    task_number: 12,
    task_title: 'Fix the menu',
    project_id: 1,
    project_name: 'Shop',
    actor_id: 2,
    actor_name: 'Pat Morgan',
    created_at: '2026-11-23T12:00:00Z',
    read_at: null,
    workshop_id: null,
    workshop_starts_at: null,
    client_name: '',
    client_id: 0,
    package_id: null,
    package_name: '',
    package_kind: '',
    package_level: null,
    package_left_minutes: null,
  });

  it('says who did what on which card', () => {
    expect(notificationText(note('question'))).toBe('Pat Morgan asked you a question on #12 Fix the menu');
    expect(notificationText(note('approval_request'))).toBe('Pat Morgan asked for your approval of #12 Fix the menu');
    expect(notificationText(note('approved'))).toBe('Pat Morgan approved #12 Fix the menu');
    expect(notificationText(note('changes_requested'))).toBe('Pat Morgan requested changes on #12 Fix the menu');
    expect(notificationText(note('mentioned'))).toBe('Pat Morgan mentioned you on #12 Fix the menu');
    expect(notificationText(note('assigned'))).toBe('Pat Morgan assigned you #12 Fix the menu');
    expect(notificationText(note('answered'))).toBe('Pat Morgan answered your question on #12 Fix the menu');
    expect(notificationText(note('critical'))).toBe('Critical: #12 Fix the menu needs you now');
    expect(notificationText({ ...note('approved'), actor_name: '' })).toBe('Someone approved #12 Fix the menu');
  });

  it("is built in the reader's language, the card cut out wherever the language puts it", async () => {
    await setLocale('ja');
    expect(notificationParts(note('approved'))).toEqual(['Pat Morganが', '#12 Fix the menu', 'を承認しました']);
    await setLocale('ru');
    expect(notificationText(note('changes_requested'))).toBe('Pat Morgan просит доработать задачу #12 Fix the menu');
    expect(notificationText({ ...note('approved'), actor_name: '' })).toBe(
      'Кто-то согласовывает задачу #12 Fix the menu',
    );
    await setLocale('pl');
    expect(notificationParts(note('critical'))).toEqual([
      'Krytyczne: ',
      '#12 Fix the menu',
      ' wymaga Twojej uwagi od razu',
    ]);
  });

  // A notification about a workshop or a package has no card.
  const NO_CARD = { task_id: 0, task_number: 0, task_title: '', project_id: 0, project_name: '' };

  it('leads to the card, or to the summary of a published workshop', async () => {
    expect(notificationPath(note('question'), 'client')).toBe('/projects/1/t/12');
    const summary: Notification = {
      ...note('workshop_summary'),
      ...NO_CARD,
      workshop_id: 7,
      workshop_starts_at: '2026-11-26T10:00:00Z',
      client_name: 'Acme',
    };
    expect(notificationPath(summary, 'client')).toBe('/workshops/7');
    await setLocale('en');
    expect(notificationText(summary)).toBe('Pat Morgan published the summary of workshop Acme, Nov 26, 2026');
    await setLocale('ja');
    expect(notificationParts(summary)[1]).toContain('Acme');
  });

  it("tells a package's level and hours left, and leads staff to the client, the client's users home", async () => {
    const used: Notification = {
      ...note('package_used'),
      ...NO_CARD,
      actor_id: null,
      actor_name: '',
      client_id: 4,
      client_name: 'Acme',
      package_id: 9,
      package_name: 'Support hours',
      package_kind: 'block',
      package_level: 80,
      package_left_minutes: 150,
    };
    await setLocale('en');
    expect(notificationParts(used)).toEqual(['', 'Support hours', ' has used 80 % of its hours, 2 h 30 min left']);
    expect(notificationText({ ...used, package_name: '', package_level: 100, package_left_minutes: 0 })).toBe(
      'Block of hours is used up: further billable time is overrun',
    );
    expect(notificationPath(used, 'manager')).toBe('/clients/4');
    expect(notificationPath(used, 'client')).toBe('/');
    await setLocale('pl');
    expect(notificationText(used)).toBe('Support hours: wykorzystano 80 % godzin, zostało 2 godz. 30 min');
  });
});

describe('outcomeNotice', () => {
  it('says what happened to the card', () => {
    expect(
      outcomeNotice(
        card({ id: 1, status: 'approval', approval_state: 'approved' }),
        false,
        'Friday is outside the deploy window (Mon–Thu)',
      ).text,
    ).toBe('Approved #101. Friday is outside the deploy window (Mon–Thu)');
    expect(outcomeNotice(card({ id: 1, status: 'in_progress', approval_state: 'changes_requested' }), false).text).toBe(
      'Changes requested on #101; it is back with the team.',
    );
    expect(outcomeNotice(card({ id: 1, status: 'done' }), false).text).toBe('#101 marked deployed.');
    expect(outcomeNotice(card({ id: 1, status: 'approval', approval_state: 'pending' }), true).tone).toBe('error');
  });

  it("says it in the reader's language", async () => {
    await setLocale('ru');
    expect(outcomeNotice(card({ id: 1, status: 'set' }), false).text).toBe(
      'Задача #101 теперь в колонке «Поставлено».',
    );
    expect(outcomeNotice(card({ id: 1, status: 'done' }), false).text).toBe('#101 отмечена как выложенная.');
  });
});
