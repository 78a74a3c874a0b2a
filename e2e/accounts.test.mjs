// Accounts end to end in Chromium: the first admin (made with `circlework user add`) sets
// the lockout threshold, creates a program and a facilitator; the facilitator signs in, is
// locked out after the configured failures; the admin unlocks them; the audit viewer shows it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, circlework } from './lib/server.mjs';
import { launch, screenshot, signIn, VIEWPORTS } from './lib/browser.mjs';

const ADMIN = { username: 'first.admin', password: 'a long admin passphrase' };
const LOCKOUT = 3;

let server;
let browser;

before(async () => {
  server = await startServer('serve', {
    prepare: (databaseUrl) => circlework(
      ['user', 'add', '--database-url', databaseUrl, '--username', ADMIN.username,
        '--display-name', 'First Admin', '--role', 'admin', '--password-stdin'],
      `${ADMIN.password}\n`,
    ),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('admin creates a facilitator who is locked out, then unlocked, and the audit log shows it', async () => {
  const admin = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
  await signIn(admin, server.baseUrl, ADMIN.username, ADMIN.password);
  await admin.waitForURL(`${server.baseUrl}/home`);

  // Configure the lockout threshold.
  await admin.getByRole('link', { name: 'Administration' }).click();
  await admin.getByRole('link', { name: 'Organisation settings' }).click();
  await admin.getByLabel('Lock an account after this many failed sign-ins in a row').fill(String(LOCKOUT));
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await admin.getByText('Settings saved.').waitFor();

  // A program, then a facilitator in it with a generated password.
  await admin.goto(`${server.baseUrl}/admin/programs`);
  await admin.getByLabel('Name', { exact: true }).fill('Reentry and Recovery');
  await admin.getByRole('button', { name: 'Create program' }).click();
  await admin.getByText('Program “Reentry and Recovery” created.').waitFor();

  await admin.goto(`${server.baseUrl}/admin/users`);
  await admin.getByLabel(/^Username/).fill('riley.facilitator');
  await admin.getByLabel('Name shown to colleagues').fill('Riley Chen');
  await admin.getByLabel('Role').selectOption('facilitator');
  await admin.getByLabel('Reentry and Recovery').check();
  await admin.getByRole('button', { name: 'Add user' }).click();
  const password = (await admin.locator('code.secret').innerText()).trim();
  assert.equal(password.length, 20);
  await screenshot(admin, 'admin-user-created');

  // The facilitator signs in, signs out, then mistypes until locked.
  const facilitator = await (await browser.newContext({ viewport: VIEWPORTS.tablet })).newPage();
  await signIn(facilitator, server.baseUrl, 'riley.facilitator', password);
  await facilitator.waitForURL(`${server.baseUrl}/home`);
  await facilitator.getByRole('button', { name: 'Sign out' }).click();
  await facilitator.waitForURL(`${server.baseUrl}/`);
  for (let attempt = 1; attempt <= LOCKOUT; attempt += 1) {
    await signIn(facilitator, server.baseUrl, 'riley.facilitator', `wrong password ${attempt}`);
    await facilitator.getByRole('alert').waitFor();
  }
  assert.match(await facilitator.getByRole('alert').innerText(), /locked/);
  await signIn(facilitator, server.baseUrl, 'riley.facilitator', password);
  assert.match(await facilitator.getByRole('alert').innerText(), /Ask an administrator to unlock it/);
  await screenshot(facilitator, 'facilitator-locked');

  // The admin sees the lock and lifts it.
  await admin.goto(`${server.baseUrl}/admin/users`);
  await admin.getByRole('row', { name: /riley\.facilitator/ }).getByText('locked').waitFor();
  await admin.getByRole('link', { name: 'riley.facilitator' }).click();
  await admin.getByRole('button', { name: 'Unlock account' }).click();
  await admin.getByText('Account unlocked.').waitFor();

  await signIn(facilitator, server.baseUrl, 'riley.facilitator', password);
  await facilitator.waitForURL(`${server.baseUrl}/home`);

  // The audit viewer, filtered to the facilitator's account, tells the story.
  await admin.getByRole('link', { name: 'Audit log' }).click();
  await admin.getByLabel('User').selectOption({ label: 'Riley Chen (riley.facilitator)' });
  await admin.getByRole('button', { name: 'Filter' }).click();
  const rows = await admin.getByRole('table').innerText();
  for (const action of ['sign-in', 'sign-in-failed', 'sign-out']) {
    assert.match(rows, new RegExp(`\\b${action}\\b`), `${action} is in the audit log`);
  }
  await admin.getByLabel('User').selectOption({ label: 'Anyone' });
  await admin.getByRole('button', { name: 'Filter' }).click();
  const all = await admin.getByRole('table').innerText();
  for (const action of ['lockout', 'unlock', 'create', 'update']) {
    assert.match(all, new RegExp(`\\b${action}\\b`), `${action} is in the audit log`);
  }
  assert.match(all, /riley\.facilitator as facilitator/);
  await screenshot(admin, 'audit-log');
});

test('the audit chain of this run verifies', () => {
  const out = circlework(['audit', 'verify', '--database-url', server.databaseUrl]);
  assert.match(out, /intact/);
});
