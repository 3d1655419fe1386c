// Object URLs for the bytes of attachments: a plain <img src> cannot carry
// the access token, so pictures are read with it and shown from memory.
// Each URL is revoked when the component that asked for it goes away.

import { attachmentBlob } from '../api/attachments';

/** An object URL of the file (or its thumbnail), or null until it arrived
 * or when it could not be read. Call from a component's script. */
export class FileURL {
  url = $state<string | null>(null);
  failed = $state(false);

  constructor(id: () => number, thumbnail: boolean) {
    $effect(() => {
      const ctl = new AbortController();
      let made: string | null = null;
      this.failed = false;
      attachmentBlob(id(), thumbnail, ctl.signal).then(
        (blob) => {
          made = URL.createObjectURL(blob);
          this.url = made;
        },
        () => {
          if (!ctl.signal.aborted) this.failed = true;
        },
      );
      return () => {
        ctl.abort();
        if (made) URL.revokeObjectURL(made);
        this.url = null;
      };
    });
  }
}

/** Saves a file the way a download link would. */
export async function download(id: number, name: string): Promise<void> {
  const url = URL.createObjectURL(await attachmentBlob(id));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the URL to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
