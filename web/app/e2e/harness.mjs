// Starts what the browser tests drive: a database of their own, the real
// orchestrator binary (`all`: server, workers and the built-in Workspace
// emulator with the demo workspace) on free loopback ports, and headless
// Chromium from Debian's package through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

/** Where screenshots go (a CI artifact). */
export const artifacts = resolve(process.env.WEB_ARTIFACTS ?? join(root, 'bin/web-artifacts'));
const bin = resolve(process.env.ORCHESTRATOR_BIN ?? join(root, 'bin/orchestrator'));
const pgAdmin = process.env.WEB_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisURL = process.env.WEB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
export const demoUser = 'demo@example.com';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function psql(sql, db = pgAdmin) {
  execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** startServer runs the orchestrator against a fresh database; stop() removes both. */
export async function startServer() {
  const db = `orchestrator_web_${process.pid}_${Date.now() % 100000}`;
  psql(`CREATE DATABASE ${db}`);
  const dbURL = pgAdmin.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
  psql('CREATE EXTENSION IF NOT EXISTS vector', dbURL);
  const [http, emu] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATABASE_URL: dbURL + (dbURL.includes('?') ? '' : '?sslmode=disable'),
    REDIS_URL: redisURL,
    HTTP_ADDR: `127.0.0.1:${http}`,
    EMULATOR_ADDR: `127.0.0.1:${emu}`,
    DEMO_USER: demoUser,
    GOOGLE_URL: '',
    LLM_PROVIDER: 'offline',
    EMBEDDER: 'offline',
    LOG_LEVEL: 'warn',
    // The tests ask 4 times before the one that runs into this limit.
    ASK_RATE_PER_HOUR: '6',
  };
  execFileSync(bin, ['migrate', 'up'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(artifacts, { recursive: true });
  const proc = spawn(bin, ['all'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${http}`;
  const emulator = `http://127.0.0.1:${emu}`;
  await until(async () => (await fetch(`${url}/readyz`)).ok, 30_000, 'the server to be ready');
  const token = execFileSync(bin, ['token', '--email', demoUser], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  // A whole session of screens spends more than the free plan's 100
  // request units an hour; the tests are about the screens, not the budget.
  psql(`UPDATE users SET plan = 'enterprise' WHERE email = '${demoUser}'`, dbURL);
  // The demo workspace syncs at start; the tests browse it.
  await until(
    async () => {
      const d = await gql(url, token, '{ syncStatus { state itemCount } }');
      return d.syncStatus.every((s) => s.state === 'IDLE' && s.itemCount > 0);
    },
    120_000,
    'the demo workspace to sync',
  );
  return {
    url,
    emulator,
    token,
    stop() {
      proc.kill('SIGTERM');
      return new Promise((ok) => {
        const done = () => {
          try {
            psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
          } catch {}
          ok();
        };
        if (proc.exitCode !== null) done();
        else proc.once('exit', done);
      });
    },
  };
}

export async function gql(url, token, query, variables = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function until(f, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await f()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** launch starts Debian's Chromium (CHROMIUM overrides the path); no browser is downloaded. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** shot saves a full-page screenshot as an artifact. */
export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

const axeSource = join(root, 'web/app/node_modules/axe-core/axe.min.js');

/** axe runs axe-core on the page and returns its serious and critical violations. */
export async function axe(page) {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
