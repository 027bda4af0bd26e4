import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  getArgumentValues,
  getVariableValues,
  GraphQLError,
  Kind,
  Lexer,
  Source,
  syntaxError,
  TokenKind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits every operation must pass before anything is sent to the portal. Chosen so that a real
 * frontend page (up to 200 dialogs, by aliases or by `dialogs(ids:)`) passes, and a 2000-alias query
 * or a 10 000-id list does not.
 */
export interface OperationLimits {
  /** Aliases per operation (one per `dialog(id:)` a page asks for by alias). */
  readonly maxAliases: number;
  /** Selection depth, introspection aside (our deepest real query is 3). */
  readonly maxDepth: number;
  /** Lexical tokens per document (~40 per aliased dialog with a rich selection). */
  readonly maxTokens: number;
  /** Brackets open at once (`{`, `[`, `(`): our deepest real query opens 5. */
  readonly maxNesting: number;
  readonly maxDirectives: number;
  /** graphql-armor's generic cost, a backstop behind the dialog budget. */
  readonly maxCost: number;
  /** Dialog lookups per operation: each `dialog` field, each id of `dialogs`, each entity reference. */
  readonly maxDialogLookups: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxAliases: 250,
  maxDepth: 10,
  maxTokens: 15_000,
  maxNesting: 32,
  maxDirectives: 50,
  maxCost: 50_000,
  maxDialogLookups: 200,
};

/** What a lookup reads: the error names each kind it counted. */
type LookupKind = 'dialogs' | 'users' | 'entities';
export type LookupCounts = Readonly<Record<LookupKind, number>>;

/** Fields whose every occurrence costs one lookup, and list arguments costing one per item. */
const SINGLE_LOOKUP_FIELDS: Readonly<Record<string, LookupKind>> = {
  dialog: 'dialogs',
  user: 'users',
};
const LIST_LOOKUP_ARGUMENTS: Readonly<Record<string, { argument: string; kind: LookupKind }>> = {
  dialogs: { argument: 'ids', kind: 'dialogs' },
  users: { argument: 'ids', kind: 'users' },
  _entities: { argument: 'representations', kind: 'entities' },
};

/** Items of a coerced list argument: a single value where a list is expected is a list of one. */
function itemCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return value === undefined || value === null ? 0 : 1;
}

/**
 * The ids a list field would really receive: its arguments coerced by graphql-js exactly as execution
 * will coerce them (variables, their defaults in the document, argument defaults). Arguments that do
 * not coerce count nothing: execution refuses that field before its resolver runs.
 */
function listArgumentLength(
  field: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
  argumentName: string,
  variables: Readonly<Record<string, unknown>>,
): number {
  if (!field) return 0;
  try {
    return itemCount(getArgumentValues(field, node, variables)[argumentName]);
  } catch {
    return 0;
  }
}

/**
 * Lookups an operation asks for, by kind, counted on its root selections (fragments included),
 * with the operation's variables coerced as execution will see them: a list given as a variable's
 * default value in the document counts as much as one sent in `variables`.
 */
export function countLookups(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  rawVariables: Readonly<Record<string, unknown>>,
): LookupCounts {
  const counts = { dialogs: 0, users: 0, entities: 0 };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  // Variables that do not coerce fail the whole operation before any resolver runs.
  if (coerced.errors) return counts;
  const variables = coerced.coerced;
  const rootFields = schema.getQueryType()?.getFields() ?? {};
  const seen = new Set<string>();
  const count = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const single = SINGLE_LOOKUP_FIELDS[name];
        const list = LIST_LOOKUP_ARGUMENTS[name];
        if (single) counts[single] += 1;
        else if (list)
          counts[list.kind] += listArgumentLength(
            rootFields[name],
            selection,
            list.argument,
            variables,
          );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) count(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        count(fragment.selectionSet);
      }
    }
  };
  count(operation.selectionSet);
  return counts;
}

/** All the lookups of an operation, whatever they read: what the budget bounds. */
export function totalLookups({ dialogs, users, entities }: LookupCounts): number {
  return dialogs + users + entities;
}

/** "201 dialogs", or "150 dialogs and 60 users (210 lookups)" when more than one kind counted. */
function describeLookups(counts: LookupCounts): string {
  const parts = (Object.entries(counts) as Array<[LookupKind, number]>)
    .filter(([, value]) => value > 0)
    .map(([kind, value]) => `${value} ${kind}`);
  const total = totalLookups(counts);
  if (parts.length <= 1) return parts[0] ?? `${total} dialogs`;
  const listed = `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${listed} (${total} lookups)`;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

/**
 * Refuses, before execution, an operation that would look up more than `max` dialogs. It runs at
 * execution time rather than validation because the count depends on the variables (and on their
 * defaults, which apply when a request sends none).
 */
export function useDialogLookupBudget(max: number): Plugin {
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
      if (operation?.operation !== 'query') return;
      const counts = countLookups(
        args.schema,
        operation,
        fragmentsOf(document),
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      if (totalLookups(counts) <= max) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `This operation asks for ${describeLookups(counts)}; at most ${max} per request. Split it into several requests.`,
            { extensions: { code: 'TOO_MANY_DIALOGS', http: { status: 400 } } },
          ),
        ],
      });
    },
  };
}

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * The syntax error for a document that opens more than `max` brackets at once, or undefined. A
 * document the lexer cannot read is left to the parser, which reports it with its usual message.
 */
export function nestingError(source: string | Source, max: number): GraphQLError | undefined {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let depth = 0;
  try {
    // The lexer reads one token at a time without recursion: this pass cannot overflow the stack.
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPENING.has(token.kind) && ++depth > max)
        return syntaxError(lexer.source, token.start, `Nesting limit of ${max} exceeded.`);
      if (CLOSING.has(token.kind)) depth--;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Refuses deeply nested documents before graphql-js parses them: its parser and validation rules
 * recurse once per level, and a few thousand levels (`[[[…]]]` or `{a{a{…}}}`) overflow the stack,
 * which would be an internal error (500) instead of the client's mistake (400).
 */
export function maxNestingPlugin(max: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        const error = nestingError(source, max);
        if (error) throw error;
        return parseFn(source, options);
      });
    },
  };
}

/**
 * The graphql-armor protections and the dialog budget, in the order they can refuse: tokens and
 * nesting while parsing, aliases/depth/directives/cost while validating, the budget just before execution.
 * Field suggestions ("Did you mean …?") are blocked when the schema is not meant to be discoverable.
 */
export function operationLimitPlugins(
  limits: OperationLimits,
  options: { blockSuggestions: boolean },
): Plugin[] {
  // By default armor throws from inside a validation visitor, which reaches the client as an HTTP 200
  // without a code; reported as validation errors they are what they are: 400, GRAPHQL_VALIDATION_FAILED.
  const asValidationError = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error),
    ],
  };
  return [
    maxTokensPlugin({ n: limits.maxTokens }),
    maxNestingPlugin(limits.maxNesting),
    maxAliasesPlugin({ n: limits.maxAliases, ...asValidationError }),
    maxDepthPlugin({
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...asValidationError,
    }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...asValidationError }),
    costLimitPlugin({ maxCost: limits.maxCost, ignoreIntrospection: true, ...asValidationError }),
    ...(options.blockSuggestions ? [blockFieldSuggestionsPlugin()] : []),
    useDialogLookupBudget(limits.maxDialogLookups),
  ] as Plugin[];
}
