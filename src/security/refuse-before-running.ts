// The shape every pre-execution check shares (the cost limit, the `nodes(ids:)` limit, the argument
// checks): run on queries, mutations and subscriptions alike, on every transport, and when it finds
// errors, the operation stops with them before anything executes.
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** What a check sees of the operation about to run. */
export interface OperationToRun {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
}

/** A plugin that runs `check` before each operation and stops it with the errors it returns (none: it runs). */
export function refuseBeforeRunning(check: (operation: OperationToRun) => readonly GraphQLError[] | GraphQLError | null): Plugin {
  const refusal = (operation: OperationToRun) => {
    const found = check(operation);
    if (found === null) return null;
    const errors = Array.isArray(found) ? found : [found as GraphQLError];
    return errors.length > 0 ? errors : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = refusal(args);
      if (errors) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = refusal(args);
      if (errors) setResultAndStopExecution({ errors });
    },
  };
}
