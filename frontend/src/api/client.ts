// The core of the API client: one `request<T>()` that speaks JSON, carries the
// access token, turns every error answer into a typed ApiError and, on a 401,
// refreshes the session once and retries once.
//
// Where tokens live (docs/ARCHITECTURE.md#tokens): the access token only in the module
// variable below — never localStorage, sessionStorage or a cookie. The refresh
// token is an HttpOnly cookie the browser sends to /api/auth/* by itself.

import { conflictText, errorText, fieldText } from '../i18n/errors';
import type { FieldProblem, Session } from './types';

export type FieldErrors = Record<string, string>;

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  /** The server's English per field (logs and tests read it). */
  fields?: FieldErrors;
  /** What is wrong with each field as a stable code and the values its
   * text names (models/problems.go). */
  problems?: Record<string, FieldProblem>;
  /** Why a 409 refused, as a stable code (models/conflicts.go). */
  conflict?: FieldProblem | null;
  requestId?: string | null;
  retryAfter?: number | null;
  body?: unknown;
}

/** An error answer from the API, or a failure to reach it (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Record<string, FieldProblem>;
  readonly conflict: FieldProblem | null;
  readonly requestId: string | null;
  /** Seconds from the Retry-After header (429, 503), when given. */
  readonly retryAfter: number | null;
  /** The whole decoded error body, e.g. `current` of a 409 conflict. */
  readonly body: unknown;

  /** What the server (or this client) said, in English: for logs and
   * tests. People read `message`, the catalog's text for the code. */
  readonly detail: string;
  private readonly fieldDetails: FieldErrors;

  constructor(init: ApiErrorInit) {
    super();
    this.name = 'ApiError';
    this.detail = init.message;
    this.status = init.status;
    this.code = init.code;
    this.fieldDetails = init.fields ?? {};
    this.problems = init.problems ?? {};
    this.conflict = init.conflict ?? null;
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body;
  }

  // A getter, so that the text follows a language switch.
  override get message(): string {
    return (this.conflict && conflictText(this.conflict)) ?? errorText(this.code, this.status) ?? this.detail;
  }

  /** What to tell the user about each field the server named: the
   * catalog's text for its problem's code (a getter too). */
  get fields(): FieldErrors {
    const out: FieldErrors = { ...this.fieldDetails };
    for (const [field, problem] of Object.entries(this.problems)) {
      out[field] = fieldText(problem) ?? out[field] ?? problem.code;
    }
    return out;
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'validation',
  429: 'rate_limited',
  503: 'unavailable',
};

const MESSAGES: Record<string, string> = {
  bad_request: 'The request was not understood.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'Not found, or you do not have access to it.',
  conflict: 'Someone else changed this in the meantime.',
  gone: 'This link was already used or has expired.',
  too_large: 'That is too large to send.',
  validation: 'Please check the highlighted fields.',
  rate_limited: 'Too many attempts. Please wait a moment.',
  unavailable: 'Doska is temporarily unavailable. Please try again shortly.',
};

export const NETWORK_ERROR_MESSAGE = 'Could not reach the server. Check your connection and try again.';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Seconds until a Retry-After value (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Turns an error response into an ApiError. Understands the API's error shape
 * `{error: {code, message, fields}, request_id}` and copes with anything else
 * (a proxy's HTML page, an empty body). */
export async function parseError(res: Response): Promise<ApiError> {
  const code = CODES[res.status] ?? (res.status >= 500 ? 'server_error' : 'http_error');
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let requestId = res.headers.get('X-Request-Id');
  let body: unknown;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isRecord(body)) {
    if (typeof body.request_id === 'string' && body.request_id) requestId = body.request_id;
    const err = body.error;
    if (isRecord(err)) {
      const fields: FieldErrors = {};
      if (isRecord(err.fields)) {
        for (const [k, v] of Object.entries(err.fields)) {
          if (typeof v === 'string') fields[k] = v;
        }
      }
      const problems: Record<string, FieldProblem> = {};
      if (isRecord(err.problems)) {
        for (const [k, v] of Object.entries(err.problems)) {
          const p = asProblem(v);
          if (p) problems[k] = p;
        }
      }
      const errCode = typeof err.code === 'string' && err.code ? err.code : code;
      const message =
        typeof err.message === 'string' && err.message
          ? err.message
          : (MESSAGES[errCode] ?? `Request failed (${res.status}).`);
      return new ApiError({
        status: res.status,
        code: errCode,
        message,
        fields,
        problems,
        conflict: asProblem(err.conflict),
        requestId,
        retryAfter,
        body,
      });
    }
  }
  const message =
    MESSAGES[code] ??
    (res.status >= 500
      ? `The server had a problem (${res.status}). Please try again.`
      : `Request failed (${res.status}).`);
  return new ApiError({ status: res.status, code, message, requestId, retryAfter, body });
}

function asProblem(v: unknown): FieldProblem | null {
  return isRecord(v) && typeof v.code === 'string'
    ? { code: v.code, params: isRecord(v.params) ? v.params : {} }
    : null;
}

/** Any thrown value as an ApiError, for showing it. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error && err.message ? err.message : 'Something went wrong.';
  return new ApiError({ status: 0, code: 'unexpected', message });
}

/** What to tell the user about a refusal: the first field's problem when
 * the server named one, else the message. */
export function problemText(err: unknown): string {
  const e = toApiError(err);
  return Object.values(e.fields)[0] ?? e.message;
}

function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

// ---------------------------------------------------------------------------
// Session: the access token (memory only) and who wants to know about changes.

let accessToken: string | null = null;
/** When the access token expires (ms since the epoch), by the server's word. */
let accessExpiresAt: number | null = null;

export type SessionListener = (session: Session | null) => void;
const listeners = new Set<SessionListener>();

/** Calls `fn` whenever a session starts, is refreshed, or ends (null). */
export function onSessionChange(fn: SessionListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Installs a new session (login, invitation accepted, refresh) or ends it. */
export function setSession(session: Session | null): void {
  accessToken = session?.access_token ?? null;
  const expires = session ? Date.parse(session.expires_at) : NaN;
  accessExpiresAt = Number.isNaN(expires) ? null : expires;
  for (const fn of listeners) fn(session);
}

/** The current access token, for the websocket's first frame. Never store it. */
export function currentAccessToken(): string | null {
  return accessToken;
}

/** When the current access token expires (ms since the epoch), so that a
 * long-lived socket can refresh it in time. */
export function currentAccessExpiry(): number | null {
  return accessExpiresAt;
}

// ---------------------------------------------------------------------------
// Refresh: single-flight within the tab (one promise) and across tabs (a Web
// Lock), because the server rotates the refresh cookie on every use.

const REFRESH_LOCK = 'doska-refresh';
let refreshing: Promise<Session> | null = null;

function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (locks && typeof locks.request === 'function') {
    // Once we hold the lock another tab may just have rotated the cookie. Its
    // new access token is not ours to know, so we refresh anyway: the browser
    // now sends the successor cookie, and the server's grace window covers a
    // request that still carried the predecessor.
    return locks.request(REFRESH_LOCK, () => fn());
  }
  return fn();
}

async function postRefresh(): Promise<Session> {
  // An empty JSON object: the cookie endpoints accept only POST + JSON.
  const res = await send('/api/auth/refresh', { method: 'POST', body: {} }, null);
  if (!res.ok) throw await parseError(res);
  // 204: no refresh cookie was sent. Not signed in, told without an error
  // status so that a visitor's page load logs nothing.
  if (res.status === 204) throw new ApiError({ status: 401, code: 'unauthenticated', message: 'Please sign in.' });
  return (await parseBody(res)) as Session;
}

/** Gets a new access token with the refresh cookie. Concurrent callers share
 * one request. A 401/403 answer ends the session (listeners get null); other
 * failures (network, 503) leave it as it is. */
export function refreshSession(): Promise<Session> {
  if (!refreshing) {
    refreshing = withRefreshLock(postRefresh)
      .then(
        (session) => {
          setSession(session);
          return session;
        },
        (err: unknown) => {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setSession(null);
          throw err;
        },
      )
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

// ---------------------------------------------------------------------------
// Requests.

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON when present. */
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Send the access token and refresh on 401 (default true). */
  auth?: boolean;
  /** A command the server carries out once per Idempotency-Key: it gets a
   * key, and when the network loses the answer it is sent again with the
   * same key (docs/API.md, Conventions). */
  idempotent?: boolean;
}

/** Waits before each resend of a command whose answer the network lost. */
export const RESEND_DELAYS_MS = [500, 1500];

/** 128 random bits in hex. crypto.getRandomValues, unlike randomUUID, also
 * works on a plain-http site. */
export function idempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

async function send(url: string, opts: RequestOptions, token: string | null, key?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key) headers['Idempotency-Key'] = key;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(url, {
      method: opts.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError({ status: 0, code: 'network', message: NETWORK_ERROR_MESSAGE });
  }
}

async function parseBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError({
      status: res.status,
      code: 'bad_response',
      message: 'The server sent an answer Doska could not read.',
      requestId: res.headers.get('X-Request-Id'),
    });
  }
}

/** Sends a request; a command with a key is sent again, with the same key,
 * while the network fails (the server may have carried it out already). */
async function sendCommand(url: string, opts: RequestOptions, token: string | null, key?: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(url, opts, token, key);
    } catch (err) {
      const delay = RESEND_DELAYS_MS[attempt];
      if (!key || delay === undefined || !(err instanceof ApiError) || err.code !== 'network') throw err;
      await sleep(delay, opts.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Sends one API request and decodes the JSON answer (undefined for 204).
 * Throws ApiError for every non-2xx answer and for network failures; an
 * aborted request rethrows the AbortError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await answer(path, opts);
  return (await parseBody(res)) as T;
}

/** Reads a file the API serves (an attachment, a thumbnail) as a Blob,
 * with the access token a plain link could not carry. */
export async function requestBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const res = await answer(path, { signal });
  return res.blob();
}

/** The successful answer to a request, after one refresh of the session
 * when it had ended. */
async function answer(path: string, opts: RequestOptions): Promise<Response> {
  const auth = opts.auth ?? true;
  const url = withQuery(path, opts.query);
  const key = opts.idempotent ? idempotencyKey() : undefined;
  const res = await withFreshToken(auth, (token) => sendCommand(url, opts, token, key));
  if (!res.ok) throw await parseError(res);
  return res;
}

/** Sends with the access token (or none, without auth); on a 401 the
 * session is refreshed, unless someone did since, and the request is sent
 * again exactly once. */
export async function withFreshToken(
  auth: boolean,
  sendWith: (token: string | null) => Promise<Response>,
): Promise<Response> {
  const tokenUsed = auth ? accessToken : null;
  const res = await sendWith(tokenUsed);
  if (res.status !== 401 || !auth) return res;
  if (accessToken === tokenUsed) {
    try {
      await refreshSession();
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401 && err.status !== 403) throw err;
      throw await parseError(res);
    }
  }
  return sendWith(accessToken);
}
