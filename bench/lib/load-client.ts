// The load generator of the read benchmark, run as a child process (bench/lib/load.ts) so that it
// never shares an event loop with the server it measures. Reads its job as JSON on stdin, runs
// autocannon, and writes the figures as one JSON line on stdout.
import autocannon from 'autocannon';
import type { LoadJob, LoadFigures } from './load.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const job = JSON.parse(await readStdin()) as LoadJob;
  const bodies = job.bodies;
  let next = Math.floor(Math.random() * bodies.length);
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    // autocannon's default is 10 s: a slow analytics answer is a measurement, not an error.
    ...(job.timeoutSeconds ? { timeout: job.timeoutSeconds } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        // Several bodies (Q2's random ids): each request takes the next, from a random start.
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
  const figures: LoadFigures = {
    requests: result.requests.total,
    seconds: result.duration,
    throughput: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
