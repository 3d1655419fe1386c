import { describe, expect, it } from 'vitest';
import { compile, createMatcher, safeNext, shouldIntercept, type AnchorLike, type ClickLike } from './router';

const routes = [
  { path: '/', name: 'home' },
  { path: '/login', name: 'login' },
  { path: '/invite/:token', name: 'invite' },
  { path: '/projects/:id', name: 'project' },
  { path: '/clients/:id/projects/:pid', name: 'nested' },
  { path: '/files/*', name: 'files' },
];
const match = createMatcher(routes);

describe('createMatcher', () => {
  it('matches static paths, with or without a trailing slash', () => {
    expect(match('/')?.route.name).toBe('home');
    expect(match('/login')?.route.name).toBe('login');
    expect(match('/login/')?.route.name).toBe('login');
  });

  it('extracts and decodes params', () => {
    expect(match('/projects/42')).toEqual({ route: routes[3], params: { id: '42' } });
    expect(match('/invite/a%2Fb%20c')?.params).toEqual({ token: 'a/b c' });
    expect(match('/clients/3/projects/9')?.params).toEqual({ id: '3', pid: '9' });
  });

  it('matches the rest of the path with *', () => {
    expect(match('/files/a/b.txt')?.params).toEqual({ rest: 'a/b.txt' });
  });

  it('returns null for unknown paths and partial matches', () => {
    expect(match('/nope')).toBeNull();
    expect(match('/projects')).toBeNull();
    expect(match('/projects/1/extra')).toBeNull();
    expect(match('/loginx')).toBeNull();
  });

  it('treats a malformed escape as no match', () => {
    expect(match('/projects/%E0%A4%A')).toBeNull();
  });

  it('escapes regex characters in static segments', () => {
    const { re } = compile('/a.b');
    expect(re.test('/a.b')).toBe(true);
    expect(re.test('/axb')).toBe(false);
  });

  it('tries routes in order: the first match wins', () => {
    const m = createMatcher([
      { path: '/clients/new', n: 1 },
      { path: '/clients/:id', n: 2 },
    ]);
    expect(m('/clients/new')?.route.n).toBe(1);
    expect(m('/clients/5')?.route.n).toBe(2);
  });
});

describe('shouldIntercept', () => {
  const click: ClickLike = {
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    defaultPrevented: false,
  };
  const anchor = (over: Partial<AnchorLike> & { attrs?: string[] } = {}): AnchorLike => ({
    origin: 'https://doska.test',
    pathname: '/projects/1',
    target: '',
    hasAttribute: (n) => (over.attrs ?? []).includes(n),
    ...over,
  });
  const origin = 'https://doska.test';

  it('takes a plain left click on an in-app link', () => {
    expect(shouldIntercept(click, anchor(), origin)).toBe(true);
  });

  it('leaves modified clicks, other buttons and handled events to the browser', () => {
    expect(shouldIntercept({ ...click, ctrlKey: true }, anchor(), origin)).toBe(false);
    expect(shouldIntercept({ ...click, metaKey: true }, anchor(), origin)).toBe(false);
    expect(shouldIntercept({ ...click, shiftKey: true }, anchor(), origin)).toBe(false);
    expect(shouldIntercept({ ...click, button: 1 }, anchor(), origin)).toBe(false);
    expect(shouldIntercept({ ...click, defaultPrevented: true }, anchor(), origin)).toBe(false);
  });

  it('leaves other origins, new tabs, downloads and API URLs alone', () => {
    expect(shouldIntercept(click, anchor({ origin: 'https://evil.example' }), origin)).toBe(false);
    expect(shouldIntercept(click, anchor({ target: '_blank' }), origin)).toBe(false);
    expect(shouldIntercept(click, anchor({ attrs: ['download'] }), origin)).toBe(false);
    expect(shouldIntercept(click, anchor({ attrs: ['data-native'] }), origin)).toBe(false);
    expect(shouldIntercept(click, anchor({ pathname: '/api/reports/1.csv' }), origin)).toBe(false);
  });
});

describe('safeNext', () => {
  it('accepts in-app paths only', () => {
    expect(safeNext('/projects/3?tab=x')).toBe('/projects/3?tab=x');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });
});
