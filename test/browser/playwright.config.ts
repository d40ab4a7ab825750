// The dashboard's browser tests: Chromium from Debian's package (Playwright's own download is out of
// reach on these machines; CHROMIUM_PATH points elsewhere), one server per test, started from the
// built CLI. `npm run test:browser` runs them.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../.tap/playwright',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // CI runs as root, where Chromium's sandbox cannot start.
      args: ['--no-sandbox']
    },
    trace: 'off'
  }
})
