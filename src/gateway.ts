// Builds the HTTP handler (GraphQL, GraphiQL) over an open database. It never listens: main.ts does,
// and tests call `yoga.fetch` directly.
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from './db/client.js';
import { Authenticator } from './auth/authenticate.js';
import { authPlugin, principalOf } from './auth/plugin.js';
import type { Principal } from './auth/principal.js';
import { ingestPlugin } from './ingest/http.js';
import { createInProcessEventBus, type EventBus } from './live/events.js';
import { LiveHub } from './live/hub.js';
import { createRequestLoaders } from './loaders/index.js';
import type { Context } from './schema/context.js';
import { schema } from './schema/index.js';

export interface GatewayOptions {
  database: Database;
  /** Where stored changes are announced; in-process when not given. */
  events?: EventBus;
  production?: boolean;
  /** Updates one live subscriber may have waiting before it is dropped (see LiveHub). */
  maxQueuedPerSubscriber?: number;
  /** Where unexpected errors are reported (they reach clients only as "Unexpected error."). */
  logError?: (error: unknown) => void;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  database: Database;
  events: EventBus;
  live: LiveHub;
  authenticator: Authenticator;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { prisma } = options.database;
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const events = options.events ?? createInProcessEventBus(logError);
  const authenticator = new Authenticator(prisma, { production: options.production ?? false });
  const live = new LiveHub(prisma, events, { logError, ...(options.maxQueuedPerSubscriber ? { maxQueuedPerSubscriber: options.maxQueuedPerSubscriber } : {}) });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !options.production && { title: 'Parley', defaultQuery: DEFAULT_QUERY },
    // Unexpected errors never reach the client with a message or stack; they are logged here.
    maskedErrors: {
      maskError(error, message) {
        const masked = maskError(error, message, false);
        if (masked !== error) logError((error as { originalError?: unknown }).originalError ?? error);
        return masked;
      },
    },
    context: (initial) => {
      // HTTP requests were authenticated by the auth plugin; WebSocket operations bring their own.
      const auth = (initial as { auth?: Principal }).auth ?? principalOf(initial.request);
      if (!auth) throw new Error('request reached GraphQL without authentication');
      return { auth, prisma, events, live, loaders: createRequestLoaders(prisma) };
    },
    plugins: [authPlugin(authenticator, '/graphql'), ingestPlugin({ prisma, events, logError })],
  });
  return { yoga, database: options.database, events, live, authenticator };
}

const DEFAULT_QUERY = /* GraphQL */ `# Parley: every bot session, one graph. Try:
query Dashboard {
  sessions(first: 10) {
    totalCount
    edges {
      node {
        __typename
        vendor
        externalId
        channel
        status
        outcome
        createdAt
        conversation { externalId }
        messages(first: 5) { edges { node { sender text } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
