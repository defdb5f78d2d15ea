// Start-up and idle memory (issue 12): the gateway as users run it — `npm start`, the compiled build
// (node dist/main.js) — from spawning the process to its first answered GraphQL request, with the
// database's migrations already applied, and its resident memory once it has idled. In the same run,
// for comparison: the development way (node --import tsx src/main.ts), and a bare Node HTTP server
// answering the same request (the floor: what starting Node and holding a server costs at all).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, root } from '../../scripts/dist.mjs';
import { createPostgresDatabase, type BenchDatabaseKind } from '../lib/database.js';
import { renderTable, type Cell } from '../lib/report.js';

/** Issue 12: the compiled gateway answers within 1.5 s of starting; idles under 150 MB on PostgreSQL. */
export const STARTUP_GOALS = { startMs: 1_500, idleRssMb: 150 };

export type StartupCommand = 'compiled' | 'tsx' | 'bare node';

export interface StartupRun {
  database: BenchDatabaseKind;
  command: StartupCommand;
  /** Spawn to the first answered request, ms, one per start. */
  startMs: number[];
  /** Resident memory after the first answer and after idling `idleSeconds`, MB (median over the starts). */
  rssFirstMb: number;
  rssIdleMb: number;
}

export interface StartupSuiteResult {
  parameters: { databases: BenchDatabaseKind[]; starts: number; idleSeconds: number; request: string };
  runs: StartupRun[];
}

const REQUEST = JSON.stringify({ query: '{ __typename }' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number) => Math.round(value * 10) / 10;

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024);
}

/** A bare Node HTTP server answering every request with `{ data: { __typename: "Query" } }`. */
const BARE_SERVER = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.setHeader('content-type', 'application/json'); s.end('{"data":{"__typename":"Query"}}'); }); }).listen(Number(process.env.PORT), '127.0.0.1');`;

function commandFor(command: StartupCommand): string[] {
  if (command === 'compiled') return [path.join(root, 'dist', 'main.js')];
  if (command === 'tsx') return ['--import', 'tsx', path.join(root, 'src', 'main.ts')];
  return ['-e', BARE_SERVER];
}

/** Starts `command`, waits for the first answered request; returns the process and the time it took. */
async function startOnce(command: StartupCommand, databaseUrl: string): Promise<{ child: ChildProcess; ms: number; output: () => string }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, commandFor(command), {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${command} exited before answering:\n${output}`);
    if (performance.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`${command} did not answer within 60 s:\n${output}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${String(port)}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: REQUEST,
      });
      const body = (await response.json()) as { data?: { __typename?: string } };
      if (response.status === 200 && body.data?.__typename === 'Query') return { child, ms: performance.now() - started, output: () => output };
      throw new Error(`${command} answered ${String(response.status)}: ${JSON.stringify(body)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(command)) throw error;
      await sleep(5); // not listening yet
    }
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

export interface StartupSuiteOptions {
  databases: BenchDatabaseKind[];
  /** Starts per command (default 3): the median is reported. */
  starts?: number;
  idleSeconds?: number;
  log?: (line: string) => void;
}

export async function runStartupSuite(options: StartupSuiteOptions): Promise<StartupSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const starts = options.starts ?? 3;
  const idleSeconds = options.idleSeconds ?? 3;
  ensureBuilt();
  const runs: StartupRun[] = [];
  for (const database of options.databases) {
    const cleanup: (() => Promise<void>)[] = [];
    try {
      let url: string;
      if (database === 'postgres') {
        const created = await createPostgresDatabase();
        cleanup.push(created.drop);
        url = created.url;
      } else {
        const dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-startup-'));
        cleanup.push(() => rm(dir, { recursive: true, force: true }));
        url = `pglite:${dir}`;
      }
      // The first start applies the migrations; what is measured starts on a migrated database.
      await stop((await startOnce('compiled', url)).child);
      for (const command of ['compiled', 'tsx', 'bare node'] as const) {
        const times: number[] = [];
        const first: number[] = [];
        const idle: number[] = [];
        for (let i = 0; i < starts; i++) {
          const { child, ms } = await startOnce(command, url);
          times.push(round(ms));
          first.push(await residentMb(child.pid!));
          await sleep(idleSeconds * 1000);
          idle.push(await residentMb(child.pid!));
          await stop(child);
        }
        const run: StartupRun = { database, command, startMs: times, rssFirstMb: median(first), rssIdleMb: median(idle) };
        runs.push(run);
        log(
          `startup: ${database}, ${command}: first answer after ${times.map((t) => `${String(t)} ms`).join(', ')}; resident ${String(run.rssIdleMb)} MB idle`,
        );
      }
    } finally {
      for (const step of cleanup.reverse()) await step();
    }
  }
  return { parameters: { databases: options.databases, starts, idleSeconds, request: REQUEST }, runs };
}

export function startupTable(result: StartupSuiteResult): string {
  const rows: Cell[][] = result.runs.map((run) => {
    const floor = result.runs.find((r) => r.database === run.database && r.command === 'bare node');
    const start = median(run.startMs);
    const goals =
      run.command !== 'compiled'
        ? ''
        : [
            `start ${start <= STARTUP_GOALS.startMs ? 'met' : 'NOT MET'} (goal <= ${String(STARTUP_GOALS.startMs)} ms)`,
            run.database === 'postgres'
              ? `idle RSS ${run.rssIdleMb <= STARTUP_GOALS.idleRssMb ? 'met' : 'NOT MET'} (goal <= ${String(STARTUP_GOALS.idleRssMb)} MB)`
              : '',
          ]
            .filter(Boolean)
            .join('; ');
    return [
      run.database,
      run.command,
      `${String(Math.round(start))} ms`,
      `${String(Math.round(Math.min(...run.startMs)))}-${String(Math.round(Math.max(...run.startMs)))} ms`,
      floor && run !== floor ? `${(start / median(floor.startMs)).toFixed(1)}x` : '',
      `${String(run.rssFirstMb)} MB`,
      `${String(run.rssIdleMb)} MB`,
      goals,
    ];
  });
  const p = result.parameters;
  return `startup: spawn to the first answered \`{ __typename }\` (migrations applied), median of ${String(p.starts)} starts; resident memory after the first answer and after ${String(p.idleSeconds)} s idle\n\n${renderTable(
    [
      { header: 'database' },
      { header: 'command' },
      { header: 'start p50', align: 'right' },
      { header: 'range', align: 'right' },
      { header: 'vs bare', align: 'right' },
      { header: 'RSS first', align: 'right' },
      { header: 'RSS idle', align: 'right' },
      { header: 'goals' },
    ],
    rows,
  )}`;
}
