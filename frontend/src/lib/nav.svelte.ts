// The current location as reactive state, navigate(), and the document-wide
// link interception that turns <a href="/..."> into history navigation.

import { shouldIntercept } from './router';

class CurrentLocation {
  path = $state('/');
  search = $state('');
  /** Increments on every navigation, for focus management. */
  count = $state(0);
}

export const nav = new CurrentLocation();

function sync(): void {
  nav.path = window.location.pathname;
  nav.search = window.location.search;
  nav.count++;
}

/** Goes to an in-app path ('/projects/3', '/login?next=/'). `scroll: false`
 * keeps the scroll position, for a panel that opens over the same page. */
export function navigate(to: string, opts: { replace?: boolean; scroll?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (opts.replace) {
    window.history.replaceState(null, '', target);
  } else if (target !== current) {
    window.history.pushState(null, '', target);
    if (opts.scroll !== false) window.scrollTo(0, 0);
  }
  sync();
}

/** A query parameter of the current location. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(nav.search).get(name);
}

function onClick(e: MouseEvent): void {
  const el = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!(el instanceof HTMLAnchorElement)) return;
  if (!shouldIntercept(e, el, window.location.origin)) return;
  e.preventDefault();
  // data-keep-scroll: the link opens something over the current page.
  navigate(el.pathname + el.search + el.hash, { scroll: !el.hasAttribute('data-keep-scroll') });
}

/** Starts following the address bar. Returns a function that stops it. */
export function startRouter(): () => void {
  sync();
  window.addEventListener('popstate', sync);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', sync);
    document.removeEventListener('click', onClick);
  };
}
