// What the header tells a user about the live connection. A drop shorter
// than OFFLINE_AFTER_MS says nothing (the socket is back before anyone could
// read a warning); a longer one says "Offline, reconnecting…", and its end
// says "Back online" for BACK_FOR_MS.

export const OFFLINE_AFTER_MS = 1_000;
export const BACK_FOR_MS = 4_000;

export type ConnectionState = 'online' | 'offline' | 'back';

export class ConnectionNotice {
  state = $state<ConnectionState>('online');
  #timer: ReturnType<typeof setTimeout> | null = null;
  #down = false;

  /** Feed it the live client's `down` each time it changes. */
  update(down: boolean): void {
    if (down === this.#down) return;
    this.#down = down;
    this.#clear();
    if (down) {
      // "Back online" would be a lie now.
      if (this.state === 'back') this.state = 'online';
      this.#timer = setTimeout(() => (this.state = 'offline'), OFFLINE_AFTER_MS);
    } else if (this.state === 'offline') {
      this.state = 'back';
      this.#timer = setTimeout(() => (this.state = 'online'), BACK_FOR_MS);
    } else {
      this.state = 'online';
    }
  }

  stop(): void {
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
