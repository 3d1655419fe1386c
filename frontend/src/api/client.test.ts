import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  currentAccessToken,
  onSessionChange,
  parseRetryAfter,
  refreshSession,
  request,
  setSession,
  withQuery,
} from './client';
import type { Session } from './types';

function session(token: string): Session {
  return {
    access_token: token,
    expires_at: '2030-01-01T00:00:00Z',
    user: {
      id: 1,
      email: 'pm@example.com',
      name: 'Pat Manager',
      role: 'manager',
      client_id: null,
      active: true,
      weekly_capacity_minutes: 2400,
      created_at: '2026-01-01T00:00:00Z',
    },
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function apiError(status: number, code: string, message: string, fields?: Record<string, string>): Response {
  return json(status, { error: { code, message, ...(fields ? { fields } : {}) }, request_id: `req-${status}` });
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

let fetchMock: ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>;

function serve(handler: Handler): void {
  fetchMock.mockImplementation(async (input, init) => handler(String(input), init ?? {}));
}

function calls(): { url: string; init: RequestInit }[] {
  return fetchMock.mock.calls.map(([input, init]) => ({ url: String(input), init: init ?? {} }));
}

function authHeader(init: RequestInit): string | undefined {
  return (init.headers as Record<string, string> | undefined)?.Authorization;
}

const refreshCalls = () => calls().filter((c) => c.url === '/api/auth/refresh');

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  setSession(null);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('sends JSON with the bearer token and decodes the answer', async () => {
    setSession(session('t1'));
    serve(() => json(201, { id: 7, name: 'Site' }));

    const got = await request<{ id: number }>('/api/projects', { method: 'POST', body: { name: 'Site' } });

    expect(got).toEqual({ id: 7, name: 'Site' });
    const [{ url, init }] = calls() as [{ url: string; init: RequestInit }];
    expect(url).toBe('/api/projects');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"name":"Site"}');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({
      'Content-Type': 'application/json',
      Authorization: 'Bearer t1',
    });
  });

  it('sends no Authorization header without a session, and none for auth: false', async () => {
    serve(() => json(200, {}));
    await request('/api/x');
    setSession(session('t1'));
    await request('/api/auth/login', { method: 'POST', body: {}, auth: false });
    for (const c of calls()) expect(authHeader(c.init)).toBeUndefined();
  });

  it('returns undefined for 204 No Content', async () => {
    serve(() => new Response(null, { status: 204 }));
    await expect(request('/api/invitations/3', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('parses the error shape into an ApiError with fields and request id', async () => {
    serve(() =>
      apiError(422, 'validation', 'check the highlighted fields', { email: 'must be a valid e-mail address' }),
    );

    const err = await request('/api/invitations', { method: 'POST', body: {} }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation');
    expect(e.message).toBe('check the highlighted fields');
    expect(e.fields).toEqual({ email: 'must be a valid e-mail address' });
    expect(e.requestId).toBe('req-422');
  });

  it('keeps the whole error body (409 carries the current object)', async () => {
    serve(() => json(409, { error: { code: 'conflict', message: 'stale version' }, current: { id: 1, version: 4 } }));
    const e = (await request('/api/tasks/1', { method: 'PATCH', body: {} }).catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('conflict');
    expect((e.body as { current: unknown }).current).toEqual({ id: 1, version: 4 });
  });

  it('copes with an error that is not JSON', async () => {
    serve(() => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'X-Request-Id': 'abc' } }));
    const e = (await request('/api/projects').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.code).toBe('server_error');
    expect(e.message).toMatch(/502/);
    expect(e.requestId).toBe('abc');
    expect(e.fields).toEqual({});
  });

  it('reads Retry-After on 429', async () => {
    serve(() => json(429, { error: { code: 'rate_limited', message: 'too many attempts' } }, { 'Retry-After': '17' }));
    const e = (await request('/api/auth/login', { method: 'POST', body: {}, auth: false }).catch(
      (x: unknown) => x,
    )) as ApiError;
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfter).toBe(17);
  });

  it('turns a network failure into ApiError status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const e = (await request('/api/projects').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.code).toBe('network');
  });

  it('rethrows an abort as it is', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    fetchMock.mockRejectedValue(abort);
    await expect(request('/api/projects')).rejects.toBe(abort);
  });

  it('does not refresh on a 401 of an unauthenticated call (wrong password)', async () => {
    serve(() => apiError(401, 'unauthenticated', 'wrong e-mail or password'));
    const e = (await request('/api/auth/login', { method: 'POST', body: {}, auth: false }).catch(
      (x: unknown) => x,
    )) as ApiError;
    expect(e.status).toBe(401);
    expect(refreshCalls()).toHaveLength(0);
  });
});

describe('commands with an idempotency key', () => {
  const keyOf = (init: RequestInit) => (init.headers as Record<string, string>)['Idempotency-Key'];

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a new key with each command and none with other requests', async () => {
    setSession(session('t1'));
    serve(() => json(200, {}));
    await request('/api/tasks/1/move', { method: 'POST', body: {}, idempotent: true });
    await request('/api/tasks/1/move', { method: 'POST', body: {}, idempotent: true });
    await request('/api/projects', { method: 'POST', body: {} });
    const [a, b, plain] = calls().map((c) => keyOf(c.init));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(plain).toBeUndefined();
  });

  it('resends a command whose answer the network lost, with the same key', async () => {
    vi.useFakeTimers();
    setSession(session('t1'));
    let n = 0;
    fetchMock.mockImplementation(async () => {
      if (n++ < 2) throw new TypeError('Failed to fetch');
      return json(201, { id: 9 });
    });
    const done = request<{ id: number }>('/api/projects/1/tasks', {
      method: 'POST',
      body: { title: 'x' },
      idempotent: true,
    });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(done).resolves.toEqual({ id: 9 });
    const keys = calls().map((c) => keyOf(c.init));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('gives up after two resends, and never resends a request without a key', async () => {
    vi.useFakeTimers();
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const command = request('/api/tasks/1/move', { method: 'POST', body: {}, idempotent: true }).catch(
      (x: unknown) => x,
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(((await command) as ApiError).code).toBe('network');
    expect(calls()).toHaveLength(3);

    fetchMock.mockClear();
    const plain = await request('/api/projects', { method: 'POST', body: {} }).catch((x: unknown) => x);
    expect((plain as ApiError).code).toBe('network');
    expect(calls()).toHaveLength(1);
  });

  it('does not resend an answer the server gave, nor after an abort', async () => {
    vi.useFakeTimers();
    serve(() => apiError(503, 'unavailable', 'briefly unavailable'));
    const refused = await request('/api/tasks/1/move', { method: 'POST', body: {}, idempotent: true }).catch(
      (x: unknown) => x,
    );
    expect((refused as ApiError).status).toBe(503);
    expect(calls()).toHaveLength(1);

    fetchMock.mockClear();
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const ctl = new AbortController();
    const aborted = request('/api/tasks/1/move', {
      method: 'POST',
      body: {},
      idempotent: true,
      signal: ctl.signal,
    }).catch((x: unknown) => x);
    ctl.abort();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(((await aborted) as DOMException).name).toBe('AbortError');
    expect(calls()).toHaveLength(1);
  });
});

describe('refresh on 401', () => {
  it('refreshes once and retries once with the new token', async () => {
    setSession(session('old'));
    const seen: (string | null)[] = [];
    const off = onSessionChange((s) => seen.push(s?.access_token ?? null));
    serve((url, init) => {
      if (url === '/api/auth/refresh') return json(200, session('new'));
      return authHeader(init) === 'Bearer new' ? json(200, [{ id: 1 }]) : apiError(401, 'unauthenticated', 'expired');
    });

    const got = await request('/api/projects');

    expect(got).toEqual([{ id: 1 }]);
    expect(calls().map((c) => c.url)).toEqual(['/api/projects', '/api/auth/refresh', '/api/projects']);
    const refresh = refreshCalls()[0]!;
    expect(refresh.init.method).toBe('POST');
    expect(refresh.init.credentials).toBe('same-origin');
    expect(authHeader(refresh.init)).toBeUndefined();
    expect(currentAccessToken()).toBe('new');
    expect(seen).toEqual(['new']);
    off();
  });

  it('gives up after one retry: a second 401 is thrown, no second refresh', async () => {
    setSession(session('old'));
    serve((url) => (url === '/api/auth/refresh' ? json(200, session('new')) : apiError(401, 'unauthenticated', 'no')));

    const e = (await request('/api/projects').catch((x: unknown) => x)) as ApiError;

    expect(e.status).toBe(401);
    expect(calls().map((c) => c.url)).toEqual(['/api/projects', '/api/auth/refresh', '/api/projects']);
  });

  it('ends the session when the refresh is refused, and throws the original 401', async () => {
    setSession(session('old'));
    const seen: (string | null)[] = [];
    const off = onSessionChange((s) => seen.push(s?.access_token ?? null));
    serve((url) =>
      url === '/api/auth/refresh'
        ? apiError(401, 'unauthenticated', 'refresh token reused')
        : apiError(401, 'unauthenticated', 'token expired'),
    );

    const e = (await request('/api/projects').catch((x: unknown) => x)) as ApiError;

    expect(e.status).toBe(401);
    expect(e.message).toBe('token expired');
    expect(calls()).toHaveLength(2); // no retry without a new token
    expect(currentAccessToken()).toBeNull();
    expect(seen).toEqual([null]);
    off();
  });

  it('treats "no session" (204: no refresh cookie was sent) like a refused refresh', async () => {
    setSession(session('old'));
    serve((url) =>
      url === '/api/auth/refresh'
        ? new Response(null, { status: 204 })
        : apiError(401, 'unauthenticated', 'token expired'),
    );

    const e = (await refreshSession().catch((x: unknown) => x)) as ApiError;

    expect(e.status).toBe(401);
    expect(currentAccessToken()).toBeNull();
  });

  it('keeps the session when the refresh fails for another reason (503)', async () => {
    setSession(session('old'));
    serve((url) =>
      url === '/api/auth/refresh'
        ? json(503, { error: { code: 'unavailable', message: 'database unreachable' } }, { 'Retry-After': '5' })
        : apiError(401, 'unauthenticated', 'token expired'),
    );

    const e = (await request('/api/projects').catch((x: unknown) => x)) as ApiError;

    expect(e.status).toBe(503);
    expect(e.retryAfter).toBe(5);
    expect(currentAccessToken()).toBe('old');
  });

  it('single-flights concurrent refreshes: three 401s, one refresh, three retries', async () => {
    setSession(session('old'));
    const refreshAnswer = deferred<Response>();
    serve((url, init) => {
      if (url === '/api/auth/refresh') return refreshAnswer.promise;
      return authHeader(init) === 'Bearer new' ? json(200, { url }) : apiError(401, 'unauthenticated', 'expired');
    });

    const all = Promise.all([request('/api/a'), request('/api/b'), request('/api/c')]);
    await vi.waitFor(() => expect(refreshCalls()).toHaveLength(1));
    // Give the other two requests time to hit their 401 while the refresh is pending.
    await new Promise((r) => setTimeout(r, 10));
    refreshAnswer.resolve(json(200, session('new')));

    await expect(all).resolves.toEqual([{ url: '/api/a' }, { url: '/api/b' }, { url: '/api/c' }]);
    expect(refreshCalls()).toHaveLength(1);
    expect(calls()).toHaveLength(7);
  });

  it('single-flights direct refreshSession() calls', async () => {
    const answer = deferred<Response>();
    serve(() => answer.promise);
    const a = refreshSession();
    const b = refreshSession();
    expect(a).toBe(b);
    answer.resolve(json(200, session('fresh')));
    await expect(a).resolves.toMatchObject({ access_token: 'fresh' });
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // Once settled, the next call refreshes again.
    serve(() => json(200, session('fresher')));
    await refreshSession();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(currentAccessToken()).toBe('fresher');
  });

  it('does not refresh again when another request already did: it just retries', async () => {
    setSession(session('old'));
    const slow = deferred<Response>();
    serve((url, init) => {
      if (url === '/api/slow' && authHeader(init) === 'Bearer old') return slow.promise;
      if (authHeader(init) === 'Bearer new') return json(200, { ok: true });
      return apiError(401, 'unauthenticated', 'expired');
    });

    const pending = request('/api/slow');
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    setSession(session('new')); // e.g. another request's refresh finished
    slow.resolve(apiError(401, 'unauthenticated', 'expired'));

    await expect(pending).resolves.toEqual({ ok: true });
    expect(refreshCalls()).toHaveLength(0);
  });

  it('takes the cross-tab Web Lock "doska-refresh" when the browser has one', async () => {
    const names: string[] = [];
    vi.stubGlobal('navigator', {
      locks: {
        request: vi.fn(async (name: string, cb: () => Promise<unknown>) => {
          names.push(name);
          return cb();
        }),
      },
    });
    serve(() => json(200, session('locked')));

    await refreshSession();

    expect(names).toEqual(['doska-refresh']);
    expect(currentAccessToken()).toBe('locked');
  });

  it('refreshes inside the lock, after another tab held it', async () => {
    // Simulate another tab holding the lock: our callback runs only later.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    vi.stubGlobal('navigator', {
      locks: {
        request: vi.fn(async (_name: string, cb: () => Promise<unknown>) => {
          await held;
          return cb();
        }),
      },
    });
    serve(() => json(200, session('after-wait')));

    const p = refreshSession();
    await new Promise((r) => setTimeout(r, 5));
    expect(fetchMock).not.toHaveBeenCalled();
    release();
    await expect(p).resolves.toMatchObject({ access_token: 'after-wait' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('helpers', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('builds query strings and skips empty values', () => {
    expect(withQuery('/api/projects')).toBe('/api/projects');
    expect(withQuery('/api/projects', { client_id: undefined })).toBe('/api/projects');
    expect(withQuery('/api/projects', { client_id: 3, q: 'a b' })).toBe('/api/projects?client_id=3&q=a+b');
  });
});
