import { describe, expect, it } from '@jest/globals';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  specifiedDirectives,
  type GraphQLArgument,
  type GraphQLNamedType,
} from 'graphql';
import { schema } from '../../src/schema/index.js';

/**
 * The words of a description outside its `code` spans. A description that is only a raw Bitrix24
 * key (`user_counter`) or a bare name has fewer than three: it tells a frontend developer nothing.
 */
function proseWords(description: string): string[] {
  return description
    .replace(/`[^`]*`/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function problemWith(description: string | null | undefined): string | undefined {
  if (description === undefined || description === null || description.trim() === '')
    return 'no description';
  if (proseWords(description).length < 3)
    return `a description that says nothing: ${JSON.stringify(description)}`;
  return undefined;
}

/** Every description a reader of the schema meets: types, fields, arguments, enum values, directives. */
function describedParts(): Array<[where: string, description: string | null | undefined]> {
  const parts: Array<[string, string | null | undefined]> = [];
  const args = (where: string, list: readonly GraphQLArgument[]) => {
    for (const arg of list) parts.push([`${where}(${arg.name}:)`, arg.description]);
  };
  const types = Object.values(schema.getTypeMap()).filter(
    (type: GraphQLNamedType) => !type.name.startsWith('__') && !isSpecifiedScalarType(type),
  );
  for (const type of types) {
    parts.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        parts.push([`${type.name}.${field.name}`, field.description]);
        if ('args' in field) args(`${type.name}.${field.name}`, field.args);
      }
    }
    if (isEnumType(type))
      for (const value of type.getValues())
        parts.push([`${type.name}.${value.name}`, value.description]);
  }
  for (const directive of schema
    .getDirectives()
    .filter((candidate) => !specifiedDirectives.includes(candidate))) {
    parts.push([`@${directive.name}`, directive.description]);
    args(`@${directive.name}`, directive.args);
  }
  return parts;
}

describe('the served schema explains itself to a frontend developer', () => {
  it('walks the federation parts too', () => {
    const walked = describedParts().map(([where]) => where);
    expect(walked).toEqual(
      expect.arrayContaining([
        '_Any',
        '_Entity',
        '_Service',
        'Query._entities',
        'Query._entities(representations:)',
        'Query._service',
        'Dialog.id',
        'DialogType.NETWORK_DIALOG',
        'Query.dialog(id:)',
      ]),
    );
  });

  it('describes every type, field, argument and enum value in words, not by the raw Bitrix24 key', () => {
    const problems = describedParts().flatMap(([where, description]) => {
      const problem = problemWith(description);
      return problem === undefined ? [] : [`${where}: ${problem}`];
    });
    expect(problems).toEqual([]);
  });

  it.each([['`user_counter`'], ['user_counter'], ['`avatar`'], ['memberCount'], [''], [null]])(
    'would refuse the description %j',
    (description) => {
      expect(problemWith(description)).toBeDefined();
    },
  );

  it('accepts a raw key inside a real sentence', () => {
    expect(problemWith('How many members the chat has (Bitrix24 `user_counter`).')).toBeUndefined();
  });
});

describe('descriptions say what a portal does (docs/bitrix24-api.md, issue 23)', () => {
  const field = (type: string, name: string) => {
    const found = schema.getType(type);
    if (!isObjectType(found)) throw new Error(`${type} is not an object type`);
    return found.getFields()[name]!.description ?? '';
  };

  it('managerIds: a group chat lists its creator among its managers', () => {
    expect(field('Dialog', 'managerIds')).toMatch(/lists its creator among them/);
    expect(field('Dialog', 'managerIds')).not.toMatch(/owner is usually not listed/);
  });

  it("restrictions' path: task and calendar chats hold the caller's user id", () => {
    expect(field('DialogRestrictions', 'path')).toMatch(/caller’s\*\* user page/);
  });

  it('dialog(id:): reading sgN or N may create a chat', () => {
    expect(field('Query', 'dialog')).toMatch(/`sgNNN` may create the workgroup’s chat/);
    expect(field('Query', 'dialog')).toMatch(/`NNN` the private chat/);
  });
});
