import {
  Client,
  CombinedError,
  fetchExchange,
  type AnyVariables,
  type TypedDocumentNode,
} from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { DialogCardQuery, DialogListQuery } from './documents.js';
import type {
  DialogCardQuery as DialogCard,
  DialogListQuery as DialogList,
} from './gql/graphql.js';

export interface DialogsClientOptions {
  /** The server's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  /** The user's Bitrix24 access token (BX24.getAuth().access_token) when the server runs in OAuth mode. */
  readonly accessToken?: string;
  /**
   * Send only the hash of each operation (the server runs with PERSISTED_OPERATIONS pointing at
   * `src/gql/persisted-documents.json`), as production frontends do.
   */
  readonly persistedOnly?: boolean;
}

export type DialogCardResult = DialogCard['dialog'];
export type DialogListResult = NonNullable<DialogList['dialogs']>;

/** The hash GraphQL Code Generator embedded in each document (client preset, `persistedDocuments`). */
function embeddedHash(document: TypedDocumentNode<unknown, AnyVariables>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('this document has no persisted hash: run `npm run codegen`');
  return hash;
}

export function createDialogsClient({
  url,
  accessToken,
  persistedOnly = false,
}: DialogsClientOptions): Client {
  return new Client({
    url,
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: (): RequestInit => ({
      headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    }),
    exchanges: persistedOnly
      ? [
          persistedExchange({
            enforcePersistedQueries: true,
            preferGetForPersistedQueries: false,
            generateHash: async (_query, document) => embeddedHash(document),
          }),
          fetchExchange,
        ]
      : [fetchExchange],
  });
}

async function run<Data, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const result = await client.query(document, variables).toPromise();
  if (result.error) throw result.error;
  if (!result.data) throw new Error('the server answered without data');
  return result.data;
}

/** One dialog, or the typed reason it could not be had (`AccessError`, `DialogIdEmptyError`). */
export async function loadDialogCard(client: Client, id: string): Promise<DialogCardResult> {
  return (await run(client, DialogCardQuery, { id })).dialog;
}

/** Many dialogs in one request, in the order asked, each a dialog or its own error. */
export async function loadDialogList(
  client: Client,
  ids: readonly string[],
): Promise<DialogListResult> {
  return (await run(client, DialogListQuery, { ids: [...ids] })).dialogs ?? [];
}

/** What a UI would render for a card: narrowing on `__typename` is checked by the compiler. */
export function describeCard(card: DialogCardResult): string {
  switch (card?.__typename) {
    case 'Dialog':
      // Some chats have no creation date: the generated type says so, and the compiler makes us check.
      return `${card.title} (${card.type.toLowerCase()}, ${card.memberCount ?? '?'} members${card.dateCreate ? `, since ${card.dateCreate.slice(0, 10)}` : ''})`;
    case 'AccessError':
      return `no access to ${card.dialogId}`;
    case 'DialogIdEmptyError':
      return `not a dialog id: ${card.message}`;
    default:
      return 'unavailable';
  }
}

/**
 * What to do about a failed request, for a person running the example: a server that is not there,
 * one that runs only persisted operations, or one whose list lacks this client's operations are
 * three different fixes.
 */
export function adviceFor(error: unknown): string {
  if (!(error instanceof CombinedError)) return '';
  const codes = error.graphQLErrors.map((graphQLError) => graphQLError.extensions.code);
  const messages = error.graphQLErrors.map((graphQLError) => graphQLError.message);
  if (codes.includes('PERSISTED_QUERY_ONLY')) {
    return 'The server runs only persisted operations (PERSISTED_OPERATIONS): run the example with PERSISTED=1 to send their hashes.';
  }
  if (
    codes.includes('PERSISTED_QUERY_NOT_IN_LIST') ||
    messages.includes('PersistedQueryNotFound')
  ) {
    return "The server's persisted operations do not list this client's: start it with PERSISTED_OPERATIONS=examples/frontend-client/src/gql/persisted-documents.json (after `npm run codegen`).";
  }
  if (error.graphQLErrors.length === 0 && error.networkError && !error.response) {
    return 'Is the server running? Start it with `npm start` (or set GRAPHQL_URL).';
  }
  return '';
}
