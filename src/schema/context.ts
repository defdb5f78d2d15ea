// What every resolver receives. Built once per request by the gateway.
import type { Prisma } from '../db/client.js';
import type { RequestLoaders } from '../loaders/index.js';

export interface Context {
  prisma: Prisma;
  loaders: RequestLoaders;
}
