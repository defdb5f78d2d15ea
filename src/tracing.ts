// OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts, which loads this module only
// then: the SDK costs start-up time and memory): a span per HTTP request
// (server.ts), the GraphQL execution and each resolver of ours under it (Envelop's plugin, in the
// gateway), and Prisma's spans for each SQL statement under those. Exported over OTLP/HTTP, configured by
// the standard OTEL_* variables (endpoint, headers, OTEL_SERVICE_NAME...). No variables, results or
// resolver arguments are recorded: spans are not a place for personal data.
import { useOnResolve } from '@envelop/on-resolve';
import { getCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { Plugin } from 'graphql-yoga';

export interface Tracing {
  /** Flushes what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** Registers a global tracer provider sending spans to `processor`, with Prisma's SQL spans. */
export function startTracing(processor: SpanProcessor): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'parley' }),
    spanProcessors: [processor],
  });
  provider.register();
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [new PrismaInstrumentation()] });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** Batches spans to the OTLP/HTTP endpoint of OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads it). */
export function otlpSpanProcessor(): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter());
}

/**
 * The GraphQL execution (Envelop's plugin) and each resolver of ours as spans. The resolver spans are our
 * own: Envelop's record each resolver's arguments, and the ingest mutations' arguments are vendor
 * documents. Not default resolvers, variables or results either. (SQL spans hang from the request's
 * span: a resolver's span is not the active context its resolver runs in.)
 */
export function graphqlTracingPlugin(): Plugin {
  // The global provider (startTracing's): without one given, the plugin makes its own, printing to the console.
  const provider = trace.getTracerProvider();
  const tracer = provider.getTracer('parley');
  const execution = useOpenTelemetry({ resolvers: false, variables: false, result: false, document: true }, provider) as Plugin;
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(execution);
      addPlugin(
        useOnResolve(
          ({ info, context }) => {
            const span = tracer.startSpan(
              `${info.parentType.name}.${info.fieldName}`,
              { attributes: { 'graphql.resolver.fieldName': info.fieldName, 'graphql.resolver.typeName': info.parentType.name } },
              getCurrentOtelContext(context),
            );
            return ({ result }) => {
              // The error's class only: a message can quote what the client sent.
              if (result instanceof Error) span.setStatus({ code: SpanStatusCode.ERROR, message: result.name });
              span.end();
            };
          },
          { skipDefaultResolvers: true },
        ) as Plugin,
      );
    },
  };
}
