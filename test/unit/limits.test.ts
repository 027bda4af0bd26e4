import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { countDialogLookups } from '../../src/limits.js';

const count = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]));
  return countDialogLookups(operation, fragments, variables);
};

describe('countDialogLookups', () => {
  it('counts each dialog field, alias or not', () => {
    expect(count('{ dialog(id: "1") { __typename } a: dialog(id: "2") { __typename } b: dialog(id: "2") { __typename } }')).toBe(3);
  });

  it('counts the ids of dialogs(ids:), from a literal or a variable, and a single value as one', () => {
    expect(count('{ dialogs(ids: ["1", "2", "3"]) { __typename } }')).toBe(3);
    expect(count('query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } }', { ids: ['1', '2'] })).toBe(2);
    expect(count('{ dialogs(ids: "1") { __typename } }')).toBe(1);
  });

  it('counts entity representations', () => {
    expect(count('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{}, {}, {}, {}] })).toBe(4);
  });

  it('follows fragments and inline fragments, each fragment once even when cyclic', () => {
    expect(count('query { ...A ... on Query { dialog(id: "x") { __typename } } } fragment A on Query { dialog(id: "y") { __typename } ...A }')).toBe(2);
  });

  it('ignores other fields', () => {
    expect(count('{ __typename __schema { queryType { name } } }')).toBe(0);
  });
});
