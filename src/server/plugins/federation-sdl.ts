import { GraphQLError, type ValidationContext, type ASTVisitor } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Refuses `_service` on the query root: its `sdl` is the whole schema, as introspection is. */
function noServiceField(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (
        node.name.value === '_service' &&
        context.getParentType()?.name === context.getSchema().getQueryType()?.name
      ) {
        context.reportError(
          new GraphQLError(
            'The federation SDL (`_service`) is not served here (FEDERATION_SDL=false); compose from the published schema/subgraph.graphql.',
            { nodes: node },
          ),
        );
      }
    },
  };
}

/** `_service { sdl }` off (a 400 validation error); `_entities` stays, since routers execute through it. */
export function useNoFederationSdl(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noServiceField);
    },
  };
}
