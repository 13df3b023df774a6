import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { ARTIFACTS, BrowserSession, openBrowser } from '../../support/browser';
import { endpoint, testIp } from '../../support/console';

const origin = () => endpoint().replace(/\/v1$/, '');

/** A console-authenticated API call with the browser's own session cookie (what the console then holds). */
async function asConsole<T>(cookie: string, pathname: string, project = 'console'): Promise<{ status: number; body: T }> {
  const res = await fetch(`${endpoint()}${pathname}`, { headers: { cookie, 'x-appwrite-project': project, ...(project === 'console' ? {} : { 'x-appwrite-mode': 'admin' }) } });
  return { status: res.status, body: (await res.json()) as T };
}

describe('web console: served beside the API', () => {
  it('answers its page for console paths, never cached, and sends 1.3 paths to it', async () => {
    for (const pathname of ['/console', '/console/login', '/console/project-abc/databases']) {
      const res = await fetch(`${origin()}${pathname}`);
      expect([pathname, res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([pathname, 200, 'text/html; charset=utf-8', 'no-cache']);
      expect(await res.text()).toContain('/console/_app/immutable/');
    }
    for (const [from, to] of [['/', '/console'], ['/login', '/console/login'], ['/register?x=1', '/console/register?x=1'], ['/auth/oauth2/success', '/console/auth/oauth2/success']]) {
      const res = await fetch(`${origin()}${from}`, { redirect: 'manual' });
      expect([from, res.status, res.headers.get('location')]).toEqual([from, 302, to]);
    }
  });

  it('caches hashed assets for a year, compressed, and 404s a missing one', async () => {
    const html = await (await fetch(`${origin()}/console`)).text();
    const asset = html.match(/\/console\/_app\/immutable\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const res = await fetch(`${origin()}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    expect((await fetch(`${origin()}/console/_app/immutable/entry/missing-0000.js`)).status).toBe(404);
  });

  it('leaves /v1 with the API', async () => {
    const version = await fetch(`${endpoint()}/health/version`);
    expect([version.status, version.headers.get('content-type')]).toEqual([200, expect.stringContaining('application/json')]);
    const unknown = await fetch(`${endpoint()}/no-such-route`);
    expect([unknown.status, ((await unknown.json()) as { type: string }).type]).toEqual([404, 'general_route_not_found']);
  });
});

describe('web console in Chromium: register → onboarding → project → database', () => {
  let browser: BrowserSession;
  const email = `ui-${Date.now().toString(36)}@example.test`;
  const password = 'console-pass-1234';
  const initialScripts = new Map<string, number>();

  beforeAll(async () => {
    browser = await openBrowser('console', { 'x-forwarded-for': testIp() });
  });

  afterAll(async () => {
    if (browser?.errors.length) console.error(`console page errors:\n${browser.errors.join('\n')}`);
    await browser?.close();
  });

  const cookie = async (): Promise<string> => {
    const cookies = await browser.context.cookies(origin());
    return cookies.filter((c) => c.name.startsWith('a_session_console')).map((c) => `${c.name}=${c.value}`).join('; ');
  };

  it('registers from the keyboard and lands on onboarding', async () => {
    const { page } = browser;
    // Initial JavaScript: every script the first page load fetches, gzipped (level 9), in KB.
    const sizes: Promise<void>[] = [];
    const onResponse = (response: import('playwright-core').Response) => {
      if (response.request().resourceType() !== 'script') return;
      sizes.push(response.body().then((body) => void initialScripts.set(new URL(response.url()).pathname, gzipSync(body, { level: 9 }).length)));
    };
    page.on('response', onResponse);
    await page.goto(`${origin()}/register`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    await Promise.all(sizes);
    await browser.screenshot('01-register');
    const initialKb = [...initialScripts.values()].reduce((a, b) => a + b, 0) / 1024;
    writeFileSync(path.join(ARTIFACTS, 'console', 'initial-js.json'), JSON.stringify({ scripts: Object.fromEntries(initialScripts), gzippedKb: Number(initialKb.toFixed(1)) }, null, 2));
    console.log(`console initial JavaScript: ${initialScripts.size} scripts, ${initialKb.toFixed(1)} KB gzipped`);
    expect(initialScripts.size).toBeGreaterThan(0);
    expect(initialKb).toBeLessThan(250);

    await page.getByLabel('Name').focus();
    await page.keyboard.type('Ada Console');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create your first project' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/onboarding');
    await browser.screenshot('02-onboarding');
  });

  it('creates the first organization and project and opens its overview', async () => {
    const { page } = browser;
    await page.getByLabel('Organization name').fill('Ada organization');
    await page.getByLabel('Project name').fill('Ada project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Ada project' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/project-[a-z0-9]+$/);
    const nav = page.getByRole('navigation', { name: 'Project' });
    for (const label of ['Overview', 'Auth', 'Databases', 'Storage', 'Functions', 'Settings']) await nav.getByRole('link', { name: label }).waitFor();
    await browser.screenshot('03-project-overview');

    const teams = await asConsole<{ total: number; teams: { $id: string; name: string }[] }>(await cookie(), '/teams');
    expect(teams.body.teams.map((t) => t.name)).toEqual(['Ada organization']);
    const projects = await asConsole<{ projects: { $id: string; name: string; teamId: string }[] }>(await cookie(), '/projects');
    expect(projects.body.projects).toEqual([expect.objectContaining({ name: 'Ada project', teamId: teams.body.teams[0].$id })]);
    expect(page.url()).toContain(`/console/project-${projects.body.projects[0].$id}`);
  });

  it('shows an empty state for a section not built yet', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('heading', { name: 'Storage is not in the console yet' }).waitFor();
    await browser.screenshot('04-section-empty');
  });

  it('creates a database, shows the API error of a bad one, and the API holds exactly the good one', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('heading', { name: 'No databases yet' }).waitFor();
    await browser.screenshot('05-databases-empty');

    await page.getByRole('button', { name: 'Create database' }).click();
    await page.getByLabel('Name').fill('Bad one');
    await page.getByLabel('Database ID (optional)').fill('-not-valid');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const alert = page.getByRole('form', { name: 'Create database' }).getByRole('alert');
    await alert.waitFor();
    const projectId = new URL(page.url()).pathname.split('/')[2].replace(/^project-/, '');
    const direct = await fetch(`${endpoint()}/databases`, { method: 'POST', headers: { cookie: await cookie(), 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-mode': 'admin' }, body: JSON.stringify({ databaseId: '-not-valid', name: 'Bad one' }) });
    const error = (await direct.json()) as { message: string; code: number };
    expect(error.code).toBe(400);
    expect((await alert.textContent())?.trim()).toBe(error.message);
    await browser.screenshot('06-database-error');

    await page.getByLabel('Name').fill('Orders');
    await page.getByLabel('Database ID (optional)').fill('orders');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('link', { name: 'Orders' }).waitFor();
    await expect(page.getByRole('cell', { name: 'orders', exact: true }).textContent()).resolves.toBe('orders');
    await browser.screenshot('07-databases-list');

    const held = await asConsole<{ total: number; databases: { $id: string; name: string }[] }>(await cookie(), '/databases', projectId);
    expect([held.status, held.body.total, held.body.databases.map((d) => [d.$id, d.name])]).toEqual([200, 1, [['orders', 'Orders']]]);

    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { name: 'No collections yet' }).waitFor();
    await browser.screenshot('08-database-collections');
  });

  it('signs out, signs back in and finds the project in its organization', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await cookie()).toBe('');
    await browser.screenshot('09-login');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong-password-0');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refused = await fetch(`${endpoint()}/account/sessions/email`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-appwrite-project': 'console', 'x-forwarded-for': testIp() }, body: JSON.stringify({ email, password: 'wrong-password-0' }) });
    const refusal = (await refused.json()) as { message: string; type: string };
    expect(refusal.type).toBe('user_invalid_credentials');
    expect((await page.getByRole('alert').textContent())?.trim()).toBe(refusal.message);

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /Ada project/ }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/organization-[a-z0-9]+$/);
    await browser.screenshot('10-projects');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await browser.screenshot('11-projects-dark');
  });

  it('raised no uncaught error in the page along the way', () => {
    expect(browser.errors).toEqual([]);
  });
});
