// Route matching and link interception, free of browser globals so that it
// can be unit-tested. The history state lives in nav.svelte.ts.

export type Params = Record<string, string>;

export interface Match<T> {
  route: T;
  params: Params;
}

interface Compiled {
  re: RegExp;
  keys: string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles '/projects/:id' style patterns; '*' matches the rest of the path. */
export function compile(pattern: string): Compiled {
  const keys: string[] = [];
  const parts = pattern
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      if (seg === '*') {
        keys.push('rest');
        return '(.*)';
      }
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return escapeRe(seg);
    });
  return { re: new RegExp(`^/${parts.join('/')}/?$`), keys };
}

/** Builds a matcher over routes tried in order; the first match wins. */
export function createMatcher<T extends { path: string }>(routes: readonly T[]): (pathname: string) => Match<T> | null {
  const compiled = routes.map((route) => ({ route, ...compile(route.path) }));
  return (pathname) => {
    for (const { route, re, keys } of compiled) {
      const m = re.exec(pathname);
      if (!m) continue;
      const params: Params = {};
      let ok = true;
      keys.forEach((key, i) => {
        try {
          params[key] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          ok = false; // malformed %-escape: treat as no match
        }
      });
      if (ok) return { route, params };
    }
    return null;
  };
}

export interface ClickLike {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

export interface AnchorLike {
  origin: string;
  pathname: string;
  target: string;
  hasAttribute(name: string): boolean;
}

/** Whether a click on a link should be handled by the router rather than the
 * browser: a plain left click on a same-origin link that opens in this tab,
 * is not a download and is not an API URL. */
export function shouldIntercept(e: ClickLike, a: AnchorLike, origin: string): boolean {
  if (e.defaultPrevented || e.button !== 0) return false;
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return false;
  if (a.target && a.target !== '_self') return false;
  if (a.hasAttribute('download') || a.hasAttribute('data-native')) return false;
  if (a.origin !== origin) return false;
  if (a.pathname === '/api' || a.pathname.startsWith('/api/')) return false;
  return true;
}

/** A post-login destination from `?next=`, only if it is a path on this site. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login')) return fallback;
  return next;
}
