import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { countLookups, totalLookups } from '../../src/server/plugins/operation-limits.js';
import { schema } from '../../src/schema/index.js';

const count = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return totalLookups(countLookups(schema, operation, fragments, variables));
};

describe('countLookups', () => {
  it('counts each dialog field, alias or not', () => {
    expect(
      count(
        '{ dialog(id: "1") { __typename } a: dialog(id: "2") { __typename } b: dialog(id: "2") { __typename } }',
      ),
    ).toBe(3);
  });

  it('counts the ids of dialogs(ids:), from a literal or a variable, and a single value as one', () => {
    expect(count('{ dialogs(ids: ["1", "2", "3"]) { __typename } }')).toBe(3);
    expect(
      count('query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } }', { ids: ['1', '2'] }),
    ).toBe(2);
    expect(count('{ dialogs(ids: "1") { __typename } }')).toBe(1);
  });

  it('counts entity representations', () => {
    expect(
      count('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
        r: [{}, {}, {}, {}],
      }),
    ).toBe(4);
  });

  it('counts the default values of variables when the request sends none', () => {
    expect(
      count(
        'query($ids: [ID!]! = ["1", "2", "3"]) { dialogs(ids: $ids) { __typename } again: dialogs(ids: $ids) { __typename } }',
      ),
    ).toBe(6);
    expect(
      count(
        'query($r: [_Any!]! = [{ id: "1" }, { id: "2" }]) { _entities(representations: $r) { __typename } }',
      ),
    ).toBe(2);
    // A single value where the list is expected is coerced to a list of one, from a variable too.
    expect(count('query($id: ID! = "1") { dialogs(ids: $id) { __typename } }')).toBe(1);
    // Sent variables win over defaults.
    expect(
      count('query($ids: [ID!] = ["1", "2", "3"]) { dialogs(ids: $ids) { __typename } }', {
        ids: ['1'],
      }),
    ).toBe(1);
  });

  it('counts nothing for variables that do not coerce: execution refuses them before any resolver', () => {
    expect(
      count('query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } }', {
        ids: [{ nested: true }],
      }),
    ).toBe(0);
  });

  it('follows fragments and inline fragments, each fragment once even when cyclic', () => {
    expect(
      count(
        'query { ...A ... on Query { dialog(id: "x") { __typename } } } fragment A on Query { dialog(id: "y") { __typename } ...A }',
      ),
    ).toBe(2);
  });

  it('ignores other fields', () => {
    expect(count('{ __typename __schema { queryType { name } } }')).toBe(0);
  });
});
