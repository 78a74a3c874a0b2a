// Debian's Chromium, headless, driven by playwright-core. The flags keep it off the
// network (this machine's network is closed) and out of any profile.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 820, height: 1180 },
  desktop: { width: 1440, height: 900 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Saves a screenshot under e2e/test-results/ for people to look at. */
export async function screenshot(page, name) {
  const dir = new URL('../test-results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: true });
}

/** Signs in through the real form. */
export async function signIn(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
