import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JSONParser } from '@streamparser/json';

/** Bodies up to this size are parsed at once: JSON.parse takes ~10 ms per MiB here. */
const PARSE_AT_ONCE_UP_TO = 1024 * 1024;
/** Larger ones are fed to an incremental parser in slices this big, yielding to other requests between. */
const SLICE_BYTES = 64 * 1024;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A UTF-8 byte order mark in front of the JSON (a PHP file saved "with BOM" on an on-premise portal,
 * some proxies) is no part of the text: JSON.parse would refuse it, and the answer is good.
 */
function withoutByteOrderMark(body: Buffer): Buffer {
  return body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body;
}

/**
 * Parses a JSON body without blocking the event loop for long: a 25 MiB answer (50 dialogs with
 * 5 000 readers each) would hold JSON.parse for 200–400 ms, during which no other request moves;
 * sliced, the longest pause is a few tens of milliseconds (or a garbage collection), at ~3× the CPU.
 * Throws on invalid JSON, and stops when `signal` aborts.
 */
export async function parseJsonBody(whole: Buffer, signal?: AbortSignal): Promise<unknown> {
  const body = withoutByteOrderMark(whole);
  if (body.length <= PARSE_AT_ONCE_UP_TO) return JSON.parse(body.toString('utf8'));
  const parser = new JSONParser({ paths: ['$'], keepStack: false });
  let root: { value: unknown } | undefined;
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 0) root = { value };
  };
  for (let start = 0; start < body.length; start += SLICE_BYTES) {
    parser.write(body.subarray(start, start + SLICE_BYTES));
    await yieldToEventLoop();
    // Nobody waits for this answer any more: stop spending CPU on it.
    signal?.throwIfAborted();
  }
  // A complete object or array ends the parser by itself; only a bare number at the root still
  // waits for `end()` (which throws if the text stopped in the middle of a value).
  if (!root) parser.end();
  if (!root) throw new SyntaxError('JSON body ended before its value did');
  return root.value;
}
