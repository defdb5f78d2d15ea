// OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts, which loads this module only
// then: the SDK costs start-up time and memory): a span per HTTP request
// (server.ts), the GraphQL execution and each resolver of ours under it (graphqlTracingPlugin, in the
// gateway), and Prisma's spans for each SQL statement. Exported over OTLP/HTTP, configured by
// the standard OTEL_* variables (endpoint, headers, OTEL_SERVICE_NAME...). No variables, results or
// resolver arguments are recorded: spans are not a place for personal data.
import { useOnResolve } from '@envelop/on-resolve';
import { type Context, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { getOperationAST } from 'graphql';
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
 * The GraphQL execution and each resolver of ours as spans, made here rather than by Envelop's
 * OpenTelemetry plugin: it records each resolver's arguments (the ingest mutations' arguments are vendor
 * documents) and the result's errors before they are masked (an error may quote what the client sent).
 * These spans carry names and counts only. (SQL spans hang from the request's span: a resolver's span is
 * not the active context its resolver runs in.)
 */
export function graphqlTracingPlugin(): Plugin {
  const tracer = trace.getTracer('parley');
  // Each operation's span, by its GraphQL context: the parent of its resolvers' spans.
  const executions = new WeakMap<object, Context>();
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        useOnResolve(
          ({ info, context: graphqlContext }) => {
            const parent = executions.get(graphqlContext) ?? context.active();
            const span = tracer.startSpan(
              `${info.parentType.name}.${info.fieldName}`,
              { attributes: { 'graphql.resolver.fieldName': info.fieldName, 'graphql.resolver.typeName': info.parentType.name } },
              parent,
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
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const name = operation?.name?.value ?? 'anonymous';
      const span = tracer.startSpan(`${type}.${name}`, { attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name } }, context.active());
      executions.set(args.contextValue as object, trace.setSpan(context.active(), span));
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? result.errors : undefined;
          if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: `${String(errors.length)} error(s)` });
          span.end();
        },
      };
    },
  };
}
