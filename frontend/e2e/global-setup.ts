// Starts the real Doska binary (../bin/doska, built by `make test`) on a
// private PostgreSQL with the demo data set, for the browser tests. With
// DOSKA_E2E_URL set from outside, that server is used instead.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DOSKA_E2E_START !== '1') return;
  const url = process.env.DOSKA_E2E_URL!;
  const binary = process.env.DOSKA_BIN || path.join(root, 'bin', 'doska');
  if (!existsSync(binary)) throw new Error(`${binary} not found: run make build (make test does it)`);
  // /dev/shm keeps the throw-away cluster in memory where available.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const data = mkdtempSync(path.join(base, 'doska-e2e-'));
  const log = openSync(path.join(data, 'doska.log'), 'a');
  const server = spawn(binary, [], {
    env: {
      ...process.env,
      DOSKA_ADDR: new URL(url).host,
      DOSKA_SITE_URL: url,
      DOSKA_DATA: data,
      DOSKA_DEMO: '1',
      DOSKA_LOG_FORMAT: 'json',
      DATABASE_URL: '',
    },
    stdio: ['ignore', log, log],
  });
  let exited = false;
  server.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`doska exited at start; see ${path.join(data, 'doska.log')}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`doska not ready after 60 s; see ${path.join(data, 'doska.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return async () => {
    if (!exited) {
      const stopped = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await stopped;
    }
    if (process.env.DOSKA_E2E_KEEP !== '1') rmSync(data, { recursive: true, force: true });
  };
}
