import {
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  Kind,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** True when `value`, read as input of `type`, holds an ID sent as a number JSON cannot carry exactly. */
function holdsInexactId(type: GraphQLInputType, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (isNonNullType(type)) return holdsInexactId(type.ofType, value);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    return items.some((item) => holdsInexactId(type.ofType, item));
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object') return false;
    const fields = type.getFields();
    return Object.entries(value).some(
      ([name, field]) => fields[name] !== undefined && holdsInexactId(fields[name].type, field),
    );
  }
  return (
    type.name === 'ID' &&
    typeof value === 'number' &&
    Number.isInteger(value) &&
    !Number.isSafeInteger(value)
  );
}

/** The names of the operation's variables that carry such an ID. */
export function inexactIdVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): string[] {
  return (operation.variableDefinitions ?? [])
    .filter((definition) => {
      const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
      return type !== undefined && holdsInexactId(type, variables[definition.variable.name.value]);
    })
    .map((definition) => definition.variable.name.value);
}

/**
 * Refuses an ID sent in `variables` as a JSON number beyond 2^53. JSON.parse has already rounded it
 * (9007199254740993 arrives as 9007199254740992), and graphql-js's ID would turn the rounded number
 * into another id without a word: a request for one dialog would get another. Smaller integers stay
 * accepted as the spec says; ids written in the document keep their digits and need no check.
 *
 * A check on the variables rather than an `ID` scalar of our own: Pothos always builds `ID` as
 * graphql-js's own GraphQLID, and a scalar under another name would change the schema's contract.
 */
export function useExactIds(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const operations = document.definitions.filter(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION,
      );
      const operation = args.operationName
        ? operations.find((candidate) => candidate.name?.value === args.operationName)
        : operations[0];
      if (!operation) return;
      const inexact = inexactIdVariables(
        args.schema,
        operation,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      if (inexact.length === 0) return;
      setResultAndStopExecution({
        errors: inexact.map(
          (name) =>
            new GraphQLError(
              `Variable "$${name}" holds an ID sent as a number beyond 2^53, which JSON cannot carry exactly; send the id as a string.`,
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            ),
        ),
      });
    },
  };
}
