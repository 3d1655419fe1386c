// svelte-dnd-action, configured once for the whole app.
//
// Keyboard: Space picks a card up and drops it, arrows move it within a
// column, Tab moves it to the next column, Escape drops it where it is.
// Enter is left to the app: it opens the focused card.

import { setKeyboardDragTrigger } from 'svelte-dnd-action';

setKeyboardDragTrigger('space');

export {
  dndzone,
  SHADOW_ITEM_MARKER_PROPERTY_NAME,
  SOURCES,
  TRIGGERS,
  type DndEvent,
} from 'svelte-dnd-action';

/** Duration of the animation of cards making room, in ms. */
export const FLIP_MS = 150;
