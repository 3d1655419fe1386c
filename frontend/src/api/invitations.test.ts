import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentAccessToken, setSession } from './client';
import { acceptInvitation, lookupInvitation, tokenFromHash } from './invitations';

describe('invitation links', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromHash('abc')).toBe('abc');
    expect(tokenFromHash('#')).toBe('');
    expect(tokenFromHash('')).toBe('');
    expect(tokenFromHash('#a%20b')).toBe('a b');
    expect(tokenFromHash('#%E0%A4%A')).toBe('%E0%A4%A');
  });
});

describe('invitation token endpoints', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    setSession(null);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('posts the token in the body, never in the URL, without a bearer token', async () => {
    setSession({ access_token: 'someone-else', expires_at: '', user: {} as never });
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({ email: 'a@b.c', role: 'client', client_name: 'Acme', expires_at: '2030-01-01T00:00:00Z' }),
        {
          status: 200,
        },
      ),
    );
    await lookupInvitation('tok123');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/invitations/lookup');
    expect(url).not.toContain('tok123');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ token: 'tok123' });
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('accepting installs the new session', async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ access_token: 'fresh', expires_at: '2030-01-01T00:00:00Z', user: { id: 9 } }), {
        status: 200,
      }),
    );
    await acceptInvitation('tok', { name: 'Bob', password: 'a long passphrase' });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/invitations/accept');
    expect(JSON.parse(init.body as string)).toEqual({ token: 'tok', name: 'Bob', password: 'a long passphrase' });
    expect(currentAccessToken()).toBe('fresh');
  });
});
