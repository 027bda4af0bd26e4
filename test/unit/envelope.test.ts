import { describe, expect, it } from '@jest/globals';
import { parseEnvelope, phpMap } from '../../src/bitrix/envelope.js';
import {
  AccessError,
  Bitrix24Error,
  DialogIdEmptyError,
  errorFromEnvelope,
} from '../../src/bitrix/errors.js';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('parseEnvelope', () => {
  it('reads a success envelope with a modern time block (floats, operating)', () => {
    const envelope = parseEnvelope(
      200,
      JSON.stringify({
        result: { id: 1 },
        time: {
          start: 1772030091,
          finish: 1772030091.165223,
          duration: 0.165,
          processing: 0,
          date_start: '2026-02-25T17:34:51+03:00',
          operating_reset_at: 1772030691,
          operating: 0.5,
        },
      }),
    );
    expect(envelope).toEqual({
      result: { id: 1 },
      time: {
        start: 1772030091,
        finish: 1772030091.165223,
        duration: 0.165,
        processing: 0,
        operating_reset_at: 1772030691,
        operating: 0.5,
      },
    });
  });

  it('does not require any time field (old portals, proxies)', () => {
    expect(parseEnvelope(200, '{"result":"2026-01-01T00:00:00+03:00"}')).toEqual({
      result: '2026-01-01T00:00:00+03:00',
    });
    expect(parseEnvelope(200, '{"result":[],"time":[]}')).toEqual({ result: [] });
  });

  it('throws the documented method errors as lookup errors', () => {
    expect(
      thrown(() =>
        parseEnvelope(
          400,
          '{"error":"DIALOG_ID_EMPTY","error_description":"Dialog ID can\'t be empty"}',
        ),
      ),
    ).toBeInstanceOf(DialogIdEmptyError);
    expect(
      thrown(() =>
        parseEnvelope(
          403,
          '{"error":"ACCESS_ERROR","error_description":"You do not have access to the specified dialog"}',
        ),
      ),
    ).toBeInstanceOf(AccessError);
    // Some older code paths answer ACCESS_ERROR with 400: the code decides.
    expect(
      thrown(() => parseEnvelope(400, '{"error":"ACCESS_ERROR","error_description":"x"}')),
    ).toBeInstanceOf(AccessError);
  });

  it.each([
    [502, '<html><body>502 Bad Gateway</body></html>', 'unavailable'],
    [504, '<html>504 Gateway Time-out</html>', 'timeout'],
    [200, '', 'unavailable'],
    [200, '{"result":{"id":1,"na', 'unavailable'],
    [200, '<!DOCTYPE html>maintenance', 'unavailable'],
    [429, 'Too Many Requests', 'rate-limited'],
  ])('survives HTTP %i with a body that is not JSON (%s)', (status, body, failure) => {
    const error = thrown(() => parseEnvelope(status, body)) as Bitrix24Error;
    expect(error).toBeInstanceOf(Bitrix24Error);
    expect(error).toMatchObject({ failure, code: 'NON_JSON_ANSWER', status });
  });

  it('refuses JSON that is neither a result nor an error', () => {
    expect(thrown(() => parseEnvelope(200, '{"foo":1}'))).toMatchObject({
      failure: 'unavailable',
      code: 'UNEXPECTED_ANSWER',
    });
    expect(thrown(() => parseEnvelope(200, '[1,2]'))).toMatchObject({
      failure: 'unavailable',
      code: 'UNEXPECTED_ANSWER',
    });
    expect(thrown(() => parseEnvelope(500, '{"foo":1}'))).toMatchObject({
      failure: 'unavailable',
      code: 'HTTP_500',
    });
  });

  it('reads PHP maps whether they come as objects, empty lists or lists', () => {
    expect(phpMap({ a: 1 })).toEqual({ a: 1 });
    expect(phpMap([])).toEqual({});
    expect(phpMap(['x', 'y'])).toEqual({ 0: 'x', 1: 'y' });
    expect(phpMap(null)).toEqual({});
  });
});

describe('errorFromEnvelope: the code first, the HTTP status second', () => {
  it.each([
    ['NO_AUTH_FOUND', 401, 'unauthenticated', false],
    ['expired_token', 401, 'unauthenticated', false],
    ['invalid_token', 401, 'unauthenticated', false],
    // A wrong or revoked webhook: the portal answers 401, the docs print 403; either way, fix the credentials.
    ['INVALID_CREDENTIALS', 401, 'unauthenticated', false],
    ['INVALID_CREDENTIALS', 403, 'unauthenticated', false],
    ['authorization_error', 401, 'unauthenticated', false],
    ['APPLICATION_NOT_FOUND', 401, 'unauthenticated', false],
    // Every auth-layer refusal is 401 on the portal: the code tells rights from credentials…
    ['insufficient_scope', 401, 'forbidden', false],
    ['insufficient_scope', 403, 'forbidden', false],
    ['ACCESS_DENIED', 401, 'forbidden', false],
    ['ACCESS_DENIED', 403, 'forbidden', false],
    ['user_access_error', 401, 'forbidden', false],
    ['user_access_error', 403, 'forbidden', false],
    // …and from a transient failure of the portal's own auth server.
    ['CONNECTION_ERROR', 401, 'unavailable', true],
    ['QUERY_LIMIT_EXCEEDED', 503, 'rate-limited', true],
    ['OPERATION_TIME_LIMIT', 429, 'rate-limited', false],
    // The auth providers raise OVERLOAD_LIMIT as an OAuth exception: 401, not the docs' 503.
    ['OVERLOAD_LIMIT', 401, 'unavailable', false],
    ['OVERLOAD_LIMIT', 503, 'unavailable', false],
    ['INTERNAL_SERVER_ERROR', 500, 'unavailable', true],
    ['ERROR_UNEXPECTED_ANSWER', 500, 'unavailable', true],
    ['PORTAL_DELETED', 500, 'unavailable', false],
    ['ERROR_METHOD_NOT_FOUND', 404, 'protocol', false],
    ['ERROR_BATCH_LENGTH_EXCEEDED', 400, 'protocol', false],
    ['ERROR_BATCH_METHOD_NOT_ALLOWED', 405, 'protocol', false],
    // "Https required." (401): the configured URL must use https://, told as such, never masked.
    ['INVALID_REQUEST', 401, 'unauthenticated', false],
    // The portal failed inside the method: a 500 alone; inside a batch no status at all.
    ['ERROR_CORE', 500, 'unavailable', true],
    // The whole answer could not be encoded (HTTP 200): the same call gives the same answer.
    ['WRONG_ENCODING', 200, 'unavailable', false],
    ['SOME_NEW_CODE', 401, 'unauthenticated', false],
    ['SOME_NEW_CODE', 403, 'forbidden', false],
    ['SOME_NEW_CODE', 429, 'rate-limited', true],
    ['SOME_NEW_CODE', 502, 'unavailable', true],
    ['SOME_NEW_CODE', 400, 'protocol', false],
  ] as const)('%s with HTTP %i is %s (retryable: %s)', (code, status, failure, retryable) => {
    expect(errorFromEnvelope(code, 'text', status)).toMatchObject({
      failure,
      code,
      status,
      retryable,
    });
  });

  it('is case-sensitive about codes, as Bitrix24 is', () => {
    expect(errorFromEnvelope('EXPIRED_TOKEN', 'x', 400)).toMatchObject({ failure: 'protocol' });
  });

  it('puts no portal description into an upstream error’s message: it may echo a token', () => {
    expect(errorFromEnvelope('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503).message).toBe(
      'Bitrix24 answered QUERY_LIMIT_EXCEEDED (HTTP 503)',
    );
    expect(
      errorFromEnvelope(
        'invalid_token',
        'The access token provided is invalid: s4x5p8fd1h93lzs4ls51s8w4fsu49gan',
        401,
      ).message,
    ).not.toContain('s4x5p8fd');
    expect(errorFromEnvelope('QUERY_LIMIT_EXCEEDED', 'a\nb').message).toBe(
      'Bitrix24 answered QUERY_LIMIT_EXCEEDED',
    );
  });

  it('passes on only the known descriptions of the documented per-dialog errors', () => {
    expect(
      errorFromEnvelope('ACCESS_ERROR', "You don't have access to this chat", 400).message,
    ).toBe("You don't have access to this chat");
    expect(
      errorFromEnvelope('ACCESS_ERROR', 'No access for auth=s4x5p8fd1h93lzs4ls51s8w4fsu49gan', 403)
        .message,
    ).toBe('You do not have access to the specified dialog');
    expect(
      errorFromEnvelope('DIALOG_ID_EMPTY', 'empty: s4x5p8fd1h93lzs4ls51s8w4fsu49gan', 400).message,
    ).toBe("Dialog ID can't be empty");
  });

  it('replaces an error code that does not look like one', () => {
    expect(errorFromEnvelope('<html>oops s4x5p8fd</html>', 'x', 502)).toMatchObject({
      code: 'UNREADABLE_ERROR_CODE',
      failure: 'unavailable',
    });
    expect(errorFromEnvelope('x'.repeat(65), 'x', 400)).toMatchObject({
      code: 'UNREADABLE_ERROR_CODE',
    });
  });
});
