// Starts the real circlework binary on a free port against a fresh SQLite file (or the
// PostgreSQL database in CIRCLEWORK_E2E_DATABASE_URL), and stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const BIN = process.env.CIRCLEWORK_BIN ?? new URL('../../target/debug/circlework', import.meta.url).pathname;
export const DEMO_PASSWORD = 'circlework-demo';

/** Runs `circlework <args>` to completion and returns its stdout. */
export function circlework(args, input) {
  const result = spawnSync(BIN, args, { input, encoding: 'utf8', env: cleanEnv() });
  if (result.status !== 0) {
    throw new Error(`circlework ${args.join(' ')} failed: ${result.stderr}`);
  }
  return result.stdout;
}

function cleanEnv() {
  const env = { ...process.env };
  delete env.CIRCLEWORK_DATABASE_URL;
  delete env.CIRCLEWORK_BIND;
  return env;
}

/**
 * Starts `circlework <command>` (demo or serve) on a fresh database and resolves once it
 * prints its address. `prepare(databaseUrl)` runs first, e.g. to create the first admin.
 */
export async function startServer(command = 'demo', { prepare } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'circlework-e2e-'));
  const databaseUrl = `sqlite://${join(dir, 'e2e.db')}`;
  if (prepare) prepare(databaseUrl);
  const child = spawn(BIN, [command, '--database-url', databaseUrl, '--bind', '127.0.0.1:0'], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const lines = createInterface({ input: child.stdout });
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000);
    lines.on('line', (line) => {
      const match = line.match(/serving on (http:\/\/\S+?)\/?\s/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl,
    databaseUrl,
    logs: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
