// svelte-dnd-action, configured once for the whole app, for pointer and
// touch drags. Keyboard moves are keyboard.svelte.ts's: the library's own
// keyboard dragging is never started, and its instruction for the lists
// (which screen readers read for a focused list) names the app's keys.

import { setAriaStrings, setKeyboardDragTrigger } from 'svelte-dnd-action';

setKeyboardDragTrigger('space');
setAriaStrings({
  zoneActiveInstruction:
    'Focus a card and press Space to pick it up, then the arrow keys to move it, Enter to drop it, Escape to cancel. Enter on a card opens it.',
});

export {
  dndzone,
  SHADOW_ITEM_MARKER_PROPERTY_NAME,
  SOURCES,
  TRIGGERS,
  type DndEvent,
} from 'svelte-dnd-action';

/** Duration of the animation of cards making room, in ms. */
export const FLIP_MS = 150;
