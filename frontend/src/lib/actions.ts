// Svelte actions shared by forms.

/** Focuses the element when it is mounted (first field of a page form). */
export function focusOnMount(node: HTMLElement): void {
  // After the current frame, so that the element is laid out and visible.
  requestAnimationFrame(() => node.focus());
}
