import { defineConfig } from '@playwright/test';

// Browser tests run in the system Chromium (Debian's /usr/bin/chromium);
// Playwright never downloads a browser here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
// e2e/global-setup.ts starts the real server on a free port with the demo
// data set, unless DOSKA_E2E_URL names one already running. The choice is
// made here, once, and inherited by the test workers through the environment.
if (!process.env.DOSKA_E2E_URL) {
  process.env.DOSKA_E2E_URL = `http://127.0.0.1:${20000 + Math.floor(Math.random() * 20000)}`;
  process.env.DOSKA_E2E_START = '1';
}
const baseURL = process.env.DOSKA_E2E_URL;

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous waits: a loaded CI machine is slow, and a wait that passes
  // costs nothing extra; only a failing one runs to the end.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    // The app follows the browser's language; the specs read English.
    locale: 'en-US',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
