// Third-party clients against the real server (`orchestrator all` with the
// built-in emulator and its demo workspace, on a database of its own):
// relay-compiler accepts @connection on every connection of the served
// schema; graphql-ws and graphql-sse stream a subscription; Apollo Client
// pages a connection with relayStylePagination.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { relayStylePagination } from '@apollo/client/utilities/index.js';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { createClient as createSSEClient } from 'graphql-sse';
import { createClient as createWSClient } from 'graphql-ws';
import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = resolve(process.env.ORCHESTRATOR_BIN ?? join(root, 'bin/orchestrator'));
const pgAdmin = process.env.CLIENTS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisURL = process.env.CLIENTS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const demoUser = 'demo@example.com';

let server; // { url, token, stop }

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

const psql = (sql, db = pgAdmin) =>
  execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });

async function until(check, ms, what, every = 250) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

async function post(query, variables = {}) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

before(async () => {
  const db = `orchestrator_clients_${process.pid}`;
  psql(`DROP DATABASE IF EXISTS ${db}`);
  psql(`CREATE DATABASE ${db}`);
  const dbURL = pgAdmin.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
  const [http, emu] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATABASE_URL: dbURL + (dbURL.includes('?') ? '' : '?sslmode=disable'),
    REDIS_URL: redisURL,
    HTTP_ADDR: `127.0.0.1:${http}`,
    EMULATOR_ADDR: `127.0.0.1:${emu}`,
    DEMO_USER: demoUser,
    GOOGLE_URL: '',
    LOG_LEVEL: 'warn',
  };
  execFileSync(bin, ['migrate', 'up'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const proc = spawn(bin, ['all'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${http}`;
  await until(async () => (await fetch(`${url}/readyz`)).ok, 60_000, 'the server');
  const token = execFileSync(bin, ['token', '--email', demoUser], { env }).toString().trim();
  server = {
    url,
    token,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((ok) => proc.once('exit', ok));
      psql(`DROP DATABASE IF EXISTS ${db}`);
    },
  };
  await until(
    async () => (await post('{ syncStatus { state itemCount } }')).data.syncStatus.every((s) => s.state === 'IDLE' && s.itemCount > 0),
    180_000,
    'the demo workspace to sync',
    2_000, // each poll is charged to the demo user's hourly request budget
  );
});

after(async () => server?.stop());

test('relay-compiler accepts @connection on every connection of the served schema', async () => {
  const { data } = await post(getIntrospectionQuery());
  writeFileSync(join(here, 'relay/schema.graphql'), printSchema(buildClientSchema(data)));
  rmSync(join(here, 'relay/__generated__'), { recursive: true, force: true });
  execFileSync(join(here, 'node_modules/.bin/relay-compiler'), [], { cwd: here, stdio: 'inherit' });
  // The pagination queries it wrote use the connections' cursor arguments.
  const forward = readFileSync(join(here, 'relay/__generated__/ConnectionsEmailsPaginationQuery.graphql.js'), 'utf8');
  assert.match(forward, /"after"/);
  const backward = readFileSync(join(here, 'relay/__generated__/ConnectionsMessagesPaginationQuery.graphql.js'), 'utf8');
  assert.match(backward, /"before"/);
});

test('graphql-ws streams a subscription', async () => {
  const client = createWSClient({
    url: server.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${server.token}` },
  });
  try {
    const times = [];
    for await (const ev of client.iterate({ query: 'subscription { serverTime }' })) {
      assert.equal(ev.errors, undefined);
      times.push(ev.data.serverTime);
      if (times.length === 2) break;
    }
    assert.ok(Date.parse(times[1]) >= Date.parse(times[0]));
  } finally {
    await client.dispose();
  }
});

test('graphql-sse streams a subscription', async () => {
  const client = createSSEClient({
    url: `${server.url}/graphql`,
    headers: { Authorization: `Bearer ${server.token}` },
  });
  try {
    const events = [];
    for await (const ev of client.iterate({ query: 'subscription { syncProgress { service state } }' })) {
      assert.equal(ev.errors, undefined);
      events.push(ev.data.syncProgress);
      if (events.length === 3) break;
    }
    assert.deepEqual(events.map((e) => e.service).sort(), ['CALENDAR', 'DRIVE', 'GMAIL']);
  } finally {
    client.dispose();
  }
});

test('Apollo Client pages a connection forward and backward', async () => {
  const client = new ApolloClient({
    link: new HttpLink({ uri: `${server.url}/graphql`, headers: { Authorization: `Bearer ${server.token}` } }),
    cache: new InMemoryCache({ typePolicies: { Query: { fields: { emails: relayStylePagination() } } } }),
  });
  const EMAILS = gql`
    query Emails($first: Int, $after: String) {
      emails(first: $first, after: $after) {
        edges { cursor node { id subject } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  `;
  const first = await client.query({ query: EMAILS, variables: { first: 3 } });
  assert.equal(first.data.emails.edges.length, 3);
  assert.equal(first.data.emails.pageInfo.hasNextPage, true);
  assert.equal(first.data.emails.pageInfo.hasPreviousPage, false);
  const more = await client.query({
    query: EMAILS,
    variables: { first: 3, after: first.data.emails.pageInfo.endCursor },
    fetchPolicy: 'network-only', // as fetchMore does: the cache holds the field already
  });
  // relayStylePagination answers from the cache: both pages, merged.
  const merged = more.data.emails;
  assert.equal(merged.edges.length, 6, 'relayStylePagination merged both pages');
  assert.equal(new Set(merged.edges.map((e) => e.node.id)).size, 6);

  const back = await client.query({
    query: gql`
      query Back($last: Int, $before: String) {
        emails(last: $last, before: $before) { edges { node { id } } pageInfo { hasPreviousPage startCursor } }
      }
    `,
    variables: { last: 3, before: merged.edges[3].cursor },
    fetchPolicy: 'no-cache',
  });
  assert.deepEqual(
    back.data.emails.edges.map((e) => e.node.id),
    merged.edges.slice(0, 3).map((e) => e.node.id),
  );
  assert.equal(back.data.emails.pageInfo.hasPreviousPage, false);
});
