import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JSONParser } from '@streamparser/json';

/** Bodies up to this size are parsed at once: JSON.parse takes ~10 ms per MiB here. */
const PARSE_AT_ONCE_UP_TO = 1024 * 1024;
/** Larger ones are fed to an incremental parser in slices this big, yielding to other requests between. */
const SLICE_BYTES = 64 * 1024;

/**
 * The deepest nesting of arrays and objects accepted. An answer of the REST API is a few levels
 * deep (a batch's `result.result.<command>` holding a dialog with its lists of objects: under 10);
 * a hostile `[[[[…]]]]` of 10 MB made the incremental parser build a stack of millions of levels
 * (+1.3 GB, 8 s), and a recursive walk of the result could overflow the call stack.
 */
export const MAX_JSON_DEPTH = 64;

/** A body nested deeper than MAX_JSON_DEPTH: refused before it is parsed. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'JsonTooDeepError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Tracks the nesting depth of JSON text fed in pieces, outside strings, and throws
 * JsonTooDeepError the moment it passes the limit: a nested body is refused after MAX_JSON_DEPTH
 * bytes of scanning, before any parse (the transport runs one on the chunks as they arrive, so
 * such a body is refused before the rest of it is even read). Malformed text is left to the
 * parser to refuse.
 */
export class DepthGuard {
  private depth = 0;
  private inString = false;
  private escaped = false;

  check(piece: Buffer): void {
    for (let index = 0; index < piece.length; index++) {
      const byte = piece[index]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        if (++this.depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) this.depth--;
    }
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A UTF-8 byte order mark in front of the JSON (a PHP file saved "with BOM" on an on-premise
 * portal, some proxies) is no part of the text: JSON.parse would refuse it, and the answer is good.
 */
function withoutByteOrderMark(body: Buffer): Buffer {
  return body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body;
}

/**
 * Parses a JSON body without blocking the event loop for long: a 25 MiB answer (50 dialogs with
 * 5 000 readers each) would hold JSON.parse for 200–400 ms, during which no other request moves;
 * sliced, the longest pause is a few tens of milliseconds (or a garbage collection), at ~3× the CPU.
 * Throws on invalid JSON (JsonTooDeepError when nested deeper than MAX_JSON_DEPTH), and stops when
 * `signal` aborts.
 */
export async function parseJsonBody(whole: Buffer, signal?: AbortSignal): Promise<unknown> {
  const body = withoutByteOrderMark(whole);
  const depth = new DepthGuard();
  if (body.length <= PARSE_AT_ONCE_UP_TO) {
    depth.check(body);
    return JSON.parse(body.toString('utf8'));
  }
  const parser = new JSONParser({ paths: ['$'], keepStack: false });
  let root: { value: unknown } | undefined;
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 0) root = { value };
  };
  for (let start = 0; start < body.length; start += SLICE_BYTES) {
    const slice = body.subarray(start, start + SLICE_BYTES);
    depth.check(slice);
    parser.write(slice);
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
