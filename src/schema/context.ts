// What every resolver receives. Built once per request by the gateway.
import type { Prisma } from '../db/client.js';
import type { EventBus } from '../live/events.js';
import type { LiveHub } from '../live/hub.js';
import type { RequestLoaders } from '../loaders/index.js';

export interface Context {
  prisma: Prisma;
  events: EventBus;
  live: LiveHub;
  loaders: RequestLoaders;
}
