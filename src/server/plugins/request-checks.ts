import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** A client's malformed HTTP request: 400 with a GraphQL error body, before anything runs. */
function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/**
 * yoga's parser answers an unparseable JSON body with `extensions.originalError`: the SyntaxError of
 * JSON.parse, whose message quotes the body (Node 20: `"…" is not valid JSON`), a token or a secret
 * sent by mistake included, in every mode. The client learns nothing from it it did not send; a
 * proxy or a log that keeps error bodies would keep the secret. Dropped, the rest kept.
 */
function withoutOriginalError(error: unknown): unknown {
  if (!(error instanceof GraphQLError) || !('originalError' in error.extensions)) return error;
  const { originalError: _dropped, http, ...extensions } = error.extensions;
  // yoga keeps a `spec` status (400) for `application/json` only while `originalError` is there:
  // without it the status is stated outright, so the answer stays a 400.
  const status = (http as { status?: number } | undefined)?.status ?? 400;
  return new GraphQLError(error.message, { extensions: { ...extensions, http: { status } } });
}

/**
 * `variables` and `extensions` of a GET (or form-encoded POST) request are JSON inside the URL, and
 * yoga's parser lets `JSON.parse` throw on a malformed one: that would be masked as an internal
 * error (500) although the client sent it. Here it is the client's 400. Any other refusal of the
 * parsers goes on without the body it would echo (withoutOriginalError).
 */
export function useMalformedParametersAsBadRequest(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          // yoga's own parsers throw a SyntaxError only from JSON.parse of these two parameters.
          if (error instanceof SyntaxError)
            throw badRequest('The "variables" and "extensions" parameters must be JSON objects.');
          throw withoutOriginalError(error);
        }
      });
    },
  };
}

/** How many times `name` (lower case) appears among the headers as the client sent them. */
function headerCount(request: IncomingMessage | undefined, name: string): number {
  const raw = request?.rawHeaders ?? [];
  let count = 0;
  for (let index = 0; index < raw.length; index += 2)
    if (raw[index]!.toLowerCase() === name) count++;
  return count;
}

/**
 * Refuses a request with more than one `Authorization` header, or more than one `X-Bitrix24-Domain`.
 * Node keeps the first Authorization and silently drops the others (and joins repeated custom
 * headers with commas), while a proxy or gateway in front of us may have read another one: which
 * token, or which portal, was meant is ambiguous, so the request is not served under either.
 */
export function useSingleAuthorizationHeader(): Plugin<
  Record<string, unknown>,
  { req?: IncomingMessage }
> {
  return {
    onRequestParse({ serverContext }) {
      if (headerCount(serverContext.req, 'authorization') > 1) {
        throw badRequest('The request has more than one Authorization header; send exactly one.');
      }
      if (headerCount(serverContext.req, 'x-bitrix24-domain') > 1) {
        throw badRequest(
          'The request has more than one X-Bitrix24-Domain header; send exactly one.',
        );
      }
    },
  };
}
