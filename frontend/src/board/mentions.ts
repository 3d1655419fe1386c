// @mentions in a comment box: what is being typed after "@", putting a
// chosen person's name in, and which chosen people are still named.

export interface Person {
  id: number;
  name: string;
  /** Shown beside the name in the suggestions ("Developer", "Client"). */
  note?: string;
}

export interface MentionQuery {
  /** Index of the "@". */
  at: number;
  /** What follows it up to the caret. */
  query: string;
}

// "@" at the start or after a space, then up to two words (names have a
// first and a last name).
const TYPING = /(^|\s)@([\p{L}\p{N}.'-]*(?: [\p{L}\p{N}.'-]*)?)$/u;

/** The mention being typed just before the caret, if any. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const m = TYPING.exec(text.slice(0, caret));
  if (!m) return null;
  const query = m[2] ?? '';
  return { at: caret - query.length - 1, query };
}

/** People whose name matches the query: any word starting with it, or the
 * whole name starting with it. */
export function suggest(people: readonly Person[], query: string, limit = 6): Person[] {
  const q = query.trim().toLowerCase();
  return people
    .filter((p) => {
      const name = p.name.toLowerCase();
      return !q || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
    })
    .slice(0, limit);
}

/** The text with the mention being typed replaced by "@Name ", and where
 * the caret goes. */
export function insertMention(
  text: string,
  q: MentionQuery,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const before = text.slice(0, q.at);
  const after = text.slice(caret).replace(/^ /, '');
  const inserted = `@${name} `;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

/** The chosen people still named as "@Name" in the text. */
export function mentionedIds(text: string, chosen: readonly Person[]): number[] {
  return chosen.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id);
}
