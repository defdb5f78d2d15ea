// `npm run bench [-- --suite ingest|queries|fanout|...] [--sessions N] [--db pglite|postgres|both] [--seed N]
//  [--subscribers 1000,10000] [--rate 20] [--seconds 10] [--attacks 1,3]`
// Runs the chosen suites (all by default), prints a table per suite, and adds the run, with every
// figure, the parameters and the machine, to bench/results/<YYYY-MM-DD>.json.
import { parseArgs } from 'node:util';
import { benchPostgresUrl, postgresServerVersion, type BenchDatabaseKind } from './lib/database.js';
import { appendResult } from './lib/report.js';
import { machineInfo } from './lib/timing.js';
import { suites, type Suite, type SuiteContext } from './suites/index.js';
import { ATTACKS, type AttackNumber } from './suites/neighbours.js';

const USAGE = `usage: npm run bench [-- options]

  --suite <name>       run only this suite (repeatable); default: all (${suites.map((s) => s.name).join(', ')})
  --sessions <n>       data set size; default: each suite's own
  --db <kind>          pglite | postgres | both (default both)
  --seed <n>           data generator seed (default 1)
  --subscribers <list> fanout: subscriber counts, comma-separated (default 1000,10000)
  --rate <n>           fanout: webhook events per second (default 20,000 / subscribers: 20/s at 1,000)
  --seconds <n>        fanout: how long the events are sent (default 10)
  --filters <n>        fanout: subscribers spread over n bot filters, events over n bots (default: none)

The fanout suite runs on the first database of --db (both: postgres). Set PARLEY_BENCH_PROFILE_DIR
to write a CPU profile of the gateway during each fanout run there (and print where its time went).

PostgreSQL: a fresh database is created for each run on the server of PARLEY_BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/test) and dropped afterwards.
Results: printed, and added to bench/results/<YYYY-MM-DD>.json.

suites:
${suites.map((s) => `  ${s.name.padEnd(10)} ${s.description}`).join('\n')}`;

class UsageError extends Error {}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

function parseCommandLine(argv: string[]): { suites: Suite<unknown>[]; context: Omit<SuiteContext, 'log'>; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string', multiple: true },
      sessions: { type: 'string' },
      db: { type: 'string', default: 'both' },
      seed: { type: 'string', default: '1' },
      subscribers: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      filters: { type: 'string' },
      attacks: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const names = values.suite ?? suites.map((s) => s.name);
  const unknown = names.filter((name) => !suites.some((s) => s.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown suite(s): ${unknown.join(', ')}`);
  const databases: Record<string, BenchDatabaseKind[]> = { pglite: ['pglite'], postgres: ['postgres'], both: ['postgres', 'pglite'] };
  const chosen = databases[values.db];
  if (!chosen) throw new UsageError(`--db must be pglite, postgres or both (got "${values.db}")`);
  const sessions = values.sessions === undefined ? undefined : Number(values.sessions);
  if (sessions !== undefined && (!Number.isInteger(sessions) || sessions < 2))
    throw new UsageError(`--sessions must be an integer of at least 2 (got "${values.sessions}")`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer (got "${values.seed}")`);
  const positive = (name: string, value: string | undefined, integer: boolean): number | undefined => {
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!(number > 0) || (integer && !Number.isInteger(number)))
      throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
    return number;
  };
  const subscribers = values.subscribers?.split(',').map((part) => positive('subscribers', part.trim(), true)!);
  const rate = positive('rate', values.rate, false);
  const secondsOption = positive('seconds', values.seconds, false);
  const filters = positive('filters', values.filters, true);
  const fanout = {
    ...(filters !== undefined ? { filters } : {}),
    ...(subscribers ? { subscribers } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(secondsOption !== undefined ? { seconds: secondsOption } : {}),
  };
  const attacks = values.attacks?.split(',').map((part) => {
    const attack = Number(part.trim());
    if (!(ATTACKS as readonly number[]).includes(attack)) throw new UsageError(`--attacks must list attacks ${ATTACKS.join(', ')} (got "${values.attacks}")`);
    return attack as AttackNumber;
  });
  const neighbours = {
    ...(attacks ? { attacks } : {}),
    ...(secondsOption !== undefined ? { seconds: secondsOption } : {}),
  };
  return { suites: suites.filter((s) => names.includes(s.name)), context: { sessions, databases: chosen, seed, fanout, neighbours }, help: values.help };
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const { context } = parsed;
  const startedAt = new Date();
  const log = (line: string) => console.error(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const machine = {
    ...machineInfo(),
    ...(context.databases.includes('postgres')
      ? { postgresServer: await postgresServerVersion().catch((error: Error) => `unreachable: ${error.message}`) }
      : {}),
  };
  if ((machine.loadAverage[0] ?? 0) > machine.cpus * 0.5) {
    log(`note: load average ${String(machine.loadAverage[0])} on ${String(machine.cpus)} CPUs; other work will skew the figures (ratios less than rates)`);
  }
  const results: Record<string, unknown> = {};
  const failures: { suite: string; error: string }[] = [];
  for (const suite of parsed.suites) {
    try {
      const result = await suite.run({ ...context, log });
      results[suite.name] = result;
      console.log(`\n${suite.table(result)}\n`);
    } catch (error) {
      failures.push({ suite: suite.name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      console.error(`bench: suite ${suite.name} failed:`, error);
    }
  }
  if (Object.keys(results).length > 0) {
    const file = await appendResult({
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
      parameters: {
        suites: parsed.suites.map((s) => s.name),
        sessions: context.sessions ?? 'suite default',
        databases: context.databases,
        seed: context.seed,
        postgresServerUrl: context.databases.includes('postgres') ? withoutPassword(benchPostgresUrl()) : null,
      },
      machine,
      suites: results,
      ...(failures.length > 0 ? { failures } : {}),
    });
    console.log(`results added to ${file}`);
  }
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed:', error);
    process.exit(1);
  },
);
