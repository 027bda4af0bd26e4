import { encodeCommand, readBatchOutcomes, type CommandOutcome } from '../batch.js';
import type { Credentials } from '../credentials.js';
import { isRecord, phpMap, type SuccessEnvelope } from '../envelope.js';
import { DialogLookupError } from '../errors.js';
import type { AttemptOptions } from '../transport.js';
import { DIALOG_METHOD } from './lookup.js';

/** What sends one call: the transport, or a stand-in in unit tests. */
export interface CallSender {
  send(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    attempt?: AttemptOptions,
  ): Promise<SuccessEnvelope>;
}

/** The time blocks of a batch's commands (`result_time`), where portals report method time. */
function commandTimes(batchResult: unknown): unknown[] {
  return isRecord(batchResult) ? Object.values(phpMap(batchResult.result_time)) : [];
}

export interface DialogCallResult {
  /** Each id's outcome: its result, or its typed error. */
  readonly outcomes: Map<string, CommandOutcome>;
  /** The method-time blocks the answer carried for `im.dialog.get` (never a batch's own). */
  readonly times: readonly unknown[];
}

/**
 * One call for up to 50 distinct ids of one caller: a plain `im.dialog.get` for one id, a `batch`
 * with `halt: 0` for more (one failing command never hides the others). A documented error of a
 * single call is that id's outcome; any other failure of the call throws. The batch's own `time`
 * block always says `operating: 0` and is never read; each command's block in `result_time` is.
 */
export async function callForDialogs(
  sender: CallSender,
  credentials: Credentials,
  ids: readonly string[],
  attempt: AttemptOptions,
): Promise<DialogCallResult> {
  if (ids.length === 1) {
    const id = ids[0]!;
    try {
      const envelope = await sender.send(credentials, DIALOG_METHOD, { DIALOG_ID: id }, attempt);
      return {
        outcomes: new Map([[id, { ok: true, result: envelope.result }]]),
        times: [envelope.time],
      };
    } catch (error) {
      if (!(error instanceof DialogLookupError)) throw error;
      return { outcomes: new Map([[id, { ok: false, error }]]), times: [] };
    }
  }
  const keys = ids.map((_, index) => `d${index}`);
  const commands = Object.fromEntries(
    keys.map((key, index) => [key, encodeCommand(DIALOG_METHOD, { DIALOG_ID: ids[index]! })]),
  );
  const envelope = await sender.send(credentials, 'batch', { halt: 0, cmd: commands }, attempt);
  const byKey = readBatchOutcomes(envelope.result, keys);
  return {
    outcomes: new Map(keys.map((key, index) => [ids[index]!, byKey.get(key)!])),
    times: commandTimes(envelope.result),
  };
}
