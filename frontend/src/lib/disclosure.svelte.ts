// A button with aria-expanded and the popover it shows (the bell's panel,
// the user menu, the phone navigation): a click outside closes it, and so
// does Escape, which puts focus back on the button.

export class Disclosure {
  open = $state(false);

  toggle = (): void => {
    this.open = !this.open;
  };

  /** Attach to the element that holds the button and the popover. */
  root = (node: HTMLElement): (() => void) => {
    const onclick = (e: MouseEvent) => {
      if (this.open && e.target instanceof Node && !node.contains(e.target)) this.open = false;
    };
    const onkeydown = (e: KeyboardEvent) => {
      if (!this.open || e.key !== 'Escape') return;
      this.open = false;
      node.querySelector<HTMLElement>('button[aria-expanded]')?.focus();
    };
    window.addEventListener('click', onclick);
    window.addEventListener('keydown', onkeydown);
    return () => {
      window.removeEventListener('click', onclick);
      window.removeEventListener('keydown', onkeydown);
    };
  };
}
