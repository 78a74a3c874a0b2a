// Smoke test: the demo starts, the demo facilitator signs in through the real form in
// Chromium and sees the group list; every viewport renders without horizontal scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './lib/server.mjs';
import { launch, screenshot, signIn, VIEWPORTS } from './lib/browser.mjs';

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

test('the demo facilitator signs in and sees the group list', async () => {
  const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
  await signIn(page, server.baseUrl, 'demo.facilitator', DEMO_PASSWORD);
  await page.waitForURL(`${server.baseUrl}/home`);
  const groups = page.getByRole('table');
  await groups.waitFor();
  assert.match(await groups.innerText(), /Men's Reentry Circle/);
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Jordan Avery/);
  await screenshot(page, 'home-desktop');

  await page.getByRole('link', { name: "Men's Reentry Circle" }).first().click();
  await page.waitForURL(/\/groups\/\d+$/);
  assert.match(await page.locator('main').innerText(), /Roster/);
  await page.close();
});

test('a wrong password shows a clear message and keeps the username', async () => {
  const page = await browser.newPage({ viewport: VIEWPORTS.phone });
  await signIn(page, server.baseUrl, 'demo.facilitator', 'not the right password');
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /do not match/);
  assert.equal(await page.getByLabel('Username').inputValue(), 'demo.facilitator');
  await page.close();
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`home renders at ${name} size without horizontal scrolling`, async () => {
    const page = await browser.newPage({ viewport });
    await signIn(page, server.baseUrl, 'demo.supervisor', DEMO_PASSWORD);
    await page.waitForURL(`${server.baseUrl}/home`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the ${name} viewport`);
    await screenshot(page, `home-${name}`);
    await page.close();
  });
}
