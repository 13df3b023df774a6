import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the suite never downloads a browser. */
export const CHROMIUM = process.env.APPCONDA_E2E_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots and measurements of the browser tests (gitignored). */
export const ARTIFACTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console.error lines of the page, for the test to assert there are none. */
  errors: string[];
  /** Writes a full-page screenshot to test-artifacts/<folder>/<name>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A headless Chromium with a fresh profile of its own (removed on close). `headers` go with every
 * request, e.g. an X-Forwarded-For of the test's own so per-IP abuse limits never collide.
 */
export async function openBrowser(folder: string, headers: Record<string, string> = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'appconda-chromium-'));
  const shots = path.join(ARTIFACTS, folder);
  mkdirSync(shots, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport: { width: 1280, height: 800 }, extraHTTPHeaders: headers });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // Failed API calls the test provokes on purpose are logged by the browser as failed resources.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    screenshot: async (name) => void (await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
