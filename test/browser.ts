/**
 * The cabinet in a real browser for the e2e tests (docs/cabinet.md, "Tests"): the production build
 * of web/ (built once per run), served by `vite preview` with `/graphql` passed on to a test graph's
 * gateway, and Debian's Chromium driven by playwright-core. No browser is downloaded: without
 * /usr/bin/chromium the browser tests are skipped with that reason (.ci/run installs it first).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

const run = promisify(execFile);

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests cannot run here, or null when they can. */
export const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`;

const configFile = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));
/** Screenshots of each screen, test artifacts (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../test-results/cabinet/', import.meta.url));

// The flags the machine needs: no sandbox as root, no GPU, and no calls home (refused here, slowly).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Cabinet {
  url: string;
  browser: Browser;
  /** A browser context of its own (cookies, storage, sockets): one person. */
  person(): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the cabinet, serves it in front of `gatewayBase` and starts Chromium. */
export async function startCabinet(gatewayBase: string): Promise<Cabinet> {
  // In a process of its own: vitest's NODE_ENV=test would give a development build.
  await run(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--config', configFile, '--logLevel', 'warn'], { env: { ...process.env, NODE_ENV: 'production' } });
  const server: PreviewServer = await preview({ configFile, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1', proxy: { '/graphql': { target: gatewayBase, ws: true } } } });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    url,
    browser,
    async person() {
      const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1100, height: 800 } });
      // A step that cannot happen fails in seconds, inside the test's own time.
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      page.on('console', (message) => message.type() === 'error' && console.log(`[browser] ${message.text()}`));
      return { context, page };
    },
    screenshot: (page, name) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true }).then(() => {}),
    async stop() {
      await browser.close();
      await server.close();
    },
  };
}
