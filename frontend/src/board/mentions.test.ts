import { describe, expect, it } from 'vitest';
import { insertMention, mentionAt, mentionedIds, suggest } from './mentions';

const people = [
  { id: 1, name: 'Dana Lee' },
  { id: 2, name: 'Sam Ortiz' },
  { id: 3, name: 'Chris Miller' },
];

describe('mentions', () => {
  it('finds the mention being typed', () => {
    expect(mentionAt('Hi @da', 6)).toEqual({ at: 3, query: 'da' });
    expect(mentionAt('@', 1)).toEqual({ at: 0, query: '' });
    expect(mentionAt('Hi @Dana L', 10)).toEqual({ at: 3, query: 'Dana L' });
    expect(mentionAt('mail me@example.com', 19)).toBeNull();
    expect(mentionAt('Hi @da and more', 15)).toBeNull();
    expect(mentionAt('Hi @da', 2)).toBeNull();
  });

  it('suggests by the start of any name', () => {
    expect(suggest(people, 'l').map((p) => p.id)).toEqual([1]);
    expect(suggest(people, 'chris m').map((p) => p.id)).toEqual([3]);
    expect(suggest(people, '').length).toBe(3);
    expect(suggest(people, 'x')).toEqual([]);
  });

  it('puts the chosen name in and moves the caret after it', () => {
    const text = 'Hi @da please check';
    const q = mentionAt(text, 6)!;
    expect(insertMention(text, q, 6, 'Dana Lee')).toEqual({ text: 'Hi @Dana Lee please check', caret: 13 });
  });

  it('keeps only the people still named', () => {
    expect(mentionedIds('Thanks @Dana Lee!', people)).toEqual([1]);
    expect(mentionedIds('Thanks Dana', people)).toEqual([]);
  });
});
