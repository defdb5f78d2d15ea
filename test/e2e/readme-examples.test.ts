// The README runs: every GraphQL operation in its ```graphql blocks and its JavaScript subscription
// examples, and every curl command of its ```sh blocks, against the compiled gateway started as the
// README says (`npm start -- --demo`, embedded database), with EINSTEIN_RUNTIME_URL pointing at a local
// Einstein runtime for the proxy's example. A query must answer without errors; a subscription must be
// accepted (botMetricsUpdated sends its first buckets at once); a curl command must exit 0 with a 2xx.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEinsteinRuntime } from '../fakes/einstein-runtime.js';
import { subscribeSse } from '../helpers/live.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let readme = '';
let dir = '';
let child: ChildProcess;
let url = '';
const runtime = new FakeEinsteinRuntime();

beforeAll(async () => {
  readme = await readFile(path.join(root, 'README.md'), 'utf8');
  dir = await mkdtemp(path.join(tmpdir(), 'parley-readme-'));
  await runtime.start();
  child = spawn(process.execPath, ['scripts/run.mjs', 'main', '--demo'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `pglite:${path.join(dir, 'data')}`,
      NODE_ENV: 'development',
      EINSTEIN_RUNTIME_URL: runtime.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 90_000);
    child.stdout!.on('data', () => {
      const match = /GraphQL on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${String(code)}:\n${output}`)));
  });
  // The bulk example's file, in the directory the commands run in.
  await writeFile(
    path.join(dir, 'sessions.ndjson'),
    [
      { sessionId: 'ndjson-1', botId: '0XxRM0000004CqP0AU', status: 'Ended', createdDate: '2026-11-20T11:00:00Z' },
      { sessionId: 'ndjson-2', botId: '0XxRM0000004CqP0AU', status: 'Active', createdDate: '2026-11-20T11:05:00Z' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await runtime.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Each operation of a block on its own, as persisted-operations does it. */
function operations(block: string): string[] {
  const document = parse(block);
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length === 1 || document.definitions.length !== ops.length) return [block.trim()];
  return ops.map((o) => block.slice(o.loc!.start, o.loc!.end));
}

function graphqlExamples(): string[] {
  const found: string[] = [];
  for (const match of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) found.push(...operations(match[1]!));
  for (const match of readme.matchAll(/query: '((?:subscription|query)[^']*)'/g)) found.push(match[1]!);
  return found;
}

/** The curl commands of the ```sh blocks, continuation lines joined, aimed at the test's gateway. */
function curlExamples(): string[] {
  const commands: string[] = [];
  for (const match of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = match[1]!.replace(/\\\n\s*/g, '').split('\n');
    for (const line of lines) if (line.trimStart().startsWith('curl ')) commands.push(line.trim());
  }
  const port = new URL(url).port;
  return commands.map((command) =>
    command
      .replaceAll('localhost:4000', `127.0.0.1:${port}`)
      .replace('<Salesforce access token>', 'readme-test-token')
      // A development gateway without keys takes any: the README's placeholder becomes one.
      .replace('<a Parley key with the ingest scope>', 'readme-test-key'),
  );
}

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] } };
}

describe('the README', () => {
  it('has GraphQL and curl examples to run', () => {
    expect(graphqlExamples().length).toBeGreaterThan(10);
    expect(curlExamples().length).toBeGreaterThan(8);
  });

  it('every curl command runs and gets a 2xx', async () => {
    for (const command of curlExamples()) {
      const { stdout } = await run('bash', ['-c', `${command} -w '\\n%{http_code}'`], { cwd: dir });
      const status = Number(stdout.trim().split('\n').at(-1));
      expect(status, `${command}\n${stdout}`).toBeGreaterThanOrEqual(200);
      expect(status, `${command}\n${stdout}`).toBeLessThan(300);
      const body = stdout.slice(0, stdout.lastIndexOf('\n'));
      if (command.includes('/ingest/')) expect(JSON.parse(body), command).toMatchObject({ rejectedCount: 0 });
    }
    // The proxy's example reached the runtime, and was recorded.
    expect(runtime.received.some((r) => r.path === '/v5.0.0/bots/0XxSB00000006rp0AA/sessions')).toBe(true);
  });

  it('every GraphQL operation runs without errors against the demo data', async () => {
    const list = await graphql('{ sessions(first: 1) { edges { node { id } } } }');
    const sessionId = (list.body.data as { sessions: { edges: { node: { id: string } }[] } }).sessions.edges[0]!.node.id;
    for (const operation of graphqlExamples()) {
      const variables: Record<string, unknown> = operation.includes('$id') ? { id: sessionId } : {};
      if (/^\s*subscription\b/.test(operation)) {
        const received = subscribeSse<Record<string, unknown>>(url, operation, variables);
        if (operation.includes('botMetricsUpdated')) await received.waitFor(1);
        else await new Promise((resolve) => setTimeout(resolve, 500));
        expect(received.errors, operation).toEqual([]);
        received.dispose();
        continue;
      }
      const { status, body } = await graphql(operation, variables);
      expect(body.errors, operation).toBeUndefined();
      expect(status, operation).toBe(200);
    }
  });
});
