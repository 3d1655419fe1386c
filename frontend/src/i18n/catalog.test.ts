import { describe, expect, it } from 'vitest';
import * as ja from '../paraglide/messages/ja.js';
import * as pl from '../paraglide/messages/pl.js';
import * as ru from '../paraglide/messages/ru.js';
import { ERROR_CODES } from './errors';
import { LOCALES } from './locale.svelte';

const json = import.meta.glob<Record<string, unknown>>('../../messages/*.json', { import: 'default', eager: true });
const files = Object.fromEntries(LOCALES.map((l) => [l, json[`../../messages/${l}.json`]]));
// The one place the server names its error codes.
const errorsGo =
  Object.values(
    import.meta.glob<string>('../../../server/api/errors.go', { query: '?raw', import: 'default', eager: true }),
  )[0] ?? '';

describe('the catalog', () => {
  it('has every key in all four languages', () => {
    const keys = (l: string) => Object.keys(files[l] ?? {}).sort();
    for (const l of LOCALES) expect(keys(l), l).toEqual(keys('en'));
  });

  it('has text for every error code the server sends', () => {
    const sent = new Set([...errorsGo.matchAll(/(?:detail\([^,]+, |Code: |return )"([a-z_]+)"/g)].map((x) => x[1]));
    expect(sent.size).toBeGreaterThan(8);
    for (const code of sent) expect(ERROR_CODES, code).toContain(code);
  });
});

// Every count-bearing message, in the two languages with more than two forms.
const COUNTS = [1, 2, 5, 12, 22, 101];
const want = {
  pl: {
    board_cards_count: ['1 karta', '2 karty', '5 kart', '12 kart', '22 karty', '101 kart'],
    board_cards_shown: ['z 1 karty', 'z 2 kart', 'z 5 kart', 'z 12 kart', 'z 22 kart', 'z 101 kart'],
    // A word after a count shown beside it.
    board_comments_word: ['komentarz', 'komentarze', 'komentarzy', 'komentarzy', 'komentarze', 'komentarzy'],
    common_tasks_count: ['1 zadanie', '2 zadania', '5 zadań', '12 zadań', '22 zadania', '101 zadań'],
    common_projects_count: ['1 projekt', '2 projekty', '5 projektów', '12 projektów', '22 projekty', '101 projektów'],
    common_people_count: ['1 osoba', '2 osoby', '5 osób', '12 osób', '22 osoby', '101 osób'],
    mail_attempts: ['1 próba', '2 próby', '5 prób', '12 prób', '22 próby', '101 prób'],
    common_retry_in_seconds: ['1 sekundę', '2 sekundy', '5 sekund', '12 sekund', '22 sekundy', '101 sekund'],
    delivery_changes_count: ['1 zmiana', '2 zmiany', '5 zmian', '12 zmian', '22 zmiany', '101 zmian'],
    sla_report_requests: ['1 zgłoszenie', '2 zgłoszenia', '5 zgłoszeń', '12 zgłoszeń', '22 zgłoszenia', '101 zgłoszeń'],
    shell_notifications_unread: [
      '1 nieprzeczytane',
      '2 nieprzeczytane',
      '5 nieprzeczytanych',
      '12 nieprzeczytanych',
      '22 nieprzeczytane',
      '101 nieprzeczytanych',
    ],
    ui_length_counter: ['/ 1 znak', '/ 2 znaki', '/ 5 znaków', '/ 12 znaków', '/ 22 znaki', '/ 101 znaków'],
    ui_too_long: ['1 znak,', '2 znaki,', '5 znaków,', '12 znaków,', '22 znaki,', '101 znaków,'],
    workshops_convert_submit: ['1 kartę', '2 karty', '5 kart', '12 kart', '22 karty', '101 kart'],
    lib_hours_at_most: ['1 godzinę', '2 godziny', '5 godzin', '12 godzin', '22 godziny', '101 godzin'],
    planning_close_moves: [
      '1 niedokończone zadanie przechodzi',
      '2 niedokończone zadania przechodzą',
      '5 niedokończonych zadań przechodzi',
      '12 niedokończonych zadań przechodzi',
      '22 niedokończone zadania przechodzą',
      '101 niedokończonych zadań przechodzi',
    ],
    planning_hidden_cards: ['1 karta', '2 karty', '5 kart', '12 kart', '22 karty', '101 kart'],
    team_open: ['1 otwarte', '2 otwarte', '5 otwartych', '12 otwartych', '22 otwarte', '101 otwartych'],
    team_open_hours: [
      '1 otwarte ·',
      '2 otwarte ·',
      '5 otwartych ·',
      '12 otwartych ·',
      '22 otwarte ·',
      '101 otwartych ·',
    ],
    clients_active_users: [
      '1 aktywny użytkownik',
      '2 aktywni użytkownicy',
      '5 aktywnych użytkowników',
      '12 aktywnych użytkowników',
      '22 aktywni użytkownicy',
      '101 aktywnych użytkowników',
    ],
    projects_team_members: [
      '1 członek zespołu',
      '2 członkowie zespołu',
      '5 członków zespołu',
      '12 członków zespołu',
      '22 członkowie zespołu',
      '101 członków zespołu',
    ],
    palette_count: ['1 wynik', '2 wyniki', '5 wyników', '12 wyników', '22 wyniki', '101 wyników'],
    projects_empty_manager: [
      'swojego klienta',
      'z 2 klientów',
      'z 5 klientów',
      'z 12 klientów',
      'z 22 klientów',
      'z 101 klientów',
    ],
    // Field problems (the server's codes): the counted value is the limit.
    field_capacity_range: [
      'do 1 godziny.',
      'do 2 godzin.',
      'do 5 godzin.',
      'do 12 godzin.',
      'do 22 godzin.',
      'do 101 godzin.',
    ],
    field_entry_minutes_range: [
      'do 1 godziny.',
      'do 2 godzin.',
      'do 5 godzin.',
      'do 12 godzin.',
      'do 22 godzin.',
      'do 101 godzin.',
    ],
    field_estimate_range: [
      'do 1 godziny.',
      'do 2 godzin.',
      'do 5 godzin.',
      'do 12 godzin.',
      'do 22 godzin.',
      'do 101 godzin.',
    ],
    field_label_too_long: [
      'do 1 znaku.',
      'do 2 znaków.',
      'do 5 znaków.',
      'do 12 znaków.',
      'do 22 znaków.',
      'do 101 znaków.',
    ],
    field_labels_too_many: ['1 etykietę.', '2 etykiety.', '5 etykiet.', '12 etykiet.', '22 etykiety.', '101 etykiet.'],
    field_members_too_many: ['1 osobę.', '2 osoby.', '5 osób.', '12 osób.', '22 osoby.', '101 osób.'],
    field_mentions_too_many: ['1 osobę.', '2 osoby.', '5 osób.', '12 osób.', '22 osoby.', '101 osób.'],
    field_notifications_too_many: [
      '1 powiadomienie.',
      '2 powiadomienia.',
      '5 powiadomień.',
      '12 powiadomień.',
      '22 powiadomienia.',
      '101 powiadomień.',
    ],
    field_password_too_long: ['1 znak.', '2 znaki.', '5 znaków.', '12 znaków.', '22 znaki.', '101 znaków.'],
    field_password_too_short: ['1 znak.', '2 znaki.', '5 znaków.', '12 znaków.', '22 znaki.', '101 znaków.'],
    field_too_long: [
      'do 1 znaku (',
      'do 2 znaków (',
      'do 5 znaków (',
      'do 12 znaków (',
      'do 22 znaków (',
      'do 101 znaków (',
    ],
    workshops_more_approval: [
      '1 karta czeka na akceptację',
      '2 karty czekają na akceptację',
      '5 kart czeka na akceptację',
      '12 kart czeka na akceptację',
      '22 karty czekają na akceptację',
      '101 kart czeka na akceptację',
    ],
    workshops_more_awaiting_reply: [
      '1 karta czeka na odpowiedź',
      '2 karty czekają na odpowiedź',
      '5 kart czeka na odpowiedź',
      '12 kart czeka na odpowiedź',
      '22 karty czekają na odpowiedź',
      '101 kart czeka na odpowiedź',
    ],
    workshops_more_deployed: [
      '1 karta wdrożona',
      '2 karty wdrożone',
      '5 kart wdrożonych',
      '12 kart wdrożonych',
      '22 karty wdrożone',
      '101 kart wdrożonych',
    ],
    workshops_more_stuck: [
      '1 karta utknęła',
      '2 karty utknęły',
      '5 kart utknęło',
      '12 kart utknęło',
      '22 karty utknęły',
      '101 kart utknęło',
    ],
    workshops_more_urgent: [
      '1 krytyczna lub pilna karta',
      '2 krytyczne lub pilne karty',
      '5 krytycznych lub pilnych kart',
      '12 krytycznych lub pilnych kart',
      '22 krytyczne lub pilne karty',
      '101 krytycznych lub pilnych kart',
    ],
  },
  ru: {
    board_cards_count: ['1 карточка', '2 карточки', '5 карточек', '12 карточек', '22 карточки', '101 карточка'],
    board_cards_shown: [
      'из 1 карточки',
      'из 2 карточек',
      'из 5 карточек',
      'из 12 карточек',
      'из 22 карточек',
      'из 101 карточки',
    ],
    board_comments_word: ['комментарий', 'комментария', 'комментариев', 'комментариев', 'комментария', 'комментарий'],
    common_tasks_count: ['1 задача', '2 задачи', '5 задач', '12 задач', '22 задачи', '101 задача'],
    sla_report_requests: ['1 заявка', '2 заявки', '5 заявок', '12 заявок', '22 заявки', '101 заявка'],
    common_projects_count: ['1 проект', '2 проекта', '5 проектов', '12 проектов', '22 проекта', '101 проект'],
    common_people_count: ['1 человек', '2 человека', '5 человек', '12 человек', '22 человека', '101 человек'],
    mail_attempts: ['1 попытка', '2 попытки', '5 попыток', '12 попыток', '22 попытки', '101 попытка'],
    common_retry_in_seconds: ['1 секунду', '2 секунды', '5 секунд', '12 секунд', '22 секунды', '101 секунду'],
    delivery_changes_count: [
      '1 изменение',
      '2 изменения',
      '5 изменений',
      '12 изменений',
      '22 изменения',
      '101 изменение',
    ],
    shell_notifications_unread: [
      '1 непрочитанное',
      '2 непрочитанных',
      '5 непрочитанных',
      '12 непрочитанных',
      '22 непрочитанных',
      '101 непрочитанное',
    ],
    ui_length_counter: ['/ 1 символ', '/ 2 символа', '/ 5 символов', '/ 12 символов', '/ 22 символа', '/ 101 символ'],
    ui_too_long: ['1 символ,', '2 символа,', '5 символов,', '12 символов,', '22 символа,', '101 символ,'],
    lib_hours_at_most: ['1 часа', '2 часов', '5 часов', '12 часов', '22 часов', '101 часа'],
    planning_close_moves: [
      '1 незавершённая задача перейдёт',
      '2 незавершённые задачи перейдут',
      '5 незавершённых задач перейдут',
      '12 незавершённых задач перейдут',
      '22 незавершённые задачи перейдут',
      '101 незавершённая задача перейдёт',
    ],
    planning_hidden_cards: ['1 карточка', '2 карточки', '5 карточек', '12 карточек', '22 карточки', '101 карточка'],
    team_open: ['1 открытая', '2 открытые', '5 открытых', '12 открытых', '22 открытые', '101 открытая'],
    team_open_hours: [
      '1 открытая ·',
      '2 открытые ·',
      '5 открытых ·',
      '12 открытых ·',
      '22 открытые ·',
      '101 открытая ·',
    ],
    clients_active_users: [
      '1 активный пользователь',
      '2 активных пользователя',
      '5 активных пользователей',
      '12 активных пользователей',
      '22 активных пользователя',
      '101 активный пользователь',
    ],
    projects_team_members: [
      '1 участник команды',
      '2 участника команды',
      '5 участников команды',
      '12 участников команды',
      '22 участника команды',
      '101 участник команды',
    ],
    palette_count: ['1 результат', '2 результата', '5 результатов', '12 результатов', '22 результата', '101 результат'],
    projects_empty_manager: [
      'из 1 клиента',
      'из 2 клиентов',
      'из 5 клиентов',
      'из 12 клиентов',
      'из 22 клиентов',
      'из 101 клиента',
    ],
    workshops_convert_submit: ['1 карточку', '2 карточки', '5 карточек', '12 карточек', '22 карточки', '101 карточку'],
    // Field problems (the server's codes): the counted value is the limit.
    field_capacity_range: ['до 1 часа.', 'до 2 часов.', 'до 5 часов.', 'до 12 часов.', 'до 22 часов.', 'до 101 часа.'],
    field_entry_minutes_range: [
      'до 1 часа.',
      'до 2 часов.',
      'до 5 часов.',
      'до 12 часов.',
      'до 22 часов.',
      'до 101 часа.',
    ],
    field_estimate_range: ['до 1 часа.', 'до 2 часов.', 'до 5 часов.', 'до 12 часов.', 'до 22 часов.', 'до 101 часа.'],
    field_label_too_long: [
      'до 1 символа.',
      'до 2 символов.',
      'до 5 символов.',
      'до 12 символов.',
      'до 22 символов.',
      'до 101 символа.',
    ],
    field_labels_too_many: ['1 метки.', '2 меток.', '5 меток.', '12 меток.', '22 меток.', '101 метки.'],
    field_members_too_many: [
      '1 участника.',
      '2 участников.',
      '5 участников.',
      '12 участников.',
      '22 участников.',
      '101 участника.',
    ],
    field_mentions_too_many: ['1 человека.', '2 человек.', '5 человек.', '12 человек.', '22 человек.', '101 человека.'],
    field_notifications_too_many: [
      '1 уведомления.',
      '2 уведомлений.',
      '5 уведомлений.',
      '12 уведомлений.',
      '22 уведомлений.',
      '101 уведомления.',
    ],
    field_password_too_long: ['1 символ.', '2 символа.', '5 символов.', '12 символов.', '22 символа.', '101 символ.'],
    field_password_too_short: ['1 символ.', '2 символа.', '5 символов.', '12 символов.', '22 символа.', '101 символ.'],
    field_too_long: [
      'до 1 символа (',
      'до 2 символов (',
      'до 5 символов (',
      'до 12 символов (',
      'до 22 символов (',
      'до 101 символа (',
    ],
    workshops_more_approval: [
      '1 карточка ждёт одобрения',
      '2 карточки ждут одобрения',
      '5 карточек ждут одобрения',
      '12 карточек ждут одобрения',
      '22 карточки ждут одобрения',
      '101 карточка ждёт одобрения',
    ],
    workshops_more_awaiting_reply: [
      '1 карточка ждёт ответа',
      '2 карточки ждут ответа',
      '5 карточек ждут ответа',
      '12 карточек ждут ответа',
      '22 карточки ждут ответа',
      '101 карточка ждёт ответа',
    ],
    workshops_more_deployed: [
      '1 карточка выпущена',
      '2 карточки выпущены',
      '5 карточек выпущено',
      '12 карточек выпущено',
      '22 карточки выпущены',
      '101 карточка выпущена',
    ],
    workshops_more_stuck: [
      '1 карточка застряла',
      '2 карточки застряли',
      '5 карточек застряли',
      '12 карточек застряли',
      '22 карточки застряли',
      '101 карточка застряла',
    ],
    workshops_more_urgent: [
      '1 критичная или срочная карточка',
      '2 критичные или срочные карточки',
      '5 критичных или срочных карточек',
      '12 критичных или срочных карточек',
      '22 критичные или срочные карточки',
      '101 критичная или срочная карточка',
    ],
  },
};

describe('plural forms', () => {
  for (const [name, mod] of [
    ['pl', pl],
    ['ru', ru],
  ] as const) {
    for (const [key, forms] of Object.entries(want[name])) {
      it(`${name} ${key}`, () => {
        const msg = mod[key as keyof typeof mod] as (i: Record<string, number>) => string;
        // The value the plural form follows: `count`, or a field problem's limit.
        const input = /local countPlural = (\w+): plural/.exec(JSON.stringify(files.en?.[key]))?.[1] ?? 'count';
        COUNTS.forEach((count, i) => expect(msg({ [input]: count })).toContain(forms[i]));
      });
    }
  }

  it('Japanese has one form', () => {
    expect(ja.common_tasks_count({ count: 1 })).toBe('1件のタスク');
    expect(ja.common_tasks_count({ count: 5 })).toBe('5件のタスク');
  });

  it('covers every count-bearing message', () => {
    const counted = Object.entries(files.en ?? {})
      .filter(([, v]) => JSON.stringify(v).includes('countPlural'))
      .map(([k]) => k);
    expect(counted.sort()).toEqual(Object.keys(want.pl).sort());
  });
});
