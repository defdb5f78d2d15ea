// Concurrent clients on loopback: autocannon in a child process (bench/lib/load-client.ts), so the
// load generator does not share the measured server's event loop (it still shares the machine).
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LoadJob {
  url: string;
  /** POST bodies; each request takes the next one (from a random start). */
  bodies: string[];
  connections: number;
  seconds: number;
  /** Per request; autocannon's default (10 s) when absent. */
  timeoutSeconds?: number;
}

export interface LoadFigures {
  /** Requests completed. */
  requests: number;
  seconds: number;
  /** Requests per second. */
  throughput: number;
  /** Latencies in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

const CLIENT = path.join(import.meta.dirname, 'load-client.ts');

export async function runLoad(job: LoadJob): Promise<LoadFigures> {
  return new Promise<LoadFigures>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${String(code)}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadFigures);
      } catch (error) {
        reject(new Error(`load client printed no figures: ${out} ${err} ${(error as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}
