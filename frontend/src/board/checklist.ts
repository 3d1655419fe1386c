// Ticking a box of a markdown task list ("- [ ] Hero approved") on the
// card: the server marks each box with the byte offset of its "[" in the
// markdown (data-task-at), and a tick rewrites that one character.

/** The markdown with the box at byte offset `at` ticked or not, or null
 * when no box is there (the text changed since it was rendered). */
export function tickTask(markdown: string, at: number, checked: boolean): string | null {
  const bytes = new TextEncoder().encode(markdown);
  const mark = bytes[at + 1];
  if (bytes[at] !== 0x5b || bytes[at + 2] !== 0x5d || (mark !== 0x20 && mark !== 0x78 && mark !== 0x58)) return null;
  bytes[at + 1] = checked ? 0x78 : 0x20; // "x" or " "
  return new TextDecoder().decode(bytes);
}
