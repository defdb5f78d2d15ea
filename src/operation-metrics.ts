// GraphQL operations in /metrics, through Yoga's own Prometheus plugin on the gateway's registry (it
// does not serve a route of its own: /metrics is ./metrics-route.ts, with its token):
//   graphql_envelop_request, graphql_envelop_request_duration (seconds)   by operation name and type
//   graphql_envelop_error_result                                           by operation, phase and code
//   graphql_yoga_http_duration (seconds)                                   by method, status and operation
// (the plugin's own names, which dashboards built for it expect).
// Per-phase and per-resolver histograms are left off: they multiply the series without telling an
// operator more than the request duration does.
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

/** Distinct operation names a process labels series with; the client chooses them, so past this they are `other`. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The operation name as a label value: bounded in number and shape, so a client cannot grow the series without end. */
function operationLabel(seen: Set<string>, name: string | undefined): string {
  if (name === undefined || name === '') return 'Anonymous';
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATION_NAMES || !OPERATION_NAME.test(name)) return 'other';
  seen.add(name);
  return name;
}

/** What an error without a code of its own was. */
const PHASE_CODES: Record<string, string> = { parse: 'GRAPHQL_PARSE_FAILED', validate: 'GRAPHQL_VALIDATION_FAILED' };

export function operationMetricsPlugin(registry: Registry): Plugin {
  const seen = new Set<string>();
  const operation = (params: { operationName?: string; operationType?: string }) => ({
    operationName: operationLabel(seen, params.operationName),
    operationType: params.operationType ?? 'unknown',
  });
  return usePrometheus({
    registry,
    endpoint: false,
    // No `url` label: a GET carries the whole query in its URL, and every distinct one would be a series.
    labels: {
      operationName: true,
      operationType: true,
      fieldName: false,
      typeName: false,
      returnType: false,
      path: false,
      phase: true,
      url: false,
      method: true,
      statusCode: true,
    },
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: { name: 'graphql_envelop_request', help: 'GraphQL operations executed, by operation.', labelNames: ['operationName', 'operationType'] },
        fillLabelsFn: operation,
        phases: ['execute', 'subscribe'],
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Time from parsing a GraphQL operation to the end of its execution, in seconds, by operation.',
          labelNames: ['operationName', 'operationType'],
        },
        fillLabelsFn: operation,
        phases: ['execute', 'subscribe'],
      }),
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_execute_resolver: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time spent on an HTTP request, in seconds, by method, status and operation.',
          labelNames: ['operationName', 'operationType', 'method', 'statusCode'],
        },
        fillLabelsFn: (params, { request, response }) => ({ ...operation(params), method: request.method, statusCode: String(response.status) }),
        phases: ['request'],
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Errors in GraphQL results, by operation, phase and extensions.code (INTERNAL_SERVER_ERROR for masked ones).',
          labelNames: ['operationName', 'operationType', 'phase', 'code'],
        },
        fillLabelsFn: (params) => {
          const phase = String(params.errorPhase ?? 'execute');
          const code = (params.error?.extensions as { code?: unknown } | undefined)?.code;
          return {
            ...operation(params),
            phase,
            code: typeof code === 'string' ? code : (PHASE_CODES[phase] ?? 'INTERNAL_SERVER_ERROR'),
          };
        },
      }),
    },
  });
}
