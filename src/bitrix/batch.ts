import { Bitrix24Error, errorFromEnvelope } from './errors.js';
import { isRecord, phpMap } from './envelope.js';

/** The portal runs at most this many commands of one `batch` call; we never send more. */
export const MAX_BATCH_COMMANDS = 50;

export type Params = Readonly<Record<string, string | number>>;

/**
 * One batch command, `METHOD?QUERY`. Every key and value is URL-encoded, so a value holding `&`,
 * `=`, `?`, `#` or `%` cannot change the command. Encoding does not stop a `$result[…]` reference:
 * the portal decodes the query before it resolves references. Values must never hold one; for
 * DIALOG_ID the id grammar (`dialog-id.ts`) sees to that.
 */
export function encodeCommand(method: string, params: Params): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? method : `${method}?${query}`;
}

/** What became of each command of a batch: its result or its typed error. */
export type CommandOutcome = { ok: true; result: unknown } | { ok: false; error: Error };

/**
 * Reads `result` of a batch answer: `{result, result_error, result_total, result_next, result_time}`,
 * where PHP may send any map as `[]` (empty) or as a list (keys 0..n-1). A command absent from both
 * maps did not run (e.g. after a `halt`): that is an error of its own, never a silent gap.
 */
export function readBatchOutcomes(
  batchResult: unknown,
  keys: readonly string[],
): Map<string, CommandOutcome> {
  if (!isRecord(batchResult)) {
    throw new Bitrix24Error({
      failure: 'unavailable',
      code: 'UNEXPECTED_ANSWER',
      message: 'Bitrix24 answered a batch without its result maps',
    });
  }
  const results = phpMap(batchResult.result);
  const errors = phpMap(batchResult.result_error);
  const outcomes = new Map<string, CommandOutcome>();
  for (const key of keys) {
    const failure = errors[key];
    if (failure !== undefined) {
      const { error, error_description } = isRecord(failure) ? failure : {};
      const code = typeof error === 'string' && error !== '' ? error : 'UNEXPECTED_ANSWER';
      outcomes.set(key, { ok: false, error: errorFromEnvelope(code, error_description) });
    } else if (key in results) {
      outcomes.set(key, { ok: true, result: results[key] });
    } else {
      outcomes.set(key, {
        ok: false,
        error: new Bitrix24Error({
          failure: 'unavailable',
          code: 'COMMAND_NOT_RUN',
          message: 'Bitrix24 did not run a batch command',
        }),
      });
    }
  }
  return outcomes;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}
