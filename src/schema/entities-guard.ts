import { GraphQLError, isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * `@apollo/subgraph`'s `_entities` resolver maps the representations to promises one by one and
 * throws synchronously at the first `__typename` it does not know. The promises it made before
 * that are dropped unobserved, so a reference that failed (a malformed id, a chat the portal
 * refuses) became an unhandled rejection, and Node ends the process on one: a single GET took the
 * server down. This guard answers each representation on its own instead:
 *
 * - one that is not an object naming an entity type of this subgraph is an error at its own index
 *   (`BAD_USER_INPUT`), never a throw for the whole list;
 * - a reference that fails resolves to its error (graphql-js turns an `Error` value into a field
 *   error at that index), so no promise made here can ever reject unobserved.
 */
export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(entityUnion)) return schema;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolveOne = field.resolve;

  const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    const representations: unknown = (args as { representations?: unknown }).representations;
    if (!Array.isArray(representations)) return [];
    return representations.map((representation: unknown) => {
      const problem = representationProblem(representation, entityTypes);
      if (problem) return new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT' } });
      try {
        const items: unknown = resolveOne(
          source,
          { representations: [representation] },
          context,
          info,
        );
        const item: unknown = Array.isArray(items) ? items[0] : items;
        return isThenable(item) ? Promise.resolve(item).then(identity, asError) : item;
      } catch (error) {
        return asError(error);
      }
    });
  };
  field.resolve = resolve;
  return schema;
}

function representationProblem(
  representation: unknown,
  entityTypes: ReadonlySet<string>,
): string | undefined {
  if (
    typeof representation !== 'object' ||
    representation === null ||
    Array.isArray(representation)
  )
    return 'An entity representation must be an object with `__typename` and the key fields';
  const typename: unknown = (representation as { __typename?: unknown }).__typename;
  if (typeof typename !== 'string')
    return 'An entity representation needs `__typename`, the name of an entity type';
  if (!entityTypes.has(typename))
    return `\`${typename.slice(0, 100)}\` is not an entity type of this subgraph (entity types: ${[...entityTypes].join(', ')})`;
  return undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const identity = (value: unknown) => value;

/** graphql-js throws an `Error` value where a field's value should be: anything else is wrapped. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
