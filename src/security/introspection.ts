// Introspection off (the production default): `__schema` and `__type` are refused at validation with
// a coded error, on every transport. (`@graphql-yoga/plugin-disable-introspection` decides per HTTP
// request and lets graphql-ws operations through, whose context has no `request`; this does not.)
// `__typename` stays allowed: clients need it for unions and interfaces. With introspection off, the
// validator's "Did you mean …?" hints are cut too: they would spell the schema out field by field.
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { SecurityCode, securityError } from './errors.js';

export function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(
          securityError(
            SecurityCode.INTROSPECTION_DISABLED,
            `introspection is disabled on this gateway (\`${node.name.value}\`); see schema.graphql for the schema`,
            400,
          ),
        );
      }
    },
  };
}

export function disableIntrospectionPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospectionRule);
      return ({ valid, result, setResult }) => {
        if (valid || !result.some((e) => / Did you mean /.test(e.message))) return;
        setResult(
          result.map((e) =>
            / Did you mean /.test(e.message)
              ? new GraphQLError(e.message.replace(/ Did you mean .*$/s, ''), {
                  nodes: e.nodes ?? null,
                  source: e.source ?? null,
                  positions: e.positions ?? null,
                  extensions: e.extensions,
                })
              : e,
          ),
        );
      };
    },
  };
}
