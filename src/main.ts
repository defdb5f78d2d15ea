// Starts Parley: configuration, database (migrated), optional demo data, HTTP server; stops cleanly.
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { loadDemoData } from './demo.js';
import { createGateway } from './gateway.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir ?? 'memory'}`;
  const database = await openDatabase(config.database);
  console.log(`parley: database ready (${where})`);
  if (config.demo) {
    const counts = await loadDemoData(database.prisma);
    console.log(`parley: demo data: ${counts.created} sessions created, ${counts.updated} updated, ${counts.unchanged} already there`);
  }
  const { yoga } = createGateway({ database, production: config.production });
  const server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`parley: GraphQL on http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`parley: ${signal} received, finishing in-flight requests`);
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    console.log('parley: stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`parley: ${error.message}`);
  else console.error('parley: failed to start:', error);
  process.exit(1);
});
