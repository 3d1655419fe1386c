// What a confirmation dialog asks about. The target stays while the dialog
// closes, so that its words do not vanish before it is gone.

export class Confirmation<T> {
  target = $state.raw<T | null>(null);
  open = $state(false);

  ask = (target: T): void => {
    this.target = target;
    this.open = true;
  };

  /** The dialog's action on the target asked about. */
  confirm(fn: (target: T) => Promise<void>): () => Promise<void> {
    return async () => {
      const target = this.target;
      if (target !== null) await fn(target);
    };
  }
}
