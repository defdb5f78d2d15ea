// What the fan-out benchmark's runs share: the subscribers' process (bench/lib/fanout-clients.ts) and
// how it is driven, the clock, and settled memory readings.
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ClientCommand, ClientReply } from './fanout-protocol.js';

export const wallNow = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---- garbage collection, for memory figures ----

export function findGc(): { gc: () => void; method: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return { gc: exposed, method: 'globalThis.gc (node --expose-gc)' };
  try {
    // Not started with --expose-gc (npm run bench runs tsx): turn the flag on and take `gc` from a new context.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, method: "v8.setFlagsFromString('--expose-gc') + vm.runInNewContext('gc')" };
  } catch {
    // fall through
  }
  return { gc: () => undefined, method: 'none available (figures include garbage)' };
}

export async function settledMemory(gc: () => void): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(100);
  }
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

// ---- file descriptors ----

/** The soft `ulimit -n` this process (and the clients' process) runs with; null when it cannot be read. */
export function fileDescriptorLimit(): number | null {
  try {
    const value = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
  } catch {
    return null;
  }
}

// ---- the subscribers' process ----

export class Clients {
  private readonly waiting: { type: ClientReply['type']; resolve: (reply: ClientReply) => void }[] = [];
  private exited: Error | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: ClientReply) => {
      const index = this.waiting.findIndex((w) => w.type === reply.type || reply.type === 'failed');
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(reply);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`the subscribers' process exited (${signal ?? String(code)})`);
      for (const w of this.waiting.splice(0)) w.resolve({ type: 'failed', error: this.exited.message });
    });
  }

  static async start(): Promise<Clients> {
    const script = path.resolve(import.meta.dirname, 'fanout-clients.ts');
    const child = fork(script, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=4096'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const clients = new Clients(child);
    await clients.reply('ready', 30_000);
    return clients;
  }

  reply<T extends ClientReply['type']>(type: T, timeoutMs: number): Promise<Extract<ClientReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const timer = setTimeout(() => reject(new Error(`the subscribers' process did not answer "${type}" within ${String(timeoutMs / 1000)} s`)), timeoutMs);
      this.waiting.push({
        type,
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === 'failed') reject(new Error(`subscribers' process: ${reply.error}`));
          else resolve(reply as Extract<ClientReply, { type: T }>);
        },
      });
    });
  }

  async ask<T extends ClientReply['type']>(command: ClientCommand, type: T, timeoutMs = 60_000): Promise<Extract<ClientReply, { type: T }>> {
    const answer = this.reply(type, timeoutMs);
    this.child.send(command);
    return answer;
  }

  /** Offset of the child's clock from ours (child − parent), from the IPC round trip that took least. */
  async clockOffset(): Promise<{ offsetMs: number; roundTripMs: number }> {
    let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < 20; i++) {
      const sent = wallNow();
      const { childAt } = await this.ask({ type: 'clock', at: sent }, 'clock');
      const back = wallNow();
      if (back - sent < best.roundTripMs) best = { offsetMs: childAt - (sent + back) / 2, roundTripMs: back - sent };
    }
    return best;
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      await this.ask({ type: 'close' }, 'closed', 30_000).catch(() => undefined);
      this.child.kill();
    }
  }
}
