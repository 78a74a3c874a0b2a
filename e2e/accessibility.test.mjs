// Every page a demo user reaches passes an axe-core audit with no serious or critical
// violation, at phone and desktop sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './lib/server.mjs';
import { launch, signIn, VIEWPORTS } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

let server;
let browser;

before(async () => {
  server = await startServer('demo');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function audit(page, path) {
  await page.goto(`${server.baseUrl}${path}`);
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${path}: ${violations.join('\n')}`);
}

for (const size of ['phone', 'desktop']) {
  test(`public and facilitator pages have no serious accessibility violations (${size})`, async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS[size] });
    await audit(page, '/');
    await audit(page, '/login');
    await signIn(page, server.baseUrl, 'demo.facilitator', DEMO_PASSWORD);
    await page.waitForURL(`${server.baseUrl}/home`);
    await audit(page, '/home');
    const groupHref = await page.getByRole('link', { name: "Men's Reentry Circle" }).first().getAttribute('href');
    await audit(page, groupHref);
    const memberHref = await page.locator('a[href^="/members/"]').first().getAttribute('href');
    const sessionHref = await page.locator('a[href^="/sessions/"]').first().getAttribute('href');
    const rosterHref = await page.locator('a[href*="/roster/"]:not([href$="/new"])').first().getAttribute('href');
    await audit(page, memberHref);
    // The session page with its attendance grid, the roster and set-up forms, the list.
    await audit(page, sessionHref);
    await audit(page, rosterHref);
    await audit(page, `${groupHref}/roster/new`);
    await audit(page, `${groupHref}/edit`);
    await audit(page, '/groups');
    await audit(page, '/account');
    await page.close();
  });

  test(`administration pages have no serious accessibility violations (${size})`, async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS[size] });
    await signIn(page, server.baseUrl, 'demo.admin', DEMO_PASSWORD);
    await page.waitForURL(`${server.baseUrl}/home`);
    for (const path of ['/admin', '/admin/settings', '/admin/programs', '/admin/users', '/audit', '/groups/new']) {
      await audit(page, path);
    }
    const userHref = await page.goto(`${server.baseUrl}/admin/users`).then(() =>
      page.locator('a[href^="/admin/users/"]').first().getAttribute('href'));
    await audit(page, userHref);
    await page.close();
  });
}
