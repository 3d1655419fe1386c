// svelte-dnd-action, configured once for the whole app, for pointer and
// touch drags. Keyboard moves are keyboard.svelte.ts's: the library's own
// keyboard dragging is never started, and its instruction for the lists
// (which screen readers read for a focused list) names the app's keys.

import { setAriaStrings, setKeyboardDragTrigger } from 'svelte-dnd-action';
import { m } from '../i18n/locale.svelte';

setKeyboardDragTrigger('space');

/** Gives the library the lists' instructions in the shown language. They
 * are global to every list and the library rewrites the ones on screen, so
 * a list calls it from an effect and a language switch reaches them all. */
export function speakDnd(): void {
  setAriaStrings({
    zoneActiveInstruction: m.board_dnd_instruction(),
    zoneDragDisabledInstruction: m.board_dnd_disabled(),
  });
}

export { dndzone, SHADOW_ITEM_MARKER_PROPERTY_NAME, SOURCES, TRIGGERS, type DndEvent } from 'svelte-dnd-action';

/** Duration of the animation of cards making room, in ms. */
export const FLIP_MS = 150;

/** How close to an edge of the window (or of a sideways-scrolling row of
 * columns) a held card starts scrolling it, and the fastest step per frame.
 * The library scrolls only within 30 px of the pointer, which the card
 * itself covers: holding the card at the edge did nothing. */
const EDGE_PX = 80;
const MAX_STEP_PX = 20;

/** Step for a pointer at `pos` within [0, size): faster closer to an edge. */
function edgeStep(pos: number, size: number): number {
  const zone = Math.min(EDGE_PX, size / 4);
  if (pos < zone) return -Math.ceil((MAX_STEP_PX * (zone - Math.max(pos, 0))) / zone);
  if (pos > size - zone) return Math.ceil((MAX_STEP_PX * (pos - (size - zone))) / zone);
  return 0;
}

/** The nearest ancestor of `el` that scrolls sideways, if any. */
function sidewaysScroller(el: Element): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (p.scrollWidth > p.clientWidth && /auto|scroll/.test(getComputedStyle(p).overflowX)) return p;
  }
  return null;
}

/** While a pointer drag that started in `from` lasts, scrolls the window
 * (and the row of columns around `from`) when the pointer is held near an
 * edge. It ends by itself when the pointer is released. */
export function scrollNearEdges(from: Element): void {
  const row = sidewaysScroller(from);
  let x = -1;
  let y = -1;
  const track = (e: MouseEvent | TouchEvent) => {
    const p = 'touches' in e ? e.touches[0] : e;
    if (p) [x, y] = [p.clientX, p.clientY];
  };
  let frame = 0;
  const tick = () => {
    if (y >= 0) {
      window.scrollBy(edgeStep(x, window.innerWidth), edgeStep(y, window.innerHeight));
      if (row) {
        const r = row.getBoundingClientRect();
        if (y >= r.top && y <= r.bottom) row.scrollLeft += edgeStep(x - r.left, r.width);
      }
    }
    frame = requestAnimationFrame(tick);
  };
  const stop = () => {
    cancelAnimationFrame(frame);
    window.removeEventListener('mousemove', track);
    window.removeEventListener('touchmove', track);
    window.removeEventListener('mouseup', stop);
    window.removeEventListener('touchend', stop);
  };
  window.addEventListener('mousemove', track, { passive: true });
  window.addEventListener('touchmove', track, { passive: true });
  window.addEventListener('mouseup', stop);
  window.addEventListener('touchend', stop);
  frame = requestAnimationFrame(tick);
}
