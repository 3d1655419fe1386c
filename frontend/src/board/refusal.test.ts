import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { FieldProblem } from '../api/types';
import { BoardStore } from './board.svelte';
import { card } from './fixture';
import { refusal } from './refusal';
import { setLocale } from '../i18n/locale.svelte';

// The sentences are the catalog's; the tests read them in English.
beforeAll(() => setLocale('en'));

function refused(
  status: number,
  extra: {
    fields?: Record<string, string>;
    problems?: Record<string, FieldProblem>;
    body?: unknown;
    message?: string;
    code?: string;
  } = {},
): ApiError {
  return new ApiError({
    status,
    code: extra.code ?? 'x',
    message: extra.message ?? 'refused',
    fields: extra.fields,
    problems: extra.problems,
    body: extra.body,
  });
}

/** A board where card 1 was moved to Done optimistically; `old` is how it was. */
function moved() {
  const store = new BoardStore();
  store.load([card({ id: 1 })]);
  const old = store.moveLocally(1, 'done', {});
  return { store, old };
}

describe('refusal', () => {
  it('puts the card back and says why for 403, 404 and 422', () => {
    const cases: [ApiError, string][] = [
      [refused(403), 'You are not allowed to move this card. It is back where it was.'],
      [refused(404), 'This card no longer exists, or you can no longer see it.'],
      [
        refused(422, {
          fields: { staging_url: 'The server’s English.' },
          problems: { staging_url: { code: 'url_format' } },
        }),
        'Not saved. Enter an address starting with http:// or https://. The card is back where it was.',
      ],
    ];
    for (const [err, text] of cases) {
      const { store, old } = moved();
      expect(refusal(store, err, old)).toEqual({ text, reload: false });
      expect(store.cards.get(1)?.status).toBe('set');
    }
  });

  it('shows the card as the server has it after a 409 that carries it', () => {
    const { store, old } = moved();
    const current = card({ id: 1, status: 'in_progress', version: 2 });
    const out = refusal(store, refused(409, { body: { current } }), old);
    expect(out).toEqual({ text: 'Someone changed this card meanwhile. It is shown where it is now.', reload: false });
    expect(store.cards.get(1)).toEqual(current);
  });

  it('asks for a reload after a 409 about the column', () => {
    const { store, old } = moved();
    expect(refusal(store, refused(409), old)).toEqual({
      text: 'The column changed meanwhile. The board was reloaded; please try again.',
      reload: true,
    });
  });

  it('names the person who is not on the team', () => {
    const { store, old } = moved();
    const err = refused(422, {
      fields: { assignee_id: 'Choose a staff member of this project.' },
      problems: { assignee_id: { code: 'assignee_not_member' } },
    });
    const assignment = { what: 'Not reassigned', who: 'Sam Ortiz', project: 'Website' };
    expect(refusal(store, err, old, { assignment }).text).toBe(
      'Not reassigned: Sam Ortiz is not on the team of Website.',
    );
    expect(refusal(store, refused(403), old, { assignment }).text).toMatch(/^You are not allowed/);
  });

  it('says the reason for a view whose conflicts have reasons of their own', () => {
    const { store, old } = moved();
    const ownConflicts = { view: 'week' };
    // The reason is the catalog's text for the server's code.
    expect(refusal(store, refused(409, { code: 'conflict' }), old, { ownConflicts })).toEqual({
      text: 'Not saved. Someone else changed this in the meantime. The week was read again.',
      reload: true,
    });
    const current = card({ id: 1, version: 3 });
    expect(refusal(store, refused(409, { code: 'conflict', body: { current } }), old, { ownConflicts }).text).toBe(
      'Not saved. Someone else changed this in the meantime. The card is shown where it is now.',
    );
  });

  it('says a field’s problem in the user’s language, with its values', async () => {
    await setLocale('pl');
    try {
      const { store, old } = moved();
      const err = refused(422, {
        fields: { title: 'Shorten it to 300 characters or fewer (it has 412).' },
        problems: { title: { code: 'too_long', params: { max: 300, length: 412 } } },
      });
      expect(refusal(store, err, old).text).toBe(
        'Nie zapisano. Skróć tekst do 300 znaków (teraz: 412). Karta wróciła na swoje miejsce.',
      );
    } finally {
      await setLocale('en');
    }
  });
});
