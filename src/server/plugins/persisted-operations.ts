import {
  defaultExtractPersistedOperationId,
  type ExtractPersistedOperationId,
  usePersistedOperations,
} from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

const HOW_TO_SEND =
  'send the sha256 hash of a listed operation as extensions.persistedQuery.sha256Hash, or as documentId ' +
  '(plain or "sha256:"-prefixed), instead of a query document. The list is the manifest GraphQL Code Generator writes (persisted-documents.json).';

/** What a client that sends a query document is told in persisted-only mode. */
export const PERSISTED_ONLY_MESSAGE = `This server runs only persisted operations (PERSISTED_OPERATIONS is set): ${HOW_TO_SEND}`;
/** … and one that sends neither a document nor a hash. */
export const PERSISTED_ID_REQUIRED_MESSAGE = `This server runs only persisted operations (PERSISTED_OPERATIONS is set), and this request names none: ${HOW_TO_SEND}`;

/** The prefix the GraphQL-over-HTTP persisted documents convention puts before a sha256 hash. */
const SHA256_PREFIX = 'sha256:';

/**
 * The operation's hash: Apollo's `extensions.persistedQuery.sha256Hash` (what urql's and Apollo's
 * persisted exchanges send), else the persisted documents convention's `documentId`, in a POST body
 * or, for GET, the query string (yoga's GET parser keeps only the four standard parameters). The
 * convention prefixes the hash (`sha256:…`); our manifest, written by codegen, keys it bare.
 */
export const persistedOperationId: ExtractPersistedOperationId = (params, request, context) => {
  const fromExtensions = defaultExtractPersistedOperationId(params, request, context);
  if (fromExtensions !== null) return fromExtensions;
  const documentId =
    (params as { documentId?: unknown }).documentId ??
    (request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null);
  if (typeof documentId !== 'string') return null;
  return documentId.startsWith(SHA256_PREFIX) ? documentId.slice(SHA256_PREFIX.length) : documentId;
};

/**
 * Only the listed operations run, as frontends use in production: a client sends the hash
 * (`extensions.persistedQuery.sha256Hash`, or `documentId`), never a document of its own.
 */
export function usePersistedOperationsOnly(manifest: ReadonlyMap<string, string>): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    extractPersistedOperationId: persistedOperationId,
    allowArbitraryOperations: false,
    customErrors: {
      // The plugin's own words ("PersistedQueryOnly", code CANNOT_SEND_PQ_ID_AND_BODY) leave someone
      // trying a query in curl or GraphiQL guessing; say what this server runs and how to send it.
      persistedQueryOnly: {
        message: PERSISTED_ONLY_MESSAGE,
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
      },
      keyNotFound: {
        message: PERSISTED_ID_REQUIRED_MESSAGE,
        extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' },
      },
      // notFound keeps the plugin's "PersistedQueryNotFound" (code PERSISTED_QUERY_NOT_IN_LIST):
      // clients of the automatic persisted queries protocol recognise exactly that message.
    },
  });
}
