// OTEL_EXPORTER_OTLP_ENDPOINT turns traces on in the started gateway: a GraphQL request reaches a local
// OTLP/HTTP collector as spans (POST /v1/traces), and the process still exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listenLocal } from '../fakes/local-server.js';

const root = path.resolve(import.meta.dirname, '../..');

it('exports spans to the OTLP endpoint it is given', async () => {
  const received: { path: string; bytes: number }[] = [];
  const collector = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({ path: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await listenLocal(collector);
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-otlp-'));
  const child = spawn(process.execPath, ['scripts/run.mjs', 'main'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `pglite:${dir}`,
      NODE_ENV: 'development',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(port)}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /GraphQL on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(output).toContain(`OpenTelemetry traces to http://127.0.0.1:${String(port)}`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sessions { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => received.filter((r) => r.path === '/v1/traces' && r.bytes > 0).length, { timeout: 15_000 }).toBeGreaterThan(0);
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    collector.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
