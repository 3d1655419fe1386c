import { describe, expect, it } from 'vitest';
import { parseError } from '../api/client';
import { setLocale } from './locale.svelte';

// An error answer as server/api/errors.go writes it: the English for API
// users in `fields`, the codes and their values in `problems`.
function refusal(): Response {
  const body = {
    error: {
      code: 'validation',
      message: 'Correct the highlighted fields and try again.',
      fields: {
        title: 'Shorten it to 300 characters or fewer (it has 412).',
        kind: 'Choose task, bug, question or change.',
        color: 'Paint it blue.',
      },
      problems: {
        title: { code: 'too_long', params: { max: 300, length: 412 } },
        kind: { code: 'kind_choice' },
        color: { code: 'a_code_this_app_does_not_know' },
      },
    },
    request_id: 'r1',
  };
  return new Response(JSON.stringify(body), { status: 422, headers: { 'Content-Type': 'application/json' } });
}

describe('field problems', () => {
  it('read in the user’s language, with the values the server sent, and follow a switch', async () => {
    await setLocale('ru');
    const err = await parseError(refusal());
    expect(err.fields.title).toBe('Сократите текст до 300 символов (сейчас 412).');
    expect(err.fields.kind).toBe('Выберите тип из списка.');
    // A code newer than the app: the general text, never the server's English.
    expect(err.fields.color).toBe('Проверьте отмеченные поля.');
    expect(err.message).toBe('Проверьте отмеченные поля.');

    await setLocale('ja');
    expect(err.fields.title).toBe('300文字以内に短くしてください（現在412文字）。');
    await setLocale('en');
    expect(err.fields.title).toBe('Shorten it to 300 characters or fewer (it has 412).');
  });
});

function conflict(reason: object): Response {
  const body = {
    error: { code: 'conflict', message: 'Week 2026-W48 is closed; plan the card in an open week.', conflict: reason },
  };
  return new Response(JSON.stringify(body), { status: 409, headers: { 'Content-Type': 'application/json' } });
}

describe('conflicts', () => {
  it('say why in the user’s language, naming the week, and fall back to the general text', async () => {
    await setLocale('pl');
    const closed = await parseError(conflict({ code: 'week_closed', params: { week: '2026-W48' } }));
    expect(closed.message).toBe('Tydzień 2026-W48 jest zamknięty; zaplanuj kartę na otwarty tydzień.');
    await setLocale('en');
    expect(closed.message).toBe('Week 2026-W48 is closed; plan the card in an open week.');
    const unknown = await parseError(conflict({ code: 'a_code_this_app_does_not_know' }));
    expect(unknown.message).toBe('Someone else changed this in the meantime.');
  });
});
