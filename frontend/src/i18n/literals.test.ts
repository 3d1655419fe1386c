// No user-visible English outside the catalog: every text node and every
// text-bearing attribute of every component in src/ must come from `m.*`,
// so a new component or folder cannot slip past the catalog.
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

/** Words that are the same in every language. */
const NAMES = new Set(['Doska']);
const ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'hint']);

const components = import.meta.glob<string>('../**/*.svelte', { query: '?raw', import: 'default', eager: true });

function isWords(text: string): boolean {
  const t = text.trim();
  return /\p{L}/u.test(t) && !NAMES.has(t);
}

type Node = { type: string; [k: string]: unknown };

/** String literals an expression can evaluate to: `'Save'`, `a ? 'x' : y`, `a || 'x'`. */
function shownStrings(e: Node | null | undefined): string[] {
  if (!e) return [];
  if (e.type === 'Literal' && typeof e.value === 'string') return [e.value];
  if (e.type === 'TemplateLiteral') return (e.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked);
  if (e.type === 'ConditionalExpression')
    return [...shownStrings(e.consequent as Node), ...shownStrings(e.alternate as Node)];
  if (e.type === 'LogicalExpression') return [...shownStrings(e.left as Node), ...shownStrings(e.right as Node)];
  return [];
}

/** The literals a component shows, with their line. */
function literals(source: string): { line: number; text: string }[] {
  const ast = parse(source, { modern: true });
  const found: { line: number; text: string }[] = [];
  const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Node & { start: number };
    if (n.type === 'Text' && isWords(n.data as string))
      found.push({ line: lineOf(n.start), text: (n.data as string).trim() });
    if (n.type === 'ExpressionTag') {
      for (const s of shownStrings(n.expression as Node))
        if (isWords(s)) found.push({ line: lineOf(n.start), text: s });
    }
    if (n.type === 'Attribute' && ATTRIBUTES.has(n.name as string) && Array.isArray(n.value)) {
      for (const part of n.value as Node[]) {
        if (part.type === 'Text' && isWords(part.data as string))
          found.push({ line: lineOf(n.start), text: part.data as string });
        if (part.type === 'ExpressionTag') {
          for (const s of shownStrings(part.expression as Node))
            if (isWords(s)) found.push({ line: lineOf(n.start), text: s });
        }
      }
      return;
    }
    if (n.type === 'Attribute') return;
    for (const [key, child] of Object.entries(n)) {
      if (key !== 'instance' && key !== 'module' && key !== 'css' && key !== 'expression') visit(child);
    }
  };
  visit(ast.fragment);
  return found;
}

describe('no string slips through', () => {
  for (const [path, source] of Object.entries(components)) {
    const file = path.slice('../'.length);
    it(file, () => {
      const found = literals(source).map((l) => `${file}:${l.line}: ${JSON.stringify(l.text)}`);
      expect(found, 'user-visible text outside the catalog (messages/*.json)').toEqual([]);
    });
  }

  it('finds text, attributes and literal branches', () => {
    const found = literals(
      `<script>let a = 'not shown';</script><h1>Hello</h1><p>{busy ? 'Saving…' : m.x()}</p><b title="Tip">·</b><i aria-label={m.y()}></i><style>p{}</style>`,
    ).map((l) => l.text);
    expect(found).toEqual(['Hello', 'Saving…', 'Tip']);
  });
});
