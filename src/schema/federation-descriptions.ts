import { isObjectType, isScalarType, isUnionType, type GraphQLSchema } from 'graphql';

/*
 * Apollo's subgraph builder adds the federation parts of the served schema (`_entities`, `_service`
 * and their types) without descriptions. A gateway never needs them, but people browsing GraphiQL's
 * docs do: every type and field of the API says what it is for, these included.
 */

const TYPES: Readonly<Record<string, string>> = {
  _Any: 'A reference to an entity as a federation gateway sends it: an object with `__typename` and the entity’s key, e.g. `{ "__typename": "Dialog", "id": "chat21191" }`.',
  _Entity: 'Any type another subgraph may reference by key: here only `Dialog`.',
  _Service: 'What this subgraph tells a federation gateway about itself.',
};

const QUERY_FIELDS: Readonly<
  Record<string, { description: string; args?: Readonly<Record<string, string>> }>
> = {
  _entities: {
    description:
      'For a federation gateway: the dialogs behind references that other subgraphs return, in the order given. Goes through the same batching as `dialogs`; a dialog the caller may not read is null with an `ACCESS_ERROR` error at its index.',
    args: {
      representations: 'The references to resolve, each `{ "__typename": "Dialog", "id": … }`.',
    },
  },
  _service: {
    description: 'For a federation gateway: this subgraph’s SDL, to compose it into a supergraph.',
  },
};

/** Gives the federation types and fields of `schema` their descriptions; returns the same schema. */
export function describeFederation(schema: GraphQLSchema): GraphQLSchema {
  for (const [name, description] of Object.entries(TYPES)) {
    const type = schema.getType(name);
    if (isScalarType(type) || isUnionType(type) || isObjectType(type))
      type.description ??= description;
  }
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const [name, { description, args }] of Object.entries(QUERY_FIELDS)) {
    const field = fields[name];
    if (!field) continue;
    field.description ??= description;
    for (const arg of field.args) arg.description ??= args?.[arg.name];
  }
  return schema;
}
