// What the neighbours suite drives: the production gateway as a process of its own (the compiled
// dist/main.js, NODE_ENV=production, on PostgreSQL), and client processes (bench/lib/neighbours-worker.ts)
// that talk to it over HTTP and WebSocket; the suite talks to those over IPC.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { root } from '../../scripts/dist.mjs';
import type { Envelope, WorkerCommand, WorkerReply } from './neighbours-protocol.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- client processes ----

type ReplyOf<C extends WorkerCommand['type']> = C extends 'victim' | 'ingest'
  ? Extract<WorkerReply, { type: 'started' }>
  : C extends 'stop-victim'
    ? Extract<WorkerReply, { type: 'victim-report' }>
    : C extends 'subscribe' | 'subscriptions'
      ? Extract<WorkerReply, { type: 'subscriptions-report' }>
      : C extends 'unsubscribe'
        ? Extract<WorkerReply, { type: 'unsubscribed' }>
        : C extends 'stop-ingest'
          ? Extract<WorkerReply, { type: 'ingest-report' }>
          : C extends 'repeat'
            ? Extract<WorkerReply, { type: 'repeat-report' }>
            : C extends 'flood'
              ? Extract<WorkerReply, { type: 'flood-report' }>
              : Extract<WorkerReply, { type: 'auth-timing-report' }>;

/** One client process (the victim, or the attacker), answering each command once. */
export class Worker {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  private exited: Error | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', ({ id, message }: Envelope<WorkerReply>) => {
      const waiter = this.waiting.get(id);
      if (!waiter) return;
      this.waiting.delete(id);
      if (message.type === 'failed') waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`the ${name} process exited (${signal ?? String(code)})`);
      for (const waiter of this.waiting.values()) waiter.reject(this.exited);
      this.waiting.clear();
    });
  }

  static async start(name: string): Promise<Worker> {
    const script = path.resolve(import.meta.dirname, 'neighbours-worker.ts');
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker = new Worker(name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${name} process did not start within 30 s`)), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', () => reject(new Error(`the ${name} process exited at start`)));
    });
    return worker;
  }

  ask<C extends WorkerCommand>(command: C, timeoutMs = 300_000): Promise<ReplyOf<C['type']>> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the ${this.name} process did not answer "${command.type}" within ${String(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as ReplyOf<C['type']>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, message: command } satisfies Envelope<WorkerCommand>);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await Promise.race([exited, sleep(5_000)]);
  }
}

// ---- the gateway process ----

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** An error line the gateway logged: its message and the error's type and code (P2028...). */
export interface LoggedError {
  msg: string;
  type: string | null;
  code: string | null;
}

export interface GatewayProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  pid: number;
  /** Every error (or fatal) line logged so far, in order. */
  errors: LoggedError[];
  /** User + system CPU the process has used, in seconds (from /proc). */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100;

async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** What the gateway inherits of this process's environment: nothing that is a Parley setting (a RATE_LIMIT_* or REDIS_URL in the shell must not change what is measured). */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL'];

/**
 * Starts `node dist/main.js` as production runs it (NODE_ENV=production: keys required, rate limit
 * and cost limit at their defaults) with `env` added, and waits until GET /ready answers 200.
 */
export async function startGatewayProcess(databaseUrl: string, env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(INHERITED.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])));
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: LoggedError[] = [];
  let output = '';
  const onLine = (line: string) => {
    if (output.length < 20_000) output += `${line}\n`;
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; err?: { type?: string; code?: string } };
      if (entry.level === 'error' || entry.level === 'fatal')
        errors.push({ msg: entry.msg ?? '', type: entry.err?.type ?? null, code: entry.err?.code ?? null });
    } catch {
      // not a log line (a banner)
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        onLine(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
    });
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  const base = `http://127.0.0.1:${String(port)}`;
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`the gateway exited before it was ready:\n${output}`);
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`the gateway was not ready within 60 s:\n${output}`);
    }
    const status = await fetch(`${base}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(50);
  }
  return {
    base,
    pid: child.pid!,
    errors,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(15_000).then(() => child.kill('SIGKILL'))]);
      await gone;
    },
  };
}

/** Whether the compiled gateway (dist/, the monitor page aside) mentions `text` anywhere: a setting it reads. */
export function builtGatewayMentions(text: string, dir = path.join(root, 'dist')): boolean {
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory() && item.name !== 'web' && builtGatewayMentions(text, full)) return true;
    if (item.isFile() && item.name.endsWith('.js') && readFileSync(full, 'utf8').includes(text)) return true;
  }
  return false;
}

/** A gauge's value from the gateway's /metrics (Prometheus text), summed over its labels; null when absent. */
export async function metricValue(base: string, token: string, name: string): Promise<number | null> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) return null;
  const text = await response.text();
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
