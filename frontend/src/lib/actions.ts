// Svelte actions shared by forms.

/** Focuses the element when it is mounted (first field of a page form),
 * unless focus was put somewhere else meanwhile: someone quick (or a
 * password manager) already typing in the next field keeps their place. */
export function focusOnMount(node: HTMLElement): void {
  const before = document.activeElement;
  // After the current frame, so that the element is laid out and visible.
  requestAnimationFrame(() => {
    const now = document.activeElement;
    if (now !== before && now !== document.body && now !== null) return;
    node.focus();
  });
}
