import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_PAGE_PROBLEMS, firstPageKeys, pickMessages } from './messages-split.ts';

const root = import.meta.dirname;

describe('the first page’s messages', () => {
  const first = firstPageKeys(root);

  it('are those the sign-in and invitation pages use, with what they import', () => {
    expect(first).toContain('auth_title_sign_in'); // Login.svelte
    expect(first).toContain('auth_invite_expires'); // AcceptInvite.svelte
    expect(first).toContain('error_network'); // i18n/errors.ts, through api/client
    expect(first).toContain('role_client'); // i18n/terms.ts
    expect(first).not.toContain('settings_title'); // a signed-in page
    // Read by the server's code, never as m.<key>: the forms' field problems.
    expect(first).toContain('field_password_too_short');
    expect(first).not.toContain('field_title_required');
  });

  it('follow static imports only, not types or pages loaded later', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'messages-split-'));
    mkdirSync(path.join(dir, 'src', 'auth'), { recursive: true });
    mkdirSync(path.join(dir, 'src', 'shell'), { recursive: true });
    mkdirSync(path.join(dir, 'src', 'lib'), { recursive: true });
    const write = (file: string, text: string) => writeFileSync(path.join(dir, 'src', file), text);
    write(
      'auth/Login.svelte',
      `<script lang="ts">
        import { thing } from '../lib/used.svelte';
        import type { T } from '../lib/typeonly';
        const page = () => import('../lib/later');
      </script>{m.auth_a()}`,
    );
    write('auth/AcceptInvite.svelte', '');
    write('shell/Splash.svelte', '');
    write('lib/used.svelte.ts', 'export const thing = () => m.lib_used();');
    write('lib/typeonly.ts', 'export type T = ReturnType<typeof m.lib_type>;');
    write('lib/later.ts', 'm.lib_later();');
    const problems = FIRST_PAGE_PROBLEMS.map((code) => `field_${code}`);
    expect([...firstPageKeys(dir)].sort()).toEqual(['auth_a', 'lib_used', ...problems].sort());
  });

  it('and the app’s split one compiled language in two, without loss', () => {
    const code = readFileSync(path.join(root, 'src', 'paraglide', 'messages', 'pl.js'), 'utf8');
    const keys = (c: string) => [...c.matchAll(/^export const (\w+) = /gm)].map((x) => x[1]);
    const firstPart = pickMessages(code, (k) => first.has(k));
    const appPart = pickMessages(code, (k) => !first.has(k));
    expect(keys(firstPart).length).toBeGreaterThan(0);
    expect(keys(appPart).length).toBeGreaterThan(0);
    expect([...keys(firstPart), ...keys(appPart)].sort()).toEqual(keys(code).sort());
    // Each part keeps the header: plural messages need the registry.
    expect(appPart).toContain('import * as registry from "../registry.js"');
    expect(firstPart).toContain('import * as registry from "../registry.js"');
  });
});
